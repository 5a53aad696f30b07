"""The sample's story (sample/story.py) as the warehouse method computes it on the real build."""
import datetime as dt

import duckdb
import pytest

from sample import story
from warehouse.queries.home import week_late_reports, week_revisions


@pytest.fixture(scope="module")
def con(sample_warehouse):
    with duckdb.connect(str(sample_warehouse), read_only=True) as c:
        c.execute("CREATE TEMP TABLE p AS SELECT p.*, i.eje_id, i.intervention, i.program_code "
                  "FROM mart_progress_asof(?) p JOIN indicators i ON i.code = p.indicator_code", [story.AS_OF])
        yield c


def test_as_of_is_the_latest_period_end(con):
    assert con.execute("SELECT max(period_end) FROM measurements").fetchone()[0] == story.AS_OF


def test_most_indicators_are_on_track(con):
    counts = dict(con.execute("SELECT semaforo, count(*) FROM p WHERE scope_type = 'municipio' GROUP BY 1").fetchall())
    graded = sum(counts.get(s, 0) for s in ("verde", "amarillo", "rojo"))
    assert counts["verde"] / graded > 0.85
    national = dict(con.execute("""SELECT semaforo, count(*) FROM p WHERE scope_type = 'nacional'
                                   AND program_code <> 'ODM1' GROUP BY 1""").fetchall())
    assert set(national) == {"verde"}


def test_one_eje_lags_in_the_named_municipalities(con):
    rows = con.execute("""SELECT scope_code, count(*) FILTER (WHERE semaforo = 'rojo'), count(*)
                          FROM p WHERE scope_type = 'municipio' AND eje_id = ? AND intervention = ?
                          AND scope_code IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""",
                       [story.LAGGING_EJE, story.LAGGING_INTERVENTION, story.LAGGING_MUNICIPALITIES]).fetchall()
    assert {r[0] for r in rows} == set(story.LAGGING_MUNICIPALITIES)
    assert all(rojo == total > 0 for _, rojo, total in rows)
    others = con.execute("""SELECT DISTINCT indicator_code, scope_code FROM p WHERE scope_type = 'municipio'
                            AND semaforo = 'rojo' AND NOT (eje_id = ? AND scope_code IN (SELECT unnest(?::VARCHAR[])))""",
                         [story.LAGGING_EJE, story.LAGGING_MUNICIPALITIES]).fetchall()
    assert set(others) == set(story.LATE_FLOW_ROJO)


def test_one_program_under_executes_its_budget(con):
    ratios = dict(con.execute("""SELECT program_code, sum(accrued) / sum(modified) FROM stg_budget_current
                                 WHERE month BETWEEN DATE '2014-01-01' AND DATE '2014-05-01' GROUP BY 1""").fetchall())
    assert ratios[story.UNDER_EXECUTING_PROGRAM] < story.UNDER_EXECUTION_MAX_RATIO
    assert min(v for k, v in ratios.items() if k != story.UNDER_EXECUTING_PROGRAM) > story.OTHERS_MIN_RATIO


def test_late_reporters_are_the_named_municipalities(con):
    late = {r[0] for r in con.execute("""SELECT DISTINCT scope_code FROM p WHERE scope_type = 'municipio'
                                         AND reporting_status = 'atrasado'""").fetchall()}
    assert late == set(story.LATE_MUNICIPALITIES)


def test_revision_is_kept_and_shows_in_its_week(con, sample_warehouse):
    r = story.REVISION
    versions = con.execute("""SELECT value, load_id FROM measurements WHERE indicator_code = ? AND scope_code = ?
                              AND period = ? ORDER BY coalesce(reported_at, period_end)""",
                           [r["indicator"], r["scope"], r["period"]]).fetchall()
    assert [v for v, _ in versions] == [r["old"], r["new"]]
    assert versions[0][1] != versions[1][1]
    end = dt.date.fromisocalendar(2014, 20, 7)
    rev = week_revisions(end - dt.timedelta(days=6), end)
    hit = rev.filter((rev["indicator_code"] == r["indicator"]) & (rev["scope_code"] == r["scope"]))
    assert hit.height == 1 and hit["previous_value"][0] == r["old"] and hit["new_value"][0] == r["new"]


def test_odm1_targets_and_semaforo(con):
    got = dict(con.execute("SELECT indicator_code, semaforo FROM p WHERE program_code = 'ODM1'").fetchall())
    for code in story.ODM_WITHOUT_TARGET:
        assert got[code] == "sin meta"
    for code, state in story.ODM_SEMAFORO.items():
        assert got[code] == state


def test_late_reports_query_names_days_late(sample_warehouse):
    frame = week_late_reports(dt.date(2009, 1, 1), story.AS_OF)
    assert frame.height > 0 and (frame["days_late"] > 0).all()
