"""Municipios page: map, ranking and municipal profile against the query layer (sample warehouse)."""
from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts.geo import rojo_tint
from charts.maps import LAYER_DEPARTMENTS, LAYER_POINTS, LAYER_POLYGONS, OFFLINE_STYLE, ONLINE_STYLE, basemap_style, municipality_deck
from charts.style import SEMAFORO_COLOR
from warehouse.asof import week_end_of
from warehouse.queries.municipal import (municipality_budget, municipality_indicators, municipality_map,
                                         municipality_ranking)
from warehouse.query import SYSTEM
from tests.conftest import open_page

WEEK = "2014-W20"
LAGGING = {"1314", "0426", "1213", "0905", "1119"}   # sample story: eje 2 rojo in these CSR municipalities


def page(**params) -> AppTest:
    return open_page("municipios", params, timeout=90)


def deck(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def points(spec: dict) -> list[dict]:
    return next(layer for layer in spec["layers"] if layer["id"] == LAYER_POINTS)["data"]


def rgba_hex(color: str) -> list[int]:
    h = color.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)]


def rgba(state: str) -> list[int]:
    return rgba_hex(SEMAFORO_COLOR[state])


@pytest.fixture(scope="module")
def default_page(sample_warehouse):
    return page()


def test_renders_map_with_one_point_per_municipality(default_page):
    at = default_page
    assert not at.exception
    expected = municipality_map(week_end_of(WEEK), SYSTEM).drop_nulls(["lat", "lon"])
    spec = deck(at)
    data = points(spec)
    assert len(data) == expected.height == 262
    assert spec["mapStyle"] == OFFLINE_STYLE            # draws without internet
    marks = pl.DataFrame(data).group_by("mark").len()
    assert dict(zip(marks["mark"], marks["len"])) == {"CSU": 25, "CSR": 100, "context": 137}
    csu = next(p for p in data if p["mark"] == "CSU")
    csr = next(p for p in data if p["mark"] == "CSR")
    assert csu["radius"] > csr["radius"] and csu["line"] != csr["line"]   # told apart without colour


def test_map_draws_the_departments_under_the_municipalities_and_fills_its_frame(default_page):
    spec = deck(default_page)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids.index(LAYER_DEPARTMENTS) < ids.index(LAYER_POINTS)    # drawn first: under the points
    layer = spec["layers"][ids.index(LAYER_DEPARTMENTS)]
    assert layer["@@type"] == "GeoJsonLayer" and not layer["pickable"]
    features = layer["data"]["features"]
    assert sorted(f["properties"]["department_code"] for f in features) == [f"{i:02d}" for i in range(1, 15)]
    frame = municipality_map(week_end_of(WEEK), SYSTEM)
    rojo = frame.filter(pl.col("in_filter") & (pl.col("semaforo") == "rojo")).group_by("department").len()
    counted = dict(zip(rojo["department"], rojo["len"]))
    for f in features:                        # the tint counts the query layer's rojo municipalities
        n = counted.get(f["properties"]["department"], 0)
        assert f["properties"]["rojo"] == n and f["properties"]["fill"][:3] == rgba_hex(rojo_tint(n))
    view = spec["initialViewState"]          # fitted to the country, not the old far-out view
    assert 13.6 < view["latitude"] < 14.0 and -89.1 < view["longitude"] < -88.7 and view["zoom"] > 7.9


def test_department_filter_zooms_to_the_department(sample_warehouse):
    at = page(depto="13")
    assert not at.exception
    view = deck(at)["initialViewState"]
    assert view["zoom"] > 9 and -88.3 < view["longitude"] < -88.0     # Morazán


def test_ranking_matches_query_layer(default_page):
    at = default_page
    ranking = municipality_ranking(municipality_map(week_end_of(WEEK), SYSTEM))
    shown = at.dataframe[0].value
    assert len(shown) == ranking.height == 125
    assert list(shown["Código"][:5]) == ranking["code"].to_list()[:5]
    assert LAGGING <= set(shown["Código"][:15])                     # 7 rojo each, among the first
    assert shown["Rojo"].iloc[0] == ranking["rojo"][0] == ranking["rojo"].max()


def test_choosing_an_indicator_changes_the_colours(sample_warehouse):
    at = page()
    before = {p["code"]: p["fill"][:3] for p in points(deck(at))}
    at.selectbox(key="m_color").set_value("CS-01").run()
    assert not at.exception
    after = {p["code"]: p["fill"][:3] for p in points(deck(at))}
    assert before != after
    frame = municipality_map(week_end_of(WEEK), SYSTEM, indicator="CS-01")
    amarillo = set(frame.filter(pl.col("ind_semaforo") == "amarillo")["code"])
    assert amarillo and {c for c, fill in after.items() if fill == rgba("amarillo")} == amarillo
    assert at.query_params["color"] == "CS-01"
    tooltip = next(p for p in points(deck(at)) if p["code"] in amarillo)["indicator_text"]
    assert tooltip.startswith("CS-01: valor ") and "meta" in tooltip


