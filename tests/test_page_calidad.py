"""Calidad de datos: completeness matrix (hand-computed case and the sample), loads, validations, quarantine."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from charts.quality import completeness_matrix
from loaders import load_file
from warehouse.queries.quality import (completeness_by_municipality, completeness_cells, load_history,
                                       quarantine_rows, validation_summary)
from warehouse.query import SYSTEM
from warehouse.store import clone_warehouse, read_connection
from tests.conftest import open_page

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2014, 5, 18)


def page(query: dict | None = None) -> AppTest:
    return open_page("calidad", query)


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def matrix(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def scalar(path: Path, sql: str):
    with read_connection(path) as con:
        return con.execute(sql).fetchone()[0]


# --- hand-computed completeness --------------------------------------------------------------------
def test_completeness_hand_computed(mini):
    """One monthly indicator (all programme municipalities): 0101 reported April, 0106 only March."""
    mini.indicator("I1", frequency="mensual", deadline=15)
    mini.measure("I1", "0101", dt.date(2014, 4, 30), value=5)       # April due by 15 May: received
    mini.measure("I1", "0106", dt.date(2014, 3, 31), value=5)       # April missing at 18 May: late
    cells = completeness_cells(AS_OF, SYSTEM, path=mini.path)
    with read_connection(mini.path) as con:
        programme = con.execute("SELECT count(*) FROM municipalities WHERE intervention IN ('CSU','CSR')").fetchone()[0]
    assert cells.height == programme == 125
    state = dict(zip(cells["code"], cells["state"]))
    assert state["0101"] == "reportado" and state["0106"] == "atrasado"
    assert sum(s == "sin medición" for s in state.values()) == 123
    summary = completeness_by_municipality(AS_OF, SYSTEM, path=mini.path)
    row = summary.filter(summary["code"] == "0106").row(0, named=True)
    assert (row["expected"], row["reported"], row["late"], row["missing"], row["percent_complete"]) == (1, 0, 1, 0, 0.0)
    assert summary["code"][-1] == "0101"                          # least complete first, complete last
    csu = completeness_cells(AS_OF, SYSTEM, intervention="CSU", path=mini.path)
    assert csu.height == 25 and set(csu["intervention"]) == {"CSU"}
    assert completeness_cells(AS_OF, SYSTEM, department="01", path=mini.path)["code"].str.starts_with("01").all()


def test_matrix_legend_names_the_three_states_even_when_one_is_empty(mini):
    mini.indicator("I1")
    mini.measure("I1", "0101", dt.date(2014, 4, 30), value=5)
    fig = completeness_matrix(completeness_cells(AS_OF, SYSTEM, department="01", path=mini.path))
    names = [t.name for t in sorted(fig.data, key=lambda t: t.legendrank)]
    assert [n.rsplit(" (", 1)[0] for n in names] == ["Reportado", "Atrasado (reporte vencido)", "Sin medición"]
    assert names[1].endswith("(0)") and {t.marker.symbol for t in fig.data} == {"square", "triangle-up", "x"}
    assert fig.layout.legend.itemsizing == "constant"          # the empty state's tiny point keeps a full symbol


# --- the page on the sample --------------------------------------------------------------------------
def test_page_renders_with_matrix_and_tables(sample_warehouse):
    at = page()
    assert not at.exception
    spec = matrix(at)
    cells = completeness_cells(AS_OF, SYSTEM)
    counts = cells.group_by("state").len()
    names = {t["name"] for t in spec["data"]}
    for state, label in (("reportado", "Reportado"), ("atrasado", "Atrasado (reporte vencido)")):
        n = counts.filter(counts["state"] == state)["len"].item()
        assert f"{label} ({n:,})" in names
    assert "Sin medición (0)" in names
    summary = frame_with(at, "% completo")
    assert len(summary) == completeness_by_municipality(AS_OF, SYSTEM).height == 125
    history = frame_with(at, "cargada por")
    assert len(history) == load_history(SYSTEM).height == scalar(sample_warehouse, "SELECT count(*) FROM load_log")
    assert len(frame_with(at, "expectativa")) == validation_summary(SYSTEM).height
    assert {"Cargas registradas", "Filas en cuarentena"} <= {m.label for m in at.metric}


def test_story_municipalities_are_late_in_the_summary(sample_warehouse):
    at = page()
    summary = frame_with(at, "% completo")
    late = summary[summary["atrasados"] == summary["esperados"]]["código"].tolist()
    assert {"0417", "1305", "0614"} <= set(late)                 # the sample's three silent municipalities


def test_filters_change_the_matrix_and_the_url(sample_warehouse):
    at = page()
    before = len(frame_with(at, "% completo"))
    at.selectbox(key="f_intervencion").set_value("CSU").run()
    assert len(frame_with(at, "% completo")) == 25 < before
    assert "CSU" in str(at.query_params["intervencion"])
    at.selectbox(key="f_eje").set_value("2").run()
    rows = matrix(at)["layout"]["xaxis"]["categoryarray"]
    assert rows and all(code.startswith("CSU-") for code in rows)   # CSU eje 2 indicators only


def test_too_many_cells_ask_for_a_department_instead_of_a_matrix(sample_warehouse, monkeypatch):
    """Above MATRIX_MAX_CELLS the page draws no matrix, says how many cells and what to choose, and keeps
    the summary; a department brings the matrix back."""
    import charts.quality
    national = completeness_cells(AS_OF, SYSTEM).height
    monkeypatch.setattr(charts.quality, "MATRIX_MAX_CELLS", national - 1)
    at = page()
    assert not at.exception and not at.get("plotly_chart")
    note = next(i.value for i in at.info if "celdas" in i.value)
    assert f"{national:,}" in note and "departamento" in note
    assert len(frame_with(at, "% completo")) == 125
    at = page({"depto": "01"})
    shown = matrix(at)["layout"]["yaxis"]["categoryarray"]
    assert shown and all(label.startswith("01") for label in shown)


def test_url_reproduces_an_earlier_week_with_missing_reports(sample_warehouse):
    at = page({"semana": "2014-W09", "intervencion": "CSU"})
    assert not at.exception
    summary = frame_with(at, "% completo")
    expected = completeness_by_municipality(dt.date(2014, 3, 2), SYSTEM, intervention="CSU")
    assert summary["sin medición"].sum() == expected["missing"].sum() > 0
    assert "Sin medición (0)" not in {t["name"] for t in matrix(at)["data"]}


def copy_with_bad_file(sample: Path, tmp_path: Path, monkeypatch, rows: str) -> tuple[Path, Path]:
    """A clone of the sample that the page reads, and a measurements CSV holding `rows` under the header."""
    path = tmp_path / "copy.duckdb"
    clone_warehouse(sample, path)
    monkeypatch.setenv("SPSU_WAREHOUSE", str(path))
    bad = tmp_path / "mediciones_con_errores.csv"
    bad.write_text("Indicador,Código Municipio,Período,Valor\n" + rows, encoding="utf-8")
    return path, bad


def test_quarantine_table_equals_the_table(sample_warehouse, tmp_path, monkeypatch):
    """A load with bad rows into a copy: the page's quarantine table shows exactly the table's rows."""
    path, bad = copy_with_bad_file(sample_warehouse, tmp_path, monkeypatch,
                                   "CSR-BONO-04,0106,2014-W20,5\nCSR-BONO-04,9999,2014-W20,5\n"
                                   "NO-EXISTE,0106,2014-W20,5\nCSR-BONO-04,0107,2014-13,5\n")
    result = load_file(bad, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    assert result.rows_quarantined == 3
    at = page()
    assert not at.exception
    shown = frame_with(at, "fila original")
    assert len(shown) == scalar(path, "SELECT count(*) FROM quarantine") == quarantine_rows(SYSTEM).height
    mine = shown[shown["archivo"] == bad.name]
    assert sorted(mine["fila"].tolist()) == [3, 4, 5]
    # one Spanish name per reason, the same in the quarantine and in the failed expectations
    assert {"Municipio desconocido", "Indicador desconocido", "Período ilegible"} <= set(mine["motivo"])
    assert any(b.label == "Descargar CSV" for b in at.get("download_button"))
    failed = frame_with(at, "filas (muestra)")
    assert (failed["carga"] == result.load_id).any()
    from ui.quality_text import RULE_NAMES
    assert set(failed["motivo"]) | set(mine["motivo"]) <= set(RULE_NAMES.values())
    assert not any("_" in m for m in failed["motivo"])
    # the Great Expectations rule as a Spanish sentence about the file's own column names
    assert "Código Municipio: solo valores o códigos conocidos" in set(failed["expectativa"])
    assert not any(e.startswith("expect_") for e in frame_with(at, "validaciones")["expectativa"])


def test_matrix_and_tables_download(sample_warehouse):
    from tests.conftest import assert_exports
    assert_exports(page())


def test_a_large_quarantine_lists_the_newest_rows_and_says_how_many(sample_warehouse, tmp_path, monkeypatch):
    """The page lists at most QUARANTINE_SHOWN rows, newest load first, and names the total and the export."""
    import warehouse.queries.quality as quality
    path, bad = copy_with_bad_file(sample_warehouse, tmp_path, monkeypatch, "CSR-BONO-04,9999,2014-W20,5\n"
                                   "NO-EXISTE,0106,2014-W20,5\nCSR-BONO-04,0107,2014-13,5\n")
    first = load_file(bad, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    bad.write_text(bad.read_text(encoding="utf-8").replace(",5\n", ",6\n"), encoding="utf-8")   # another file
    second = load_file(bad, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    assert first.rows_quarantined == second.rows_quarantined == 3
    monkeypatch.setattr(quality, "QUARANTINE_SHOWN", 4)
    at = page()
    assert not at.exception
    shown = frame_with(at, "fila original")
    assert len(shown) == 4 and (shown["carga"] == second.load_id).sum() == 3      # the newest load first
    total = scalar(path, "SELECT count(*) FROM quarantine")
    assert any(f"4 de {total}" in c.value and "export quarantine" in c.value for c in at.caption)
