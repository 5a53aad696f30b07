"""The warehouse schema: versioned migrations (warehouse/migrations) then the catalog's SQL
(warehouse/sql/*.sql, in file order: tables created if missing, views and macros replaced).

A writer applies both when it opens the warehouse (warehouse.store.write_transaction); a reader
checks only that the warehouse is not newer than this code.
"""
from __future__ import annotations

import duckdb

from warehouse.migrations import LATEST, MIGRATIONS
from warehouse.paths import SQL_DIR

SCHEMA_VERSION = LATEST


class WarehouseTooNew(RuntimeError):
    """The warehouse was written by a newer version of the product."""


def sql_files():
    return sorted(SQL_DIR.glob("*.sql"))


def stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The catalog's schema version (0 for a new, empty catalog)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(row[0][0]) if row else 0


def check_version(con: duckdb.DuckDBPyConnection, path=None) -> int:
    """The stored version; raises WarehouseTooNew (Spanish message) if newer than this code."""
    version = stored_version(con)
    if version > SCHEMA_VERSION:
        raise WarehouseTooNew(
            f"El almacén {path or ''} tiene la versión de esquema {version}, más nueva que la que conoce "
            f"este programa ({SCHEMA_VERSION}). Actualice el programa antes de abrirlo; no se cambió nada.")
    return version


def pending_migrations(con: duckdb.DuckDBPyConnection, path=None) -> list[int]:
    version = check_version(con, path)
    return [n for n in sorted(MIGRATIONS) if n > version]


def run_migrations(con: duckdb.DuckDBPyConnection, numbers: list[int]) -> None:
    """Run migrations in order; the side files must be attached read-write."""
    for number in numbers:
        MIGRATIONS[number](con)


def apply_catalog_sql(con: duckdb.DuckDBPyConnection) -> None:
    """Idempotent: catalog tables created if missing, views and macros replaced; records the version."""
    for path in sql_files():
        con.execute(path.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
