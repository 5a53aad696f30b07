-- Weekly review: progress snapshots per ISO week.
CREATE TABLE IF NOT EXISTS progress_snapshots (
    week VARCHAR NOT NULL,                 -- 2014-W20
    week_end DATE NOT NULL,
    indicator_code VARCHAR NOT NULL,
    scope_type VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,
    value DOUBLE, expected DOUBLE, target_value DOUBLE, progress DOUBLE, percent DOUBLE,
    semaforo VARCHAR NOT NULL,
    reporting_status VARCHAR,
    latest_period VARCHAR,
    last_load_id BIGINT,
    PRIMARY KEY (week, indicator_code, scope_type, scope_code)
);

-- The meeting's agreements live in the ops file (warehouse/migrations/m002_side_files.py).
