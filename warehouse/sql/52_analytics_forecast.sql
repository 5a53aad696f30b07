-- Analytics layer, forecast to target (issue 13; docs/method.md «Pronóstico a la meta»).
-- warehouse/analytics/forecast.py writes one robust fit per indicator and run ('actual': data at the
-- week under review, projected to the target date; 'backtest': data cut one year earlier, projected
-- to the week under review). The semáforo of a projection and the flags are defined here, once.
CREATE TABLE IF NOT EXISTS analytics_forecast_runs (
    run VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, fit_date DATE NOT NULL, eval_date DATE NOT NULL,
    n_points INTEGER, first_end DATE, last_end DATE, last_value DOUBLE,
    slope_per_year DOUBLE, intercept DOUBLE,          -- value = intercept + slope × years since x_origin
    projected_value DOUBLE, projected_low DOUBLE, projected_high DOUBLE,   -- 80 % interval
    actual_value DOUBLE,                              -- backtest: the value at eval_date
    method VARCHAR, x_origin DATE,
    PRIMARY KEY (run, indicator_code));

-- The semáforo a projected value would have: the method's rule (30_mart_progress.sql) on the
-- projected progress and the expected progress at that date (1 at the target date).
CREATE OR REPLACE MACRO projected_semaforo(progress, expected, verde_min, amarillo_min, inicio_max) AS
    CASE WHEN progress IS NULL OR expected IS NULL THEN NULL
         WHEN expected < inicio_max THEN 'en inicio'
         WHEN progress / expected >= verde_min THEN 'verde'
         WHEN progress / expected >= amarillo_min THEN 'amarillo'
         ELSE 'rojo' END;

-- 'se desvía': verde now, projected below verde; 'se recupera': rojo now, projected verde.
CREATE OR REPLACE MACRO forecast_flag(semaforo_now, semaforo_projected) AS
    CASE WHEN semaforo_now = 'verde' AND semaforo_projected IN ('amarillo', 'rojo') THEN 'se desvía'
         WHEN semaforo_now = 'rojo' AND semaforo_projected = 'verde' THEN 'se recupera' END;

CREATE OR REPLACE MACRO forecast_thresholds() AS TABLE
SELECT i.code AS indicator_code, coalesce(th.verde_min, d.verde_min) AS verde_min,
       coalesce(th.amarillo_min, d.amarillo_min) AS amarillo_min,
       coalesce(th.inicio_max_expected, d.inicio_max_expected) AS inicio_max
FROM indicators i LEFT JOIN semaforo_thresholds th ON th.indicator_code = i.code
CROSS JOIN (SELECT * FROM semaforo_thresholds WHERE indicator_code = '*') d;

-- p_indicators (NULL: all) limits the rows to those indicators, filter-first through the method, so a
-- load that touched a few indicators rewrites only theirs (warehouse/analytics/forecast.py).
-- p_materialised: the national results at the fit date (the week under review, materialised and
-- current: marts_ready) come from mart_progress_weekly instead of the method (asked for the national
-- rows only, p_scope): same rows.
CREATE OR REPLACE MACRO national_progress_at(p_as_of, p_indicators, p_materialised) AS TABLE
SELECT * EXCLUDE (week, week_end) FROM mart_progress_weekly
WHERE p_materialised AND week_end = p_as_of::DATE AND scope_type = 'nacional'
  AND (p_indicators IS NULL OR list_contains(p_indicators, indicator_code))
UNION ALL BY NAME
SELECT * FROM mart_progress_asof(p_as_of, p_indicators := p_indicators, p_scope := 'national')
WHERE NOT p_materialised AND scope_type = 'nacional';

CREATE OR REPLACE MACRO analytics_forecast_def(p_indicators := NULL, p_materialised := FALSE) AS TABLE
WITH r AS (SELECT * FROM analytics_forecast_runs WHERE run = 'actual'
             AND (p_indicators IS NULL OR list_contains(p_indicators, indicator_code))),
