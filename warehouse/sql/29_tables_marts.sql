-- Materialised results of the method (docs/architecture.md "Materialised results"), written by
-- warehouse/refresh.py inside each load's transaction, only for what the load can change. Readers
-- select from them (30_mart_progress_at.sql, 34_mart_municipality_state_at.sql); the macros 30-33 stay the one definition they are computed by.
-- No PRIMARY KEY: the refresh deletes and re-inserts keys in one transaction (DuckDB's over-eager
-- index check); tests/test_marts.py checks each declared key is unique and the NOT NULL columns.

-- mart_progress_asof at each week under review the selector offers. Key: week_end, scope_type,
-- scope_code, indicator_code.
CREATE TABLE IF NOT EXISTS mart_progress_weekly (
    week VARCHAR NOT NULL,                 -- 2014-W20
    week_end DATE NOT NULL,                -- its Sunday: the as_of of the evaluation
    as_of DATE NOT NULL,
    scope_type VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    latest_period VARCHAR, latest_end DATE,
    target_kind VARCHAR, baseline_date DATE, baseline_value DOUBLE, target_date DATE, target_value DOUBLE,
    progress DOUBLE, expected DOUBLE, ratio DOUBLE, percent DOUBLE,
    semaforo VARCHAR NOT NULL,
    units BIGINT NOT NULL,
    units_late HUGEINT NOT NULL,
    reporting_status VARCHAR NOT NULL
);

-- mart_municipality_state_asof without filters (the map's, the ranking's and the home's overall
-- state) per week. Key: week_end, code.
CREATE TABLE IF NOT EXISTS mart_municipality_state_weekly (
    week VARCHAR NOT NULL,
    week_end DATE NOT NULL,
    code VARCHAR NOT NULL,
    intervention VARCHAR NOT NULL,
    rojo BIGINT NOT NULL, amarillo BIGINT NOT NULL, verde BIGINT NOT NULL, en_inicio BIGINT NOT NULL,
    sin_dato BIGINT NOT NULL, sin_meta BIGINT NOT NULL, indicators BIGINT NOT NULL, late BIGINT NOT NULL,
    pct_verde DOUBLE,
    state VARCHAR NOT NULL
);

-- stg_budget_current materialised (the version ranking done once per load, not per page query).
-- Key: program_code, scope_code, month.
CREATE TABLE IF NOT EXISTS mart_budget_current (
    program_code VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,
    month DATE NOT NULL,
    approved DOUBLE NOT NULL, modified DOUBLE NOT NULL, scheduled DOUBLE NOT NULL,
    committed DOUBLE NOT NULL, accrued DOUBLE NOT NULL, paid DOUBLE NOT NULL,
    is_sample BOOLEAN NOT NULL,
    load_id BIGINT NOT NULL
);

-- Page results (docs/architecture.md "Reading"), written by warehouse/refresh_pages.py in the same
-- transaction from the page models 40-42, 45 and int_budget_year (33): the page reads them with a
-- plain select while meta 'pages_fingerprint' matches the load log, else evaluates the model.

-- page_status_def (45_page_status.sql): the facts' part of every page's header. One row.
CREATE TABLE IF NOT EXISTS page_status (
    as_of DATE,                            -- NULL on a warehouse without measurements
    measurements_sample BOOLEAN NOT NULL
);

-- page_week_changes(week, week before) at each selector week. Key: week_end, indicator_code,
-- scope_type, scope_code.
CREATE TABLE IF NOT EXISTS page_week_changes_weekly (
    week VARCHAR NOT NULL, previous VARCHAR NOT NULL, week_end DATE NOT NULL,
    indicator_code VARCHAR NOT NULL, indicator_name VARCHAR, intervention VARCHAR, eje_id INTEGER,
    program_code VARCHAR, scope_type VARCHAR NOT NULL, scope_code VARCHAR NOT NULL, department_code VARCHAR,
    scope_name VARCHAR, semaforo_before VARCHAR, semaforo_now VARCHAR, direction VARCHAR,
    percent_before DOUBLE, percent_now DOUBLE, percent_change DOUBLE, value_before DOUBLE, value_now DOUBLE
);

