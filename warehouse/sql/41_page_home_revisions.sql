-- Page model (Resumen, deck): values reported between p_start and p_end that replace an earlier
-- report of the same period (indicator, scope, period), with the value they replace. Filter first:
-- only the keys reported in the window are ranked (and, with p_indicators, only those indicators' rows:
-- the refresh after a load). The query function adds filters and the viewer.
CREATE OR REPLACE MACRO page_week_revisions(p_start, p_end, p_indicators := NULL) AS TABLE
WITH week_keys AS (
    SELECT DISTINCT indicator_code, scope_code, period FROM measurements
    WHERE reported_at BETWEEN p_start AND p_end
      AND (p_indicators IS NULL OR list_contains(p_indicators, indicator_code))),
versions AS (
    SELECT m.*, lag(coalesce(value, numerator / nullif(denominator, 0))) OVER w AS previous_value,
           lag(reported_at) OVER w AS previous_reported_at, lag(load_id) OVER w AS previous_load_id
    FROM measurements m SEMI JOIN week_keys k USING (indicator_code, scope_code, period)
    WHERE p_indicators IS NULL OR list_contains(p_indicators, m.indicator_code)
    WINDOW w AS (PARTITION BY indicator_code, scope_code, period
                 ORDER BY coalesce(reported_at, period_end), load_id))
SELECT m.indicator_code, i.name AS indicator_name, i.intervention, i.eje_id, i.program_code,
       m.scope_code, mu.municipality, mu.department_code, m.period,
       m.previous_value, coalesce(m.value, m.numerator / nullif(m.denominator, 0)) AS new_value,
       m.previous_reported_at, m.reported_at, m.previous_load_id, m.load_id
FROM versions m JOIN indicators i ON i.code = m.indicator_code
LEFT JOIN municipalities mu ON mu.code = m.scope_code
WHERE m.previous_load_id IS NOT NULL AND m.reported_at BETWEEN p_start AND p_end;
