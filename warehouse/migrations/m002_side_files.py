"""2: facts and operational tables move out of the catalog into their own files.

`facts` holds measurements and budget (appended in place, visible through the catalog's views only
once their load commits); `ops` holds agreements (written in place by short transactions). A
version-1 warehouse (one file) has them as catalog tables: their rows are copied over, then the
catalog tables dropped (on the copy, so the live catalog keeps them until the swap).
"""
from __future__ import annotations

FACTS_DDL = {
    "measurements": """
        CREATE TABLE IF NOT EXISTS facts.measurements (
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
            load_id BIGINT NOT NULL
        )""",
    "budget": """
        CREATE TABLE IF NOT EXISTS facts.budget (
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
            load_id BIGINT NOT NULL
        )""",
}

OPS_DDL = {
    "agreements": """
        CREATE TABLE IF NOT EXISTS ops.agreements (
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
        )""",
}


def _catalog_table(con, name: str) -> bool:
    """A base table `name` in the catalog itself (a version-1 warehouse)."""
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() "
                            "AND schema_name = 'main' AND table_name = ?", [name]).fetchall())


def copy_table(con, db: str, name: str) -> None:
    """Replace `db.name`'s rows by the catalog table's, in one transaction of `db` (repeatable)."""
    con.execute("BEGIN TRANSACTION")
    con.execute(f"DELETE FROM {db}.{name}")
    con.execute(f"INSERT INTO {db}.{name} BY NAME SELECT * FROM {con.execute('SELECT current_database()').fetchone()[0]}.main.{name}")
    con.execute("COMMIT")


def migrate(con) -> None:
    for db, ddls in (("facts", FACTS_DDL), ("ops", OPS_DDL)):
        for name, ddl in ddls.items():
            con.execute(ddl)
            if _catalog_table(con, name):
                copy_table(con, db, name)
    for name in (*FACTS_DDL, *OPS_DDL):
        if _catalog_table(con, name):
            con.execute(f"DROP TABLE main.{name}")
    con.execute("DROP SEQUENCE IF EXISTS main.agreement_id_seq")