now AS (SELECT * FROM national_progress_at((SELECT max(fit_date) FROM r), p_indicators, p_materialised)),
p AS (
    SELECT r.*, 'national' AS scope_code, n.semaforo AS semaforo_now, n.value AS value_now, n.target_kind,
           n.target_date, n.baseline_value, n.target_value, n.progress AS progress_now,
           (r.projected_value - n.baseline_value) / nullif(n.target_value - n.baseline_value, 0) AS projected_progress,
           t.verde_min, t.amarillo_min, t.inicio_max
    FROM r JOIN now n USING (indicator_code) JOIN forecast_thresholds() t USING (indicator_code)
)
SELECT *, projected_semaforo(projected_progress, 1.0, verde_min, amarillo_min, inicio_max) AS semaforo_projected,
       forecast_flag(semaforo_now, projected_semaforo(projected_progress, 1.0, verde_min, amarillo_min, inicio_max)) AS flag
FROM p;

-- The method's national semáforo at each back-test's cut (its fit date, a year before the week under
-- review): `mart_progress_asof(cut, p_scope := 'national')`, stored beside the fits by
-- warehouse/analytics/forecast.py (every indicator on a full refresh; after a load, the touched
-- indicators whose fits are not kept), and kept with their fits when a load known only after the cut
-- cannot change it (docs/method.md "Back-test"). Key: indicator_code.
CREATE TABLE IF NOT EXISTS analytics_backtest_cut (
    indicator_code VARCHAR NOT NULL, fit_date DATE NOT NULL, semaforo VARCHAR);

-- Back-test: the flag raised at the cut against the semáforo that came; the interval's coverage.
CREATE OR REPLACE MACRO analytics_backtest_def(p_indicators := NULL, p_materialised := FALSE) AS TABLE
WITH r AS (SELECT * FROM analytics_forecast_runs WHERE run = 'backtest'
             AND (p_indicators IS NULL OR list_contains(p_indicators, indicator_code))),
cut AS (SELECT indicator_code, semaforo FROM analytics_backtest_cut
        WHERE fit_date = (SELECT max(fit_date) FROM r)
          AND (p_indicators IS NULL OR list_contains(p_indicators, indicator_code))),
eval AS (SELECT * FROM national_progress_at((SELECT max(eval_date) FROM r), p_indicators, p_materialised)),
p AS (
    SELECT r.*, c.semaforo AS semaforo_cut, e.semaforo AS semaforo_actual, e.expected AS expected_eval,
           (r.projected_value - e.baseline_value) / nullif(e.target_value - e.baseline_value, 0) AS projected_progress,
           t.verde_min, t.amarillo_min, t.inicio_max
    FROM r JOIN cut c USING (indicator_code) JOIN eval e USING (indicator_code) JOIN forecast_thresholds() t USING (indicator_code)
)
SELECT *, projected_semaforo(projected_progress, expected_eval, verde_min, amarillo_min, inicio_max) AS semaforo_predicted,
       forecast_flag(semaforo_cut, projected_semaforo(projected_progress, expected_eval, verde_min, amarillo_min, inicio_max)) AS flag,
       forecast_flag(semaforo_cut, semaforo_actual) AS outcome,
       actual_value BETWEEN projected_low AND projected_high AS covered
FROM p;

CREATE TABLE IF NOT EXISTS analytics_forecast AS SELECT * FROM analytics_forecast_def() LIMIT 0;
CREATE TABLE IF NOT EXISTS analytics_backtest AS SELECT * FROM analytics_backtest_def() LIMIT 0;

-- Precision and recall of each flag, and the interval's coverage (bench/backtest.md, method page).
CREATE OR REPLACE MACRO analytics_backtest_summary() AS TABLE
SELECT f.flag_name AS flag,
       count(*) FILTER (WHERE b.flag = f.flag_name) AS flagged,
       count(*) FILTER (WHERE b.outcome = f.flag_name) AS happened,
       count(*) FILTER (WHERE b.flag = f.flag_name AND b.outcome = f.flag_name) AS hits,
       round(hits / nullif(flagged, 0), 3) AS precision,
       round(hits / nullif(happened, 0), 3) AS recall,
       (SELECT count(*) FROM analytics_backtest) AS forecasts,
       (SELECT round(avg(covered::INTEGER), 3) FROM analytics_backtest) AS coverage
FROM (VALUES ('se desvía'), ('se recupera')) f(flag_name) CROSS JOIN analytics_backtest b
GROUP BY f.flag_name ORDER BY f.flag_name DESC;
