-- Audit trail: who did what and when (sign-in, loads, reverts, exports, agreement changes).
-- Written only by warehouse/audit.py::record.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id BIGINT PRIMARY KEY,
    recorded_at TIMESTAMP NOT NULL,        -- UTC
    user_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    action VARCHAR NOT NULL,               -- see warehouse/audit.py ACTIONS
    detail VARCHAR
);
