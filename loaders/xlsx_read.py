"""One sheet of an XLSX (or XLS) workbook, with refusals that say what is wrong with the workbook:
password-protected, damaged, or a sheet that does not exist (the sheets are listed)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl

from loaders.errors import FileRejected
from loaders.headers import check_unique

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"         # OLE container: old .xls, or an encrypted workbook
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _damaged(path: Path) -> FileRejected:
    return FileRejected(f"El archivo {path.name} no es un libro XLSX válido o está dañado: ábralo en Excel, "
                        "guárdelo de nuevo como .xlsx y cárguelo otra vez.", "archivo_ilegible")


def check_workbook(path: Path) -> None:
    """Refuse a password-protected workbook, an old binary workbook named .xlsx and a damaged one."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == CFB_MAGIC:
        if ENCRYPTED_MARK in path.read_bytes():
            raise FileRejected(f"El libro {path.name} está protegido con contraseña: ábralo en Excel, quite la "
                               "contraseña (Archivo > Información > Proteger libro) y guárdelo de nuevo.",
                               "archivo_protegido")
        if path.suffix.lower() in XLSX_SUFFIXES:
            raise _damaged(path)
    elif path.suffix.lower() in XLSX_SUFFIXES and not zipfile.is_zipfile(path):
        raise _damaged(path)


def sheet_names(path: Path) -> list[str]:
    import fastexcel

    try:
        return list(fastexcel.read_excel(str(path)).sheet_names)
    except Exception:  # noqa: BLE001 - calamine's errors all mean the workbook cannot be opened
        raise _damaged(path) from None


def _sheet(path: Path, sheet: str | None) -> str:
    names = sheet_names(path)
    if not names:
        raise _damaged(path)
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise FileRejected(f"El libro {path.name} no tiene la hoja '{sheet}'; sus hojas son: "
                           + ", ".join(f"'{n}'" for n in names) + ".", "hoja_inexistente")
    return sheet


def first_rows(path: Path, sheet: str | None, n: int) -> list[list[str]]:
    """The first `n` non-empty rows of the sheet as text (empty cells as '')."""
    try:
        frame = pl.read_excel(path, sheet_name=_sheet(path, sheet), has_header=False, infer_schema_length=0,
                              read_options={"n_rows": n})
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001
        return []
    return [["" if v is None else str(v).strip() for v in row] for row in frame.rows()]


def read_sheet(path: Path, sheet: str | None) -> pl.DataFrame:
    """The sheet as strings with `_row` (header is row 1, data from row 2); a repeated header is refused."""
    check_workbook(path)
    name = _sheet(path, sheet)
    header = first_rows(path, name, 1)
    check_unique(header[0] if header else [], path.name)
    try:
        frame = pl.read_excel(path, sheet_name=name, infer_schema_length=0)
    except Exception:  # noqa: BLE001
        raise _damaged(path) from None
    return frame.with_row_index("_row", offset=2)
