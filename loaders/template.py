"""Empty XLSX templates: sheet 'datos' (Spanish headers + one example row) and 'codigos'."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from loaders.kinds import ENUMS, KIND_SPECS
from warehouse.paths import warehouse_path
from warehouse.store import read_connection

QUERIES = {
    "Municipios": "SELECT code, municipality FROM municipalities ORDER BY code",
    "Indicadores": "SELECT code, name FROM indicators ORDER BY code",
    "Programas": "SELECT program_code, name FROM programs ORDER BY program_code",
}


def _codes(warehouse) -> dict[str, list[tuple]]:
    out = {name: [] for name in QUERIES}
    path = warehouse_path(warehouse)
    if path.exists():
        with read_connection(path) as con:
            for name, sql in QUERIES.items():
                try:
                    out[name] = con.execute(sql).fetchall()
                except Exception:  # noqa: BLE001 - a table missing in an old warehouse
                    out[name] = []
    return out


def write_template(kind: str, out, warehouse=None) -> Path:
    spec = KIND_SPECS[kind]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(out))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    req = wb.add_format({"bold": True, "bg_color": "#F8CBAD"})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("datos")
    for j, col in enumerate(spec.columns):
        ws.write_string(0, j, col.spanish or col.name, req if col.required else head)
        ws.write_string(1, j, col.example, text)
        ws.set_column(j, j, max(12, len(col.spanish or col.name) + 2), text)
    ws.freeze_panes(1, 0)
    cs = wb.add_worksheet("codigos")
    col = 0
    for name, rows in _codes(warehouse).items():
        cs.write_string(0, col, f"{name} (código)", head)
        cs.write_string(0, col + 1, "nombre", head)
        for i, (code, label) in enumerate(rows, start=1):
            cs.write_string(i, col, str(code), text)
            cs.write_string(i, col + 1, "" if label is None else str(label))
        col += 3
    enums = {"nacional": ["nacional"], **ENUMS}
    for name, values in enums.items():
        cs.write_string(0, col, name, head)
        for i, v in enumerate(values, start=1):
            cs.write_string(i, col, v)
        col += 1
    wb.close()
    return out
