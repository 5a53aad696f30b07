"""A table as an Excel workbook: the same rows as on screen, formatted for reading and filtering.

Bold filled header frozen on top, autofilter, column widths from the content, number formats by
column (money US$ #,##0; percentages 0.0 %, kept in percent units as on screen; other numbers
#,##0.0), and semáforo cells filled with the semáforo colour of charts/style.py. A second sheet
says what the table is: title, period, filters, source and whether the data are the sample.
Formulas and URLs are off and formula-like text is neutralised (warehouse/cell_safety.py).
"""
from __future__ import annotations

import datetime as dt
import io

import polars as pl
import xlsxwriter

from charts.style import SEMAFORO_COLOR
from reports.context import ExportContext
from warehouse.cell_safety import neutralise, neutralise_frame, safe_workbook

HEADER_FILL = "#1f4e79"
MONEY_FORMAT = '"US$" #,##0'
PERCENT_FORMAT = '0.0" %"'      # values are already percentages (45.0 shows as 45.0 %)
NUMBER_FORMAT = "#,##0.0"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_WORDS = ("approved", "modified", "scheduled", "committed", "accrued", "paid", "cost", "amount",
               "monto", "presupuesto", "devengado", "modificado", "programado", "us$")
PERCENT_WORDS = ("percent", "pct", "porcentaje", "%")
MAX_WIDTH = 60


def _is_semaforo(name: str) -> bool:
    return "semaforo" in name.lower() or "semáforo" in name.lower() or name.lower() == "dominant"


def semaforo_state(cell: str) -> str:
    """The state of a semáforo cell, written plain ("rojo") or as the pages' badge ("■ rojo")."""
    low = cell.strip().lower()
    return low if low in SEMAFORO_COLOR else low.split(" ", 1)[-1]


def column_kind(name: str, dtype: pl.DataType) -> str:
    """money, percent, integer, number, date, datetime, semaforo or text, from the name and type."""
    low = name.lower()
    if _is_semaforo(name):
        return "semaforo"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype.is_numeric():
        if any(w in low for w in PERCENT_WORDS):
            return "percent"
        if any(w in low for w in MONEY_WORDS):
            return "money"
        return "integer" if dtype.is_integer() else "number"
    return "text"


def _text_color(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested and odd types as text (a list of weekly values, a struct) so every cell writes."""
    fixes = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.List, pl.Array)):
            fixes.append(pl.col(name).cast(pl.List(pl.String)).list.join(", "))
        elif isinstance(dtype, pl.Struct):
            fixes.append(pl.col(name).struct.json_encode())
        elif isinstance(dtype, (pl.Decimal, pl.Time, pl.Duration, pl.Categorical, pl.Enum, pl.Binary)):
            fixes.append(pl.col(name).cast(pl.String))
    return frame.with_columns(fixes) if fixes else frame


def _width(frame: pl.DataFrame, name: str, kind: str) -> float:
    if frame.height:
        text = frame.get_column(name).cast(pl.String).fill_null("")
        longest = int(text.str.len_chars().max() or 0)
    else:
        longest = 0
    if kind in ("money", "number", "percent", "integer"):
        longest += 5     # thousands separators, "US$ ", " %"
    return min(MAX_WIDTH, max(len(name) + 4, longest + 2, 8))


def write_table(workbook: xlsxwriter.Workbook, frame: pl.DataFrame, sheet: str = "Datos") -> None:
    """One sheet holding `frame` with the header, formats and semáforo fills described above."""
    frame = neutralise_frame(_plain(frame))
    ws = workbook.add_worksheet(sheet[:31])
    header = workbook.add_format({"bold": True, "font_color": "#ffffff", "bg_color": HEADER_FILL,
                                  "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {"money": workbook.add_format({"num_format": MONEY_FORMAT}),
               "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
               "number": workbook.add_format({"num_format": NUMBER_FORMAT}),
               "integer": workbook.add_format({"num_format": INTEGER_FORMAT}),
               "date": workbook.add_format({"num_format": DATE_FORMAT}),
               "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
               "text": None, "semaforo": None}
    fills = {state: workbook.add_format({"bg_color": color, "font_color": _text_color(color), "bold": True})
             for state, color in SEMAFORO_COLOR.items()}
    for col, (name, dtype) in enumerate(frame.schema.items()):
        kind = column_kind(name, dtype)
        ws.write_string(0, col, neutralise(name), header)
        ws.set_column(col, col, _width(frame, name, kind), formats[kind])
        values = frame.get_column(name)
        if kind == "semaforo":
            # each cell with its semáforo's fill (a per-cell format, so any reader sees the colour)
            for row, state in enumerate(values.to_list(), start=1):
                if state is None:
                    ws.write_blank(row, col, None)
                else:
                    ws.write(row, col, state, fills.get(semaforo_state(state)))
            continue
        if kind in ("date", "datetime"):
            ws.write_column(1, col, [v if v is not None else "" for v in values.to_list()], formats[kind])
            continue
        if dtype.is_float():
            values = values.fill_nan(None)
        ws.write_column(1, col, [v if v is not None else "" for v in values.to_list()], formats[kind])
    ws.freeze_panes(1, 0)
    if frame.width:
        ws.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
    ws.set_row(0, 30)


def write_about(workbook: xlsxwriter.Workbook, ctx: ExportContext, rows: int) -> None:
    """The 'Información' sheet: what the table is and where it comes from."""
    ws = workbook.add_worksheet("Información")
    bold = workbook.add_format({"bold": True})
    warn = workbook.add_format({"bold": True, "font_color": "#b03a00"})
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 90)
    lines = [("Tabla", ctx.title), ("Período", ctx.period), ("Filtros", ctx.filters or "ninguno"),
             ("Fuente", ctx.source), ("Filas", f"{rows:,}"),
             ("Generado", dt.datetime.now().strftime("%d/%m/%Y %H:%M"))]
    for row, (label, value) in enumerate(lines):
        ws.write(row, 0, label, bold)
        ws.write(row, 1, neutralise(value))
    if ctx.is_sample:
        ws.write(len(lines) + 1, 0, "Aviso", warn)
        ws.write(len(lines) + 1, 1, "Datos de muestra: cifras ficticias, generadas para demostración; "
                                    "no son estadísticas oficiales.", warn)


def xlsx_bytes(frame: pl.DataFrame, context: ExportContext | None = None, sheet: str = "Datos") -> bytes:
    """The workbook for one table (`frame` exactly as shown), with an 'Información' sheet when a
    context is given."""
    buffer = io.BytesIO()
    with safe_workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True, "remove_timezone": True}) as book:
        write_table(book, frame, sheet)
        if context is not None:
            write_about(book, context, frame.height)
    return buffer.getvalue()
