"""The method for many weeks in one pass (mart_progress_weeks, int_unit_value_weeks) gives, week by
week, what the method gives for that week alone (mart_progress_asof): on the sample's selector weeks,
across a year's end and a plan's target date, for a few indicators, and on hand-made revisions whose
versions begin and end inside the weeks."""
from __future__ import annotations

import datetime as dt

import pytest

from warehouse.store import open_read, read_connection

D = dt.date
KEY = ("as_of", "scope_type", "scope_code", "indicator_code")


def _rows(con, sql: str, params: list) -> dict:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    return {tuple(r[k] for k in KEY): r for r in rows}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    return a == b


def _differences(con, weeks: list[dt.date], indicators: list[str] | None = None) -> list:
    """Rows (week, scope, indicator, column) where the one-pass result differs from the week alone."""
    many = _rows(con, "SELECT * FROM mart_progress_weeks(?::DATE[], p_indicators := ?::VARCHAR[])",
                 [weeks, indicators])
    assert {k[0] for k in many} <= set(weeks)
    bad = []
    for week in weeks:
        one = _rows(con, "SELECT * FROM mart_progress_asof(?::DATE, p_indicators := ?::VARCHAR[])",
                    [week, indicators])
        assert one, week
        mine = {k: r for k, r in many.items() if k[0] == week}
        bad += [(k, "missing") for k in one.keys() ^ mine.keys()]
        bad += [(k, c) for k in one.keys() & mine.keys() for c in one[k] if not _same(one[k][c], mine[k][c])]
    return bad


def _weekly(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=7 * k) for k in range(count)]


def test_selector_weeks_in_one_pass_equal_each_week_alone(sample_warehouse):
    con = open_read(sample_warehouse)
    weeks = [r[0] for r in con.execute("SELECT DISTINCT week_end FROM mart_progress_weekly ORDER BY 1").fetchall()]
    assert len(weeks) == 12
    # the weeks differ: versions become known (and one is superseded) inside them
    changing = con.execute("""SELECT count(*) FROM stg_measurement_versions(?::DATE)
                              WHERE known_from > ? OR known_until <= ?""", [weeks[-1], weeks[0], weeks[-1]]).fetchone()[0]
    assert changing > 1000
    assert _differences(con, weeks) == []
    # the unit values too, week by week
    many = con.execute("SELECT * FROM int_unit_value_weeks(?::DATE[]) ORDER BY 1, 2, 3", [weeks]).fetchall()
    one = [(w, *r) for w in weeks
           for r in con.execute("SELECT * FROM int_unit_value_asof(?::DATE)", [w]).fetchall()]
    one = sorted(one, key=lambda r: r[:3])
    assert len(many) == len(one) > 0
    assert [r[:3] for r in many] == [r[:3] for r in one]
    assert all(_same(a, b) for x, y in zip(many, one) for a, b in zip(x, y))


def _asof_differs_from_versions(con, day: dt.date) -> int:
    """Rows where stg_measurement_asof (the anti-join) and stg_measurement_versions without known_until
    (the intervals) disagree at `day`, both ways."""
    versions = "SELECT * EXCLUDE (known_from, known_until) FROM stg_measurement_versions(?::DATE) WHERE known_until IS NULL"
    asof = "SELECT * FROM stg_measurement_asof(?::DATE)"
    return con.execute(f"""SELECT (SELECT count(*) FROM ({asof} EXCEPT ALL {versions}))
                                + (SELECT count(*) FROM ({versions} EXCEPT ALL {asof}))""", [day] * 4).fetchone()[0]


def test_current_versions_two_forms_agree(sample_warehouse):
    con = open_read(sample_warehouse)
    for day in (D(2014, 5, 18), D(2014, 3, 9), D(2012, 1, 1), D(9999, 12, 31)):
        assert _asof_differs_from_versions(con, day) == 0, day
    assert con.execute("SELECT count(*) FROM stg_measurement_versions(DATE '2014-05-18') "
                       "WHERE known_until IS NOT NULL").fetchone()[0] >= 1


def test_weeks_across_a_year_end_and_a_target_date_and_a_few_indicators(sample_warehouse):
    con = open_read(sample_warehouse)
    # a flujo's year, the plan in force (PQD-2014 until 2014-12-31, then ODM-2015) change inside these
    assert _differences(con, _weekly(D(2013, 11, 24), 10)) == []
    assert _differences(con, _weekly(D(2014, 12, 14), 4)) == []
    # not in order, not evenly spaced, a few indicators
    assert _differences(con, [D(2014, 5, 18), D(2013, 6, 30), D(2014, 3, 9)],
                        ["CSR-BONO-01", "ODM-1.1", "CS-01"]) == []


