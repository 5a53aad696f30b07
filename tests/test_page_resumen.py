"""Resumen ejecutivo (home): its queries on hand-computed cases, and the page against the query layer."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sample import story
from warehouse.asof import week_end_of
from warehouse.queries import home
from warehouse.store import write_transaction
from tests.conftest import insert_facts, open_page
from warehouse.query import SYSTEM

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


# --- queries, hand-computed ---------------------------------------------------------------------
def _budget(con, program, scope, month, modified, scheduled, accrued, load_id):
    insert_facts(con, "budget", [(program, scope, month, modified, modified, scheduled, accrued, accrued, accrued,
                                  False, load_id)])


def test_budget_execution_over_the_annual_modified_and_timeliness_up_to_the_weeks_month(mini):
    with write_transaction(mini.path) as con:
        _budget(con, "CSR-INFRA", "0101", D(2013, 12, 1), 100, 100, 100, 1)    # previous year: out
        _budget(con, "CSR-INFRA", "0101", D(2014, 1, 1), 100, 50, 40, 1)
        _budget(con, "CSR-INFRA", "0101", D(2014, 2, 1), 100, 60, 50, 1)
        _budget(con, "CSR-INFRA", "0101", D(2014, 2, 1), 100, 60, 60, 2)       # revision: the later load wins
        _budget(con, "CSR-INFRA", "0101", D(2014, 3, 1), 100, 70, 70, 1)       # after the week's month: only its modified
        _budget(con, "CSU-PATI", "national", D(2014, 1, 1), 200, 100, 100, 1)  # another program, central level
    week_end = D(2014, 2, 16)
    got = home.budget_execution(week_end, path=mini.path, viewer=SYSTEM)
    # accrued 40 + 60 + 100 = 200 (to date); modified 100 + 100 + 100 + 200 = 500 (the year, March
    # included); scheduled 50 + 60 + 100 = 210 (to date)
    assert got["months"] == 2
    assert got["execution_percent"] == 40.0                                       # 200 / 500
    assert got["timeliness_percent"] == 95.2                                      # 200 / 210, one decimal
    only_infra = home.budget_execution(week_end, program="CSR-INFRA", path=mini.path, viewer=SYSTEM)
    assert only_infra["execution_percent"] == pytest.approx(100 * 100 / 300, abs=0.05)   # (40 + 60) / 300
    assert only_infra["timeliness_percent"] == pytest.approx(100 * 100 / 110, abs=0.05)
    # a department keeps its municipalities only (the central level has no department)
    assert home.budget_execution(week_end, department="01", path=mini.path, viewer=SYSTEM)["accrued"] == pytest.approx(100)
    assert home.budget_execution(week_end, intervention="CSU", path=mini.path, viewer=SYSTEM)["accrued"] == pytest.approx(100)


def test_semaforo_tiles_leave_sin_meta_outside_the_denominator(mini):
    B, T, AS_OF = D(2014, 1, 1), D(2014, 12, 31), D(2014, 7, 1)
    for code, value in (("V", 49), ("R", 45)):      # progress 0.45 -> verde, 0.25 -> rojo (expected 0.497)
        mini.indicator(code)
        mini.target(code, "0101", B, 40, T, 60)
        mini.measure(code, "0101", D(2014, 6, 30), value=value)
    mini.indicator("S")                              # no target: sin meta
    mini.measure("S", "0101", D(2014, 6, 30), value=3)
    tiles = home.semaforo_tiles(AS_OF, path=mini.path, viewer=SYSTEM)
    assert tiles["counts"] == {"verde": 1, "amarillo": 0, "rojo": 1, "en inicio": 0, "sin dato": 0, "sin meta": 1}
    assert tiles["with_target"] == 2
    assert tiles["percent_verde"] == pytest.approx(50.0)


def test_story_headlines(sample_warehouse):
    """The sample's story at the week under review, national level."""
    week_end = week_end_of(story.LAST_WEEK)
    tiles = home.semaforo_tiles(week_end, viewer=SYSTEM)
    # a programme in its fifth year: between half and three quarters verde; six ODM without target
    assert tiles["counts"]["sin meta"] == len(story.ODM_WITHOUT_TARGET)
    lo, hi = story.NATIONAL_VERDE_SHARE
    assert 100 * lo <= tiles["percent_verde"] <= 100 * hi
    assert tiles["counts"]["amarillo"] > 0 and tiles["counts"]["rojo"] > 0
    assert tiles["percent_verde"] == pytest.approx(100 * tiles["counts"]["verde"] / tiles["with_target"])
    odm = home.odm_headline(week_end, viewer=SYSTEM)
    assert odm["semaforo"] == story.ODM_SEMAFORO["ODM-1.1"] and odm["target_kind"] == "PQD-2014"
    assert odm["odm_target_value"] == pytest.approx(odm["odm_baseline_value"] / 2)   # halving target
    assert odm["odm_target_met"]                                   # 12.5 % against the 2015 target 13.9 %
    pqd = home.pqd_on_track(week_end, viewer=SYSTEM)
    assert 0 < pqd["verde"] < pqd["with_target"]
    budget_infra = home.budget_execution(week_end, program=story.UNDER_EXECUTING_PROGRAM, viewer=SYSTEM)
    assert budget_infra["execution_percent"] < story.UNDER_EXECUTION_MAX_PERCENT
    revisions = home.week_revisions(week_end - dt.timedelta(days=6), week_end, eje=1, viewer=SYSTEM)
    assert revisions["indicator_code"].to_list() == [story.REVISION["indicator"]]
    assert home.week_revisions(week_end - dt.timedelta(days=6), week_end, eje=2, viewer=SYSTEM).is_empty()


