"""File formats the way ministries send them: CSV (UTF-8, UTF-8 with BOM, or Windows-1252 with
semicolons and decimal comma) and XLSX, with Spanish headers. Output is byte-for-byte
deterministic (fixed workbook properties; xlsxwriter zips with a fixed timestamp)."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

FIXED_TIME = dt.datetime(2014, 5, 18, 18, 0, 0)


@dataclass(frozen=True)
class Style:
    """How an institution writes its files."""
    fmt: str = "csv"                 # csv or xlsx
    encoding: str = "utf-8"          # utf-8, utf-8-sig (BOM) or cp1252
    sep: str = ","
    decimal_comma: bool = False
    dates: str = "iso"               # iso (2014-05-12) or dmy (12/05/2014); xlsx: real date cells
    yes: str = "true"                # how booleans read: true/false or sí/no

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.fmt == "xlsx" else ".csv"


UTF8 = Style()
UTF8_BOM = Style(encoding="utf-8-sig")
CP1252 = Style(encoding="cp1252", sep=";", decimal_comma=True, dates="dmy", yes="sí")
XLSX = Style(fmt="xlsx", yes="sí")


def _text(v, style: Style) -> str:
    if type(v) is str:                  # the common case first: most fields are text
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return (style.yes if v else ("no" if style.yes == "sí" else "false"))
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y") if style.dates == "dmy" else v.isoformat()
    if isinstance(v, float):
        v = float(v)
        s = str(int(v)) if v.is_integer() else repr(round(v, 4))
        return s.replace(".", ",") if style.decimal_comma else s
    return str(v)


def _csv_field(s: str, sep: str) -> str:
    if sep in s or '"' in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def write(path: Path, columns: list[tuple[str, str]], rows: list[dict], style: Style) -> Path:
    """columns: (canonical key in rows, header written). Returns the path written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if style.fmt == "xlsx":
        _xlsx(path, columns, rows, style)
        return path
    sep, keys = style.sep, [k for k, _ in columns]
    lines = [sep.join([_csv_field(h, sep) for _, h in columns])]
    lines += [sep.join([_csv_field(_text(r.get(k), style), sep) for k in keys]) for r in rows]
    lines.append("")
    path.write_bytes("\r\n".join(lines).encode(style.encoding))
    return path


def _xlsx(path: Path, columns, rows, style: Style) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"title": path.stem, "author": "STP - Tablero SPSU (muestra)", "created": FIXED_TIME})
    ws = wb.add_worksheet("Datos")
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for j, (_, h) in enumerate(columns):
        ws.write_string(0, j, h, bold)
    for i, r in enumerate(rows, start=1):
        for j, (k, _) in enumerate(columns):
            v = r.get(k)
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_string(i, j, _text(v, style))
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, str(v))
    wb.close()
