-- The series the pages draw (int_series_scopes_asof, 31_mart_series.sql) at the nation and at each
-- department, for the weeks the selector offers, stored once per version: a row holds one point
-- (indicator x scope x period) as it stands from week valid_from to week valid_to (week ends,
-- both included), so a week that changes nothing of an indicator writes nothing. Written by
-- warehouse/refresh_series.py in the load's transaction; read through query.series_source.
-- Key: indicator_code, scope_code, period_end, valid_from (periods of one version never overlap).
CREATE TABLE IF NOT EXISTS mart_series_weekly (
    indicator_code VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,           -- 'national' or a department code
    period_end DATE NOT NULL,
    valid_from DATE NOT NULL,              -- first selector week (its Sunday) this version holds for
    valid_to DATE NOT NULL,                -- last one
    period VARCHAR, period_type VARCHAR,
    units BIGINT NOT NULL,
    segment BIGINT NOT NULL,
    accumulation VARCHAR,
    value DOUBLE, period_value DOUBLE
);

-- The selector weeks mart_series_weekly holds (one row each). Key: week_end.
CREATE TABLE IF NOT EXISTS mart_series_weeks (
    week_end DATE NOT NULL
);

-- Are the stored series current with the facts (warehouse/refresh_series.py writes the load log's
-- fingerprint with them)? The forecast (inside a write) and the read path (query.series_source) ask.
CREATE OR REPLACE MACRO series_current() AS
    coalesce((SELECT value FROM meta WHERE key = 'series_fingerprint') = marts_fingerprint(), false);
