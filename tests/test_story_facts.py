"""The sample's story (sample/story.py) as the warehouse method computes it on the real build."""
import datetime as dt

import pytest

from sample import story
from warehouse.queries.home import week_late_reports, week_revisions
from warehouse.store import open_read
from warehouse.query import SYSTEM


@pytest.fixture(scope="module")
def con(sample_warehouse):
    with open_read(sample_warehouse) as c:
        c.execute("CREATE TEMP TABLE p AS SELECT p.*, i.eje_id, i.intervention, i.program_code "
                  "FROM mart_progress_asof(?) p JOIN indicators i ON i.code = p.indicator_code", [story.AS_OF])
        yield c


def test_as_of_is_the_latest_period_end(con):
    assert con.execute("SELECT max(period_end) FROM measurements").fetchone()[0] == story.AS_OF


def test_a_programme_in_its_fifth_year_not_a_wall_of_green(con):
    """Of the indicators with a target at national level, between half and three quarters are verde;
    the lagging eje has no verde indicator nationally; rojo is a minority of municipal pairs."""
    national = dict(con.execute("""SELECT semaforo, count(*) FROM p WHERE scope_type = 'nacional'
                                   AND semaforo <> 'sin meta' GROUP BY 1""").fetchall())
    lo, hi = story.NATIONAL_VERDE_SHARE
    assert lo <= national["verde"] / sum(national.values()) <= hi, national
    eje = dict(con.execute("""SELECT semaforo, count(*) FROM p WHERE scope_type = 'nacional' AND eje_id = ?
                              GROUP BY 1""", [story.LAGGING_NATIONAL_EJE]).fetchall())
    assert "verde" not in eje and eje.get("amarillo", 0) + eje.get("rojo", 0) > 0
    municipal = dict(con.execute("""SELECT semaforo, count(*) FROM p WHERE scope_type = 'municipio'
                                    AND semaforo IN ('verde', 'amarillo', 'rojo') GROUP BY 1""").fetchall())
    assert municipal["rojo"] < municipal["amarillo"] < municipal["verde"]


def test_one_eje_lags_in_the_named_municipalities(con):
    rows = con.execute("""SELECT scope_code, count(*) FILTER (WHERE semaforo = 'rojo'), count(*)
                          FROM p WHERE scope_type = 'municipio' AND eje_id = ? AND intervention = ?
                          AND scope_code IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""",
                       [story.LAGGING_EJE, story.LAGGING_INTERVENTION, story.LAGGING_MUNICIPALITIES]).fetchall()
    assert {r[0] for r in rows} == set(story.LAGGING_MUNICIPALITIES)
    assert all(rojo == total > 0 for _, rojo, total in rows)
    states = dict(con.execute("""SELECT code, state FROM mart_municipality_state_asof(?, NULL, NULL, NULL)
                                 WHERE code IN (SELECT unnest(?::VARCHAR[]))""",
                              [story.AS_OF, story.LAGGING_MUNICIPALITIES]).fetchall())
    assert set(states.values()) == {"rojo"}


def test_some_programs_under_execute_their_budget(con):
    """Execution by the warehouse's one definition (33_mart_budget.sql): accrued to date / annual modified."""
    ratios = dict(con.execute("""SELECT program_code, budget_execution(sum(accrued), sum(modified))
                                 FROM int_budget_year(?) GROUP BY 1""", [story.AS_OF]).fetchall())
    assert all(ratios[k] < story.UNDER_EXECUTION_MAX_PERCENT for k in story.UNDER_EXECUTING)
    assert min(v for k, v in ratios.items() if k not in story.UNDER_EXECUTING) > story.OTHERS_MIN_PERCENT


def test_lateness_varies_across_municipalities(con):
    late = dict(con.execute("""SELECT scope_code, count(*) FILTER (WHERE reporting_status = 'atrasado') / count(*)
                               FROM p WHERE scope_type = 'municipio' GROUP BY 1""").fetchall())
    assert all(late[c] == 1 for c in story.LATE_MUNICIPALITIES)           # every indicator atrasado
    others = [v for c, v in late.items() if c not in story.LATE_MUNICIPALITIES]
    assert sum(v > 0 for v in others) > 30 and sum(v == 0 for v in others) > 10
    assert len({round(v, 2) for v in others}) >= 5 and max(others) < 0.5
    states = dict(con.execute("""SELECT code, state FROM mart_municipality_state_asof(?, NULL, NULL, NULL)
                                 WHERE code IN (SELECT unnest(?::VARCHAR[]))""",
                              [story.AS_OF, story.LATE_MUNICIPALITIES]).fetchall())
    assert set(states.values()) <= {"atrasado", "rojo"} and "atrasado" in states.values()


def test_municipality_states_tell_apart_the_lagging_from_the_rest(con):
    states = dict(con.execute("""SELECT state, count(*) FROM mart_municipality_state_asof(?, NULL, NULL, NULL)
                                 WHERE intervention <> 'none' GROUP BY 1""", [story.AS_OF]).fetchall())
    assert all(states.get(s, 0) > 0 for s in ("rojo", "amarillo", "verde", "atrasado"))
    assert states["rojo"] < sum(states.values()) / 2


def test_revision_is_kept_and_shows_in_its_week(con, sample_warehouse):
    r = story.REVISION
    versions = con.execute("""SELECT value, load_id FROM measurements WHERE indicator_code = ? AND scope_code = ?
                              AND period = ? ORDER BY coalesce(reported_at, period_end)""",
                           [r["indicator"], r["scope"], r["period"]]).fetchall()
    assert [v for v, _ in versions] == [r["old"], r["new"]]
    assert versions[0][1] != versions[1][1]
    end = dt.date.fromisocalendar(2014, 20, 7)
    rev = week_revisions(end - dt.timedelta(days=6), end, SYSTEM)
    hit = rev.filter((rev["indicator_code"] == r["indicator"]) & (rev["scope_code"] == r["scope"]))
    assert hit.height == 1 and hit["previous_value"][0] == r["old"] and hit["new_value"][0] == r["new"]


def test_odm1_targets_and_semaforo(con):
    got = dict(con.execute("SELECT indicator_code, semaforo FROM p WHERE program_code = 'ODM1'").fetchall())
    for code in story.ODM_WITHOUT_TARGET:
        assert got[code] == "sin meta"
    for code, state in story.ODM_SEMAFORO.items():
        assert got[code] == state


def test_late_reports_query_names_days_late(sample_warehouse):
    frame = week_late_reports(dt.date(2009, 1, 1), story.AS_OF, SYSTEM)
    assert frame.height > 0 and (frame["days_late"] > 0).all()


def test_odm_series_hold_only_survey_years_and_state_their_baseline(con):
    from sample.odm import ODM, code
    for odm, *_, first, years in ODM:
        got = [r[0] for r in con.execute("SELECT period FROM measurements WHERE indicator_code = ? ORDER BY period",
                                         [code(odm)]).fetchall()]
        assert got == [str(y) for y in sorted(years)]            # no interpolated years
    base = dict(con.execute("""SELECT indicator_code, year(baseline_date) FROM stg_targets_current
                               WHERE target_kind = 'ODM-2015'""").fetchall())
    assert base == {"ODM-1.1": 1991, "ODM-1.8": 1993, "ODM-1.9": 1991}
