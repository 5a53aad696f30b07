"""Ejes: its queries on hand-computed cases, and the page against the query layer."""
from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts.progress import indicator_trend_figure, semaforo_distribution_figure
from sample import story
from warehouse.asof import week_end_of
from warehouse.queries import ejes
from warehouse.store import write_transaction
from tests.conftest import open_page
from warehouse.query import SYSTEM

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
B, T, AS_OF = D(2013, 12, 31), D(2014, 12, 31), D(2014, 3, 31)


def _eje(mini, code, eje_id, intervention):
    with write_transaction(mini.path) as con:
        con.execute("UPDATE indicators SET eje_id = ?, intervention = ? WHERE code = ?", [eje_id, intervention, code])


# --- queries, hand-computed ---------------------------------------------------------------------
def test_series_of_a_rate_is_sum_of_numerators_over_sum_of_denominators(mini):
    mini.indicator("R", denominator="hogares", scale=100)
    for muni, rows in (("0101", [(10, 20), (12, 20)]), ("0614", [(30, 40), (36, 40)])):   # depts 01 and 06
        for month_end, (num, den) in zip((D(2014, 1, 31), D(2014, 2, 28)), rows):
            mini.measure("R", muni, month_end, num=num, den=den)
    national = ejes.indicator_series("R", AS_OF, path=mini.path, viewer=SYSTEM)
    assert national["value"].to_list() == pytest.approx([100 * 40 / 60, 100 * 48 / 60])   # not a mean of %
    assert national["units"].to_list() == [2, 2]
    department = ejes.indicator_series("R", AS_OF, department="01", path=mini.path, viewer=SYSTEM)
    assert department["value"].to_list() == pytest.approx([50.0, 60.0])
    assert department["scope_code"].unique().to_list() == ["01"]


def test_series_of_a_flujo_runs_within_each_year(mini):
    mini.indicator("F", accumulation="flujo")
    mini.target("F", "0101", D(2014, 1, 1), 0, T, 50)
    for month_end, value in ((D(2013, 12, 31), 5), (D(2014, 1, 31), 3), (D(2014, 2, 28), 4)):
        mini.measure("F", "0101", month_end, value=value)
    series = ejes.indicator_series("F", AS_OF, path=mini.path, viewer=SYSTEM)
    assert series["value"].to_list() == [5, 3, 7]
    assert series["segment"].to_list() == [2013, 2014, 2014]     # the line restarts in January


def test_series_of_an_acumulado_runs_since_the_baseline_and_knows_only_what_was_reported(mini):
    mini.indicator("A", accumulation="acumulado")
    mini.target("A", "0101", B, 0, T, 20)
    mini.measure("A", "0101", D(2013, 11, 30), value=2)                   # before the baseline: out
    mini.measure("A", "0101", D(2014, 1, 31), value=3)
    mini.measure("A", "0101", D(2014, 2, 28), value=4)
    mini.measure("A", "0101", D(2014, 3, 31), value=9, reported=D(2014, 4, 10))   # not yet known at AS_OF
    series = ejes.indicator_series("A", AS_OF, path=mini.path, viewer=SYSTEM)
    assert series["period_end"].to_list() == [D(2014, 1, 31), D(2014, 2, 28)]
    assert series["value"].to_list() == [3, 7]
    assert ejes.indicator_series("A", D(2014, 4, 30), path=mini.path, viewer=SYSTEM)["value"].to_list() == [3, 7, 16]


def test_series_of_a_national_indicator_uses_its_national_rows(mini):
    mini.indicator("N", scope_level="national", frequency="anual")
    mini.measure("N", "national", D(2012, 12, 31), value=12.8, period_type="Y")
    mini.measure("N", "national", D(2013, 12, 31), value=12.5, period_type="Y")
    assert ejes.indicator_series("N", AS_OF, path=mini.path, viewer=SYSTEM)["value"].to_list() == [12.8, 12.5]
    assert ejes.indicator_series("N", AS_OF, department="01", path=mini.path, viewer=SYSTEM).is_empty()


