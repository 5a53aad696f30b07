"""Query infrastructure: the viewer, the scope predicate, the read path and a result cache.

Every query function takes a Viewer (no default: a caller that forgets it fails) and scopes rows
with SQL parameters (never spliced text).

Read path (docs/architecture.md "Reading"): queries that read only the catalog (reference, marts,
page models) run on one cached read-only attachment of the catalog file per process, reopened when
the catalog's version token changes (writers replace the catalog by copy + rename and never write
it in place, so holding it open blocks no writer). A query that names the facts or the operational
tables (found by trying: the catalog alone does not have them, then remembered with the side files
it reads) runs on a second attachment of the same catalog version with those side files attached
read-only for its duration only (about 1.2 ms; one such query at a time), since a process holding
`<path>.facts` open blocks a load from appending to it.
Results are cached per (file versions the query reads, sql, params): a new load changes the catalog
token, so fresh data shows without restarting; an audit or agreement write changes only the ops
token, so it empties nothing but the results of queries that read ops.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from warehouse.paths import SIDE_FILES, side_path, warehouse_path
from warehouse.schema import check_version
from warehouse.store import (READ_WAIT_SECONDS, MixedGenerations, WarehouseMissing, attach_side_files,
                             detach_side_files, file_token, generation, quote_literal, retry_while_busy)

CACHE_SIZE = 512
# _frame's Arrow result from a cursor: DuckDB warns it copies the rows once; measured cheaper than a relation
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


ALL_ROWS_ROLES = ("direccion", "analista", "admin", "demo")
MUNICIPAL_ROLE = "municipal"


@dataclass(frozen=True)
class Viewer:
    """Who is asking. Roles direccion, analista, admin and demo see every row; municipal sees its
    municipality's rows plus its department's and the national aggregates. Any other role, or a
    municipal viewer without a municipality, sees nothing (fail closed)."""
    name: str
    role: str
    municipality: str | None = None

    @property
    def sees_all(self) -> bool:
        return self.role in ALL_ROWS_ROLES

    @property
    def municipal_code(self) -> str | None:
        """The one municipality of a well-formed municipal viewer, else None."""
        return self.municipality if self.role == MUNICIPAL_ROLE and self.municipality else None


SYSTEM = Viewer(name="sistema", role="admin")     # CLI exports and builds: every row

_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def scope_clause(column: str, viewer: Viewer) -> tuple[str, list]:
    """SQL predicate limiting `column` (a scope code) to what the viewer may see.

    All-rows roles: TRUE. A municipal viewer: its municipality, its department aggregate and the
    national figures. Anything else: FALSE.
    """
    if viewer.sees_all:
        return "TRUE", []
    m = viewer.municipal_code
    if m is None:
        return "FALSE", []
    return (f"({column} = ? OR {column} = 'national' OR {column} = "
            f"(SELECT department_code FROM municipalities WHERE code = ?))", [m, m])


def municipality_clause(column: str, viewer: Viewer) -> tuple[str, list]:
    """SQL predicate for rows about one municipality only (no aggregates: loads, quarantine):
    TRUE for all-rows roles, `column = code` for a municipal viewer, FALSE otherwise."""
    if viewer.sees_all:
        return "TRUE", []
    m = viewer.municipal_code
    return (f"{column} = ?", [m]) if m else ("FALSE", [])


def _retry_in_use(action, message: str):
    """Run `action` until it stops failing because a writer holds the file, for READ_WAIT_SECONDS."""
    return retry_while_busy(action, time.monotonic() + READ_WAIT_SECONDS, message)


def _attach_catalog(path: Path) -> duckdb.DuckDBPyConnection:
    """The catalog file attached read-only (as `spsu_catalog`) to a private in-memory DuckDB: not
    `duckdb.connect(path)`, whose per-path instance cache would share attachments with other
    connections of this process and keep serving a replaced catalog."""
    db = duckdb.connect(":memory:")
    db.execute("SET enable_progress_bar = false")
    db.execute("SET GLOBAL asof_loop_join_threshold = 0")    # as store.connect (every cursor): the ASOF JOIN stays one
    try:
        _retry_in_use(lambda: db.execute(f"ATTACH {quote_literal(path)} AS spsu_catalog (READ_ONLY)"),
                      f"El almacén {path} no se pudo abrir")
    except BaseException:
        db.close()
        raise
    return db


def _cursor(db) -> duckdb.DuckDBPyConnection:
    cur = db.cursor()
    cur.execute("USE spsu_catalog")
    return cur


class _Catalog:
    """One catalog version held for reading: `db` never has a side file attached (catalog-only
    queries, any number at once, each on its own cursor); `side_db`, opened on first need, has the
    side files a query reads attached only while it runs (one such query at a time)."""

    def __init__(self, path: Path, token: str):
        self.path, self.token = path, token
        self.db = _attach_catalog(path)
        cur = self.cursor()
        try:
            check_version(cur, path)
            self.generation = generation(cur, "spsu_catalog")   # read once per version, not per query
        finally:
            cur.close()
        self.side_db = None
        self.side_lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return _cursor(self.db)

    @contextmanager
    def with_side_files(self, names=SIDE_FILES):
        """A cursor with the side files `names` (`<path>.facts`, `<path>.ops`) attached read-only for
        the block only (retried while a writer holds one read-write). Raises MixedGenerations when one
        comes from another build than this catalog (a swap under way), as store.check_generation does
        for a short connection, with the catalog's generation read once per version."""
        with self.side_lock:
            if self.side_db is None:
                self.side_db = _attach_catalog(self.path)
            cur = _cursor(self.side_db)
            try:
                attached = _retry_in_use(lambda: attach_side_files(cur, self.path, read_only=True, names=names),
                                         f"El almacén {self.path} no se pudo abrir")
                for name in attached:      # side files from another build than this catalog: a swap
                    found = generation(cur, name)
                    if found != self.generation:
                        raise MixedGenerations(f"archivos de generaciones distintas: {self.generation} y {found} ({name})")
                yield cur
            finally:
                try:
                    detach_side_files(cur, names)
                finally:
                    cur.close()


