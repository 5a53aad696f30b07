-- Weekly review: progress snapshots per ISO week and the meeting's agreements.
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

CREATE SEQUENCE IF NOT EXISTS agreement_id_seq START 1;
CREATE TABLE IF NOT EXISTS agreements (
    agreement_id BIGINT PRIMARY KEY,
    week VARCHAR NOT NULL,
    indicator_code VARCHAR,
    scope_code VARCHAR,                    -- municipality code, or NULL for national
    action VARCHAR NOT NULL,
    responsible VARCHAR NOT NULL,
    due_date DATE NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'abierto',   -- abierto, en curso, cumplido, cancelado
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by VARCHAR,
    updated_at TIMESTAMP
);
