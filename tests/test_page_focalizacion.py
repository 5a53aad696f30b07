"""Focalización page: the CSU ranking follows the sliders and equals the macro targeting_rank
straight from SQL; differences with Cuadro 1 are counted and mapped; exports hold the list shown;
the CSR order is the IIMM order (severa first)."""
from __future__ import annotations

import json

import polars as pl
from streamlit.testing.v1 import AppTest

from tests.conftest import assert_exports, open_page
from ui.tables import csv_bytes
from warehouse.query import Viewer
from warehouse.store import read_connection

VIEWER = Viewer(name="prueba", role="analista", municipality=None)


def run() -> AppTest:
    at = open_page("focalizacion", timeout=90)
    assert not at.exception, at.exception
    return at


def direct_rank(path, w_s, w_v, w_c) -> list[tuple]:
    with read_connection(path) as con:
        return con.execute("SELECT code, weighted_rank, official_rank, change FROM targeting_rank(?, ?, ?, 25) "
                           "ORDER BY weighted_rank", [w_s, w_v, w_c]).fetchall()


def shown_rank(at: AppTest) -> list[tuple]:
    frame = at.dataframe[0].value
    return list(zip(frame["code"], frame["orden_ponderado"],
                    [None if v != v else int(v) for v in frame["orden_cuadro_1"]]))


def test_sliders_change_the_ranking_and_match_sql(sample_warehouse):
    at = run()
    assert at.title[0].value == "Focalización"
    assert len(at.slider) == 3 and [s.value for s in at.slider] == [5, 5, 5]
    assert shown_rank(at) == [r[:3] for r in direct_rank(sample_warehouse, 5, 5, 5)]
    at.slider(key="w_violencia").set_value(0)
    at.slider(key="w_capacidad").set_value(0)
    at.run()
    assert not at.exception
    only_settlements = direct_rank(sample_warehouse, 5, 0, 0)
    assert shown_rank(at) == [r[:3] for r in only_settlements]
    with read_connection(sample_warehouse) as con:       # settlements alone: most settlements first
        top = con.execute("SELECT code FROM analytics_targeting_csu ORDER BY settlements DESC, official_rank NULLS LAST, code LIMIT 1").fetchone()[0]
    assert shown_rank(at)[0][0] == top
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Entran (no están en el Cuadro 1)"] == str(sum(r[3] == "entra" for r in only_settlements))
    assert metrics["Salen del Cuadro 1"] == str(sum(r[3] == "sale" for r in only_settlements))
    # entering and leaving always balance over 25 places
    assert metrics["Entran (no están en el Cuadro 1)"] == metrics["Salen del Cuadro 1"]


def test_map_marks_the_differences_and_exports_hold_the_list(sample_warehouse):
    at = run()
    decks = [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]
    layer = next(l for l in decks[0]["layers"] if l["id"] == "focalizacion")
    assert len(layer["data"]) == 50
    texts = {row["code"]: row["change_text"] for row in layer["data"]}
    frame = at.dataframe[0].value
    assert {c: d for c, d in zip(frame["code"], frame["diferencia"])} == texts
    assert_exports(at, images=0)
    # the CSV file is the frame shown (ui.tables.csv_bytes), headed by both orders and the difference
    csv = csv_bytes(pl.from_pandas(frame)).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("orden_ponderado,orden_cuadro_1,diferencia,code")
    assert len(csv.splitlines()) == 51


def test_csr_order_is_iimm_with_severa_first(sample_warehouse):
    at = run()
    csr = at.dataframe[1].value
    assert len(csr) == 100
    assert list(csr["orden_iimm"]) == list(range(1, 101))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Orden por IIMM igual al orden de entrada registrado"] == "100 de 100"   # the sample obeys the rule
    groups = list(csr["csr_group"])
    assert groups == ["severa"] * 32 + ["alta"] * 68
    for group in ("severa", "alta"):
        iimm = [v for g, v in zip(groups, csr["iimm"]) if g == group]
        assert iimm == sorted(iimm, reverse=True)


def test_a_warehouse_without_the_analytics_says_so(mini, monkeypatch):
    monkeypatch.setenv("SPSU_WAREHOUSE", str(mini.path))
    for page in ("focalizacion", "cadena"):
        at = open_page(page, timeout=60)
        assert not at.exception, at.exception
        assert any("se calculan al construir el almacén" in i.value for i in at.info)
        assert not at.get("deck_gl_json_chart") and not at.get("plotly_chart")


def test_sample_inputs_keep_the_seeds_cuadro_1():
    """The CSV is what `python -m sample.targeting` writes; its CSU pool holds Cuadro 1's 25 (with the
    settlements and violence index of interventions.csv) plus 25 sample candidates, all labelled sample."""
    import csv

    from sample.targeting import OUT, targeting_rows
    with open(OUT, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [{k: str(v) for k, v in r.items()} for r in targeting_rows()]
    with open(OUT.parent / "interventions.csv", encoding="utf-8", newline="") as f:
        csu = {r["code"]: r for r in csv.DictReader(f) if r["intervention"] == "CSU"}
    assert len(rows) == 50 and all(r["is_sample"] == "true" for r in rows)
    cuadro = [r for r in rows if r["code"] in csu]
    assert [r["code"] for r in cuadro] == sorted(csu, key=lambda c: int(csu[c]["entry_order"]))
    for r in cuadro:
        assert int(r["precarious_extreme"]) + int(r["precarious_high"]) == int(csu[r["code"]]["settlements"])
        assert float(r["violence_index"]) == float(csu[r["code"]]["violence_index"])
