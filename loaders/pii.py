"""Personal data in a RUP extract: refuse the whole file before anything of it is stored.

The Tablero holds anonymized extracts only. A file is refused (`datos_personales`, exit 2) when
  - a header names personal data (names, DUI, NIT, phone, exact address, e-mail), or
  - a cell looks like a DUI (`########-#`), a NIT (`####-######-###-#`), a phone number
    (`####-####`, or 8 digits starting with 2, 6 or 7, optionally after +503), or an exact
    address (street word followed by a house number: `Calle ... #12`, `Pasaje ... casa 4`).
The check runs on the raw strings of each batch as it is read, before parsing, validation,
quarantine or any write; the refusal names the column and row, never the value.
"""
from __future__ import annotations

import polars as pl

from loaders.errors import FileRejected
from loaders.headers import normalize

RULE = "datos_personales"

# header tokens (after headers.normalize, split on "_") that mean personal data
PERSONAL_TOKENS = {
    "nombre": "nombres de personas", "nombres": "nombres de personas", "apellido": "nombres de personas",
    "apellidos": "nombres de personas", "name": "nombres de personas", "surname": "nombres de personas",
    "dui": "números de DUI", "nit": "números de NIT", "telefono": "números de teléfono",
    "telefonos": "números de teléfono", "tel": "números de teléfono", "celular": "números de teléfono",
    "movil": "números de teléfono", "phone": "números de teléfono", "whatsapp": "números de teléfono",
    "direccion": "direcciones exactas", "domicilio": "direcciones exactas", "address": "direcciones exactas",
    "correo": "correos electrónicos", "email": "correos electrónicos", "mail": "correos electrónicos",
}
# a "nombre" of a place or a program is not a person's name
PLACE_TOKENS = {"municipio", "departamento", "canton", "aup", "asentamiento", "comunidad", "programa",
                "caserio", "territorio", "intervencion"}

# (what it looks like, regex on the trimmed cell); polars' regex has no look-around, hence (^|\D)
CONTENT_PATTERNS = (
    ("un número de NIT", r"(^|\D)\d{4}-\d{6}-\d{3}-\d($|\D)"),
    ("un número de DUI", r"(^|\D)\d{8}-\d($|\D)"),
    ("un número de teléfono", r"(^|[^\d-])\d{4}-\d{4}($|[^\d-])"),
    ("un número de teléfono", r"^(\+?503[ -]?)?[267]\d{7}$"),
    ("una dirección exacta", r"(?i)\b(calle|avenida|av\.|pasaje|pje\.|colonia|col\.|barrio|residencial|"
                             r"block|polígono|poligono)\b.*(#|n[°º]|no\.|casa|lote)\s*\d+"),
)


def _refuse(file_name: str, header: str, what: str, row: int | None = None) -> FileRejected:
    where = f", fila {row}," if row is not None else ""
    return FileRejected(
        f"El archivo {file_name} trae datos personales: la columna '{header}'{where} contiene {what}. "
        "El Tablero solo recibe extractos anonimizados del RUP (identificador seudónimo, sin nombres, DUI, NIT, "
        "teléfonos ni direcciones). Quite esa columna o esos datos y cargue de nuevo; no se guardó nada del "
        "archivo.", RULE, header)


def check_headers(headers: list[str], file_name: str) -> None:
    """FileRejected naming the first header that means personal data."""
    for header in headers:
        tokens = set(normalize(header).split("_"))
        if tokens & PLACE_TOKENS:
            continue
        hit = next((PERSONAL_TOKENS[t] for t in tokens if t in PERSONAL_TOKENS), None)
        if hit:
            raise _refuse(file_name, header, hit)


def check_content(raw: pl.DataFrame, file_name: str) -> None:
    """FileRejected naming the first column (and its first row) whose cells look like personal data.
    `raw` holds `_row` and the file's columns as strings (loaders.read)."""
    cols = [c for c in raw.columns if c != "_row" and raw.schema[c] == pl.String]
    if not cols or raw.height == 0:
        return
    for col in cols:
        cell = pl.col(col).str.strip_chars()
        for what, pattern in CONTENT_PATTERNS:
            hit = raw.lazy().filter(cell.str.contains(pattern).fill_null(False)).select("_row").head(1).collect()
            if hit.height:
                raise _refuse(file_name, col, what, int(hit.item(0, 0)))
