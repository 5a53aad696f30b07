-- RUP coverage per municipality, program and quarter (docs/method.md, "Cobertura del RUP").
-- For a program P (intervention CSU or CSR) and a quarter ending on day E, in municipality M:
--   registered = households of M with P's intervention registered in the RUP by E
--   eligible   = those of them whose vulnerability score >= P's minimum (coverage_eligibility)
--   served     = households of M with P's intervention that received P by E
--   coverage   = served / eligible
-- All are stocks at the quarter's end, from the first quarter with a registration to the last quarter
-- with a registration or a program received.

CREATE OR REPLACE MACRO coverage_min_cell() AS 5;     -- counts below this are never published

CREATE OR REPLACE VIEW int_coverage_households AS
SELECT h.municipality_code, p.program_code, h.registered_at,
       h.vulnerability_score >= coalesce(e.min_score, d.min_score) AS eligible,
       list_min(list_transform(list_filter(h.programs, lambda x: x.program_code = p.program_code),
                               lambda x: x.received_at)) AS served_at
FROM participants h
JOIN programs p ON p.intervention = h.intervention
LEFT JOIN coverage_eligibility e ON e.program_code = p.program_code
CROSS JOIN (SELECT min_score FROM coverage_eligibility WHERE program_code = '*') d;

CREATE OR REPLACE VIEW int_coverage_quarters AS
SELECT q::DATE AS quarter_start, (q + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS quarter_end,
       strftime(q, '%Y') || '-Q' || quarter(q) AS quarter
FROM (SELECT unnest(range(b.first_q, b.last_q + INTERVAL 3 MONTH, INTERVAL 3 MONTH)) AS q
      FROM (SELECT date_trunc('quarter', min(registered_at))::TIMESTAMP AS first_q,
                   date_trunc('quarter', greatest(max(registered_at),
                       max(list_max(list_transform(programs, lambda x: x.received_at)))))::TIMESTAMP AS last_q
            FROM participants) b
      WHERE b.first_q IS NOT NULL);

CREATE OR REPLACE VIEW mart_coverage AS
WITH events AS (
    SELECT municipality_code, program_code, date_trunc('quarter', registered_at)::DATE AS q,
           count(*) AS registered, count(*) FILTER (WHERE eligible) AS eligible, 0 AS served
    FROM int_coverage_households GROUP BY ALL
    UNION ALL
    SELECT municipality_code, program_code, date_trunc('quarter', served_at)::DATE, 0, 0, count(*)
    FROM int_coverage_households WHERE served_at IS NOT NULL GROUP BY ALL),
grid AS (
    SELECT g.municipality_code, g.program_code, q.quarter_start, q.quarter_end, q.quarter
    FROM (SELECT DISTINCT municipality_code, program_code FROM int_coverage_households) g
    CROSS JOIN int_coverage_quarters q),
flows AS (
    SELECT g.*, coalesce(sum(e.registered), 0) AS r, coalesce(sum(e.eligible), 0) AS el,
           coalesce(sum(e.served), 0) AS s
    FROM grid g LEFT JOIN events e ON e.municipality_code = g.municipality_code
        AND e.program_code = g.program_code AND e.q = g.quarter_start
    GROUP BY ALL)
SELECT municipality_code, program_code, quarter, quarter_start, quarter_end,
       sum(r) OVER w::BIGINT AS registered, sum(el) OVER w::BIGINT AS eligible, sum(s) OVER w::BIGINT AS served,
       CASE WHEN sum(el) OVER w > 0 THEN sum(s) OVER w / sum(el) OVER w END AS coverage
FROM flows
WINDOW w AS (PARTITION BY municipality_code, program_code ORDER BY quarter_start
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- What may be published: the same counts at three levels (municipio, departamento, nacional), each
-- count NULL when suppressed (shown as "< 5"). Per program, quarter and count:
--  1. primary: a count below coverage_min_cell() (zero included) is suppressed, and so is `eligible`
--     when registered - eligible (the households not eligible) is below it;
--  2. departments within the national total: if exactly one department is suppressed, the smallest
--     other department is suppressed too, and, when none of its municipalities is suppressed, its
--     smallest municipality (else its total would follow from its municipalities);
--  3. municipalities within their department: if exactly one municipality of a department is
--     suppressed, its smallest other municipality is suppressed too.
-- So a published total minus the published parts never isolates one suppressed count: what it
-- leaves is the sum of at least two cells. Coverage is published only when served and eligible are.
CREATE OR REPLACE VIEW mart_coverage_published AS
WITH m AS (
    SELECT c.*, mu.department_code FROM mart_coverage c JOIN municipalities mu ON mu.code = c.municipality_code),
levels AS (
    SELECT 'municipio' AS level, municipality_code AS scope_code, department_code, program_code, quarter,
           quarter_end, registered, eligible, served FROM m
    UNION ALL
    SELECT 'departamento', department_code, department_code, program_code, quarter, quarter_end,
           sum(registered)::BIGINT, sum(eligible)::BIGINT, sum(served)::BIGINT FROM m GROUP BY ALL
    UNION ALL
    SELECT 'nacional', 'national', NULL, program_code, quarter, quarter_end,
           sum(registered)::BIGINT, sum(eligible)::BIGINT, sum(served)::BIGINT FROM m GROUP BY ALL),
cells AS (
    SELECT *, value < coverage_min_cell() OR coalesce(rest < coverage_min_cell(), false) AS is_small FROM (
        SELECT level, scope_code, department_code, program_code, quarter, 'registered' AS measure,
               registered AS value, NULL::BIGINT AS rest FROM levels
        UNION ALL SELECT level, scope_code, department_code, program_code, quarter, 'eligible', eligible,
               registered - eligible FROM levels
        UNION ALL SELECT level, scope_code, department_code, program_code, quarter, 'served', served, NULL
        FROM levels)),
dept AS (
    SELECT *, is_small AS primary_cell, count(*) FILTER (WHERE is_small) OVER w AS n_primary,
           row_number() OVER (PARTITION BY program_code, quarter, measure ORDER BY is_small, value, scope_code)
               AS smallest
    FROM cells WHERE level = 'departamento'
    WINDOW w AS (PARTITION BY program_code, quarter, measure)),
dept_final AS (
    SELECT *, primary_cell OR (n_primary = 1 AND smallest = 1 AND NOT primary_cell) AS suppressed,
           n_primary = 1 AND smallest = 1 AND NOT primary_cell AS complementary
    FROM dept),
muni AS (
    SELECT c.*, c.is_small AS primary_cell, count(*) FILTER (WHERE c.is_small) OVER d AS n_primary,
           row_number() OVER (PARTITION BY c.department_code, c.program_code, c.quarter, c.measure
                              ORDER BY c.is_small, c.value, c.scope_code) AS smallest,
           coalesce(f.complementary, false) AS dept_complementary
    FROM cells c LEFT JOIN dept_final f ON f.scope_code = c.department_code AND f.program_code = c.program_code
        AND f.quarter = c.quarter AND f.measure = c.measure
    WHERE c.level = 'municipio'
    WINDOW d AS (PARTITION BY c.department_code, c.program_code, c.quarter, c.measure)),
muni_step2 AS (
    SELECT *, primary_cell OR (dept_complementary AND n_primary = 0 AND smallest = 1) AS pre
    FROM muni),
muni_final AS (
    SELECT *, pre OR (count(*) FILTER (WHERE pre) OVER d = 1 AND NOT pre
                      AND row_number() OVER (PARTITION BY department_code, program_code, quarter, measure
                                             ORDER BY pre, value, scope_code) = 1) AS suppressed
    FROM muni_step2
    WINDOW d AS (PARTITION BY department_code, program_code, quarter, measure)),
decided AS (
    SELECT level, scope_code, program_code, quarter, measure, value, suppressed FROM muni_final
    UNION ALL SELECT level, scope_code, program_code, quarter, measure, value, suppressed FROM dept_final
    UNION ALL SELECT level, scope_code, program_code, quarter, measure, value, is_small
    FROM cells WHERE level = 'nacional'),
wide AS (
    SELECT level, scope_code, program_code, quarter,
           max(CASE WHEN measure = 'registered' AND NOT suppressed THEN value END) AS registered,
           max(CASE WHEN measure = 'eligible' AND NOT suppressed THEN value END) AS eligible,
           max(CASE WHEN measure = 'served' AND NOT suppressed THEN value END) AS served,
           bool_or(measure = 'registered' AND suppressed) AS registered_suppressed,
           bool_or(measure = 'eligible' AND suppressed) AS eligible_suppressed,
           bool_or(measure = 'served' AND suppressed) AS served_suppressed
    FROM decided GROUP BY ALL)
SELECT w.level, w.scope_code, s.scope_name, s.department_code,
       w.program_code, w.quarter, q.quarter_end, w.registered, w.eligible, w.served,
       CASE WHEN w.served IS NOT NULL AND w.eligible > 0 THEN w.served / w.eligible END AS coverage,
       w.registered_suppressed, w.eligible_suppressed, w.served_suppressed
FROM wide w
JOIN int_coverage_quarters q ON q.quarter = w.quarter
LEFT JOIN page_scopes s ON s.scope_type = w.level AND s.scope_code = w.scope_code;

-- Materialised per participants load (loaders/participants.py refreshes it in the load's transaction):
-- pages and reports read this small table, never the household rows.
CREATE TABLE IF NOT EXISTS coverage_published AS SELECT * FROM mart_coverage_published;
