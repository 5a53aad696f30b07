"""Query infrastructure: the viewer, the scope predicate and a result cache keyed by load version.

Every query function takes a Viewer and scopes rows with SQL parameters (never spliced text).
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


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a role and optionally the one municipality they may see."""
    role: str = "nacional"          # nacional (STP), analista, municipal
    municipality: str | None = None
    name: str = "usuario"


NATIONAL = Viewer()

_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def scope_clause(column: str, viewer: Viewer) -> tuple[str, list]:
    """SQL predicate limiting `column` (a scope code) to what the viewer may see.

    A municipal viewer sees their municipality, its department aggregate and national figures.
    """
    sql = (f"(CAST(? AS VARCHAR) IS NULL OR {column} = ? OR {column} = 'national' OR {column} = "
           f"(SELECT department_code FROM municipalities WHERE code = ?))")
    m = viewer.municipality
    return sql, [m, m, m]


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