def test_distribution_counts_indicators_or_municipality_pairs(mini):
    for code, intervention, values in (("X", "CSR", (49, 45)), ("Y", "CSU", (49, 49))):
        mini.indicator(code)
        _eje(mini, code, 2, intervention)
        for muni, value in zip(("0101", "0614"), values):
            mini.target(code, muni, D(2014, 1, 1), 40, T, 60)
            mini.measure(code, muni, D(2014, 6, 30), value=value)
    as_of = D(2014, 7, 1)
    pairs = ejes.eje_semaforo_distribution(as_of, unit="municipios", path=mini.path, viewer=SYSTEM)
    got = {(r["intervention"], r["semaforo"]): r["count"] for r in pairs.iter_rows(named=True)}
    assert got == {("CSR", "verde"): 1, ("CSR", "rojo"): 1, ("CSU", "verde"): 2}
    national = ejes.eje_semaforo_distribution(as_of, unit="indicadores", path=mini.path, viewer=SYSTEM)
    assert national["count"].sum() == 2                        # one row per indicator at the country level
    assert ejes.eje_semaforo_distribution(as_of, unit="municipios", department="06", path=mini.path, viewer=SYSTEM)["count"].sum() == 2
    with pytest.raises(ValueError):
        ejes.eje_semaforo_distribution(as_of, unit="todo", path=mini.path, viewer=SYSTEM)


def test_trend_figure_draws_the_straight_trajectory_from_baseline_to_target():
    series = pl.DataFrame({"period_end": [D(2014, 1, 31), D(2014, 2, 28)], "period": ["2014-01", "2014-02"],
                           "value": [3.0, 7.0], "units": [1, 1], "segment": [0, 0]})
    plan = dict(baseline_date=B, baseline_value=0.0, target_date=T, target_value=20.0, target_kind="PQD-2014",
                value=7.0, latest_end=D(2014, 2, 28), semaforo="verde")
    fig = indicator_trend_figure(series, plan, "A", "u")
    trajectory = next(t for t in fig.data if t.name.startswith("Trayectoria esperada"))
    assert list(trajectory.y) == [0.0, 20.0] and list(trajectory.x) == [B, T]
    assert any(t.name == "Meta PQD-2014" for t in fig.data)
    empty = semaforo_distribution_figure(pl.DataFrame(schema={"eje_id": pl.Int32, "eje": pl.String,
                                                              "intervention": pl.String, "semaforo": pl.String,
                                                              "count": pl.Int64}), "t")
    assert len(empty.data) == 0


