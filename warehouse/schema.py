"""Creates tables and (re)creates the method's views from warehouse/sql/*.sql, in file order."""
from __future__ import annotations

import duckdb

from warehouse.paths import SQL_DIR

SCHEMA_VERSION = "1"


def sql_files():
    return sorted(SQL_DIR.glob("*.sql"))


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Idempotent: tables are created if missing, views and macros replaced."""
    for path in sql_files():
        con.execute(path.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
