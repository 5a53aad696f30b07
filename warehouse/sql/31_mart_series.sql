-- The rows the series of a scope add up (int_series_scopes_asof below): a national-level
-- indicator's national rows, at the nation only; any other indicator's units' rows (at the nation,
-- at their department, or the one unit asked).
CREATE OR REPLACE MACRO series_asks(p_scope, scope_level, scope_code, department_code) AS
    CASE WHEN scope_level = 'national' THEN scope_code = 'national' AND coalesce(p_scope, 'national') = 'national'
         WHEN scope_code = 'national' THEN false
         WHEN p_scope IS NULL OR p_scope = 'national' THEN true
         WHEN length(p_scope) = 2 THEN coalesce(department_code = p_scope, false)
         ELSE scope_code = p_scope END;

-- The part a unit's row adds to: 'national' for a national row or when only the nation is asked;
-- else its department ('' for a municipality missing from the catalogue: it adds to the nation
-- only), or the one municipality asked.
CREATE OR REPLACE MACRO series_part(p_scope, scope_code, department_code) AS
    CASE WHEN scope_code = 'national' OR p_scope = 'national' THEN 'national'
         WHEN p_scope IS NULL OR length(p_scope) = 2 THEN coalesce(department_code, '')
         ELSE scope_code END;

-- An indicator's series per period at one scope ('national', a department code or a municipality
-- code), as known at as_of and on the scale of its target, the way the method values it
-- (21_int_unit_values.sql): rates scale × Σ numerator / Σ denominator, counts Σ value, a stock
-- carried forward per unit to each period end; 'flujo'
-- running within each year (segment = the year), 'acumulado' (not reported cumulatively) running
-- since the baseline of the plan in force. `period_value` is the period's own value.
-- int_series_scopes_asof: the one definition, for several indicators at once, at the scope
-- p_scope or, with p_scope NULL, at every aggregate scope in one pass (the nation and each
-- department: `scope_code` says which; what the materialised mart_series_weekly stores).
-- mart_series_many_asof (several indicators at one scope, `indicator_code` first) and
-- mart_series_asof (one indicator's series) are defined from it.
-- No row is copied per scope: every sum, count and distinct count of units adds up from parts
-- (`part`: a unit's department, or the one scope asked, or 'national' for a national row or when
-- only the nation is asked) to the nation, since a municipality is in one department. So each
-- period is grouped once per part, and the nation is the sum of its parts' partial sums.
CREATE OR REPLACE MACRO int_series_scopes_asof(p_as_of, p_indicators, p_scope) AS TABLE
WITH ind AS (
    SELECT i.*, k.baseline_date AS plan_baseline_date,
           i.accumulation = 'stock' OR (i.accumulation = 'acumulado' AND i.reports_cumulative) AS is_level
    FROM stg_indicators i
    LEFT JOIN int_target_kind_asof(p_as_of, p_indicators := p_indicators) k ON k.indicator_code = i.code
    WHERE list_contains(p_indicators, i.code)
),
-- the known rows the scope asked adds up, each with its part (series_asks, series_part above)
known AS MATERIALIZED (
    SELECT m.indicator_code, m.scope_code, m.period, m.period_type, m.period_end,
           m.value, m.numerator, m.denominator, ind.is_level,
           series_part(p_scope, m.scope_code, mu.department_code) AS part
    FROM stg_measurement_asof(p_as_of, p_indicators := p_indicators) m
    JOIN ind ON ind.code = m.indicator_code
    LEFT JOIN municipalities mu ON mu.code = m.scope_code
    WHERE series_asks(p_scope, ind.scope_level, m.scope_code, mu.department_code)
),
-- a flow (flujo; acumulado not reported cumulatively) adds the period's own reports: per part and
-- period, its label (the first, should an end have several), how many units reported in it, and
-- their sums. A unit has one current version per period (10_stg_current.sql),
-- so a period end with one label has as many units as rows; only an end with several labels (a month
-- and a quarter ending the same day) needs the distinct count of its units (own_units), which over
-- every row would cost a hash table of every row.
own_rows AS (
    SELECT part, indicator_code, period_end, true AS reported,
           min(period) AS period, max(period) AS last_label, any_value(period_type) AS period_type,
           count(*) AS n_rows, count(numerator) AS n_num, count(denominator) AS n_den,
           sum(value) AS value, sum(numerator) AS numerator, sum(denominator) AS denominator
    FROM known WHERE NOT is_level GROUP BY part, indicator_code, period_end
),
own_units AS (
    SELECT part, indicator_code, period_end, count(DISTINCT scope_code) AS units
    FROM known
    WHERE NOT is_level
      AND (part, indicator_code, period_end) IN (SELECT (part, indicator_code, period_end) FROM own_rows
                                                 WHERE period <> last_label)
    GROUP BY part, indicator_code, period_end
),
own AS (
    SELECT o.part, o.indicator_code, o.period_end, o.reported, o.period, o.period_type,
           coalesce(u.units, o.n_rows) AS units, o.n_rows, o.n_num, o.n_den, o.value, o.numerator, o.denominator
    FROM own_rows o LEFT JOIN own_units u USING (part, indicator_code, period_end)
),
-- a level (stock, or running totals reported as such) is each unit's latest report at the
-- period's end, as the method values a stock: a unit that has not reported the last period yet
-- still counts with its previous value, so the series does not drop at its end. Each unit is carried
-- to every period end of the indicator among the rows asked (the nation's, or the one scope's; a
-- department's periods are among the nation's, so one carry serves both). A unit whose latest report
-- at the end is the end's own reported in that period: they give the label, `units`, and whether
-- the part reported in the period at all (a part's sums are also kept at the ends where it did not
-- report: the nation adds them).
-- The units: those with any row of a level indicator the scope asks (a unit without a row known by
-- p_as_of finds nothing in the carry), from the facts' scan (cheaper than a distinct over the known
-- rows), each numbered so that the carry joins on one integer
level_units AS MATERIALIZED (
    SELECT u.indicator_code, u.scope_code, series_part(p_scope, u.scope_code, mu.department_code) AS part,
           row_number() OVER () AS unit_id
    FROM (SELECT DISTINCT indicator_code, scope_code FROM measurements
          WHERE indicator_code IN (SELECT code FROM ind WHERE is_level)) u
    JOIN ind ON ind.code = u.indicator_code
    LEFT JOIN municipalities mu ON mu.code = u.scope_code
    WHERE series_asks(p_scope, ind.scope_level, u.scope_code, mu.department_code)
),
carried AS (
    SELECT e.part, e.indicator_code, e.period_end,
           count(*) FILTER (WHERE s.period_end = e.period_end) > 0 AS reported,
           any_value(s.period) FILTER (WHERE s.period_end = e.period_end) AS period,
           any_value(s.period_type) FILTER (WHERE s.period_end = e.period_end) AS period_type,
           count(*) FILTER (WHERE s.period_end = e.period_end) AS units,
           count(*) AS n_rows, count(s.numerator) AS n_num, count(s.denominator) AS n_den,
           sum(s.value) AS value, sum(s.numerator) AS numerator, sum(s.denominator) AS denominator
    FROM (SELECT u.unit_id, u.part, u.indicator_code, p.period_end
          FROM level_units u
          JOIN (SELECT DISTINCT indicator_code, period_end FROM known WHERE is_level) p USING (indicator_code)) e
    ASOF JOIN (SELECT u.unit_id, k.period_end, k.period, k.period_type, k.value, k.numerator, k.denominator
               FROM known k JOIN level_units u USING (indicator_code, scope_code) WHERE k.is_level) s
         ON s.unit_id = e.unit_id AND e.period_end >= s.period_end
    GROUP BY e.part, e.indicator_code, e.period_end
),
parts AS (SELECT * FROM own UNION ALL SELECT * FROM carried),
-- a department's (or the one municipality's) periods are those its units reported in; the nation's
-- sums every part at every period end
per_period AS (
    SELECT part AS scope_key, indicator_code, period_end, period, period_type, units, n_rows,
           n_num = n_rows AND n_den = n_rows AS has_parts, value, numerator, denominator
    FROM parts
    WHERE reported AND part NOT IN ('national', '') AND (p_scope IS NULL OR p_scope = part)
    UNION ALL
    SELECT 'national' AS scope_key, indicator_code, period_end,
           any_value(period) AS period, any_value(period_type) AS period_type,
           sum(units)::BIGINT AS units, sum(n_rows) AS n_rows,
           sum(n_num) = sum(n_rows) AND sum(n_den) = sum(n_rows) AS has_parts,
           sum(value) AS value, sum(numerator) AS numerator, sum(denominator) AS denominator
    FROM parts WHERE coalesce(p_scope, 'national') = 'national'
    GROUP BY indicator_code, period_end
),
grouped AS (
    SELECT p.*, ind.scale, ind.aggregation_rule, ind.accumulation,
           CASE WHEN ind.accumulation = 'flujo' THEN year(p.period_end)
                WHEN ind.accumulation = 'acumulado' AND NOT ind.reports_cumulative THEN 0 END AS run_group,
           ind.accumulation = 'acumulado' AND NOT ind.reports_cumulative
               AND p.period_end <= coalesce(ind.plan_baseline_date, DATE '1900-01-01') AS before_baseline
    FROM per_period p JOIN ind ON ind.code = p.indicator_code
),
running AS (
    SELECT *,
           CASE WHEN run_group IS NULL THEN value
                ELSE sum(value) OVER (PARTITION BY scope_key, indicator_code, run_group ORDER BY period_end) END AS run_value,
           CASE WHEN run_group IS NULL THEN numerator
                ELSE sum(numerator) OVER (PARTITION BY scope_key, indicator_code, run_group ORDER BY period_end) END AS run_num,
           CASE WHEN run_group IS NULL THEN denominator
                ELSE sum(denominator) OVER (PARTITION BY scope_key, indicator_code, run_group ORDER BY period_end) END AS run_den
    FROM grouped WHERE NOT before_baseline
)
SELECT scope_key AS scope_code, indicator_code, period, period_type, period_end, units,
       coalesce(run_group, 0) AS segment, accumulation,
       -- by the indicator's aggregation (as in 30_mart_progress.sql): a 'no agregable' magnitude of
       -- several units only from its parts, else no point
       CASE WHEN aggregation_rule = 'suma' OR (aggregation_rule = 'no agregable' AND n_rows = 1) THEN run_value
            WHEN aggregation_rule = 'razón' OR has_parts THEN scale * run_num / nullif(run_den, 0) END AS value,
       CASE WHEN aggregation_rule = 'suma' OR (aggregation_rule = 'no agregable' AND n_rows = 1) THEN value
            WHEN aggregation_rule = 'razón' OR has_parts THEN scale * numerator / nullif(denominator, 0) END
           AS period_value
FROM running;

CREATE OR REPLACE MACRO mart_series_many_asof(p_as_of, p_indicators, p_scope) AS TABLE
SELECT * EXCLUDE (scope_code) FROM int_series_scopes_asof(p_as_of, p_indicators, p_scope)
ORDER BY indicator_code, period_end;

CREATE OR REPLACE MACRO mart_series_asof(p_as_of, p_indicator, p_scope) AS TABLE
SELECT * EXCLUDE (indicator_code) FROM mart_series_many_asof(p_as_of, [p_indicator], p_scope) ORDER BY period_end;