-- page_week_revisions(week_end - 6 days, week_end) at each selector week. Key: week_end,
-- indicator_code, scope_code, period, load_id.
CREATE TABLE IF NOT EXISTS page_week_revisions_weekly (
    week_end DATE NOT NULL,
    indicator_code VARCHAR NOT NULL, indicator_name VARCHAR, intervention VARCHAR, eje_id INTEGER,
    program_code VARCHAR, scope_code VARCHAR NOT NULL, municipality VARCHAR, department_code VARCHAR,
    period VARCHAR NOT NULL, previous_value DOUBLE, new_value DOUBLE, previous_reported_at DATE,
    reported_at DATE NOT NULL, previous_load_id BIGINT NOT NULL, load_id BIGINT NOT NULL
);

-- page_week_late_reports(week_end - 6 days, week_end) at each selector week. Key: week_end,
-- indicator_code, scope_code, period, load_id.
CREATE TABLE IF NOT EXISTS page_week_late_reports_weekly (
    week_end DATE NOT NULL,
    indicator_code VARCHAR NOT NULL, indicator_name VARCHAR, intervention VARCHAR, eje_id INTEGER,
    program_code VARCHAR, scope_code VARCHAR NOT NULL, municipality VARCHAR, department_code VARCHAR,
    period VARCHAR NOT NULL, deadline DATE, reported_at DATE NOT NULL, days_late BIGINT,
    load_id BIGINT NOT NULL
);

-- int_budget_year at the first day of each month holding a selector week (budget months are first
-- days, so every day of the month gives the same rows). Key: as_of_month, program_code, scope_code,
-- month.
CREATE TABLE IF NOT EXISTS mart_budget_ytd (
    as_of_month DATE NOT NULL,
    program_code VARCHAR NOT NULL, scope_code VARCHAR NOT NULL, month DATE NOT NULL,
    in_ytd BOOLEAN NOT NULL, approved DOUBLE NOT NULL, modified DOUBLE NOT NULL, is_sample BOOLEAN NOT NULL,
    scheduled DOUBLE NOT NULL, committed DOUBLE NOT NULL, accrued DOUBLE NOT NULL, paid DOUBLE NOT NULL
);

-- page_completeness_counts (43_page_quality_cells.sql) at each selector week. Key: week_end, code.
CREATE TABLE IF NOT EXISTS page_completeness_weekly (
    week_end DATE NOT NULL, code VARCHAR NOT NULL,
    reported BIGINT NOT NULL, late BIGINT NOT NULL, missing BIGINT NOT NULL, expected BIGINT NOT NULL
);

-- What each fact load touched (recorded by the refresh when the load lands, so its revert refreshes
-- the same things and the load history can be scoped to a municipality): one row per indicator (or
-- program) x scope, with the earliest date the load can change. Key: load_id, item_code, scope_code.
CREATE TABLE IF NOT EXISTS load_touch (
    load_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,                 -- measurements, targets, budget
    item_code VARCHAR NOT NULL,            -- indicator code (measurements, targets) or program code
    scope_code VARCHAR NOT NULL,           -- municipality code or 'national'
    earliest DATE                          -- min coalesce(reported_at, period_end) (measurements)
);

-- The state of the facts the materialised tables reflect: the last load and the number of reverts.
-- The refresh stores it in meta ('marts_fingerprint'); readers use the materialised tables only while
-- it matches, so a load written without refresh (load --no-snapshots) can never show stale results.
CREATE OR REPLACE MACRO marts_fingerprint() AS
    (SELECT coalesce(max(load_id), 0)::VARCHAR || '/' || count(*) FILTER (WHERE status = 'reverted')
     FROM load_log);
