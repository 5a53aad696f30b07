"""Exports cannot carry formulas: a quarantined `=HYPERLINK(...)` comes out inert through every writer."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from loaders import load_file
from tests.test_loaders import seed
from warehouse.cell_safety import neutralise, neutralise_frame
from warehouse.store import write_transaction

EVIL = '=HYPERLINK("http://x","y")'
EVIL_FILE = "@SUM(1+1)cmd.csv"          # a file name is text the load history shows


@pytest.fixture()
def evil_wh(tmp_path) -> Path:
    wh = seed(tmp_path / "w.duckdb")
    with write_transaction(wh) as con:
        con.execute("UPDATE municipalities SET municipality = ? WHERE code = '0102'", [EVIL])
    f = tmp_path / EVIL_FILE
    f.write_text('Indicador,Código Municipio,Período,Valor\nI2,0101,2014-05,1\nI2,0102,2014-05,"'
                 + EVIL.replace('"', '""') + '"\n', encoding="utf-8")
    res = load_file(f, "measurements", wh)
    assert (res.exit_code, res.rows_quarantined) == (1, 1), res.to_text()
    return wh


def assert_inert_xlsx(data: bytes | Path, *expected: str) -> None:
    """No formula anywhere; each expected text is present with a leading quote."""
    wb = openpyxl.load_workbook(data if isinstance(data, Path) else io.BytesIO(data))
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula: {cell.value}"
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for text in expected:
        assert "'" + text in texts, f"{text} not found neutralised in {sorted(texts)[:20]}"


def test_rule_only_touches_formula_like_text():
    assert neutralise(EVIL) == "'" + EVIL
    assert [neutralise(v) for v in ("+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx")] == \
        ["'+1+2", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\tx", "'\rx"]
    assert [neutralise(v) for v in ("Ahuachapán", "-12", "-3,5 %", "", None, -5, 2.5)] == \
        ["Ahuachapán", "-12", "-3,5 %", "", None, -5, 2.5]
    frame = neutralise_frame(pl.DataFrame({"t": [EVIL, "ok", None], "n": [-5, 1, 2]}))
    assert frame["t"].to_list() == ["'" + EVIL, "ok", None] and frame["n"].to_list() == [-5, 1, 2]


def test_warehouse_export_csv_is_inert(evil_wh, tmp_path):
    from warehouse.cli import main

    out = tmp_path / "q.csv"
    assert main(["export", "quarantine", "--out", str(out), "--warehouse", str(evil_wh)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["value"] == "'" + EVIL and rows[0]["file_name"] == "'" + EVIL_FILE
    assert main(["export", "municipalities", "--out", str(out), "--warehouse", str(evil_wh)]) == 0
    assert "'" + EVIL in {r["municipality"] for r in csv.DictReader(out.open(encoding="utf-8"))}


def test_page_downloads_quarantine_and_load_history_are_inert(evil_wh):
    from ui.tables import csv_bytes, xlsx_file
    from reports.context import ExportContext
    from warehouse.queries.quality import load_history, quarantine_rows
    from warehouse.query import SYSTEM

    quarantine = quarantine_rows(SYSTEM, path=evil_wh)
    text = csv_bytes(quarantine).decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["value"] == "'" + EVIL
    assert_inert_xlsx(xlsx_file(quarantine, ExportContext(title=EVIL)), EVIL, EVIL_FILE)
    assert_inert_xlsx(xlsx_file(load_history(SYSTEM, path=evil_wh), ExportContext(title="Cargas")), EVIL_FILE)


def test_xlsx_keeps_negative_numbers_as_numbers():
    from reports.xlsx import xlsx_bytes

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pl.DataFrame({"n": [-5.5], "t": ["-x"]}))))
    ws = wb["Datos"]
    assert ws["A2"].value == -5.5 and ws["A2"].data_type == "n" and ws["B2"].value == "'-x"


def test_template_codes_sheet_is_inert(evil_wh, tmp_path):
    from loaders.template import write_template

    out = write_template("measurements", tmp_path / "t.xlsx", evil_wh)
    assert_inert_xlsx(out, EVIL)


def test_deck_table_cells_are_inert():
    from pptx import Presentation

    from reports.slide_parts import add_table

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    table = add_table(slide, ["a", "b"], [[EVIL, "-3,5 %"]], 0, 0, 5_000_000)
    assert table.cell(1, 0).text == "'" + EVIL and table.cell(1, 1).text == "-3,5 %"
