"""Agreements of the weekly meeting: open ones (with 'overdue' against the data's as-of date) and all."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, fetch, scope_clause
from warehouse.queries.reference import status

_SELECT = """
    SELECT a.agreement_id, a.week, a.indicator_code, a.indicator_name, a.scope_code, a.scope_name,
           a.action, a.responsible, a.due_date, a.status,
           coalesce(a.is_open AND a.due_date < ?, false) AS overdue,
           a.created_by, a.created_at, a.updated_by, a.updated_at, a.is_open
    FROM page_agreements a"""          # model page_agreements, 44_page_agreements.sql


def _as_of(viewer: Viewer, as_of, path) -> dt.date | None:
    """Overdue is judged at the warehouse's as-of date (what the data say), never at today's date."""
    return as_of if as_of is not None else status(viewer, path)["as_of"]


def _with_days_overdue(frame: pl.DataFrame, day) -> pl.DataFrame:
    """`days_overdue` (days from due date to the as-of date, overdue rows only) beside `overdue`,
    computed here so the SQL stays portable."""
    days = pl.when(pl.col("overdue")).then((pl.lit(day, dtype=pl.Date) - pl.col("due_date")).dt.total_days())
    frame = frame.with_columns(days.cast(pl.Int64).alias("days_overdue"))
    cols = frame.columns
    cols.remove("days_overdue")
    cols.insert(cols.index("overdue") + 1, "days_overdue")
    return frame.select(cols)


def _scope_code(scope: str | None) -> str | None:
    if scope is None:
        return None
    return "national" if scope.strip().lower() in ("nacional", "national", "") else scope.strip()


def _visible(viewer: Viewer, day, path) -> pl.DataFrame:
    """Every agreement the viewer may see with `overdue` at `day`, newest first: one query (on the ops
    file) for both lists below, so a page showing both, or Resumen and Ficha after Acuerdos, reuse it."""
    where, sp = scope_clause("a.scope_code", viewer)
    return fetch(f"""{_SELECT}
        WHERE {where}
        ORDER BY a.agreement_id DESC""", [day, *sp], path)


def open_agreements(viewer: Viewer, indicator: str | None = None, scope: str | None = None,
                    as_of: dt.date | None = None, path=None) -> pl.DataFrame:
    """Agreements still abierto / en curso, overdue first; optionally for one indicator and/or scope.

    `scope` is a municipality code or 'nacional'; `overdue` = due_date < as_of (default: the
    warehouse's as-of date).
    """
    day = _as_of(viewer, as_of, path)
    code = _scope_code(scope)
    frame = _visible(viewer, day, path).filter(pl.col("is_open"))
    if indicator is not None:
        frame = frame.filter(pl.col("indicator_code") == indicator)
    if code is not None:
        frame = frame.filter(pl.col("scope_code") == code)
    frame = frame.sort(["overdue", "due_date", "agreement_id"], descending=[True, False, False], nulls_last=True)
    return _with_days_overdue(frame.drop("is_open"), day)


def all_agreements(viewer: Viewer, as_of: dt.date | None = None, path=None) -> pl.DataFrame:
    """Every agreement the viewer may see, newest first (closed ones included)."""
    day = _as_of(viewer, as_of, path)
    return _with_days_overdue(_visible(viewer, day, path).drop("is_open"), day)