_catalogs: OrderedDict[str, _Catalog] = OrderedDict()   # held attachments, most recently used last
HELD_CATALOGS = 4          # a dashboard reads one warehouse; tests and CLIs touch many in one process
_side_sql: dict[str, frozenset] = {}  # query -> the side files (facts, ops) it reads (learnt on first run)


def _catalog(path: Path, token: str) -> _Catalog:
    with _lock:
        cat = _catalogs.get(str(path))
        if cat is not None and cat.token == token:
            _catalogs.move_to_end(str(path))
            return cat
    if token == "-":
        raise WarehouseMissing(f"No existe el almacén de datos {path}. Ejecute: python -m warehouse build --sample")
    fresh = _Catalog(path, token)
    with _lock:
        _catalogs[str(path)] = fresh   # the old attachment goes when its last running cursor does
        _catalogs.move_to_end(str(path))
        while len(_catalogs) > HELD_CATALOGS:
            _catalogs.popitem(last=False)
    return fresh


def _frame(cur, sql: str, params) -> pl.DataFrame:
    """The query's result as a polars frame, planned once: `cur.sql(...).pl()` binds the query a second
    time to build a relation (about 10-17 % of a page's query time at 10 M rows, measured on all 13
    pages; the frames are equal)."""
    return pl.from_arrow(cur.execute(sql, list(params)).to_arrow_table())


def _side_file_named(exc: duckdb.Error) -> str | None:
    """The side file (facts or ops) a catalog or binder error says is missing, if any."""
    text = str(exc)
    return next((name for name in SIDE_FILES if f'"{name}.' in text or f'"{name}"' in text), None)


