-- Facts arrive through the loaders. Every version is kept: the current one is the latest
-- (by reported_at, then load_id); a reverted load's rows are hidden, so the previous version shows again.
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

-- measurements and budget live in the facts file (warehouse/migrations/m002_side_files.py); the catalog
-- shows them through views (06_views_side_files.sql).
