"""3: the audit trail (sign-in, loads, reverts, exports, agreement changes) in the ops file.

Written in place by `warehouse.audit.record` through `ops_transaction`, like the agreements, so an
audited action never copies the catalog. Idempotent.
"""
from __future__ import annotations

AUDIT_DDL = """
    CREATE TABLE IF NOT EXISTS ops.audit_log (
        audit_id BIGINT PRIMARY KEY,
        recorded_at TIMESTAMP NOT NULL,        -- UTC
        user_name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        action VARCHAR NOT NULL,               -- see warehouse/audit.py ACTIONS
        detail VARCHAR
    )"""


def migrate(con) -> None:
    con.execute("CREATE SEQUENCE IF NOT EXISTS ops.audit_id_seq START 1")
    con.execute(AUDIT_DDL)
