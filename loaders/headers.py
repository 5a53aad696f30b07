"""Map file headers (Spanish or English, any case, with or without accents) to canonical names."""
from __future__ import annotations

import re
import unicodedata

from loaders.errors import FileRejected
from loaders.kinds import Kind


def normalize(header: str) -> str:
    """'Código Municipio' -> 'codigo_municipio'; 'Plazo (días)' -> 'plazo_dias'."""
    text = unicodedata.normalize("NFKD", str(header).replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def alias_map(kind: Kind) -> dict[str, str]:
    out = {}
    for col in kind.columns:
        for alias in (col.name, normalize(col.spanish), *col.aliases):
            if alias:
                out.setdefault(normalize(alias), col.name)
    return out


def map_headers(headers: list[str], kind: Kind) -> tuple[dict[str, str], list[str], list[str]]:
    """Return ({file header: canonical}, unknown headers, duplicated canonical names)."""
    aliases = alias_map(kind)
    mapping, unknown, seen, dupes = {}, [], set(), []
    for h in headers:
        canon = aliases.get(normalize(h))
        if canon is None:
            unknown.append(h)
        elif canon in seen:
            dupes.append(h)
        else:
            seen.add(canon)
            mapping[h] = canon
    return mapping, unknown, dupes


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB' (how a spreadsheet names the column)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def position(headers: list[str], header: str) -> str:
    """'4 (D)': the column's number and spreadsheet letter."""
    i = headers.index(header)
    return f"{i + 1} ({column_letter(i)})"


def check_unique(headers: list[str], file_name: str) -> None:
    """Refuse a file whose header repeats a name (one of the two columns would be lost)."""
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = normalize(h)
        if not key:
            continue
        if key in seen:
            j = seen[key]
            raise FileRejected(f"El archivo {file_name} repite el encabezado '{h}' en las columnas {j + 1} "
                               f"({column_letter(j)}) y {i + 1} ({column_letter(i)}): deje una sola columna con "
                               "ese nombre.", "columna_duplicada", h)
        seen[key] = i
