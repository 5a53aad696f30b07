-- Facts arrive through the loaders. Every version is kept: the current one is the latest
-- (by reported_at, then load_id); revert deletes a load's rows so the previous version shows again.
CREATE TABLE IF NOT EXISTS targets (
    indicator_code VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,           -- municipality code or 'national'
    target_kind VARCHAR NOT NULL,          -- PQD-2014, ODM-2015
    baseline_date DATE NOT NULL,
    baseline_value DOUBLE NOT NULL,
    target_date DATE NOT NULL,
    target_value DOUBLE NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (indicator_code, scope_code, target_kind, load_id)
);

CREATE TABLE IF NOT EXISTS measurements (
    indicator_code VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,           -- municipality code or 'national'
    period VARCHAR NOT NULL,               -- canonical: 2014-W20, 2014-05, 2014-Q2, 2014, 2014-05-12
    period_type VARCHAR NOT NULL,          -- W, M, Q, Y, D
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    value DOUBLE,
    numerator DOUBLE,
    denominator DOUBLE,
    reported_at DATE,                      -- when the report was received (NULL: at period end)
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (indicator_code, scope_code, period, load_id)
);

CREATE TABLE IF NOT EXISTS budget (
    program_code VARCHAR NOT NULL,
    scope_code VARCHAR NOT NULL,           -- municipality code or 'national' (central level)
    month DATE NOT NULL,                   -- first day of the month
    approved DOUBLE NOT NULL,
    modified DOUBLE NOT NULL,
    scheduled DOUBLE NOT NULL,
    committed DOUBLE NOT NULL,
    accrued DOUBLE NOT NULL,
    paid DOUBLE NOT NULL,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    load_id BIGINT NOT NULL,
    PRIMARY KEY (program_code, scope_code, month, load_id)
);
