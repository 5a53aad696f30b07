"""Chart images: annotate() puts the context on the figure; render() gives valid PNG/SVG/PDF of the
asked size with accents intact; the static map draws points and boundaries without the internet."""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import polars as pl
import pytest

from charts.geo import rojo_tint
from charts.map_static import boundary_lines, municipality_map_figure
from charts.style import SEMAFORO_COLOR
from reports.context import ExportContext, week_period
from reports.images import FOOTER_LEGEND, annotate, browser_path, render

TITLE = "Ejecución presupuestaria · Año 2014 · Muestra · ñ"
CTX = ExportContext(title=TITLE, period="Semana 2014-W20 (12 al 18 de mayo de 2014)", filters="CSR · Eje 2",
                    source="SAFI, Ministerio de Hacienda", is_sample=True)
needs_browser = pytest.mark.skipif(browser_path() is None,
                                   reason="no Chromium on this machine: kaleido cannot render (apt-get install chromium)")


def bar_figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=["Agua potable", "Electrificación", "Caminos"], y=[30.8, 59.2, 68.5]))
    return fig.update_layout(title="Sin título de exportación")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_week_period_in_spanish():
    import datetime as dt
    assert week_period("2014-W20", dt.date(2014, 5, 18)) == "Semana 2014-W20 (12 al 18 de mayo de 2014)"
    assert week_period("2014-W18", dt.date(2014, 5, 4)) == "Semana 2014-W18 (28 de abril al 4 de mayo de 2014)"


def test_page_context_from_the_filter_bar():
    from reports.context import page_context
    from ui.filters import Filters
    ctx = page_context("Ejecución por programa", {"is_sample": True},
                       Filters(week="2014-W20", intervention="CSR", eje=2), extra="Programa CSR-INFRA")
    assert ctx.period == "Semana 2014-W20 (12 al 18 de mayo de 2014)"
    assert ctx.filters == "Rurales (CSR) · Eje 2 · Programa CSR-INFRA" and ctx.is_sample
    assert page_context("Mapa", {"is_sample": False}).subtitle() == ""


def test_annotate_adds_title_subtitle_footer_and_keeps_the_original():
    fig = bar_figure()
    out = annotate(fig, CTX)
    assert out.layout.title.text == f"<b>{TITLE}</b>"
    subtitle = out.layout.title.subtitle.text
    assert "Semana 2014-W20" in subtitle and "CSR · Eje 2" in subtitle and "DATOS DE MUESTRA" in subtitle
    footer = [t for t in out.data if t.legend == FOOTER_LEGEND]
    assert len(footer) == 1 and footer[0].name.startswith("Fuente: SAFI, Ministerio de Hacienda")
    assert "Datos de muestra" in footer[0].name
    assert out.layout[FOOTER_LEGEND].yref == "container"   # a legend pushes the margin; labels never overlap
    assert "DejaVu Sans" in out.layout.font.family
    # a single-trace chart had no legend: it still has none (only the footer shows)
    assert out.data[0].showlegend is False
    assert len(fig.data) == 1 and fig.layout.title.text == "Sin título de exportación"   # input untouched


def test_annotate_without_sample_says_nothing_about_sample():
    out = annotate(bar_figure(), ExportContext(title="Avance", period="Semana 2014-W20"))
    assert "MUESTRA" not in out.layout.title.subtitle.text
    assert "muestra" not in out.data[-1].name


def test_annotate_replaces_streamlits_placeholder_template():
    import plotly.io as pio
    import streamlit  # noqa: F401  (importing it makes its template Plotly's default)
    assert "streamlit" in pio.templates
    fig = go.Figure(go.Bar(x=[1], y=[1]), layout={"template": pio.templates["streamlit"]})
    assert annotate(fig, CTX).layout.template == pio.templates["plotly_white"]
    kept = go.Figure(layout={"template": "simple_white"})
    assert annotate(kept, CTX).layout.template == pio.templates["simple_white"]


@needs_browser
def test_png_is_3200_by_1800():
    data = render(annotate(bar_figure(), CTX), "png")
    assert png_size(data) == (3200, 1800)


@needs_browser
def test_png_other_size_and_scale():
    assert png_size(render(bar_figure(), "png", 3200, 2400, scale=2.5)) == (3200, 2400)


@needs_browser
def test_svg_parses_with_size_and_keeps_accents():
    data = render(annotate(bar_figure(), CTX), "svg")
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert float(root.get("width")) == 3200 and float(root.get("height")) == 1800
    text = data.decode("utf-8")
    assert "Ejecución presupuestaria" in text and "ñ" in text


