"""The same page queries on SQLite: the tables (and views, as stored tables) they read, with indexes.

Every warehouse table or view named in a page's SQL is copied into one SQLite file: tables with an
index on their primary key, views materialised as tables (a pre-aggregation SQLite is given for free)
with an index on their first column. Queries run as written, except DuckDB's `x::TYPE` casts (dates
stay ISO text, which compares the same); one SQLite cannot parse (DuckDB table macros such as
int_budget_year or mart_series_asof, DuckDB-only syntax) makes the page "n/a" with the first reason.
The query layer hands pages plain selects for the materialised marts and writes the filter
predicate out (warehouse/query.py), so most page SQL parses.
"""
from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

BATCH = 100_000


def _names(con) -> dict[str, str]:
    rows = con.execute("SELECT table_name, 'table' FROM duckdb_tables() WHERE NOT internal "
                       "UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal").fetchall()
    return dict(rows)


def tables_read(sql_texts: list[str], names: dict[str, str]) -> list[str]:
    return sorted(n for n in names if any(re.search(rf"\b{re.escape(n)}\b", s) for s in sql_texts))


def create_tables(path: Path, target: Path, sql_texts: list[str]) -> list[str]:
    """Empty SQLite copies of every table or view the queries name (so SQLite can parse them)."""
    from warehouse.store import read_connection

    target.unlink(missing_ok=True)
    lite = sqlite3.connect(str(target))
    with read_connection(path) as con:
        names = tables_read(sql_texts, _names(con))
        for name in names:
            cols = con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall()
            lite.execute(f'CREATE TABLE "{name}" ({", ".join(chr(34) + c[0] + chr(34) for c in cols)})')
    lite.commit()
    lite.close()
    return names


def unparsable(target: Path, queries: list) -> str | None:
    """None when SQLite can plan every query, else the reason (how many fail, the first error)."""
    lite = sqlite3.connect(str(target))
    errors = []
    for sql, params in queries:
        try:
            lite.execute(f"EXPLAIN {to_sqlite(sql)}", [_param(p) for p in params])
        except sqlite3.Error as exc:
            errors.append(str(exc))
    lite.close()
    return f"SQLite no analiza {len(errors)} de {len(queries)} consultas ({errors[0][:60]})" if errors else None


def fill_tables(path: Path, target: Path, names: list[str], log=print) -> dict:
    """Copy the rows of `names` into the SQLite file and index them; returns {name: rows} and seconds."""
    from warehouse.store import read_connection

    out, t0 = {}, time.perf_counter()
    lite = sqlite3.connect(str(target))
    with read_connection(path) as con:
        kinds = _names(con)
        for name in names:
            cols = con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall()
            select = ", ".join(f'CAST("{c[0]}" AS VARCHAR)' if c[1].startswith(("DATE", "TIME")) else f'"{c[0]}"'
                               for c in cols)
            cur = con.execute(f"SELECT {select} FROM {name}")
            marks = ", ".join("?" * len(cols))
            n = 0
            while batch := cur.fetchmany(BATCH):
                lite.executemany(f'INSERT INTO "{name}" VALUES ({marks})', batch)
                n += len(batch)
            key = _primary_key(con, name) if kinds[name] == "table" else [cols[0][0]]
            if key:
                lite.execute(f'CREATE INDEX "ix_{name}" ON "{name}" ({", ".join(chr(34) + k + chr(34) for k in key)})')
            out[name] = n
            log(f"  SQLite: {name} ({n:,} filas)")
    lite.commit()
    lite.execute("ANALYZE")
    lite.close()
    return dict(tables=out, seconds=time.perf_counter() - t0)


def _primary_key(con, name: str) -> list[str]:
    row = con.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? "
                      "AND constraint_type = 'PRIMARY KEY'", [name]).fetchall()
    return list(row[0][0]) if row else []


CASTS = {"INTEGER": "INTEGER", "DOUBLE": "REAL"}


def to_sqlite(sql: str) -> str:
    """DuckDB's `x::TYPE` as SQLite reads it: dates and text as they are, numbers through CAST."""
    sql = re.sub(r"(\?|[\w.]+)::(DATE|VARCHAR)\b", r"\1", sql)
    return re.sub(r"(\?|[\w.]+)::(INTEGER|DOUBLE)\b", lambda m: f"CAST({m[1]} AS {CASTS[m[2]]})", sql)


def _param(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def replay(target: Path, queries: list, runs: int, budget_s: float) -> list[float]:
    """Seconds per run of all the page's queries on SQLite (fewer runs, at least 1, if one is long)."""
    lite = sqlite3.connect(str(target))
    try:
        def once() -> float:
            t0 = time.perf_counter()
            for sql, params in queries:
                lite.execute(to_sqlite(sql), [_param(p) for p in params]).fetchall()
            return time.perf_counter() - t0
        first = once()
        n = runs if first * runs <= budget_s else max(1, int(budget_s / max(first, 1e-9)))
        return [first] + [once() for _ in range(n - 1)]
    finally:
        lite.close()