def test_revisions_inside_the_weeks_hand_made(mini):
    """Versions that begin and end inside the weeks, for every accumulation: a newer report of a key
    supersedes the old one from the day it is known; an old report loaded late never shows; on equal
    report dates the later load wins; a period without a report date counts from its end."""
    weeks = _weekly(D(2014, 3, 2), 8)                               # 2014-03-02 .. 2014-04-20
    for code, acc, cum in (("S", "stock", False), ("F", "flujo", False), ("A", "acumulado", False),
                           ("C", "acumulado", True)):
        mini.indicator(code, accumulation=acc, cumulative=cum)
        for muni in ("0101", "0102"):
            mini.target(code, muni, D(2013, 12, 31), 0, D(2014, 12, 31), 100)
        for month in (1, 2):
            end = D(2014, month + 1, 1) - dt.timedelta(days=1)
            mini.measure(code, "0101", end, value=10 * month, reported=end + dt.timedelta(days=5))
            mini.measure(code, "0102", end, value=7 * month)        # no report date: known at its end
        # February revised on 2014-03-20 (inside the weeks), revised again on 2014-04-08 by two loads
        mini.measure(code, "0101", D(2014, 2, 28), value=25, reported=D(2014, 3, 20))
        mini.measure(code, "0101", D(2014, 2, 28), value=26, reported=D(2014, 4, 8))
        mini.measure(code, "0101", D(2014, 2, 28), value=27, reported=D(2014, 4, 8))
        # an old report of January loaded late: ranked below the one it would replace, never current
        mini.measure(code, "0101", D(2014, 1, 31), value=99, reported=D(2014, 2, 1))
        # March arrives inside the weeks; 0102's own March has no report date (known on 03-31)
        mini.measure(code, "0101", D(2014, 3, 31), value=30, reported=D(2014, 4, 2))
        mini.measure(code, "0102", D(2014, 3, 31), value=21)
    mini.indicator("R", accumulation="stock", denominator="población", aggregation="razón", scale=100)
    mini.target("R", "0101", D(2013, 12, 31), 10, D(2014, 12, 31), 50)
    mini.measure("R", "0101", D(2014, 1, 31), num=1, den=10, reported=D(2014, 2, 3))
    mini.measure("R", "0101", D(2014, 1, 31), num=3, den=10, reported=D(2014, 3, 25))
    with read_connection(mini.path) as con:
        assert all(_asof_differs_from_versions(con, w) == 0 for w in weeks)
        assert _differences(con, weeks) == []
        assert _differences(con, weeks, ["F", "R"]) == []
        values = {(r[0], r[1]): r[2] for r in con.execute(
            """SELECT as_of, indicator_code, value FROM mart_progress_weeks(?::DATE[])
               WHERE scope_type = 'municipio' AND scope_code = '0101'""", [weeks]).fetchall()}
    # stock: January's 10 (the late old report never shows), February's 20 once reported (03-05), 25
    # from its revision (03-20), then March's 30 from 04-02 (the latest period wins)
    assert [values[(w, "S")] for w in weeks] == [10, 20, 20, 25, 25, 30, 30, 30]
    # flujo: January + February (20, 25, then 27 from 04-08: the later of two loads on one report
    # date) + March once known
    assert [values[(w, "F")] for w in weeks] == [10, 30, 30, 35, 35, 65, 67, 67]
    # a rate: 1/10 until its revision 3/10 is known on 03-25
    assert [values[(w, "R")] for w in weeks] == [10, 10, 10, 10, 30, 30, 30, 30]


def _plan_nodes(plan):
    for node in plan:
        yield node
        yield from _plan_nodes(node.get("children", []))


def test_weeks_for_a_few_indicators_scan_only_their_rows(sample_warehouse):
    """The incremental refresh evaluates the touched indicators over the weeks: the facts' scan returns
    their rows only, whether the list is a constant or a subquery."""
    import json
    con = open_read(sample_warehouse)
    total = con.execute("SELECT count(*) FROM measurements").fetchone()[0]
    own = con.execute("SELECT count(*) FROM measurements WHERE indicator_code = 'CS-01'").fetchone()[0]
    for arg in ("['CS-01']", "(SELECT list(code) FROM indicators WHERE code = 'CS-01')"):
        query = f"SELECT * FROM mart_progress_weeks([DATE '2014-05-18', DATE '2014-05-11'], p_indicators := {arg})"
        assert {r[3] for r in con.execute(query).fetchall()} == {"CS-01"}
        plan = json.loads(con.execute(f"EXPLAIN (ANALYZE, FORMAT json) {query}").fetchall()[0][1])
        scans = [n for n in _plan_nodes(plan["operator"]) if n["extra_info"].get("Table", "").endswith(".measurements")]
        assert scans and max(n["intermediate_rows"] for n in scans) <= max(own, 4096) < total / 10, arg


def test_the_national_scope_alone_equals_the_national_rows(sample_warehouse):
    """p_scope := 'national' (the back-test's cut) gives exactly the full method's national rows, for
    several weeks at once, one date, and a few indicators; no other scope comes out."""
    con = open_read(sample_warehouse)
    weeks = [r[0] for r in con.execute("SELECT DISTINCT week_end FROM mart_progress_weekly ORDER BY 1").fetchall()]
    cut = weeks[-1].replace(year=weeks[-1].year - 1)
    for dates, indicators in ((weeks[-3:], None), ([cut], None), ([cut], ["CS-04", "CSR-CLOC-01", "ODM-1.1"])):
        full = _rows(con, "SELECT * FROM mart_progress_weeks(?::DATE[], p_indicators := ?::VARCHAR[])",
                     [dates, indicators])
        alone = _rows(con, """SELECT * FROM mart_progress_weeks(?::DATE[], p_indicators := ?::VARCHAR[],
                                                                p_scope := 'national')""", [dates, indicators])
        national = {k: r for k, r in full.items() if k[1] == "nacional"}
        assert national and len(national) < len(full)
        assert alone.keys() == national.keys()
        assert [(k, c) for k in alone for c in alone[k] if not _same(alone[k][c], national[k][c])] == []
    con.close()
