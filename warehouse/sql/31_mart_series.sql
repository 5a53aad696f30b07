-- An indicator's series per period at one scope ('national', a department code or a municipality
-- code), as known at as_of and on the scale of its target, the way the method values it
-- (21_int_unit_values.sql): rates scale × Σ numerator / Σ denominator, counts Σ value, a stock
-- carried forward per unit to each period end; 'flujo'
-- running within each year (segment = the year), 'acumulado' (not reported cumulatively) running
-- since the baseline of the plan in force. `period_value` is the period's own value.
CREATE OR REPLACE MACRO mart_series_asof(p_as_of, p_indicator, p_scope) AS TABLE
WITH ind AS (
    SELECT i.*, k.baseline_date AS plan_baseline_date FROM stg_indicators i
    LEFT JOIN int_target_kind_asof(p_as_of, p_indicators := [p_indicator]) k ON k.indicator_code = i.code
    WHERE i.code = p_indicator
),
scoped AS (
    SELECT m.* FROM stg_measurement_asof(p_as_of, p_indicators := [p_indicator]) m JOIN ind ON ind.code = m.indicator_code
    LEFT JOIN municipalities mu ON mu.code = m.scope_code
    WHERE CASE WHEN ind.scope_level = 'national' THEN m.scope_code = 'national' AND p_scope = 'national'
               WHEN p_scope = 'national' THEN m.scope_code <> 'national'
               WHEN length(p_scope) = 2 THEN mu.department_code = p_scope
               ELSE m.scope_code = p_scope END
),
-- the period's label and how many units reported in it
labels AS (
    SELECT period_end, arg_max(period, period_end) AS period, any_value(period_type) AS period_type,
           count(DISTINCT scope_code) AS units
    FROM scoped GROUP BY period_end
),
-- the rows each period adds up. A level (stock, or running totals reported as such) is each
-- unit's latest report at the period's end, as the method values a stock: a unit that has not
-- reported the last period yet still counts with its previous value, so the series does not drop
-- at its end. Flows (flujo, acumulado) add the period's own reports.
valued AS (
    SELECT e.period_end, s.value, s.numerator, s.denominator
    FROM (SELECT l.period_end, u.scope_code FROM labels l, (SELECT DISTINCT scope_code FROM scoped) u) e
    ASOF JOIN scoped s ON s.scope_code = e.scope_code AND e.period_end >= s.period_end
    WHERE (SELECT accumulation = 'stock' OR (accumulation = 'acumulado' AND reports_cumulative) FROM ind)
    UNION ALL
    SELECT period_end, value, numerator, denominator FROM scoped
    WHERE NOT (SELECT accumulation = 'stock' OR (accumulation = 'acumulado' AND reports_cumulative) FROM ind)
),
per_period AS (
    SELECT l.period_end, l.period, l.period_type, l.units, count(*) AS n_rows,
           count(v.numerator) = count(*) AND count(v.denominator) = count(*) AS has_parts,
           sum(v.value) AS value, sum(v.numerator) AS numerator, sum(v.denominator) AS denominator
    FROM labels l JOIN valued v USING (period_end) GROUP BY ALL
),
grouped AS (
    SELECT p.*, ind.scale, ind.aggregation_rule, ind.accumulation,
           CASE WHEN ind.accumulation = 'flujo' THEN year(p.period_end)
                WHEN ind.accumulation = 'acumulado' AND NOT ind.reports_cumulative THEN 0 END AS run_group,
           ind.accumulation = 'acumulado' AND NOT ind.reports_cumulative
               AND p.period_end <= coalesce(ind.plan_baseline_date, DATE '1900-01-01') AS before_baseline
    FROM per_period p CROSS JOIN ind
),
running AS (
    SELECT *,
           CASE WHEN run_group IS NULL THEN value
                ELSE sum(value) OVER (PARTITION BY run_group ORDER BY period_end) END AS run_value,
           CASE WHEN run_group IS NULL THEN numerator
                ELSE sum(numerator) OVER (PARTITION BY run_group ORDER BY period_end) END AS run_num,
           CASE WHEN run_group IS NULL THEN denominator
                ELSE sum(denominator) OVER (PARTITION BY run_group ORDER BY period_end) END AS run_den
    FROM grouped WHERE NOT before_baseline
)
SELECT period, period_type, period_end, units, coalesce(run_group, 0) AS segment, accumulation,
       -- by the indicator's aggregation (as in 30_mart_progress.sql): a 'no agregable' magnitude of
       -- several units only from its parts, else no point
       CASE WHEN aggregation_rule = 'suma' OR (aggregation_rule = 'no agregable' AND n_rows = 1) THEN run_value
            WHEN aggregation_rule = 'razón' OR has_parts THEN scale * run_num / nullif(run_den, 0) END AS value,
       CASE WHEN aggregation_rule = 'suma' OR (aggregation_rule = 'no agregable' AND n_rows = 1) THEN value
            WHEN aggregation_rule = 'razón' OR has_parts THEN scale * numerator / nullif(denominator, 0) END
           AS period_value
FROM running ORDER BY period_end;
