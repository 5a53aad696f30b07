"""The series' roll-up from units to departments and the nation (int_series_scopes_asof,
warehouse/sql/31_mart_series.sql), on hand-made facts with the expected points written out: a level
carries every unit to every period end of the nation (also a department that did not report the last
period), a department keeps its own periods, a 'no agregable' magnitude has a point only where one
unit reports (or all report their parts), a national-level indicator reads its national rows only,
a flow adds the period's own reports (a unit reporting two periods that end the same day counts once
in `units`); each scope asked alone gives the one-pass rows."""
from __future__ import annotations

import datetime as dt

import pytest

from warehouse.store import read_connection

AS_OF = dt.date(2014, 4, 30)
JAN, FEB, MAR = dt.date(2014, 1, 31), dt.date(2014, 2, 28), dt.date(2014, 3, 31)


@pytest.fixture
def units(mini):
    """Two municipalities of one department and one of another: (a, b, c), (dept of a and b, dept of c)."""
    with read_connection(mini.path) as con:
        rows = con.execute("""SELECT department_code, list(code ORDER BY code) FROM municipalities
                              GROUP BY ALL ORDER BY department_code LIMIT 2""").fetchall()
    (d1, codes1), (d2, codes2) = rows
    return (codes1[0], codes1[1], codes2[0]), (d1, d2)


def _series(path, codes: list[str], scope=None) -> dict:
    """(indicator, scope, period end) -> (units, value, period_value)."""
    with read_connection(path) as con:
        rows = con.execute("""SELECT indicator_code, scope_code, period_end, units, value, period_value, period
                              FROM int_series_scopes_asof(?::DATE, ?::VARCHAR[], ?)""", [AS_OF, codes, scope]).fetchall()
    out = {}
    for code, scope_code, end, n, value, period_value, period in rows:
        assert period == end.isoformat()[:7]
        out[(code, scope_code, end)] = (n, value, period_value)
    return out


def _points(series: dict, code: str) -> dict:
    return {(scope, end): v for (c, scope, end), v in series.items() if c == code}


def _approx(points: dict) -> dict:
    return {k: (n, pytest.approx(v) if v is not None else None, pytest.approx(p) if p is not None else None)
            for k, (n, v, p) in points.items()}


def test_the_nation_and_departments_add_up_their_units(mini, units):
    (a, b, c), (d1, d2) = units
    mini.indicator("T-STOCK", aggregation="suma")
    for scope, end, value in [(a, JAN, 10), (b, JAN, 20), (c, JAN, 5), (a, FEB, 11), (c, FEB, 6),
                              (a, MAR, 12), (b, MAR, 22)]:       # c (the second department) misses March
        mini.measure("T-STOCK", scope, end, value)
    mini.indicator("T-NOAG", aggregation="no agregable")
    mini.measure("T-NOAG", a, JAN, 3.5)
    mini.measure("T-NOAG", c, JAN, 7)
    mini.indicator("T-PARTS", aggregation="no agregable", scale=100.0)
    mini.measure("T-PARTS", a, JAN, 50, num=1, den=2)
    mini.measure("T-PARTS", c, JAN, 25, num=1, den=4)
    mini.indicator("T-NAT", scope_level="national", aggregation="no agregable")
    mini.measure("T-NAT", "national", JAN, 40)
    mini.measure("T-NAT", "national", FEB, 42)
    mini.measure("T-NAT", a, FEB, 999)                            # a unit's row of a national indicator: ignored
    mini.indicator("T-FLOW", accumulation="flujo", aggregation="suma")
    for scope, end, value in [(a, JAN, 1), (b, JAN, 2), (c, JAN, 4), (a, FEB, 1)]:
        mini.measure("T-FLOW", scope, end, value)
    mini.indicator("T-LABELS", accumulation="flujo", aggregation="suma")
    mini.measure("T-LABELS", a, MAR, 1)
    mini.measure("T-LABELS", a, MAR, 2, period_type="Q")          # a month and a quarter ending the same day
    mini.measure("T-LABELS", b, MAR, 4)
    codes = ["T-STOCK", "T-NOAG", "T-PARTS", "T-NAT", "T-FLOW", "T-LABELS"]
    series = _series(mini.path, codes)

    # a level: each unit's latest report at every period end; the nation keeps c's February value in
    # March, the department of c has no March point; units = those that reported in the period
    assert _points(series, "T-STOCK") == _approx({
        ("national", JAN): (3, 35, 35), ("national", FEB): (2, 37, 37), ("national", MAR): (2, 40, 40),
        (d1, JAN): (2, 30, 30), (d1, FEB): (1, 31, 31), (d1, MAR): (2, 34, 34),
        (d2, JAN): (1, 5, 5), (d2, FEB): (1, 6, 6)})
    # 'no agregable': a value only where one unit reports, or where all report their parts
    assert _points(series, "T-NOAG") == _approx({
        ("national", JAN): (2, None, None), (d1, JAN): (1, 3.5, 3.5), (d2, JAN): (1, 7, 7)})
    assert _points(series, "T-PARTS") == _approx({
        ("national", JAN): (2, 100 * 2 / 6, 100 * 2 / 6), (d1, JAN): (1, 50, 50), (d2, JAN): (1, 25, 25)})
    # a national-level indicator: its national rows, at the nation only
    assert _points(series, "T-NAT") == _approx({("national", JAN): (1, 40, 40), ("national", FEB): (1, 42, 42)})
    # a flow: the period's own reports, running within the year
    assert _points(series, "T-FLOW") == _approx({
        ("national", JAN): (3, 7, 7), ("national", FEB): (1, 8, 1),
        (d1, JAN): (2, 3, 3), (d1, FEB): (1, 4, 1), (d2, JAN): (1, 4, 4)})
    # a period end with two labels: its units counted once each, its rows all summed
    assert _points(series, "T-LABELS") == _approx({("national", MAR): (2, 7, 7), (d1, MAR): (2, 7, 7)})

    # each scope asked alone: the same points as the one pass (the back-test asks the nation only)
    for scope in ("national", d1, d2):
        alone = _series(mini.path, codes, scope)
        assert alone == {k: v for k, v in series.items() if k[1] == scope}
    # one municipality: its own reports (a level carried to its own periods only)
    assert _points(_series(mini.path, codes, c), "T-STOCK") == _approx({(c, JAN): (1, 5, 5), (c, FEB): (1, 6, 6)})
    assert _points(_series(mini.path, codes, b), "T-STOCK") == _approx({(b, JAN): (1, 20, 20), (b, MAR): (1, 22, 22)})