# --- the page ------------------------------------------------------------------------------------
def _home(query_params: dict | None = None, user: str | None = None) -> AppTest:
    at = open_page(None, query_params, timeout=90, user=user)
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _links(at: AppTest, page: str, key: str | None = None) -> list:
    """The page links to `page` (its url path: 'ficha' for pages/ficha.py): their query parameters
    as dicts, or only the value of `key` when given."""
    params = [dict(parse_qsl(e.proto.query_string)) for e in at.get("page_link") if e.proto.page == page]
    return [p.get(key) for p in params] if key else params


def _off_track_ficha_links(at: AppTest) -> list[str]:
    """The off-track list's links to the ficha (the forecast alerts' links follow them: ui/forecast.py)."""
    from warehouse.queries.analytics import forecast_flags
    from warehouse.query import Viewer
    links = _links(at, "ficha", "indicador")
    return links[:len(links) - forecast_flags(Viewer(name="prueba", role="analista")).height]


def _week_end(at: AppTest) -> dt.date:
    return week_end_of(at.selectbox(key="f_semana").value)


def test_home_renders_the_week_under_review_and_its_tiles(sample_warehouse):
    at = _home()
    assert at.selectbox(key="f_semana").value == story.LAST_WEEK
    assert at.query_params["semana"] == story.LAST_WEEK
    week_end = _week_end(at)
    tiles = home.semaforo_tiles(week_end, viewer=SYSTEM)
    metrics = _metrics(at)
    assert metrics["● Verde (en meta)"] == f"{tiles['counts']['verde']:,}"
    assert metrics["■ Rojo (rezagado)"] == f"{tiles['counts']['rojo']:,}"
    assert metrics["% en verde"] == f"{tiles['percent_verde']:.1f} %"
    assert any(f"{tiles['counts']['sin meta']} sin meta" in c.value for c in at.caption)
    assert metrics["Metas PQD-2014 en verde"] == f"{home.pqd_on_track(week_end, viewer=SYSTEM)['percent_verde']:.1f} %"
    budget = home.budget_execution(week_end, viewer=SYSTEM)
    assert metrics["Ejecución presupuestaria"] == f"{budget['execution_percent']:.1f} %"
    assert metrics["Oportunidad del gasto"] == f"{budget['timeliness_percent']:.1f} %"
    assert metrics["ODM-1.1 · Pobreza extrema"] == f"{home.odm_headline(week_end, SYSTEM)['value']:.1f} %"
    strip = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {t["name"] for t in strip["data"]} >= {"● Verde (en meta)", "■ Rojo (rezagado)"}