def run(sql: str, params: list | tuple = (), path: Path | str | None = None) -> tuple[pl.DataFrame, str]:
    """Run a read-only query without the result cache: (frame, token of the files it read)."""
    path = warehouse_path(path)
    token = file_token(path)
    if sql not in _side_sql:
        cur = _catalog(path, token).cursor()
        try:
            return _frame(cur, sql, params), token
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            name = _side_file_named(exc)
            if name is None:
                raise
            _side_sql[sql] = frozenset([name])
        finally:
            cur.close()
    return _retry_in_use(lambda: _run_with_side_files(sql, params, path), f"El almacén {path} no se pudo abrir")


def _side_token(path: Path, names, catalog_token: str | None = None) -> str:
    """The files' token of a query on side files: the catalog's, plus the ops file's when it reads ops
    (fact rows become visible only through a new catalog: the facts file needs none)."""
    token = catalog_token or file_token(path)
    return token + "/" + file_token(side_path(path, "ops")) if "ops" in names else token


def _run_with_side_files(sql: str, params, path: Path) -> tuple[pl.DataFrame, str]:
    """One try of a query on facts or ops with only the side files it reads attached (a query found
    to need one more learns it here); MixedGenerations (a build swapping its files in) makes
    `_retry_in_use` try again on the catalog then current."""
    while True:
        names, catalog_token = _side_sql[sql], file_token(path)
        token = _side_token(path, names, catalog_token)
        with _catalog(path, catalog_token).with_side_files(sorted(names)) as cur:
            try:
                return _frame(cur, sql, params), token
            except (duckdb.CatalogException, duckdb.BinderException) as exc:
                name = _side_file_named(exc)
                if name is None or name in names:
                    raise
                _side_sql[sql] = names | {name}


def fetch(sql: str, params: list | tuple = (), path: Path | str | None = None) -> pl.DataFrame:
    """Run a read-only query and return a (small, aggregated) polars frame, cached by the versions
    of the files it reads."""
    path = warehouse_path(path)
    token = _side_token(path, _side_sql[sql]) if sql in _side_sql else file_token(path)
    key = (str(path), token, sql, tuple(params))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    frame, token = run(sql, params, path)
    key = (str(path), token, sql, tuple(params))
    with _lock:
        _cache[key] = frame
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return frame


def fetch_value(sql: str, params: list | tuple = (), path=None):
    frame = fetch(sql, params, path)
    return frame.item(0, 0) if frame.height else None


def intervention_param(intervention: str | None) -> str | None:
    """The filter bar's intervention as a SQL parameter: 'ambas' (or None) means no filter."""
    return None if intervention in (None, "ambas") else intervention


def indicator_clause(alias: str, intervention: str | None = None, eje: int | None = None,
                     program: str | None = None) -> tuple[str, list]:
    """SQL predicate on an indicators (or programs) alias for the filter bar's intervention, eje and
    program: the warehouse macro `in_filter` (11_int_periods.sql) written out with its parameters, so
    the page SQL stays plain (SQLite runs it too; tests/test_query_layer.py checks both agree). NULL keeps
    all; an intervention CSU/CSR keeps its own rows and the shared ones."""
    return filter_clause(f"{alias}.intervention", f"{alias}.eje_id", f"{alias}.program_code",
                         intervention, eje, program)


def filter_clause(intervention_col: str, eje_col: str, program_col: str, intervention: str | None = None,
                  eje: int | None = None, program: str | None = None) -> tuple[str, list]:
    """indicator_clause on named columns (a page model's `indicator_intervention`, say)."""
    sql = (f"(CAST(? AS VARCHAR) IS NULL OR coalesce({intervention_col}, 'ambas') IN (CAST(? AS VARCHAR), 'ambas'))"
           f" AND (CAST(? AS INTEGER) IS NULL OR {eje_col} = CAST(? AS INTEGER))"
           f" AND (CAST(? AS VARCHAR) IS NULL OR {program_col} = CAST(? AS VARCHAR))")
    iv = intervention_param(intervention)
    return sql, [iv, iv, eje, eje, program, program]


