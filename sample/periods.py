"""Period arithmetic mirroring the warehouse (ISO weeks Monday-Sunday; a period counts at its end)."""
from __future__ import annotations

import datetime as dt

from sample import story

DAY = dt.timedelta(days=1)


def month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + (m == 12), m % 12 + 1, 1)) - DAY


def periods(freq: str, start: dt.date, until: dt.date = story.AS_OF) -> list[tuple[str, dt.date]]:
    """(label, end) of every period of `freq` whose end falls in [start, until]."""
    out = []
    if freq == "semanal":
        monday = start - dt.timedelta(days=start.weekday())
        while monday + 6 * DAY <= until:
            end = monday + 6 * DAY
            if end >= start:
                iso = monday.isocalendar()
                out.append((f"{iso.year}-W{iso.week:02d}", end))
            monday += 7 * DAY
        return out
    step = {"mensual": 1, "trimestral": 3, "anual": 12}[freq]
    y, m = start.year, ((start.month - 1) // step) * step + 1
    while True:
        em = m + step - 1
        end = month_end(y, em)
        if end > until:
            return out
        if freq == "mensual":
            label = f"{y}-{m:02d}"
        elif freq == "trimestral":
            label = f"{y}-Q{(m - 1) // 3 + 1}"
        else:
            label = str(y)
        out.append((label, end))
        m += step
        if m > 12:
            y, m = y + 1, m - 12


def last_complete_period_end(freq: str, d: dt.date) -> dt.date:
    """As warehouse/sql/11_int_periods.sql: the end of the last complete period on or before d."""
    if freq == "semanal":
        end = d - dt.timedelta(days=d.weekday()) + 6 * DAY
        return d if end == d else d - dt.timedelta(days=d.weekday()) - DAY
    step = {"mensual": 1, "trimestral": 3, "anual": 12}[freq]
    m0 = ((d.month - 1) // step) * step + 1
    end = month_end(d.year, m0 + step - 1)
    return d if end == d else dt.date(d.year, m0, 1) - DAY


FREQUENCY_DAYS = {"semanal": 7, "mensual": 31, "trimestral": 92, "anual": 366}


def due_end(freq: str, deadline_days: int, as_of: dt.date = story.AS_OF) -> dt.date:
    """A unit is late ('atrasado') when its latest period ends before this date."""
    return last_complete_period_end(freq, as_of - dt.timedelta(days=deadline_days))


def sin_dato_before(freq: str, as_of: dt.date = story.AS_OF) -> dt.date:
    """A latest period ending before this date gives 'sin dato'."""
    return as_of - dt.timedelta(days=2 * FREQUENCY_DAYS[freq])
