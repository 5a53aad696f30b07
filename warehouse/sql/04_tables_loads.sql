-- Load log, validation results and quarantine: written in the same transaction as the data.
CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

CREATE TABLE IF NOT EXISTS load_log (
    load_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR,
    loaded_by VARCHAR,
    loaded_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,          -- new or revised rows written
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_quarantined INTEGER NOT NULL,
    status VARCHAR NOT NULL,               -- ok, partial, reverted
    reverted_at TIMESTAMP,
    note VARCHAR
);

CREATE TABLE IF NOT EXISTS validation_results (
    load_id BIGINT NOT NULL,
    suite VARCHAR NOT NULL,
    expectation VARCHAR NOT NULL,
    column_name VARCHAR,
    success BOOLEAN NOT NULL,
    unexpected_count INTEGER,
    details VARCHAR
);

CREATE TABLE IF NOT EXISTS quarantine (
    load_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,           -- 1-based data row in the file (header is row 1 of a sheet: data starts at 2)
    column_name VARCHAR,
    value VARCHAR,
    rule VARCHAR NOT NULL,
    message VARCHAR NOT NULL,              -- Spanish, for the analyst
    raw_row VARCHAR                        -- the whole input row as JSON
);