def test_what_changed_counts_equal_the_query_layer(sample_warehouse):
    at = _home()
    week_end = _week_end(at)
    changes = home.week_changes(story.LAST_WEEK, "2014-W19", viewer=SYSTEM)
    late = home.week_late_reports(week_end - dt.timedelta(days=6), week_end, viewer=SYSTEM)
    metrics = _metrics(at)
    assert metrics["Cambios de semáforo"] == f"{changes['direction'].is_not_null().sum():,}"
    assert metrics["Revisiones de datos"] == "1"                   # the story's one revision
    assert metrics["Reportes tardíos recibidos"] == f"{late.height:,}"


@pytest.mark.parametrize("args", [{}, {"eje": 2}, {"department": "05"}])
def test_the_pages_two_change_lists_equal_the_full_list_ordered(sample_warehouse, args):
    """The page (and the deck) ask for the semáforo changes worse first and the largest moves; both
    hold the rows of the full list the deck counts, in their order (stored rows and model alike)."""
    import polars as pl
    from charts.order import largest_moves
    rank = {"empeora": 0, "cambia": 1, "mejora": 2}
    for week, previous in ((story.LAST_WEEK, "2014-W19"), (story.LAST_WEEK, "2014-W17")):   # stored, model
        full = home.week_changes(week, previous, SYSTEM, **args)
        moved = home.week_semaforo_changes(week, previous, SYSTEM, **args)
        expected = full.filter(pl.col("direction").is_not_null())
        assert moved.height == expected.height > 0
        assert sorted(moved.rows()) == sorted(expected.rows())
        keys = [(rank[d], float("inf") if p is None else p)
                for d, p in moved.select("direction", "percent_change").rows()]
        assert keys == sorted(keys)                    # empeora, cambia, mejora; largest fall first
        assert len({d for d, _ in keys}) > 1           # both ways in the sample: the order is exercised
        biggest = home.week_largest_moves(week, previous, SYSTEM, n=20, **args)
        assert largest_moves(biggest, 20)["percent_change"].to_list() == largest_moves(full, 20)["percent_change"].to_list()
        assert biggest.height == min(20, full["percent_change"].is_not_null().sum())


def test_off_track_links_point_at_ficha_and_municipios(sample_warehouse):
    at = _home()
    week_end = _week_end(at)
    indicators = home.off_track(week_end, limit=8, viewer=SYSTEM)
    municipalities = home.municipalities_off_track(week_end, limit=8, viewer=SYSTEM)
    assert _off_track_ficha_links(at) == indicators["indicator_code"].to_list()
    assert _links(at, "municipios", "municipio") == municipalities["code"].to_list()
    # rojo first, then atrasado, then amarillo; the story's lagging municipalities (7 rojo each in
    # eje 2) are among the rojo ones and lead by rojo count
    full = home.municipalities_off_track(week_end, limit=1000, viewer=SYSTEM)
    order = {"rojo": 0, "atrasado": 1, "amarillo": 2}
    assert full["state"].to_list() == sorted(full["state"].to_list(), key=order.get)
    rojo = full.filter(full["state"] == "rojo")
    assert set(story.LAGGING_MUNICIPALITIES) <= set(rojo["code"])
    assert rojo["rojo"].to_list() == sorted(rojo["rojo"].to_list(), reverse=True)


