"""Query infrastructure: the viewer, the scope predicate and a result cache keyed by load version.

Every query function takes a Viewer (no default: a caller that forgets it fails) and scopes rows
with SQL parameters (never spliced text).
Results are cached per (warehouse version, sql, params): a new load changes the version token, so
fresh data shows without restarting, and nothing stale is ever served.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from warehouse.paths import warehouse_path
from warehouse.store import read_connection, version_token

CACHE_SIZE = 512


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


def fetch(sql: str, params: list | tuple = (), path: Path | str | None = None) -> pl.DataFrame:
    """Run a read-only query and return a (small, aggregated) polars frame, cached by version."""
    path = warehouse_path(path)
    key = (str(path), version_token(path), sql, tuple(params))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    with read_connection(path) as con:
        frame = con.sql(sql, params=list(params)).pl()
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
    program: the warehouse macro `in_filter` (11_int_periods.sql)."""
    sql = (f"in_filter({alias}.intervention, {alias}.eje_id, {alias}.program_code, "
           "CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS VARCHAR))")
    return sql, [intervention_param(intervention), eje, program]


def marts_ready(week_end, path=None) -> bool:
    """Are the materialised results (29_tables_marts.sql) current and do they hold `week_end`?
    Query functions pass this to progress_at / municipality_state_at / int_budget_year: a week
    outside the selector, or a warehouse written without refresh, is evaluated by the method."""
    return bool(fetch_value("SELECT marts_ready(?::DATE)", [week_end], path))


def progress_source(week_end, path=None) -> str:
    """SQL table expression (one parameter: the week's end) giving mart_progress_asof's rows: the
    materialised week when current (a plain select), else the method on the fly."""
    return "progress_weekly(?::DATE)" if marts_ready(week_end, path) else "mart_progress_asof(?::DATE)"


def state_source(week_end, intervention, eje, program, path=None) -> str:
    """SQL table expression (four parameters: week's end, intervention, eje, program) giving
    mart_municipality_state_asof's rows: the stored unfiltered states, or the filtered ones counted
    from the materialised semáforos, or the method on the fly."""
    ready = marts_ready(week_end, path)
    if ready and intervention_param(intervention) is None and eje is None and program is None:
        return "(SELECT * FROM municipality_state_weekly(?::DATE) WHERE ?::VARCHAR IS NULL AND ?::INTEGER IS NULL " \
               "AND ?::VARCHAR IS NULL)"
    return f"mart_municipality_state_asof(?::DATE, ?, ?, ?, {'TRUE' if ready else 'FALSE'})"


def budget_ready(path=None) -> bool:
    """Is mart_budget_current current (same fingerprint as the facts)?"""
    return bool(fetch_value("""SELECT coalesce((SELECT value FROM meta WHERE key = 'marts_fingerprint')
                                              = marts_fingerprint(), false)""", [], path))


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