class _Readiness:
    """What the materialised results hold at one catalog version: decided once per version."""

    def __init__(self, current: bool, weeks: frozenset, progress_cols: list[str], state_cols: list[str],
                 pages_current: bool = False, page_weeks: frozenset = frozenset()):
        self.current, self.weeks = current, weeks
        self.progress_cols, self.state_cols = progress_cols, state_cols
        self.pages_current, self.page_weeks = pages_current, page_weeks


_readiness: dict[str, tuple[str, _Readiness]] = {}


def _ready(path=None) -> _Readiness:
    """Are the materialised results (29_tables_marts.sql) current (their fingerprint matches the load
    log: a load written without refresh never shows stale results), which weeks do they hold, and
    their columns. Read outside the result cache, once per catalog version."""
    path = warehouse_path(path)
    token = file_token(path)
    hit = _readiness.get(str(path))
    if hit and hit[0] == token:
        return hit[1]
    frame, token = run("""
        SELECT coalesce((SELECT value FROM meta WHERE key = 'marts_fingerprint') = marts_fingerprint(), false) AS current,
               (SELECT list(DISTINCT week_end) FROM mart_progress_weekly) AS weeks,
               (SELECT list(column_name ORDER BY column_index) FROM duckdb_columns()
                WHERE database_name = current_database() AND table_name = 'mart_progress_weekly'
                  AND column_name NOT IN ('week', 'week_end')) AS progress_cols,
               (SELECT list(column_name ORDER BY column_index) FROM duckdb_columns()
                WHERE database_name = current_database() AND table_name = 'mart_municipality_state_weekly'
                  AND column_name NOT IN ('week', 'week_end')) AS state_cols,
               coalesce((SELECT value FROM meta WHERE key = 'pages_fingerprint') = marts_fingerprint(), false)
                 AS pages_current,
               (SELECT value FROM meta WHERE key = 'pages_weeks') AS page_weeks""", [], path)
    row = frame.row(0, named=True)
    page_weeks = frozenset(dt.date.fromisoformat(d) for d in (row["page_weeks"] or "").split(",") if d)
    ready = _Readiness(bool(row["current"]), frozenset(row["weeks"] or ()), row["progress_cols"] or [],
                       row["state_cols"] or [], bool(row["pages_current"]), page_weeks)
    _readiness[str(path)] = (token, ready)
    return ready


def marts_ready(week_end, path=None) -> bool:
    """Are the materialised results current and do they hold `week_end`? Query functions pass this
    to progress_source / state_source / int_budget_year: a week outside the selector, or a warehouse
    written without refresh, is evaluated by the method."""
    ready = _ready(path)
    return ready.current and _as_date(week_end) in ready.weeks


def _as_date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def progress_source(week_end, path=None) -> str:
    """SQL table expression (one parameter: the week's end) giving mart_progress_asof's rows: the
    materialised week when current (a plain select), else the method on the fly."""
    if not marts_ready(week_end, path):
        return "mart_progress_asof(?::DATE)"
    cols = ", ".join(_ready(path).progress_cols)
    return f"(SELECT {cols} FROM mart_progress_weekly WHERE week_end = ?)"


def state_source(week_end, intervention, eje, program, path=None) -> str:
    """SQL table expression (four parameters: week's end, intervention, eje, program) giving
    mart_municipality_state_asof's rows: the stored unfiltered states (a plain select), or the
    filtered ones counted from the materialised semáforos, or the method on the fly."""
    ready = marts_ready(week_end, path)
    if ready and intervention_param(intervention) is None and eje is None and program is None:
        cols = ", ".join(_ready(path).state_cols)
        return (f"(SELECT {cols} FROM mart_municipality_state_weekly WHERE week_end = ? "
                "AND CAST(? AS VARCHAR) IS NULL AND CAST(? AS INTEGER) IS NULL AND CAST(? AS VARCHAR) IS NULL)")
    return f"mart_municipality_state_asof(?::DATE, ?, ?, ?, {'TRUE' if ready else 'FALSE'})"


_series_weeks: dict[str, tuple[str, frozenset]] = {}


