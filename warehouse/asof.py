"""The as-of date and the week under review (never today's date: the data decide)."""
from __future__ import annotations

import datetime as dt
import functools
import os
from contextvars import ContextVar

import duckdb

_pinned: ContextVar[tuple[int, dt.date | None] | None] = ContextVar("spsu_as_of_pinned", default=None)


def as_of_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """$SPSU_AS_OF if set, else the latest measurement period end; None on an empty warehouse."""
    env = os.environ.get("SPSU_AS_OF")
    if env:
        return dt.date.fromisoformat(env)
    return data_as_of(con)


def data_as_of(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The data's own as-of date (stg_as_of, whatever $SPSU_AS_OF says): every page's header."""
    pinned = _pinned.get()
    if pinned is not None and pinned[0] == id(con):
        return pinned[1]
    return con.execute("SELECT as_of FROM stg_as_of").fetchone()[0]


def reads_as_of_once(fn):
    """Decorate a step that takes `con` first and asks for the as-of date several times while no fact
    changes (a refresh: the marts, the series, the analytics and the pages' header each ask): inside
    it, stg_as_of is read once (at 10 M rows each read scans the facts, about 30-40 ms)."""
    @functools.wraps(fn)
    def wrapper(con, *args, **kwargs):
        token = _pinned.set((id(con), data_as_of(con)))
        try:
            return fn(con, *args, **kwargs)
        finally:
            _pinned.reset(token)
    return wrapper


def last_complete_week_end(day: dt.date) -> dt.date:
    """The Sunday closing the last complete ISO week on or before `day`."""
    return day - dt.timedelta(days=(day.isoweekday() % 7))


def week_label(week_end: dt.date) -> str:
    iso = week_end.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_end_of(label: str) -> dt.date:
    """Sunday of an ISO week label such as 2014-W20."""
    year, week = label.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 7)


def week_under_review(con: duckdb.DuckDBPyConnection) -> str | None:
    day = as_of_date(con)
    return week_label(last_complete_week_end(day)) if day else None
