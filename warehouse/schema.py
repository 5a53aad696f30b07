"""The warehouse schema: versioned migrations (warehouse/migrations) then the catalog's SQL
(warehouse/sql/*.sql, in file order: tables created if missing, views and macros replaced).

A writer applies both when it opens the warehouse (warehouse.store.write_transaction); a reader
checks only that the warehouse is not newer than this code.
"""
from __future__ import annotations

import hashlib

import duckdb

from warehouse.migrations import LATEST, MIGRATIONS
from warehouse.paths import SQL_DIR

SCHEMA_VERSION = LATEST


class WarehouseTooNew(RuntimeError):
    """The warehouse was written by a newer version of the product."""


def sql_files():
    return sorted(SQL_DIR.glob("*.sql"))


def stored_version(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> int:
    """The catalog's schema version (0 for a new, empty catalog). `catalog`: the name the catalog is
    attached under when it is not the connection's own database."""
    table = f"{catalog}.meta" if catalog else "meta"
    try:
        row = con.execute(f"SELECT value FROM {table} WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(row[0][0]) if row else 0


def check_version(con: duckdb.DuckDBPyConnection, path=None, catalog: str | None = None) -> int:
    """The stored version; raises WarehouseTooNew (Spanish message) if newer than this code. The one
    place that refuses a newer warehouse (readers, writers and the ops file's writer)."""
    version = stored_version(con, catalog)
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


def sql_digest() -> str:
    """A hash of the catalog's SQL files (names and texts)."""
    h = hashlib.sha256()
    for path in sql_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def holds_current_sql(con: duckdb.DuckDBPyConnection, catalog: str | None = None, digest: str | None = None) -> bool:
    """Does the catalog (the connection's own database, or the one attached as `catalog`) hold this
    code's SQL: the digest apply_catalog_sql records on `meta` and this schema version?"""
    row = con.execute("SELECT comment FROM duckdb_tables() WHERE database_name = coalesce(?, current_database()) "
                      "AND schema_name = 'main' AND table_name = 'meta'", [catalog]).fetchall()
    return bool(row) and row[0][0] == (digest or sql_digest()) and stored_version(con, catalog) == SCHEMA_VERSION


def apply_catalog_sql(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """Idempotent: catalog tables created if missing, views and macros replaced; records the version
    and the SQL's digest. Skipped (False) when the catalog already holds this SQL (about 0.5 s saved
    on every write)."""
    digest = sql_digest()
    if not force and holds_current_sql(con, digest=digest):
        return False
    for path in sql_files():
        con.execute(path.read_text(encoding="utf-8"))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.execute(f"COMMENT ON TABLE meta IS '{digest}'")          # the SQL this catalog holds
    return True