def test_eje_filter_turns_the_lagging_municipalities_rojo(sample_warehouse):
    at = page(eje="2")
    assert not at.exception
    rojo = {p["code"] for p in points(deck(at)) if p["semaforo"] == "rojo"}
    assert LAGGING <= rojo
    icons = next(layer for layer in deck(at)["layers"] if layer["id"] == "iconos")["data"]
    # shape as well as colour: every flagged point carries its state's icon
    assert {(d["semaforo_text"].split()[-1], d["icon"]) for d in icons} <= {("rojo", "■"), ("amarillo", "▲")}
    assert sum(d["icon"] == "■" for d in icons) == len(rojo)


def test_url_opens_ahuachapan_profile(sample_warehouse):
    at = page(municipio="0101")
    assert not at.exception
    assert at.header[0].value == "Ahuachapán (Ahuachapán)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Intervención"] == "CSU"
    assert metrics["Índice de violencia (muestra)"] == "48.1"
    week_end = week_end_of(WEEK)
    indicators = municipality_indicators(week_end, "0101", SYSTEM)
    table = at.dataframe[1].value
    assert len(table) == indicators.height
    week = at.selectbox(key="f_semana").value
    assert set(table["Ficha"]) == {f"ficha?semana={week}&intervencion=ambas&indicador={c}"
                                   for c in indicators["indicator_code"]}
    assert metrics["■ rojo"] == str(indicators.filter(pl.col("semaforo") == "rojo").height)
    budget = municipality_budget(week_end, "0101", SYSTEM)
    assert metrics["Modificado"] == f"US$ {budget['modified'].sum():,.0f}"
    assert len(at.get("plotly_chart")) == 2                        # trend + comparison


def test_choosing_a_municipality_writes_the_url(sample_warehouse):
    at = page()
    assert any("Elija un municipio" in i.value for i in at.info)
    at.selectbox(key="m_municipio").set_value("1314").run()
    assert not at.exception
    assert at.query_params["municipio"] == "1314"
    assert at.header[0].value == "Meanguera (Morazán)"
    assert at.metric[0].value.startswith("CSR")


def test_profile_comparison_uses_department_and_intervention(sample_warehouse):
    frame = municipality_indicators(week_end_of(WEEK), "1314", SYSTEM)
    # every indicator has its department's figure, except the 'no agregable' ones (no aggregate)
    from warehouse.queries.reference import indicators_catalog
    intensive = set(indicators_catalog(viewer=SYSTEM).filter(pl.col("aggregation") == "no agregable")["code"])
    assert set(frame.filter(pl.col("department_percent").is_null())["indicator_code"]) <= intensive
    assert (frame["intervention_units"] == 100).all()              # the 100 CSR municipalities
    eje2 = frame.filter(pl.col("eje_id") == 2)
    assert (eje2["semaforo"] == "rojo").all()
    assert (eje2["percent"] < eje2["intervention_median_percent"]).all()


def test_deck_draws_polygons_when_boundaries_exist(sample_warehouse):
    frame = municipality_map(week_end_of(WEEK), SYSTEM)
    square = json.dumps({"type": "Polygon", "coordinates": [[[-89.9, 13.9], [-89.8, 13.9], [-89.8, 14.0],
                                                             [-89.9, 14.0], [-89.9, 13.9]]]})
    boundaries = pl.DataFrame({"code": ["0101"], "geometry_json": [square]})
    spec = json.loads(municipality_deck(frame, boundaries).to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    polygons = layers[LAYER_POLYGONS]["data"]["features"]
    assert [f["properties"]["code"] for f in polygons] == ["0101"]
    assert polygons[0]["properties"]["municipality"] == "Ahuachapán"
    assert len(layers[LAYER_POINTS]["data"]) == frame.height - 1


def test_online_basemap_only_when_asked(monkeypatch):
    monkeypatch.delenv("SPSU_ONLINE_BASEMAP", raising=False)
    assert basemap_style() == OFFLINE_STYLE
    monkeypatch.setenv("SPSU_ONLINE_BASEMAP", "1")
    assert basemap_style() == ONLINE_STYLE


def test_municipality_without_intervention_says_so(sample_warehouse):
    frame = municipality_map(week_end_of(WEEK), SYSTEM)
    none_code = frame.filter(pl.col("intervention") == "none")["code"][0]
    at = page(municipio=none_code)
    assert not at.exception
    assert any("sin intervención" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_map_charts_and_tables_download(sample_warehouse, monkeypatch):
    """The pydeck map exports through its Plotly twin; the indicator table's files drop the sparkline."""
    import streamlit as st

    from tests.conftest import assert_exports
    files = {}
    real = st.download_button

    def recording(label, data, *args, **kwargs):
        files[kwargs.get("file_name")] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = page(municipio="0101")
    assert_exports(at, images=len(at.get("plotly_chart")) + 1)
    assert f"mapa_municipios_semaforo_{WEEK}.png" in files
    header = files[f"indicadores_0101_{WEEK}.csv"]().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Código,Indicador,Eje,Semáforo") and "Tendencia" not in header and "Ficha" not in header
