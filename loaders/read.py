"""Read CSV, XLSX or Parquet into a frame of strings, with a `_row` column (header is row 1)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl


class FileRejected(Exception):
    """The whole file cannot be loaded (unreadable, empty, wrong columns)."""

    def __init__(self, message: str, rule: str = "archivo_rechazado", column: str | None = None):
        super().__init__(message)
        self.rule, self.column = rule, column


@dataclass
class RawFile:
    frame: pl.DataFrame          # all columns Utf8, plus `_row` (Int64)
    decimal_comma: bool
    fmt: str


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff_separator(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast every column to trimmed strings; dates lose a midnight time; empty -> null."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            col = col.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(r" 00:00:00$", "")
        elif dtype == pl.Date:
            col = col.dt.strftime("%Y-%m-%d")
        elif dtype != pl.String:
            col = col.cast(pl.String)
        col = col.str.strip_chars()
        exprs.append(pl.when(col == "").then(None).otherwise(col).alias(str(name)))
    return frame.select(exprs) if exprs else frame


def read_table(path: str | Path, sheet: str | None = None) -> RawFile:
    path = Path(path)
    if not path.exists():
        raise FileRejected(f"No existe el archivo {path}.", "archivo_ilegible")
    suffix = path.suffix.lower()
    decimal_comma = False
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pl.read_excel(path, sheet_name=sheet, infer_schema_length=0) if sheet else \
                pl.read_excel(path, infer_schema_length=0)
            fmt = "xlsx"
        elif suffix == ".parquet":
            frame = pl.read_parquet(path)
            fmt = "parquet"
        else:
            text = decode(path.read_bytes())
            if not text.strip():
                raise FileRejected(f"El archivo {path.name} está vacío.", "archivo_vacio")
            sep = sniff_separator(text)
            frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), separator=sep, infer_schema=False,
                                truncate_ragged_lines=False, raise_if_empty=False)
            decimal_comma = sep == ";"
            fmt = "csv"
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader error means the file is unreadable
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FileRejected(f"No se pudo leer el archivo {path.name}: {detail}", "archivo_ilegible") from None
    frame = _strings(frame)
    # drop fully empty rows (trailing separators, blank spreadsheet rows), keep row numbers
    frame = frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
    data_cols = [c for c in frame.columns if c != "_row"]
    if data_cols:
        frame = frame.filter(~pl.all_horizontal(pl.col(data_cols).is_null()))
    if frame.height == 0:
        raise FileRejected(f"El archivo {path.name} no tiene filas de datos.", "archivo_vacio")
    return RawFile(frame, decimal_comma, fmt)