# --- the page ------------------------------------------------------------------------------------
def _ejes(query_params: dict | None = None) -> AppTest:
    at = open_page("ejes", query_params, timeout=90)
    assert not at.exception, at.exception
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _values(array) -> list:
    """Plotly arrays arrive as lists or as base64 typed arrays."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def _bar_totals(spec: dict) -> dict[str, int]:
    totals: dict[str, int] = {}
    for trace in spec["data"]:
        if trace.get("type") == "bar":
            for bar, n in zip(_values(trace["y"]), _values(trace["x"])):
                totals[bar] = totals.get(bar, 0) + n
    return totals


def _eje_sections(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader if s.value.startswith("Eje ")]


def test_ejes_renders_every_eje_with_its_indicators(sample_warehouse):
    at = _ejes()
    assert _eje_sections(at) == ["Eje 1 · Capital humano", "Eje 2 · Infraestructura social básica",
                                 "Eje 3 · Generación de ingreso", "Eje 4 · Gestión territorial"]
    week_end = week_end_of(at.selectbox(key="f_semana").value)
    indicators = ejes.eje_indicators(week_end, viewer=SYSTEM)
    tables = [df for df in (d.value for d in at.dataframe) if "Código" in df.columns and "Avance (%)" in df.columns]
    assert [sorted(t["Código"]) for t in tables] == [
        sorted(indicators.filter(pl.col("eje_id") == k)["indicator_code"]) for k in (1, 2, 3, 4)]
    # the distribution chart counts what the query counts, per eje x intervention
    distribution = ejes.eje_semaforo_distribution(week_end, unit="municipios", viewer=SYSTEM)
    assert sum(_bar_totals(_charts(at)[0]).values()) == distribution["count"].sum()
    # one trend chart per eje, each with a link to its ficha
    assert len(_charts(at)) == 5
    assert len([e for e in at.get("page_link") if e.proto.page == "ficha"]) == 4


def test_url_shows_only_the_chosen_eje(sample_warehouse):
    at = _ejes({"eje": "2"})
    assert at.selectbox(key="f_eje").value == "2"
    assert _eje_sections(at) == ["Eje 2 · Infraestructura social básica"]
    bars = _bar_totals(_charts(at)[0])
    assert bars and all(b.startswith("Eje 2 ") for b in bars)
    # eje 2's rojo pairs include the story's lagging municipalities (7 each)
    rojo = next(t for t in _charts(at)[0]["data"] if t.get("name", "").endswith("Rojo (rezagado)"))
    assert sum(_values(rojo["x"])) >= 7 * len(story.LAGGING_MUNICIPALITIES)


def test_filter_change_changes_the_sections_and_the_url(sample_warehouse):
    at = _ejes()
    at.selectbox(key="f_eje").set_value("3").run()
    assert not at.exception
    assert at.query_params["eje"] == "3"
    assert _eje_sections(at) == ["Eje 3 · Generación de ingreso"]
    at.selectbox(key="f_intervencion").set_value("CSU").run()
    bars = _bar_totals(_charts(at)[0])
    assert bars and all("CSU" in b for b in bars)


def test_count_unit_and_department_from_the_url(sample_warehouse):
    at = _ejes({"conteo": "indicadores", "depto": "13"})
    week_end = week_end_of(at.selectbox(key="f_semana").value)
    expected = ejes.eje_semaforo_distribution(week_end, unit="indicadores", department="13", viewer=SYSTEM)
    assert sum(_bar_totals(_charts(at)[0]).values()) == expected["count"].sum()
    assert "departamento de Morazán" in _charts(at)[0]["layout"]["title"]["text"]


def test_trend_chart_follows_the_selected_indicator(sample_warehouse):
    at = _ejes({"eje": "2"})
    week_end = week_end_of(at.selectbox(key="f_semana").value)
    at.selectbox(key="tendencia_eje_2").set_value("CSR-INFRA-03").run()
    assert not at.exception
    chart = _charts(at)[1]
    assert chart["layout"]["title"]["text"].startswith("CSR-INFRA-03 ")
    series = ejes.indicator_series("CSR-INFRA-03", week_end, viewer=SYSTEM)
    drawn = [v for t in chart["data"] if t["name"] == "Valor reportado" for v in _values(t["y"])]
    assert drawn == pytest.approx(series["value"].to_list())
    plan = ejes.eje_indicators(week_end, eje=2, viewer=SYSTEM).filter(pl.col("indicator_code") == "CSR-INFRA-03").row(0, named=True)
    trajectory = next(t for t in chart["data"] if t["name"].startswith("Trayectoria esperada"))
    assert _values(trajectory["y"]) == pytest.approx([plan["baseline_value"], plan["target_value"]])
    # the ficha link keeps the week and intervention under review
    assert [e.proto.query_string for e in at.get("page_link") if e.proto.page == "ficha"] == \
        [f"semana={at.selectbox(key='f_semana').value}&intervencion=ambas&indicador=CSR-INFRA-03"]


def test_every_chart_and_table_downloads(sample_warehouse):
    from tests.conftest import assert_exports
    at = _ejes()
    assert len(at.get("plotly_chart")) == 5              # distribution + one trend per eje
    assert_exports(at)
