-- THE method: progress, expected progress and semáforo for every indicator at three scopes
-- (municipio, departamento, nacional), as known at each date of `weeks` (a list of dates; column
-- as_of). Documented in docs/method.md. The dates share one pass over the versions
-- (int_unit_value_weeks); everything after the unit values is per date (as_of in every join and
-- grouping). mart_progress_asof (below) is this macro for one date.
-- p_indicators (list of codes, NULL: all) evaluates only those indicators, filtering the facts before
-- the version ranking (the refresh of a load that touched a few indicators costs those indicators).
-- p_scope 'national' gives the national rows only (the back-test at its cut): the municipalities'
-- values are still computed, as the nation adds them up, but not the departments' aggregates, and
-- no municipal row leaves the macro; NULL gives every scope.
-- p_units (a list of hash(indicator_code, scope_code), with p_indicators; NULL: every unit) evaluates
-- only those municipal units (and the national series) from the facts; the other municipalities' rows
-- of p_indicators at the weeks are read back from mart_progress_weekly, where they are the method's
-- rows for facts the load did not touch, and the departments and the nation are aggregated from both
-- as always (the refresh after a measurements load: the cost of the units it touched).
CREATE OR REPLACE MACRO mart_progress_weeks(weeks, p_indicators := NULL, p_scope := NULL, p_units := NULL) AS TABLE
WITH u AS (
    SELECT u.*, i.scale, i.aggregation_rule, i.scope_level,
           CASE WHEN i.aggregation_rule = 'razón' THEN i.scale * u.numerator / nullif(u.denominator, 0)
                WHEN i.aggregation_rule = 'no agregable'
                    THEN coalesce(u.value_sum, i.scale * u.numerator / nullif(u.denominator, 0))
                ELSE u.value_sum END AS value,
           u.latest_end < last_complete_period_end(u.frequency,
                              u.at_week - to_days(u.deadline_days)) AS is_late
    FROM int_unit_value_weeks(weeks, p_indicators := p_indicators, p_units := p_units) u
    JOIN stg_indicators i ON i.code = u.indicator_code
),
t AS (SELECT * FROM int_targets_weeks(weeks, p_indicators := p_indicators)),
-- municipal rows: every municipality with a measurement or a target, with its own target dates
muni_all AS NOT MATERIALIZED (
    SELECT coalesce(u.at_week, t.at_week) AS at_week,
           'municipio' AS scope_type, coalesce(u.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(u.scope_code, t.scope_code) AS scope_code,
           u.value, u.numerator, u.denominator, u.latest_end, u.latest_period,
           CASE WHEN u.is_late THEN 1 ELSE 0 END AS units_late, 1 AS units,
           t.target_kind, t.baseline_date, t.baseline_value, t.target_date, t.target_value, t.expected,
           u.value AS matched_value
    FROM (SELECT * FROM u WHERE scope_code <> 'national') u
    FULL JOIN (SELECT * FROM t WHERE scope_code <> 'national') t USING (at_week, indicator_code, scope_code)
),
-- with p_units: the units' rows and the other municipalities' stored rows (branches fold as in
-- stg_measurement_known)
muni AS (
    SELECT * FROM muni_all WHERE p_units IS NULL
    UNION ALL BY NAME
    SELECT * FROM muni_all WHERE p_units IS NOT NULL AND hash(indicator_code, scope_code) IN (SELECT unnest(p_units))
    UNION ALL BY NAME
    SELECT s.week_end AS at_week, 'municipio' AS scope_type, s.indicator_code, s.scope_code,
           s.value, s.numerator, s.denominator, s.latest_end, s.latest_period, s.units_late, s.units,
           s.target_kind, s.baseline_date, s.baseline_value, s.target_date, s.target_value, s.expected,
           s.value AS matched_value
    FROM mart_progress_weekly s
    WHERE p_units IS NOT NULL AND s.scope_type = 'municipio' AND list_contains(weeks, s.week_end)
      AND (p_indicators IS NULL OR list_contains(p_indicators, s.indicator_code))
      AND hash(s.indicator_code, s.scope_code) NOT IN (SELECT unnest(p_units))
),
-- aggregates, by the indicator's declared aggregation:
--   suma: Σ value; targets add up;
--   razón: scale × Σ numerator / Σ denominator; targets weighted by each municipality's denominator;
--   no agregable: only from its parts (scale × Σ numerator / Σ denominator when every municipality
--   reports both), otherwise no aggregate row at all.
-- Expected progress combines the municipalities' own trajectories the way targets combine:
--   e = Σ w·e_i·(target_i − baseline_i) / Σ w·(target_i − baseline_i), w = 1 (suma) or the denominator.
-- Progress against an aggregated target uses `matched_value`: the value over the same
-- municipalities that carry a target.
agg_in AS (
    SELECT m.*, mu.department_code, i.scale, i.aggregation_rule,
           CASE WHEN i.aggregation_rule = 'suma' THEN 1.0 ELSE coalesce(m.denominator, 1) END AS w,
           i.aggregation_rule = 'suma' AS adds_up
    FROM muni m JOIN municipalities mu ON mu.code = m.scope_code
    JOIN stg_indicators i ON i.code = m.indicator_code
),
agg AS (
    SELECT at_week, scope_type, indicator_code, scope_code,
           CASE WHEN any_value(adds_up) THEN sum(value)
                WHEN any_value(aggregation_rule) = 'razón'
                     OR count(numerator) = count(*) AND count(denominator) = count(*)
                    THEN any_value(scale) * sum(numerator) / nullif(sum(denominator), 0) END AS value,
           CASE WHEN any_value(adds_up) THEN sum(value) FILTER (WHERE target_value IS NOT NULL)
                ELSE any_value(scale) * sum(numerator) FILTER (WHERE target_value IS NOT NULL)
                     / nullif(sum(denominator) FILTER (WHERE target_value IS NOT NULL), 0) END AS matched_value,
           sum(numerator) AS numerator, sum(denominator) AS denominator,
           max(latest_end) AS latest_end, arg_max(latest_period, latest_end) AS latest_period,
           sum(units_late) AS units_late, count(*) AS units,
           any_value(target_kind) AS target_kind,
           min(baseline_date) AS baseline_date, max(target_date) AS target_date,
           CASE WHEN any_value(adds_up) THEN sum(baseline_value)
                ELSE sum(w * baseline_value) / nullif(sum(w) FILTER (WHERE baseline_value IS NOT NULL), 0)
                END AS baseline_value,
           CASE WHEN any_value(adds_up) THEN sum(target_value)
                ELSE sum(w * target_value) / nullif(sum(w) FILTER (WHERE target_value IS NOT NULL), 0)
                END AS target_value,
           sum(w * expected * (target_value - baseline_value))
               / nullif(sum(w * (target_value - baseline_value)), 0) AS expected,
           any_value(aggregation_rule) AS aggregation_rule
    FROM (SELECT 'departamento' AS scope_type, department_code AS scope_code, * EXCLUDE (scope_type, scope_code) FROM agg_in
          WHERE p_scope IS NULL
          UNION ALL BY NAME
          SELECT 'nacional' AS scope_type, 'national' AS scope_code, * EXCLUDE (scope_type, scope_code) FROM agg_in)
    GROUP BY at_week, scope_type, indicator_code, scope_code
    HAVING NOT (any_value(aggregation_rule) = 'no agregable' AND value IS NULL)
),
-- national series (ODM1 and other national-only indicators) and explicit national targets
nat AS (
    SELECT coalesce(u.at_week, t.at_week) AS at_week,
           'nacional' AS scope_type, coalesce(u.indicator_code, t.indicator_code) AS indicator_code,
           'national' AS scope_code, u.value, u.numerator, u.denominator, u.latest_end, u.latest_period,
           CASE WHEN u.is_late THEN 1 ELSE 0 END AS units_late, 1 AS units,
           t.target_kind, t.baseline_date, t.baseline_value, t.target_date, t.target_value, t.expected,
           u.value AS matched_value
    FROM (SELECT * FROM u WHERE scope_code = 'national') u
    FULL JOIN (SELECT * FROM t WHERE scope_code = 'national') t USING (at_week, indicator_code)
),
scoped AS (
    SELECT * FROM muni WHERE p_scope IS NULL
    UNION ALL BY NAME SELECT * EXCLUDE (aggregation_rule) FROM agg WHERE scope_type = 'departamento'
    -- an explicit national target wins over the aggregate of municipal targets, with its own dates
    UNION ALL BY NAME
    SELECT a.* EXCLUDE (aggregation_rule) REPLACE (
               coalesce(n.target_kind, a.target_kind) AS target_kind,
               CASE WHEN n.target_value IS NOT NULL THEN n.baseline_date ELSE a.baseline_date END AS baseline_date,
               CASE WHEN n.target_value IS NOT NULL THEN n.target_date ELSE a.target_date END AS target_date,
               coalesce(n.baseline_value, a.baseline_value) AS baseline_value,
               coalesce(n.target_value, a.target_value) AS target_value,
               CASE WHEN n.target_value IS NOT NULL THEN n.expected ELSE a.expected END AS expected,
               CASE WHEN n.target_value IS NOT NULL THEN a.value ELSE a.matched_value END AS matched_value)
    FROM (SELECT * FROM agg WHERE scope_type = 'nacional') a
    LEFT JOIN nat n USING (at_week, indicator_code)
    UNION ALL BY NAME
    SELECT n.* FROM nat n
    ANTI JOIN (SELECT at_week, indicator_code FROM agg WHERE scope_type = 'nacional') a USING (at_week, indicator_code)
),
measured AS (
    SELECT s.*, i.frequency, i.sentido, i.scope_level,
           (s.matched_value - s.baseline_value) / nullif(s.target_value - s.baseline_value, 0) AS progress,
           coalesce(th.verde_min, d.verde_min) AS verde_min,
           coalesce(th.amarillo_min, d.amarillo_min) AS amarillo_min,
           coalesce(th.inicio_max_expected, d.inicio_max_expected) AS inicio_max_expected
    FROM scoped s
    JOIN indicators i ON i.code = s.indicator_code
    LEFT JOIN semaforo_thresholds th ON th.indicator_code = s.indicator_code
    CROSS JOIN (SELECT * FROM semaforo_thresholds WHERE indicator_code = '*') d
)
SELECT at_week AS as_of, scope_type, scope_code, indicator_code,
       value, numerator, denominator, latest_period, latest_end,
       target_kind, baseline_date, baseline_value, target_date, target_value,
       progress, expected, progress / nullif(expected, 0) AS ratio,
       round(100 * progress, 1) AS percent,
       CASE WHEN target_value IS NULL OR baseline_value IS NULL OR target_value = baseline_value
                THEN 'sin meta'
            WHEN latest_end IS NULL
                 OR latest_end < at_week - to_days(2 * frequency_days(frequency))
                 -- a progress that cannot be computed (no value) is missing data, never rojo
                 OR progress IS NULL
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

-- The method at one date (the pages' fallback, the analytics, the tests): the macro above for [as_of].
CREATE OR REPLACE MACRO mart_progress_asof(as_of, p_indicators := NULL, p_scope := NULL) AS TABLE
SELECT * FROM mart_progress_weeks([as_of::DATE], p_indicators := p_indicators, p_scope := p_scope);
