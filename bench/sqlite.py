"""The same page queries on SQLite: the tables (and views, as stored tables) they read, with indexes.

Every warehouse table or view named in a page's SQL is copied into one SQLite file: tables with an
index on their primary key, views materialised as tables (a pre-aggregation SQLite is given for free)
with an index on their first column; list and struct columns as their text. Queries run as written,
except that (`to_sqlite`) a call of a warehouse macro is replaced by the macro's own definition as
the warehouse holds it (`duckdb_functions()`: scalar macros such as budget_execution inline, table
macros such as targeting_rank as a subquery; parameters numbered `?N` so a macro may repeat one),
and DuckDB's `x::TYPE` casts are dropped for dates and text (ISO text compares the same) or written
as CAST. A query SQLite still cannot parse (a macro whose definition is DuckDB-only, such as
stg_measurement_asof, or DuckDB-only syntax) makes the page "n/a" with the first reason.
Each run delivers what the page gets from DuckDB: a polars frame built from the rows (`replay`;
before 2026-12-02 the rows were fetched as tuples only, which left out the frame's cost).
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


def macros(path: Path) -> dict[str, tuple[list[str], str, bool]]:
    """The warehouse's macros: name -> (parameters, definition, is a table macro)."""
    from warehouse.store import read_connection

    with read_connection(path) as con:
        rows = con.execute("SELECT function_name, parameters, macro_definition, function_type = 'table_macro' "
                           "FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro') "
                           "AND NOT internal AND macro_definition IS NOT NULL").fetchall()
    return {name: (list(params), definition, table) for name, params, definition, table in rows}


def _scan(sql: str):
    """(index, character, inside a quoted string or identifier) for each character of `sql`."""
    quote = None
    for i, ch in enumerate(sql):
        if quote:
            if ch == quote:
                quote = None
            yield i, ch, True
        elif ch in "'\"":
            quote = ch
            yield i, ch, True
        else:
            yield i, ch, False


def _number_params(sql: str) -> str:
    """Positional `?` as `?1`, `?2`, ... (outside quotes), so an inlined macro may repeat one."""
    out, n = [], 0
    for i, ch, quoted in _scan(sql):
        if ch == "?" and not quoted and not sql[i + 1:i + 2].isdigit():
            n += 1
            out.append(f"?{n}")
        else:
            out.append(ch)
    return "".join(out)


def _call_args(sql: str, start: int) -> tuple[list[str], int]:
    """The top-level arguments of the call whose '(' is at `start`, and the index after its ')'."""
    depth, args, begin = 0, [], start + 1
    for i, ch, quoted in _scan(sql[start:]):
        i += start
        if quoted:
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                args.append(sql[begin:i])
                return [a.strip() for a in args if a.strip() or len(args) > 1], i + 1
        elif ch == "," and depth == 1:
            args.append(sql[begin:i])
            begin = i + 1
    raise ValueError("paréntesis sin cerrar")


def inline_macros(sql: str, defined: dict) -> str:
    """Every call of a warehouse macro replaced by its definition with the call's arguments (scalar
    macros in parentheses, table macros as a subquery), until none is left."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(defined, key=len, reverse=True))) + r")\s*\(")
    for _ in range(20):                             # nested macros: a few rounds at most
        match = next((m for m in pattern.finditer(sql)
                      if not any(q for i, _, q in _scan(sql[:m.start() + 1]) if i == m.start())), None)
        if match is None:
            return sql
        params, definition, _table = defined[match[1]]
        args, end = _call_args(sql, match.end() - 1)
        if len(args) > len(params) or any(":=" in a for a in args):
            raise ValueError(f"llamada a {match[1]} con parámetros por nombre")
        args += ["NULL"] * (len(params) - len(args))
        body = re.sub(r"\b(" + "|".join(map(re.escape, params)) + r")\b",
                      lambda m: f"({args[params.index(m[1])]})", definition) if params else definition
        sql = f"{sql[:match.start()]}({body}){sql[end:]}"
    return sql


def page_queries(path: Path, pages: dict[str, list]) -> dict[str, list]:
    """Each page's (sql, params) as SQLite runs them (`to_sqlite`); a query that cannot be rewritten
    stays as written (SQLite then says why it cannot parse it)."""
    defined = macros(path)

    def rewrite(sql: str) -> str:
        try:
            return to_sqlite(sql, defined)
        except ValueError:
            return sql
    return {page: [(rewrite(sql), params) for sql, params in queries] for page, queries in pages.items()}


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
            lite.execute(f"EXPLAIN {sql}", [_param(p) for p in params])
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
            select = ", ".join(f'CAST("{c[0]}" AS VARCHAR)' if c[1].startswith(("DATE", "TIME")) or
                               c[1].endswith("[]") or c[1].startswith(("STRUCT", "MAP")) else f'"{c[0]}"'
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


def to_sqlite(sql: str, defined: dict | None = None) -> str:
    """A page query as SQLite reads it: parameters numbered, warehouse macros inlined from their
    definitions (`defined`: `macros(path)`), DuckDB's `x::TYPE` casts as SQLite reads them (dates and
    text as they are, numbers through CAST)."""
    sql = _number_params(sql)
    if defined:
        sql = inline_macros(sql, defined)
    sql = re.sub(r"(\?\d*|[\w.]+)::(DATE|VARCHAR)\b", r"\1", sql)
    return re.sub(r"(\?\d*|[\w.]+)::(INTEGER|DOUBLE)\b", lambda m: f"CAST({m[1]} AS {CASTS[m[2]]})", sql)


def _param(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def replay(target: Path, queries: list, runs: int, budget_s: float, frame: bool = True) -> list[float]:
    """Seconds per run of all the page's queries (already `to_sqlite`) on SQLite (fewer runs, at least
    1, if one is long): each result delivered as a polars frame, as DuckDB's are (`frame=False`: rows
    fetched as tuples only, the measure before 2026-12-02)."""
    import polars as pl

    lite = sqlite3.connect(str(target))
    try:
        def once() -> float:
            t0 = time.perf_counter()
            for sql, params in queries:
                cur = lite.execute(sql, [_param(p) for p in params])
                rows = cur.fetchall()
                if frame:
                    pl.DataFrame(rows, schema=[d[0] for d in cur.description], orient="row", infer_schema_length=None)
            return time.perf_counter() - t0
        first = once()
        n = runs if first * runs <= budget_s else max(1, int(budget_s / max(first, 1e-9)))
        return [first] + [once() for _ in range(n - 1)]
    finally:
        lite.close()
