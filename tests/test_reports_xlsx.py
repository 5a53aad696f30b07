"""XLSX export: the workbook opens, holds the same rows as the table on screen, and is formatted
(frozen bold filled header, autofilter, number formats, semáforo fills, an 'Información' sheet)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from charts.style import SEMAFORO_COLOR
from reports.context import ExportContext
from reports.xlsx import HEADER_FILL, MONEY_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT, column_kind, xlsx_bytes

WEEK_END = dt.date(2014, 5, 18)


def open_sheet(data: bytes, name: str = "Datos"):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def sheet_rows(ws) -> list[tuple]:
    return [tuple(cell.value for cell in row) for row in ws.iter_rows(min_row=2)]


def fill(cell) -> str:
    return "#" + cell.fill.fgColor.rgb[-6:].lower()


def test_column_kinds_from_names_and_types():
    assert column_kind("modified", pl.Float64) == "money"
    assert column_kind("execution_percent", pl.Float64) == "percent"
    assert column_kind("value", pl.Float64) == "number"
    assert column_kind("rojo", pl.Int64) == "integer"
    assert column_kind("semaforo_now", pl.String) == "semaforo"
    assert column_kind("due_date", pl.Date) == "date"
    assert column_kind("municipality", pl.String) == "text"


def test_hand_made_table_round_trips_with_formats():
    frame = pl.DataFrame({
        "municipio": ["Meanguera", "Peñas Blancas", "Nueva Trinidad"],
        "semaforo": ["rojo", "verde", None],
        "modified": [28_282_157.4, 1_000.0, None], "execution_percent": [30.8, 59.25, 61.0],
        "value": [47.13, float("nan"), 3.0], "due_date": [WEEK_END, None, dt.date(2014, 6, 1)],
        "trend": [[38.3, 40.0], [], None]})
    ws = open_sheet(xlsx_bytes(frame))
    assert [c.value for c in ws[1]] == frame.columns
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    header = ws["A1"]
    assert header.font.bold and fill(header) == HEADER_FILL.lower()
    assert ws["A3"].value == "Peñas Blancas"
    assert fill(ws["B2"]) == SEMAFORO_COLOR["rojo"] and fill(ws["B3"]) == SEMAFORO_COLOR["verde"]
    assert ws["C2"].value == pytest.approx(28_282_157.4) and ws["C2"].number_format == MONEY_FORMAT
    assert ws["D3"].value == pytest.approx(59.25) and ws["D3"].number_format == PERCENT_FORMAT
    assert ws["E2"].number_format == NUMBER_FORMAT and ws["E3"].value is None     # NaN: an empty cell
    assert ws["F2"].value.date() == WEEK_END and ws["F2"].number_format == "dd/mm/yyyy"
    assert ws["G2"].value == "38.3, 40.0"
    assert ws.column_dimensions["B"].width >= 8


def test_information_sheet_says_what_and_whether_sample():
    ctx = ExportContext(title="Ejecución por programa", period="Semana 2014-W20", filters="CSR",
                        source="SAFI", is_sample=True)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pl.DataFrame({"a": [1]}), ctx)))
    info = {row[0]: row[1] for row in wb["Información"].iter_rows(values_only=True) if row[0]}
    assert info["Tabla"] == "Ejecución por programa" and info["Período"] == "Semana 2014-W20"
    assert info["Fuente"] == "SAFI" and "Datos de muestra" in info["Aviso"]


def test_sample_tables_hold_the_same_rows_as_on_screen(sample_warehouse):
    """Real frames of the query layer (the ones pages show): same rows, same order, same values."""
    from warehouse.queries.budget import program_execution
    from warehouse.queries.home import off_track
    from warehouse.query import SYSTEM

    for frame in (program_execution(WEEK_END, SYSTEM, path=sample_warehouse),
                  off_track(WEEK_END, SYSTEM, scope_type="municipio", limit=200, path=sample_warehouse)):
        ws = open_sheet(xlsx_bytes(frame))
        assert ws.max_row == frame.height + 1
        got = sheet_rows(ws)
        assert len(got) == frame.height
        for have, want in zip(got, frame.rows()):
            for h, w in zip(have, want):
                assert h == (pytest.approx(w) if isinstance(w, float) else w)
    semaforo_col = frame.columns.index("semaforo") + 1
    first = ws.cell(row=2, column=semaforo_col)
    assert fill(first) == SEMAFORO_COLOR[first.value]


def test_badge_cells_get_their_semaforo_fill():
    """Pages show the semáforo as icon + state ('■ rojo'): the workbook keeps the text and the colour."""
    from charts.style import semaforo_badge
    frame = pl.DataFrame({"Semáforo": [semaforo_badge("rojo"), semaforo_badge("en inicio"), "verde"]})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))["Datos"]
    assert ws["A2"].value == "■ rojo"
    assert [fill(ws[f"A{r}"]) for r in (2, 3, 4)] == [SEMAFORO_COLOR[s] for s in ("rojo", "en inicio", "verde")]
