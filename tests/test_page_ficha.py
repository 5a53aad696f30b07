"""Ficha técnica: URL state, definition, plans, national series and the municipal breakdown."""
from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from warehouse.asof import week_end_of
from warehouse.queries.ficha import (indicator_definition, indicator_plan, indicator_series,
                                     municipal_breakdown, national_status)
from warehouse.query import SYSTEM
from tests.conftest import open_page

WEEK_END = week_end_of("2014-W20")


def page(**params) -> AppTest:
    return open_page("ficha", params, timeout=90)


def breakdown_table(at):
    """The breakdown is the table with a 'Perfil' link column."""
    return next(df.value for df in at.dataframe if "Perfil" in df.value.columns)


@pytest.fixture(scope="module")
def infra(sample_warehouse):
    return page(indicador="CSR-INFRA-03")


def test_url_opens_the_indicator(infra):
    at = infra
    assert not at.exception
    d = indicator_definition("CSR-INFRA-03", SYSTEM)
    assert at.header[0].value == f"CSR-INFRA-03 · {d['name']}"
    assert at.selectbox(key="f_indicador").value == "CSR-INFRA-03"
    rows = breakdown_table(at)
    expected = municipal_breakdown(WEEK_END, "CSR-INFRA-03", SYSTEM)
    assert len(rows) == expected.height == 100
    assert list(rows["Código"]) == expected["code"].to_list()
    assert rows["Perfil"].iloc[0] == f"municipios?semana={at.selectbox(key='f_semana').value}&intervencion=ambas" \
                                     f"&municipio={expected['code'][0]}"


def test_national_semaforo_and_series(infra):
    at = infra
    nat = national_status(WEEK_END, "CSR-INFRA-03", SYSTEM)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Semáforo"].endswith(nat["semaforo"])
    assert metrics["Avance / esperado"] == f"{nat['percent']:.1f} %"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in spec["data"]]
    assert "Trayectoria esperada PQD-2014 (vigente)" in names
    assert any(n.startswith(f"Meta PQD-2014: {nat['target_value']:,.0f} (") for n in names)   # a count: no ".0"


def test_department_filter_narrows_the_breakdown(sample_warehouse):
    at = page(indicador="CSR-INFRA-03")
    at.selectbox(key="f_depto").set_value("13").run()
    assert not at.exception
    expected = municipal_breakdown(WEEK_END, "CSR-INFRA-03", SYSTEM, department="13")
    assert 0 < len(breakdown_table(at)) == expected.height < 100
    assert set(breakdown_table(at)["Departamento"]) == {"Morazán"}
    at.selectbox(key="f_intervencion").set_value("CSU").run()
    assert any("No hay filas" in i.value for i in at.info)          # a CSR indicator in CSU: empty


def test_choosing_an_indicator_keeps_it_in_the_url(sample_warehouse):
    at = page(indicador="CSR-INFRA-03")
    at.selectbox(key="f_indicador").set_value("ODM-1.1").run()
    assert not at.exception
    assert at.query_params["indicador"] == "ODM-1.1"
    assert at.header[0].value.startswith("ODM-1.1 · ")
    assert any("Indicador nacional" in i.value for i in at.info)     # no municipal breakdown


def test_odm_indicator_keeps_both_plans(sample_warehouse):
    plan = indicator_plan("ODM-1.1", WEEK_END, SYSTEM)
    assert plan["target_kind"].to_list() == ["PQD-2014", "ODM-2015"]
    assert plan.filter(pl.col("in_force"))["target_kind"].to_list() == ["PQD-2014"]
    at = page(indicador="ODM-1.1")
    metas = next(df.value for df in at.dataframe if "Vigente" in df.value.columns)
    assert list(metas["Meta"]) == ["PQD-2014", "ODM-2015"]


def test_unknown_indicator_in_url_falls_back(sample_warehouse):
    at = page(indicador="NO-EXISTE")
    assert not at.exception
    assert at.query_params["indicador"] == at.selectbox(key="f_indicador").value


def test_series_hand_computed(mini):
    """Two municipalities, monthly: flujo runs within each year, acumulado since the baseline,
    a rate is scale × Σnum / Σden per period."""
    mini.indicator("F", accumulation="flujo")
    mini.indicator("A", accumulation="acumulado")
    mini.indicator("R", denominator="d", scale=100.0)
    for code in ("F", "A"):
        mini.target(code, "0101", dt.date(2013, 12, 31), 0, dt.date(2014, 12, 31), 100)
        mini.measure(code, "0101", dt.date(2013, 12, 31), value=5)
        mini.measure(code, "0101", dt.date(2014, 1, 31), value=2)
        mini.measure(code, "0102", dt.date(2014, 1, 31), value=4)
        mini.measure(code, "0101", dt.date(2014, 2, 28), value=3)
    mini.measure("R", "0101", dt.date(2014, 1, 31), num=1, den=4)
    mini.measure("R", "0102", dt.date(2014, 1, 31), num=3, den=4)
    as_of = dt.date(2014, 3, 31)

    def values(code, scope="national"):
        s = indicator_series(code, as_of, SYSTEM, scope_code=scope, path=mini.path)
        return dict(zip(s["period"], s["value"]))

    assert values("F") == {"2013-12": 5, "2014-01": 6, "2014-02": 9}
    assert values("A") == {"2014-01": 6, "2014-02": 9}             # 2013-12 is the baseline month
    assert values("A", "0101") == {"2014-01": 2, "2014-02": 5}
    assert values("R") == {"2014-01": 50.0}
    units = indicator_series("F", as_of, SYSTEM, path=mini.path)
    assert units.filter(pl.col("period") == "2014-01")["units"].item() == 2


def test_series_and_tables_download(infra):
    from tests.conftest import assert_exports
    at = infra
    assert_exports(at, tables=len(at.dataframe) + 1)     # + the definition, shown as text


def test_series_of_a_stock_carries_each_unit_forward_to_the_method_value(mini):
    """0102 has not reported February yet: the national February point keeps its January value, so
    the series ends where the method's value is (12 + 30), not at 12 alone."""
    mini.indicator("S")
    mini.measure("S", "0101", dt.date(2014, 1, 31), value=10)
    mini.measure("S", "0102", dt.date(2014, 1, 31), value=30)
    mini.measure("S", "0101", dt.date(2014, 2, 28), value=12)
    as_of = dt.date(2014, 3, 10)
    s = indicator_series("S", as_of, SYSTEM, path=mini.path)
    assert dict(zip(s["period"], s["value"])) == {"2014-01": 40, "2014-02": 42}
    assert dict(zip(s["period"], s["units"])) == {"2014-01": 2, "2014-02": 1}      # who reported that month
    assert mini.progress(as_of)[("S", "national")]["value"] == 42
