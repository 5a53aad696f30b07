-- Page model (coverage views, downloads and reports): every published coverage cell
-- (coverage_published, 60_mart_coverage.sql: small counts already suppressed) with its program's
-- name and eje. The query functions (warehouse/queries/coverage.py) pick cells and the viewer's scope.
-- Key: level, scope_code, program_code, quarter. Not null: level, scope_code, program_code, quarter.
CREATE OR REPLACE VIEW page_coverage AS
SELECT c.level, c.scope_code, c.scope_name, c.department_code, c.program_code, p.name AS program_name,
       p.eje_id, c.quarter, c.quarter_end, c.registered, c.eligible, c.served, c.coverage,
       c.registered_suppressed, c.eligible_suppressed, c.served_suppressed
FROM coverage_published c JOIN programs p ON p.program_code = c.program_code;