def _series_ready_weeks(path=None) -> frozenset:
    """The weeks mart_series_weekly holds, empty when it is not current with the facts (its own
    fingerprint, written by warehouse/refresh_series.py, against the load log's). Once per catalog version."""
    path = warehouse_path(path)
    token = file_token(path)
    hit = _series_weeks.get(str(path))
    if hit and hit[0] == token:
        return hit[1]
    try:
        frame, token = run("""
            SELECT CASE WHEN series_current() THEN (SELECT list(week_end) FROM mart_series_weeks) END AS weeks""",
                           [], path)
        listed = frame.item(0, 0)
        weeks = frozenset(() if listed is None else listed.to_list())
    except duckdb.CatalogException:        # a catalog no writer has opened since the table or macro was added
        weeks = frozenset()
    _series_weeks[str(path)] = (token, weeks)
    return weeks


def series_source(week_end, scope_code: str, path=None) -> str:
    """SQL table expression (three parameters: the week's end, the indicator, the scope) giving
    mart_series_asof's rows: the stored series (mart_series_weekly, a plain select) for the nation or
    a department at a stored week while it is current, else the method on the fly."""
    if (scope_code == "national" or len(scope_code) == 2) and _as_date(week_end) in _series_ready_weeks(path):
        return ("(SELECT period, period_type, period_end, units, segment, accumulation, value, period_value "
                "FROM mart_series_weekly WHERE ? BETWEEN valid_from AND valid_to "
                "AND indicator_code = ? AND scope_code = ?)")
    return "mart_series_asof(?::DATE, ?, ?)"


def budget_ready(path=None) -> bool:
    """Is mart_budget_current current (same fingerprint as the facts)?"""
    return _ready(path).current


def materialised_weeks(path=None) -> list[dt.date]:
    """Week ends held by mart_progress_weekly (decided once per catalog version, no query per call)."""
    return sorted(_ready(path).weeks)


def pages_current(path=None) -> bool:
    """Are the stored page results (29_tables_marts.sql "Page results", warehouse/refresh_pages.py)
    current with the load log?"""
    return _ready(path).pages_current


def pages_ready(week_end, path=None) -> bool:
    """Are the stored page results current and do they hold the week ending `week_end`?"""
    ready = _ready(path)
    return ready.pages_current and _as_date(week_end) in ready.page_weeks


BUDGET_YEAR_COLUMNS = ("program_code, scope_code, month, in_ytd, approved, modified, is_sample, scheduled, "
                       "committed, accrued, paid")


def budget_source(week_end, path=None) -> tuple[str, list]:
    """SQL table expression and its parameters giving int_budget_year(week_end)'s rows
    (33_mart_budget.sql): the stored rows of the week's month (mart_budget_ytd, a plain select) when
    current, else the macro (on mart_budget_current when that is current)."""
    if pages_ready(week_end, path):
        return (f"(SELECT {BUDGET_YEAR_COLUMNS} FROM mart_budget_ytd WHERE as_of_month = ?)",
                [_as_date(week_end).replace(day=1)])
    return "int_budget_year(?::DATE, ?)", [week_end, budget_ready(path)]


def visible_clause(viewer: Viewer) -> str:
    """Catalogues (indicators, programs, logframes) hold no municipal rows: any fully specified
    viewer sees them, anyone else nothing."""
    return "TRUE" if viewer.sees_all or viewer.municipal_code else "FALSE"


def load_clause(column: str, viewer: Viewer) -> tuple[str, list]:
    """Loads a viewer may see: all (all-rows roles), those that wrote rows of its municipality
    (municipal, by load_touch), none otherwise."""
    if viewer.sees_all:
        return "TRUE", []
    m = viewer.municipal_code
    if m is None:
        return "FALSE", []
    return f"{column} IN (SELECT load_id FROM load_touch WHERE scope_code = ?)", [m]


def warm(path=None) -> None:
    """Open the catalog and decide the marts' readiness now (a starting server, before its first page)."""
    _ready(path)
