"""The file's columns against its kind: mapped to canonical names, each meaning once, the required ones
present. A refusal for missing columns says where the header really is when it can tell: below title
rows (looked for in the first `HEADER_SEARCH_ROWS` rows), or on another sheet of the workbook."""
from __future__ import annotations

from pathlib import Path

from loaders.errors import FileRejected
from loaders.headers import map_headers, position
from loaders.kinds import Kind
from loaders.read import first_rows
from loaders.report import Problem, describe

HEADER_SEARCH_ROWS = 10
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _label(kind: Kind, names) -> str:
    return ", ".join(f"{kind.col(c).spanish or c} ({c})" for c in names)


def _missing(mapping: dict, kind: Kind) -> list[str]:
    """Required columns absent; when no alternative set (value, or numerator and denominator) is
    complete, the first alternative's missing columns too."""
    present = set(mapping.values())
    missing = [c for c in kind.required if c not in present]
    if kind.required_any and not any(set(alt) <= present for alt in kind.required_any):
        missing += [c for c in kind.required_any[0] if c not in present]
    return missing


def _header_row(rows: list[list[str]], kind: Kind) -> int | None:
    """1-based row (after the first) of `rows` that holds every required column, or None."""
    for i, row in enumerate(rows[1:], start=2):
        if row and not _missing(map_headers(row, kind)[0], kind):
            return i
    return None


def _where_is_the_header(path: Path, sheet: str | None, kind: Kind) -> tuple[str, bool]:
    """(a sentence pointing at the real header row or sheet, or listing the sheets; whether the header
    was found elsewhere). ('', False) when nothing better is known."""
    try:
        row = _header_row(first_rows(path, sheet, HEADER_SEARCH_ROWS), kind)
        if row:
            return (f" Los encabezados parecen estar en la fila {row}: borre las {row - 1} filas de título de "
                    "arriba (el encabezado debe ser la primera fila) y cargue de nuevo.", True)
        if path.suffix.lower() not in WORKBOOK_SUFFIXES:
            return "", False
        from loaders.xlsx_read import sheet_names

        names = sheet_names(path)
        listed = ", ".join(f"'{n}'" for n in names)
        for other in names[1:] if sheet is None else [n for n in names if n != sheet]:
            if not _missing(map_headers((first_rows(path, other, 1) or [[]])[0], kind)[0], kind):
                return (f" Los datos parecen estar en la hoja '{other}' (hojas del libro: {listed}): elíjala "
                        f"(--sheet '{other}' en la línea de órdenes).", True)
        return (f" Hojas del libro: {listed}." if len(names) > 1 else ""), False
    except FileRejected:
        return "", False


def check_columns(path: Path, headers: list[str], kind: Kind,
                  sheet: str | None = None) -> tuple[dict, list[Problem]]:
    """({file header: canonical}, warnings for unknown columns); FileRejected for a meaning given twice
    or missing required columns."""
    mapping, unknown, dupes = map_headers(headers, kind)
    if dupes:
        second = dupes[0]
        canon = map_headers([second], kind)[0][second]
        first = next(h for h, c in mapping.items() if c == canon)
        raise FileRejected(f"El archivo {path.name} tiene dos columnas con el mismo significado ({canon}): "
                           f"'{first}' (columna {position(headers, first)}) y '{second}' (columna "
                           f"{position(headers, second)}). Deje una sola.", "columna_duplicada", second)
    missing = _missing(mapping, kind)
    if missing:
        hint, elsewhere = _where_is_the_header(path, sheet, kind)
        if elsewhere:            # the header is elsewhere: say where, not which of its columns are missing
            raise FileRejected(f"El archivo {path.name} no tiene los encabezados en la primera fila.{hint}",
                               "columnas_faltantes")
        text = f"Al archivo {path.name} le faltan columnas obligatorias para '{kind.name}': {_label(kind, missing)}."
        if kind.required_any and set(kind.required_any[0]) & set(missing):
            alternatives = " o ".join(" y ".join(kind.col(c).spanish for c in alt) for alt in kind.required_any)
            text += f" Cada fila necesita {alternatives}."
        raise FileRejected(text + hint, "columnas_faltantes", missing[0])
    warnings = [Problem(path.name, 1, h, h, "columna_desconocida",
                        describe(path.name, 1, h, None, "columna_desconocida", "columna no reconocida; se ignora"),
                        "warning") for h in unknown]
    return mapping, warnings