def test_filter_changes_the_tiles_and_the_url(sample_warehouse):
    at = _home()
    before = _metrics(at)
    at.selectbox(key="f_eje").set_value("2").run()
    assert not at.exception
    assert at.query_params["eje"] == "2"
    tiles = home.semaforo_tiles(_week_end(at), eje=2, viewer=SYSTEM)
    after = _metrics(at)
    assert after["● Verde (en meta)"] == f"{tiles['counts']['verde']:,}" != before["● Verde (en meta)"]
    off = home.off_track(_week_end(at), eje=2, limit=8, viewer=SYSTEM)
    assert off.height and set(off["indicator_code"].str.slice(0, 6)) <= {"CSR-IN", "CSU-AU"}   # eje 2 only
    assert _off_track_ficha_links(at) == off["indicator_code"].to_list()
    assert _links(at, "municipios", "municipio")[:5] == \
        home.municipalities_off_track(_week_end(at), eje=2, limit=5, viewer=SYSTEM)["code"].to_list()


def test_url_reproduces_the_view(sample_warehouse):
    at = _home({"semana": "2014-W19", "intervencion": "CSU", "depto": "06", "eje": "3"})
    assert at.selectbox(key="f_semana").value == "2014-W19"
    assert at.selectbox(key="f_intervencion").value == "CSU"
    assert at.selectbox(key="f_depto").value == "06"
    assert at.selectbox(key="f_eje").value == "3"
    tiles = home.semaforo_tiles(week_end_of("2014-W19"), intervention="CSU", eje=3, department="06", viewer=SYSTEM)
    assert _metrics(at)["● Verde (en meta)"] == f"{tiles['counts']['verde']:,}"
    assert any("departamento de San Salvador" in s.value for s in at.subheader)
    assert any("2014-W19 frente a 2014-W18" in s.value for s in at.subheader)


def test_open_agreements_section_is_optional(sample_warehouse, monkeypatch):
    monkeypatch.setitem(sys.modules, "warehouse.queries.agreements", None)    # import raises ImportError
    at = _home()
    assert not any(s.value == "Acuerdos abiertos" for s in at.subheader)


def test_a_municipal_viewer_sees_only_their_municipality(sample_warehouse, signed_in):
    user = signed_in("municipal", story.LAGGING_MUNICIPALITIES[0])
    at = _home(user=user)
    assert _links(at, "municipios", "municipio") == [story.LAGGING_MUNICIPALITIES[0]]


def test_strip_and_tables_download_and_the_weekly_deck_is_offered(sample_warehouse):
    from tests.conftest import assert_exports
    at = _home()
    assert_exports(at)
    deck = [b for b in at.get("download_button") if b.proto.label == "Presentación semanal (PPTX)"]
    assert len(deck) == 1 and deck[0].proto.deferred_file_id    # built on click only


def test_links_carry_the_week_intervention_and_department(sample_warehouse):
    """Every link out of the home keeps the review context, so the next page opens the same view."""
    at = _home({"semana": "2014-W19", "intervencion": "CSR", "depto": "06"})
    links = _links(at, "ficha") + _links(at, "municipios") + _links(at, "acuerdos")
    assert len(links) > 2
    for params in links:
        assert (params["semana"], params["intervencion"], params["depto"]) == ("2014-W19", "CSR", "06")


def test_a_week_the_warehouse_does_not_have_is_said_in_spanish(sample_warehouse):
    at = _home({"semana": "2013-W05", "intervencion": "CSR"})
    assert at.selectbox(key="f_semana").value == story.LAST_WEEK
    assert at.selectbox(key="f_intervencion").value == "CSR"
    warning = " ".join(w.value for w in at.warning)
    assert "2013-W05" in warning and "no está disponible" in warning and story.LAST_WEEK in warning


def test_the_header_names_the_department(sample_warehouse):
    at = _home({"depto": "06"})
    assert any("Departamento de San Salvador" in m.value for m in at.markdown)
    assert not any("Depto. 06" in m.value for m in at.markdown)


def test_what_got_worse_comes_first(sample_warehouse):
    """'Cambios de semáforo' lists the worsenings before the other changes and the improvements."""
    at = _home()
    shown = at.dataframe[0].value
    assert "Sentido" in shown.columns
    directions = shown["Sentido"].tolist()
    rank = {"empeora": 0, "cambia": 1, "mejora": 2}
    assert "empeora" in directions and directions[0] == "empeora"
    assert [rank[d] for d in directions] == sorted(rank[d] for d in directions)
