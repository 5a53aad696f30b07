"""Empty XLSX templates: sheet 'datos' (Spanish headers only, each with its example as a cell
note), 'ejemplo' (the same headers and one example row) and 'codigos' (codes and allowed values).

The loader reads the first sheet, 'datos': the example row is never loaded as data, and an unchanged
template is refused as having no rows. Codes and names come from the warehouse: written as inert
text (warehouse/cell_safety.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from loaders.kinds import ENUMS, KIND_SPECS
from loaders.periods import FREQUENCY_EXAMPLE, parse_period
from warehouse.cell_safety import neutralise, safe_workbook
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


# Example row values when the warehouse has no catalogue yet: indicator CSU-BONO-01 of the sample catalogue.
SAMPLE_EXAMPLE = {
    "indicator_code": "CSU-BONO-01", "program_code": "CSU-BONO", "scope_code": "0101", "code": "0101",
    "name": "Estudiantes con bono de educación urbano pagado", "objective_id": "CSU-BONO-C1",
    "objective_parent": "CSU-BONO-P", "objective_level": "componente", "objective_text":
    "Bono de educación urbano entregado en los municipios urbanos priorizados", "eje_id": "", "intervention": "CSU",
    "level": "componente", "type": "producto", "dimension": "eficacia", "unit": "estudiantes", "scale": "1",
    "sentido": "ascendente", "accumulation": "stock", "reports_cumulative": "no", "frequency": "mensual",
    "deadline_days": "15", "formula_numerator": "", "formula_denominator": "",
    "medio_verificacion": "Planillas de pago, FISDL", "source": "FISDL", "scope_level": "municipal",
}
INDICATOR_SQL = """SELECT i.*, o.parent_id AS objective_parent, o.level AS objective_level,
       o.narrative AS objective_text FROM indicators i LEFT JOIN objectives o USING (objective_id)
ORDER BY i.code LIMIT 1"""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _examples(kind: str, warehouse) -> dict[str, str]:
    """Example values that load as they are: codes that exist in the warehouse (its first indicator,
    municipality and program), else the sample catalogue's; a period of the indicator's frequency."""
    ex = dict(SAMPLE_EXAMPLE)
    path = warehouse_path(warehouse)
    if path.exists():
        with read_connection(path) as con:
            for sql, keys in (("SELECT code FROM municipalities ORDER BY code LIMIT 1", ("scope_code", "muni")),
                              ("SELECT program_code FROM programs ORDER BY program_code LIMIT 1", ("program_code",))):
                try:
                    row = con.execute(sql).fetchall()
                except Exception:  # noqa: BLE001 - a table missing in an old warehouse
                    row = []
                if row:
                    ex.update({k: str(row[0][0]) for k in keys})
            try:
                cur = con.execute(INDICATOR_SQL)
                row = cur.fetchall()
                cols = [d[0] for d in cur.description]
            except Exception:  # noqa: BLE001
                row = []
            if row:
                ind = dict(zip(cols, row[0]))
                ex.update({k: _text(v) for k, v in ind.items() if k in SAMPLE_EXAMPLE and k != "code"})
                ex["indicator_code"] = ind["code"]
                ex["indicator_row_code"] = ind["code"]
                if ind.get("formula_denominator"):     # a razón loads from its parts, not a value
                    ex.update(value="", numerator="111", denominator="200")
    if kind in ("municipalities", "boundaries"):
        ex["code"] = ex.get("muni", ex["scope_code"])
    elif kind == "indicators":
        ex["code"] = ex.get("indicator_row_code", ex["indicator_code"])
    period = FREQUENCY_EXAMPLE.get(ex.get("frequency"), "2014-05")
    ex["period"] = period
    end = pl.select(parse_period(pl.lit(period)).struct.field("period_end")).item()
    ex["reported_at"] = (end + dt.timedelta(days=15)).strftime("%d/%m/%Y")
    return ex


# Spanish headers of the allowed-values columns of the 'codigos' sheet
ENUM_HEADERS = {
    "nacional": "Código del ámbito nacional", "level": "Nivel", "type": "Tipo", "dimension": "Dimensión",
    "sentido": "Sentido", "accumulation": "Acumulación", "aggregation": "Agregación", "frequency": "Frecuencia",
    "scope_level": "Nivel del ámbito", "ind_intervention": "Intervención (indicadores)",
    "mun_intervention": "Intervención (municipios)", "target_kind": "Tipo de meta",
}
EXAMPLE_NOTE = ("Fila de ejemplo: no se carga. Escriba sus datos en la hoja 'datos', debajo de los "
                "encabezados (puede copiar esta fila y cambiar sus valores).")


def write_template(kind: str, out, warehouse=None) -> Path:
    spec = KIND_SPECS[kind]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = safe_workbook(str(out))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    req = wb.add_format({"bold": True, "bg_color": "#F8CBAD"})
    text = wb.add_format({"num_format": "@"})
    note = wb.add_format({"italic": True, "font_color": "#7F7F7F"})
    ws = wb.add_worksheet("datos")
    example_ws = wb.add_worksheet("ejemplo")
    examples = _examples(kind, warehouse)
    for j, col in enumerate(spec.columns):
        header = col.spanish or col.name
        value = neutralise(examples.get(col.name, col.example) if col.name != "is_sample" else col.example)
        for sheet in (ws, example_ws):
            sheet.write_string(0, j, header, req if col.required else head)
            sheet.set_column(j, j, max(12, len(header) + 2), text)
        if value:
            ws.write_comment(0, j, f"Ejemplo: {value}")
        example_ws.write_string(1, j, value, text)
    example_ws.write_string(3, 0, EXAMPLE_NOTE, note)
    ws.freeze_panes(1, 0)
    cs = wb.add_worksheet("codigos")
    col = 0
    for name, rows in _codes(warehouse).items():
        cs.write_string(0, col, f"{name} (código)", head)
        cs.write_string(0, col + 1, "Nombre", head)
        for i, (code, label) in enumerate(rows, start=1):
            cs.write_string(i, col, neutralise(str(code)), text)
            cs.write_string(i, col + 1, "" if label is None else neutralise(str(label)))
        col += 3
    enums = {"nacional": ["nacional"], **ENUMS}
    for name, values in enums.items():
        cs.write_string(0, col, ENUM_HEADERS.get(name, name), head)
        for i, v in enumerate(values, start=1):
            cs.write_string(i, col, v)
        col += 1
    wb.close()
    return out
