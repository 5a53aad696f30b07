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
CREATE OR REPLACE MACRO int_series_scopes_asof(p_as_of, p_indicators, p_scope) AS TABLE
WITH ind AS (
    SELECT i.*, k.baseline_date AS plan_baseline_date,
           i.accumulation = 'stock' OR (i.accumulation = 'acumulado' AND i.reports_cumulative) AS is_level
    FROM stg_indicators i
    LEFT JOIN int_target_kind_asof(p_as_of, p_indicators := p_indicators) k ON k.indicator_code = i.code
    WHERE list_contains(p_indicators, i.code)
),
-- each known row with the scopes it adds to (`scope_key`): a unit's row adds to the nation and to
-- its department (p_scope NULL), or to the one scope asked
keyed AS (
    SELECT m.*, ind.is_level,
           CASE WHEN ind.scope_level = 'national' THEN
                    CASE WHEN m.scope_code = 'national' AND coalesce(p_scope, 'national') = 'national'
                         THEN ['national'] END
                WHEN m.scope_code = 'national' THEN NULL
                WHEN p_scope IS NULL THEN ['national', mu.department_code]
                WHEN p_scope = 'national' THEN ['national']
                WHEN length(p_scope) = 2 THEN CASE WHEN mu.department_code = p_scope THEN [p_scope] END
                WHEN m.scope_code = p_scope THEN [p_scope] END AS scope_keys
    FROM stg_measurement_asof(p_as_of, p_indicators := p_indicators) m
    JOIN ind ON ind.code = m.indicator_code
    LEFT JOIN municipalities mu ON mu.code = m.scope_code
),
scoped AS (
    SELECT * EXCLUDE (scope_keys, scope_key), scope_key
    FROM (SELECT *, unnest(scope_keys) AS scope_key FROM keyed WHERE scope_keys IS NOT NULL)
    WHERE scope_key IS NOT NULL
),
-- the period's label and how many units reported in it
labels AS (
    SELECT scope_key, indicator_code, period_end, arg_max(period, period_end) AS period,
           any_value(period_type) AS period_type, count(DISTINCT scope_code) AS units
    FROM scoped GROUP BY scope_key, indicator_code, period_end
),
-- the rows each period adds up. A level (stock, or running totals reported as such) is each
-- unit's latest report at the period's end, as the method values a stock: a unit that has not
-- reported the last period yet still counts with its previous value, so the series does not drop
-- at its end. Flows (flujo, acumulado) add the period's own reports.
valued AS (
    SELECT e.scope_key, e.indicator_code, e.period_end, s.value, s.numerator, s.denominator
    FROM (SELECT l.scope_key, l.indicator_code, l.period_end, u.scope_code
          FROM labels l JOIN (SELECT DISTINCT scope_key, indicator_code, scope_code FROM scoped WHERE is_level) u
               USING (scope_key, indicator_code)) e
    ASOF JOIN (SELECT * FROM scoped WHERE is_level) s
         ON s.scope_key = e.scope_key AND s.indicator_code = e.indicator_code AND s.scope_code = e.scope_code
            AND e.period_end >= s.period_end
    UNION ALL
    SELECT scope_key, indicator_code, period_end, value, numerator, denominator FROM scoped WHERE NOT is_level
),
per_period AS (
    SELECT l.scope_key, l.indicator_code, l.period_end, l.period, l.period_type, l.units, count(*) AS n_rows,
           count(v.numerator) = count(*) AND count(v.denominator) = count(*) AS has_parts,
           sum(v.value) AS value, sum(v.numerator) AS numerator, sum(v.denominator) AS denominator
    FROM labels l JOIN valued v USING (scope_key, indicator_code, period_end) GROUP BY ALL
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
