-- THE method: progress, expected progress and semáforo for every indicator at three scopes
-- (municipio, departamento, nacional), as known at as_of. Documented in docs/method.md.
CREATE OR REPLACE MACRO mart_progress_asof(as_of) AS TABLE
WITH u AS (
    SELECT u.*, i.scale, i.formula_denominator IS NOT NULL AS is_rate, i.scope_level,
           CASE WHEN i.formula_denominator IS NOT NULL
                THEN i.scale * u.numerator / nullif(u.denominator, 0)
                ELSE u.value_sum END AS value,
           u.latest_end < last_complete_period_end(u.frequency,
                              as_of::DATE - to_days(u.deadline_days)) AS is_late
    FROM int_unit_value_asof(as_of) u JOIN indicators i ON i.code = u.indicator_code
), k AS (SELECT * FROM int_target_kind_asof(as_of)),
unit_targets AS (
    SELECT t.indicator_code, t.scope_code, t.baseline_value, t.target_value
    FROM stg_targets_current t JOIN k USING (indicator_code, target_kind)
),
-- municipal rows: every municipality with a measurement or a target
muni AS (
    SELECT 'municipio' AS scope_type, coalesce(u.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(u.scope_code, t.scope_code) AS scope_code,
           u.value, u.numerator, u.denominator, u.latest_end, u.latest_period,
           CASE WHEN u.is_late THEN 1 ELSE 0 END AS units_late, 1 AS units,
           t.baseline_value, t.target_value, u.value AS matched_value
    FROM (SELECT * FROM u WHERE scope_code <> 'national') u
    FULL JOIN (SELECT * FROM unit_targets WHERE scope_code <> 'national') t
           USING (indicator_code, scope_code)
),
-- aggregates: rates as sum(num)/sum(den), counts as sums; aggregated targets weight rates by
-- each municipality's denominator (counts simply add up). Progress against an aggregated target
-- uses `matched_value`: the value over the same municipalities that carry a target.
agg_in AS (
    SELECT m.*, mu.department_code, i.scale, i.formula_denominator IS NOT NULL AS is_rate
    FROM muni m JOIN municipalities mu ON mu.code = m.scope_code
    JOIN indicators i ON i.code = m.indicator_code
),
agg AS (
    SELECT scope_type, indicator_code, scope_code,
           CASE WHEN any_value(is_rate) THEN any_value(scale) * sum(numerator) / nullif(sum(denominator), 0)
                ELSE sum(value) END AS value,
           CASE WHEN any_value(is_rate)
                THEN any_value(scale) * sum(numerator) FILTER (WHERE target_value IS NOT NULL)
                     / nullif(sum(denominator) FILTER (WHERE target_value IS NOT NULL), 0)
                ELSE sum(value) FILTER (WHERE target_value IS NOT NULL) END AS matched_value,
           sum(numerator) AS numerator, sum(denominator) AS denominator,
           max(latest_end) AS latest_end, arg_max(latest_period, latest_end) AS latest_period,
           sum(units_late) AS units_late, count(*) AS units,
           CASE WHEN any_value(is_rate)
                THEN sum(baseline_value * coalesce(denominator, 1)) / nullif(sum(coalesce(denominator, 1)) FILTER (WHERE baseline_value IS NOT NULL), 0)
                ELSE sum(baseline_value) END AS baseline_value,
           CASE WHEN any_value(is_rate)
                THEN sum(target_value * coalesce(denominator, 1)) / nullif(sum(coalesce(denominator, 1)) FILTER (WHERE target_value IS NOT NULL), 0)
                ELSE sum(target_value) END AS target_value
    FROM (SELECT 'departamento' AS scope_type, department_code AS scope_code, * EXCLUDE (scope_type, scope_code) FROM agg_in
          UNION ALL BY NAME
          SELECT 'nacional' AS scope_type, 'national' AS scope_code, * EXCLUDE (scope_type, scope_code) FROM agg_in)
    GROUP BY scope_type, indicator_code, scope_code
),
-- national series (ODM1 and other national-only indicators) and explicit national targets
nat AS (
    SELECT 'nacional' AS scope_type, coalesce(u.indicator_code, t.indicator_code) AS indicator_code,
           'national' AS scope_code, u.value, u.numerator, u.denominator, u.latest_end, u.latest_period,
           CASE WHEN u.is_late THEN 1 ELSE 0 END AS units_late, 1 AS units,
           t.baseline_value, t.target_value, u.value AS matched_value
    FROM (SELECT * FROM u WHERE scope_code = 'national') u
    FULL JOIN (SELECT * FROM unit_targets WHERE scope_code = 'national') t USING (indicator_code)
),
scoped AS (
    SELECT * FROM muni
    UNION ALL BY NAME SELECT * FROM agg WHERE scope_type = 'departamento'
    -- an explicit national target wins over the aggregate of municipal targets
    UNION ALL BY NAME
    SELECT a.* REPLACE (coalesce(n.baseline_value, a.baseline_value) AS baseline_value,
                        coalesce(n.target_value, a.target_value) AS target_value,
                        CASE WHEN n.target_value IS NOT NULL THEN a.value ELSE a.matched_value END
                            AS matched_value)
    FROM (SELECT * FROM agg WHERE scope_type = 'nacional') a
    LEFT JOIN (SELECT * FROM nat) n USING (indicator_code)
    UNION ALL BY NAME
    SELECT * FROM nat WHERE indicator_code NOT IN (SELECT indicator_code FROM agg)
),
measured AS (
    SELECT s.*, i.frequency, i.sentido, i.scope_level, k.target_kind, k.baseline_date, k.target_date,
           (s.matched_value - s.baseline_value) / nullif(s.target_value - s.baseline_value, 0) AS progress,
           -- no plan, no expected progress (least/greatest would turn NULL into 1)
           CASE WHEN k.target_date IS NOT NULL
                THEN greatest(0.0, least(1.0, date_diff('day', k.baseline_date, as_of::DATE)
                     / nullif(date_diff('day', k.baseline_date, k.target_date), 0)::DOUBLE)) END AS expected,
           coalesce(th.verde_min, d.verde_min) AS verde_min,
           coalesce(th.amarillo_min, d.amarillo_min) AS amarillo_min,
           coalesce(th.inicio_max_expected, d.inicio_max_expected) AS inicio_max_expected
    FROM scoped s
    JOIN indicators i ON i.code = s.indicator_code
    LEFT JOIN k USING (indicator_code)
    LEFT JOIN semaforo_thresholds th ON th.indicator_code = s.indicator_code
    CROSS JOIN (SELECT * FROM semaforo_thresholds WHERE indicator_code = '*') d
)
SELECT as_of::DATE AS as_of, scope_type, scope_code, indicator_code,
       value, numerator, denominator, latest_period, latest_end,
       target_kind, baseline_date, baseline_value, target_date, target_value,
       progress, expected, progress / nullif(expected, 0) AS ratio,
       round(100 * progress, 1) AS percent,
       CASE WHEN target_value IS NULL OR baseline_value IS NULL OR target_value = baseline_value
                THEN 'sin meta'
            WHEN latest_end IS NULL
                 OR latest_end < as_of::DATE - to_days(2 * frequency_days(frequency))
                THEN 'sin dato'
            WHEN expected < inicio_max_expected THEN 'en inicio'
            WHEN progress / expected >= verde_min THEN 'verde'
            WHEN progress / expected >= amarillo_min THEN 'amarillo'
            ELSE 'rojo' END AS semaforo,
       units, units_late,
       -- a municipality or a national series is 'atrasado'; an aggregate has 'con atrasos' (units_late of units)
       CASE WHEN units_late = 0 THEN 'al día'
            WHEN scope_type = 'municipio' OR scope_level = 'national' THEN 'atrasado'
            ELSE 'con atrasos' END AS reporting_status
FROM measured;
