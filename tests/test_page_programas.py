"""Programas page: the logframe matrix (rows by level, indicators as in the query layer), the
program choice in the URL, and physical progress next to budget execution."""
from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts.logframe import logframe_html
from warehouse.queries.budget import program_execution
from warehouse.queries.logframe import logframe_indicators, logframe_objectives, physical_financial
from tests.conftest import open_page
from warehouse.query import SYSTEM

WEEK_END = dt.date(2014, 5, 18)   # 2014-W20, the sample's week under review


def run(**params) -> AppTest:
    at = open_page("programas", params, timeout=60)
    assert not at.exception, at.exception
    return at


def matrix(at: AppTest) -> str:
    found = [m.value for m in at.markdown if 'class="mml"' in m.value]
    assert len(found) == 1
    return found[0]


def levels(html: str) -> list[str]:
    return re.findall(r'<tr data-level="(\w+)"', html)


def indicator_codes(html: str) -> list[str]:
    return re.findall(r'data-indicator="([^"]+)"', html)


def test_default_is_the_cs_logframe_in_matrix_order(sample_warehouse):
    at = run()
    html = matrix(at)
    assert at.query_params["programa"] == "CS"
    assert levels(html) == ["fin", "proposito", "componente", "componente", "actividad"]
    # the indicator count and codes are the query layer's
    expected = logframe_indicators("CS", WEEK_END, viewer=SYSTEM)
    assert sorted(indicator_codes(html)) == sorted(expected["code"].to_list())
    # value, target and semáforo badge per indicator; the umbrella's activities name its programs
    assert "Meta PQD-2014" in html and "● verde" in html
    assert "programas?semana=2014-W20&amp;intervencion=ambas&amp;programa=CSR-BONO" in html
    assert "ficha?semana=2014-W20&amp;intervencion=ambas&amp;indicador=CS-01" in html
    # each indicator links to its ficha with st.page_link
    links = at.get("page_link")
    assert len(links) == expected.height
    assert {link.proto.query_string for link in links} == \
        {f"semana=2014-W20&intervencion=ambas&indicador={c}" for c in expected["code"]}


def test_switching_program_changes_the_matrix(sample_warehouse):
    at = run()
    at.selectbox(key="mml_programa").set_value("CSR-BONO").run()
    assert not at.exception
    html = matrix(at)
    assert at.query_params["programa"] == "CSR-BONO"
    assert sorted(indicator_codes(html)) == sorted(logframe_indicators("CSR-BONO", WEEK_END, viewer=SYSTEM)["code"].to_list())
    assert "CS-01" not in indicator_codes(html)
    # Fin is the umbrella objective the program contributes to; then its own levels
    assert levels(html) == ["fin", "proposito", "componente", "actividad"]
    assert "Objetivo superior al que contribuye" in html


def test_url_reproduces_a_program_view(sample_warehouse):
    html = matrix(run(programa="CSR-NMD"))
    assert indicator_codes(html) == ["CSR-NMD-01"]
    # levels the program does not define still show, saying so
    assert levels(html) == ["fin", "proposito", "componente", "actividad"]
    assert html.count("Sin objetivos de este nivel") == 2


def test_eje_filter_narrows_programs_and_chart(sample_warehouse):
    at = run()
    all_programs = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    at.selectbox(key="f_eje").set_value("2").run()
    assert not at.exception
    options = at.selectbox(key="mml_programa").options
    assert "CSR-INFRA" in " ".join(options) and not any("CSR-BONO" in o for o in options)
    eje2 = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    expected = physical_financial(WEEK_END, eje=2, viewer=SYSTEM)["program_code"].to_list()
    assert [re.sub("<.*?>", "", y).split(" · ")[0] for y in eje2] == expected and len(eje2) < len(all_programs)
    assert all(" · " in y for y in eje2)                         # programs by name, not only by code


def test_physical_financial_uses_the_budget_query(sample_warehouse):
    frame = physical_financial(WEEK_END, viewer=SYSTEM)
    budget = program_execution(WEEK_END, viewer=SYSTEM)
    joined = frame.join(budget, on="program_code", suffix="_budget")
    assert joined.height == frame.height == 22
    assert (joined["execution_percent"] == joined["execution_percent_budget"]).all()
    # the under-executing program of the sample's story
    infra = frame.filter(pl.col("program_code") == "CSR-INFRA").row(0, named=True)
    assert infra["execution_percent"] < 40 and infra["physical_percent"] > 80


def test_logframe_html_escapes_text():
    objectives = pl.DataFrame({
        "objective_id": ["X-FIN"], "parent_id": [None], "level": ["fin"], "program_code": ["X"],
        "role": ["propio"], "narrative": ["<script>alert(1)</script>"], "medios": [["a & b"]],
        "supuestos": [["<b>"]], "indicators": [0], "path": [["X-FIN"]]})
    indicators = pl.DataFrame(schema={"code": pl.String, "objective_id": pl.String})
    html = logframe_html(objectives, indicators)
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html


@pytest.mark.parametrize("program", ["CS", "CSR-BONO", "ODM1"])
def test_objectives_follow_level_order(sample_warehouse, program):
    frame = logframe_objectives(program, viewer=SYSTEM).filter(pl.col("role") == "propio")
    order = {"fin": 0, "proposito": 1, "componente": 2, "actividad": 3}
    ranks = [order[level] for level in frame["level"]]
    assert ranks == sorted(ranks)


def test_chart_and_tables_download(sample_warehouse):
    from tests.conftest import assert_exports
    assert_exports(run())
