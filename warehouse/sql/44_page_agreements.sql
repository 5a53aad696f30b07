-- Page model (Acuerdos, Ficha, Resumen, deck): every agreement of the weekly meeting with the names
-- the pages show: the indicator's name, the scope ('national' when none) and its name. Whether an
-- agreement is overdue depends on the as-of date the page passes, so the query function
-- (warehouse/queries/agreements.py) adds it, with the filters and the viewer's scope.
-- Key: agreement_id. Not null: agreement_id, scope_code, status.
CREATE OR REPLACE VIEW page_agreements AS
SELECT a.agreement_id, a.week, a.indicator_code, i.name AS indicator_name,
       coalesce(a.scope_code, 'national') AS scope_code,
       CASE WHEN a.scope_code IS NULL THEN 'Nacional' ELSE m.municipality END AS scope_name,
       a.action, a.responsible, a.due_date, a.status,
       a.status IN ('abierto', 'en curso') AS is_open,
       a.created_by, a.created_at, a.updated_by, a.updated_at
FROM agreements a
LEFT JOIN indicators i ON i.code = a.indicator_code
LEFT JOIN municipalities m ON m.code = a.scope_code;