@needs_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_is_a_pdf_with_the_title_in_spanish(tmp_path):
    data = render(annotate(bar_figure(), CTX), "pdf")
    assert data.startswith(b"%PDF")
    path = tmp_path / "chart.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert TITLE in text
    assert "Fuente: SAFI, Ministerio de Hacienda" in text
    assert "Datos de muestra" in text


def test_render_refuses_unknown_format():
    with pytest.raises(ValueError, match="Formato no soportado"):
        render(bar_figure(), "gif")


# --- the static map -----------------------------------------------------------------------------

def map_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "code": ["0101", "0102", "0103", "0104"], "municipality": ["Ahuachapán", "Apaneca", "Atiquizaya", "Peñas"],
        "department": ["Ahuachapán"] * 4, "department_code": ["01"] * 4, "intervention": ["CSU", "CSR", "CSR", "none"],
        "lat": [13.92, 13.86, 13.97, 13.80], "lon": [-89.84, -89.80, -89.75, -89.70],
        "in_filter": [True, True, True, False], "semaforo": ["verde", "rojo", "amarillo", "sin intervención"],
        "rojo": [0, 7, 1, 0], "amarillo": [1, 0, 3, 0], "verde": [20, 3, 10, 0], "late": [0, 2, 0, 0]})


def square(lon, lat, d=0.02):
    return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]


def test_boundary_lines_flatten_polygons_and_multipolygons_with_breaks():
    boundaries = pl.DataFrame({"code": ["0101", "0102"], "geometry_json": [
        json.dumps({"type": "Polygon", "coordinates": [square(-89.84, 13.92)]}),
        json.dumps({"type": "MultiPolygon", "coordinates": [[square(-89.8, 13.86)], [square(-89.7, 13.8)]]})]})
    lines = boundary_lines(boundaries)
    assert lines.height == 3 * 6                       # three rings of five points, each closed by a break
    assert lines["lon"].null_count() == 3
    assert boundary_lines(None).is_empty()


def test_static_map_colours_by_semaforo_and_draws_boundaries():
    boundaries = pl.DataFrame({"code": ["0101"], "geometry_json": [
        json.dumps({"type": "Polygon", "coordinates": [square(-89.84, 13.92)]})]})
    fig = municipality_map_figure(map_frame(), boundaries)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == 14 and fig.data[:14] == tuple(fills)        # the departments first, under everything
    tint = {t.name: t.fillcolor for t in fills}
    assert tint["Ahuachapán"] == rojo_tint(1) and tint["La Unión"] == rojo_tint(0)   # Apaneca is rojo
    lines = [t for t in fig.data if t.name == "Límites municipales"]
    assert lines and fig.data.index(lines[0]) < fig.data.index(next(t for t in fig.data if t.mode == "markers"))
    lon0, lon1 = fig.layout.xaxis.range              # the view fits the data: Ahuachapán, not the country
    assert -90.2 < lon0 < -89.84 and -89.70 < lon1 < -89.5
    by_name = {t.name: t for t in fig.data if t.name}
    rojo = next(t for name, t in by_name.items() if "Rojo" in name)
    assert rojo.marker.color == SEMAFORO_COLOR["rojo"] and rojo.marker.symbol == "square"
    assert any("Sin intervención" in name for name in by_name)      # context in grey, named
    labels = [t for t in fig.data if t.mode == "text" and t.name != "Departamentos"]
    assert labels and labels[0].text[0] == "Apaneca (7 ■)"          # the municipality with rojo, named
    assert fig.layout.yaxis.scaleanchor == "x"                       # equal scale, no geo base map
    assert not any(t.type.startswith("scattergeo") or t.type.startswith("scattermap") for t in fig.data)


@needs_browser
def test_static_map_renders(tmp_path):
    fig = annotate(municipality_map_figure(map_frame()), CTX)
    assert png_size(render(fig, "png")) == (3200, 1800)


def test_long_titles_wrap_and_keep_their_first_line_in_the_picture():
    """Plotly does not wrap titles: a long indicator name is split on <br> and the title block is
    placed from the top in pixels (a multi-line title grows upwards from its anchor)."""
    name = ("ODM 1.1 Proporción de la población con ingresos inferiores a 1 dólar PPA por día (El Salvador: "
            "% de hogares en pobreza extrema, línea nacional): serie, trayectoria necesaria y meta 2015")
    out = annotate(go.Figure(go.Scatter(x=[1, 2], y=[1, 2])), ExportContext(name))
    assert out.layout.title.text.count("<br>") == 1
    assert out.layout.title.text.replace("<br>", " ") == f"<b>{name}</b>"
    assert out.layout.title.y == 1 and out.layout.title.pad.t > 27.5
    short = annotate(go.Figure(), ExportContext("Ejecución por programa"))
    assert "<br>" not in short.layout.title.text and short.layout.title.y == 0.985
