"""The as-of date and the week under review (never today's date: the data decide)."""
from __future__ import annotations

import datetime as dt
import os

import duckdb


def as_of_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """$SPSU_AS_OF if set, else the latest measurement period end; None on an empty warehouse."""
    env = os.environ.get("SPSU_AS_OF")
    if env:
        return dt.date.fromisoformat(env)
    return con.execute("SELECT as_of FROM stg_as_of").fetchone()[0]


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
