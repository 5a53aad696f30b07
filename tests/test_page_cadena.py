"""Cadena de valor page: one picture per eje or program whose texts are the analytics tables'
figures (accrued = the budget method's year to date; cost per unit = accrued / units), the same in
the page, the exported image and the weekly deck."""
from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts.value_chain import chain_lines
from tests.conftest import assert_exports, open_page
from warehouse.queries.analytics import value_chain, value_chain_items
from warehouse.queries.budget import cost_per_unit
from warehouse.query import Viewer
from warehouse.store import read_connection

VIEWER = Viewer(name="prueba", role="analista", municipality=None)
WEEK_END = dt.date(2014, 5, 18)


def run(**params) -> AppTest:
    at = open_page("cadena", params, timeout=90)
    assert not at.exception, at.exception
    return at


def annotations(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"] if a.get("text")]


def test_program_chain_figures_equal_sql(sample_warehouse):
    at = run(cadena="CSU-BONO")
    texts = " ".join(annotations(at))
    with read_connection(sample_warehouse) as con:
        accrued, scheduled = con.execute("""SELECT sum(accrued), sum(scheduled) FROM int_budget_year(DATE '2014-05-18')
                                            WHERE program_code = 'CSU-BONO'""").fetchone()
        units = con.execute("""SELECT value FROM mart_progress_asof(DATE '2014-05-18')
                               WHERE indicator_code = 'CSU-BONO-01' AND scope_type = 'nacional'""").fetchone()[0]
    assert f"US$ {accrued / 1e6:,.2f} M devengado" in texts
    assert f"{100 * accrued / scheduled:,.1f} % del programado" in texts
    assert f"US$ {accrued / units:,.0f} por unidad de producto (estudiantes)" in texts
    assert "Insumos" in texts and "Impacto (Fin y ODM 1)" in texts
    detail = at.dataframe[0].value
    assert set(detail["eslabon"]) == {"Insumos", "Productos", "Resultados", "Impacto (Fin y ODM 1)"}
    assert_exports(at)


def test_cost_per_unit_agrees_with_the_budget_page(sample_warehouse):
    """Stock and flujo products: the same figure as Presupuesto's ILPES table."""
    budget = cost_per_unit(WEEK_END, VIEWER)
    with read_connection(sample_warehouse) as con:
        chain = dict(con.execute("""SELECT item_code, cost_per_unit FROM analytics_value_chain_items
                                    WHERE link = 'productos' AND cost_per_unit IS NOT NULL""").fetchall())
    assert budget.height > 5
    for row in budget.iter_rows(named=True):
        assert chain[row["indicator_code"]] == pytest.approx(row["cost_per_unit"])


def test_eje_chain_gathers_its_programs(sample_warehouse):
    at = run(cadena="eje-2")
    links = value_chain("eje-2", VIEWER)
    with read_connection(sample_warehouse) as con:
        n_products = con.execute("""SELECT count(*) FROM indicators i JOIN programs p USING (program_code)
                                    WHERE p.eje_id = 2 AND i.type = 'producto'""").fetchone()[0]
    assert links.filter(pl.col("link") == "productos")["items"][0] == n_products
    products = links.filter(pl.col("link") == "productos").row(0, named=True)
    expected = "rojo" if products["rojo"] else "amarillo" if products["amarillo"] else "verde"
    assert products["semaforo"] == expected
    assert any(f"{n_products} indicadores" in t for t in annotations(at))


def test_page_export_and_deck_say_the_same(sample_warehouse):
    from reports.deck_analytics import value_chain_slide_lines
    at = run(cadena="eje-1")
    links, items = value_chain("eje-1", VIEWER), value_chain_items("eje-1", VIEWER)
    lines = chain_lines(links, items)
    page = " ".join(annotations(at))
    for link_lines in lines.values():
        for line in link_lines:
            assert line in page
    assert value_chain_slide_lines("eje-1", VIEWER) == lines


def test_exported_image_carries_the_same_figures(sample_warehouse):
    """The 'Descargar' image is the page's figure annotated (reports.images.annotate): same texts."""
    from charts.value_chain import value_chain_figure
    from reports.context import ExportContext
    from reports.images import annotate
    links, items = value_chain("CSU-AUP", VIEWER), value_chain_items("CSU-AUP", VIEWER)
    exported = annotate(value_chain_figure(links, items, "x"), ExportContext(title="x", is_sample=True))
    texts = " ".join((a.text or "").replace("<br>", " ") for a in exported.layout.annotations)
    for link_lines in chain_lines(links, items).values():
        for line in link_lines:
            assert line in texts
