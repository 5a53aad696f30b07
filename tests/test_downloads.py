"""Download components: a chart offers PNG / SVG / PDF and a table CSV / XLSX, with nothing rendered
while the page runs (deferred data, built on click); the files are what they claim to be."""
from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET

import openpyxl
import plotly.graph_objects as go
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import reports.images
from reports.images import browser_path
from ui.downloads import export_size, file_stem

needs_browser = pytest.mark.skipif(browser_path() is None,
                                   reason="no Chromium on this machine: kaleido cannot render")


def exports_page():
    """A page using the components the way the dashboard's pages do."""
    import plotly.graph_objects as go
    import polars as pl

    from reports.context import ExportContext
    from ui.downloads import chart_downloads, weekly_deck_button
    from ui.tables import table

    fig = go.Figure(go.Bar(x=["Agua potable", "Caminos"], y=[30.8, 68.5]))
    context = ExportContext("Ejecución por programa · ñ", "Semana 2014-W20", "CSR", is_sample=True)
    chart_downloads(fig, "ejecución por programa", context)
    frame = pl.DataFrame({"program_code": ["CSR-AGUA", "CSR-CAMI"], "modified": [28_282_157.4, 16_023_790.0],
                          "execution_percent": [30.8, 68.5], "semaforo": ["rojo", "verde"]})
    table(frame, "ejecucion_por_programa", context=context)
    from ui.context import current_viewer
    weekly_deck_button("2014-W20", current_viewer())   # demonstration mode: a click is not audited, so the
                                                        # shared sample warehouse is never written


@pytest.fixture
def captured(monkeypatch):
    """Every st.download_button call's label and data, passed on to the real button."""
    calls = {}
    real = st.download_button

    def recording(label, data, *args, **kwargs):
        calls[label] = (data, kwargs.get("file_name"))
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    return calls


@pytest.fixture
def render_count(monkeypatch):
    count = {"n": 0}
    real = reports.images.render

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(reports.images, "render", counting)
    return count


def run_page() -> AppTest:
    at = AppTest.from_function(exports_page, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def test_buttons_are_offered_and_nothing_renders_on_a_run(captured, render_count):
    at = run_page()
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert list(buttons) == ["Imagen PNG (3200 × 1800)", "Vector SVG", "Documento PDF", "Descargar CSV",
                             "Descargar XLSX", "Presentación semanal (PPTX)"]
    for label in ("Imagen PNG (3200 × 1800)", "Vector SVG", "Documento PDF", "Descargar CSV", "Descargar XLSX",
                  "Presentación semanal (PPTX)"):
        assert buttons[label].deferred_file_id, f"{label} must be built on click, not on every run"
        assert buttons[label].ignore_rerun
    assert render_count["n"] == 0
    assert captured["Imagen PNG (3200 × 1800)"][1] == "ejecución_por_programa.png"
    assert captured["Descargar XLSX"][1] == "ejecucion_por_programa.xlsx"


def test_csv_keeps_the_bom_and_the_rows(captured):
    run_page()
    make, _ = captured["Descargar CSV"]
    data = make()                              # built on click (and the download audited)
    assert data.startswith("\ufeff".encode("utf-8"))
    assert data.decode("utf-8-sig").splitlines()[1].startswith("CSR-AGUA,28282157.4,30.8,rojo")


def test_xlsx_on_click_holds_the_table(captured):
    run_page()
    data, _ = captured["Descargar XLSX"]
    wb = openpyxl.load_workbook(io.BytesIO(data()))
    ws = wb["Datos"]
    assert [c.value for c in ws[2]] == ["CSR-AGUA", pytest.approx(28_282_157.4), 30.8, "rojo"]
    assert ws.freeze_panes == "A2"
    assert "Información" in wb.sheetnames


@needs_browser
def test_chart_files_on_click_are_the_asked_formats_and_cached(captured, render_count):
    run_page()
    png = captured["Imagen PNG (3200 × 1800)"][0]()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (3200, 1800)
    svg = captured["Vector SVG"][0]()
    assert ET.fromstring(svg).get("width") == "3200"
    assert "Ejecución por programa · ñ" in svg.decode("utf-8")
    assert captured["Documento PDF"][0]().startswith(b"%PDF")
    rendered = render_count["n"]
    assert captured["Imagen PNG (3200 × 1800)"][0]() == png           # second click: from the cache
    assert render_count["n"] == rendered


def test_tall_figures_keep_their_rows():
    assert export_size(go.Figure()) == (3200, 1800)
    assert export_size(go.Figure(layout={"height": 400})) == (3200, 1800)
    assert export_size(go.Figure(layout={"height": 1500})) == (3200, 3000)
    assert export_size(go.Figure(layout={"height": 90_000})) == (3200, 8000)


def test_file_stem():
    assert file_stem("Ejecución por programa / 2014") == "Ejecución_por_programa_2014"
    assert file_stem("///") == "grafico"


@needs_browser
def test_weekly_deck_on_click(captured, sample_warehouse):
    run_page()
    data, name = captured["Presentación semanal (PPTX)"]
    assert name == "presentacion_semanal_2014-W20.pptx"
    from pptx import Presentation
    deck = Presentation(io.BytesIO(data()))
    assert deck.slides[0].shapes.title.text == "Reunión semanal de seguimiento · Semana 2014-W20"


def labelled_page():
    """A table whose frame has code names, labelled and formatted on screen (as the budget page does)."""
    import polars as pl
    import streamlit as st

    from ui.tables import table
    frame = pl.DataFrame({"program_code": ["CSR-AGUA"], "execution_percent": [16.700000000000003],
                          "modified": [28_282_157.4], "units": [12.0], "ratio": [0.1 + 0.2]})
    table(frame, "por_programa", column_config={
        "program_code": "Programa",
        "execution_percent": st.column_config.NumberColumn("Ejecución", format="%.1f %%"),
        "modified": st.column_config.NumberColumn("Modificado", format="US$ %,.0f")})


def test_files_carry_the_headers_and_rounding_shown_on_screen(captured):
    at = AppTest.from_function(labelled_page, default_timeout=60).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["units"]) == [12]            # a whole count is not shown as 12.0
    data, _ = captured["Descargar CSV"]
    header, row = (data() if callable(data) else data).decode("utf-8-sig").splitlines()[:2]   # built on click
    assert header == "Programa,Ejecución,Modificado,units,ratio"
    assert row == "CSR-AGUA,16.7,28282157,12,0.3"
    wb = openpyxl.load_workbook(io.BytesIO(captured["Descargar XLSX"][0]()))
    assert [c.value for c in wb["Datos"][1]] == ["Programa", "Ejecución", "Modificado", "units", "ratio"]
    assert [c.value for c in wb["Datos"][2]] == ["CSR-AGUA", 16.7, 28282157, 12, 0.3]
