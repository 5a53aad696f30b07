"""Read CSV, XLSX or Parquet into frames of strings with a `_row` column (header is row 1).

Large files are read in bounded batches (`BATCH_ROWS` rows, see `open_table`): a CSV is never
decoded into one Python string. Its encoding is decided by `loaders.encoding` (UTF-8, UTF-16,
UTF-8 with damaged lines, Windows-1252). The UTF-8 text is then cut at record boundaries into pieces of `batch_rows` records, each parsed by polars with the
header in front (same result as reading the whole file; about one batch is held at a time).
Each piece is checked first: a row with another number of fields than the header, or a quote
that is never closed, refuses the file naming the row. XLSX goes through `loaders.xlsx_read`.
Parquet is read by pyarrow in record batches. Row numbers are the
user's: the header is row 1 and data start at row 2, counted over the whole file (stable across
batches; blank rows count, then are dropped).
"""
from __future__ import annotations

import csv
import io
import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from loaders import xlsx_read
from loaders.encoding import BLOCK_BYTES, SAMPLE_BYTES, csv_source, decode  # noqa: F401 - decode: tools
from loaders.csv_shape import check_piece, regular_by_count
from loaders.errors import FileRejected
from loaders.headers import check_unique

BATCH_ROWS = 1_000_000        # rows per batch read, parsed and validated at a time (a file up to it stays in memory)
SEPARATORS = (";", ",", "\t", "|")


@dataclass
class RawFile:
    frame: pl.DataFrame          # all columns Utf8, plus `_row` (Int64)
    decimal_comma: bool
    fmt: str


def sniff_separator(text: str) -> str:
    """The separator of the first non-empty line that has one (title rows above a header have none)."""
    for line in itertools.islice((line for line in text.splitlines() if line.strip()), 10):
        counts = {sep: line.count(sep) for sep in SEPARATORS}
        if max(counts.values()):
            return max(counts, key=counts.get)
    return ","


WHITESPACE_BYTES = (b" ", b"\t", b"\x0b", b"\x0c")


def _plain(buf: bytes, offset: int) -> bool:
    """True when `buf[offset:]` (CSV bytes without quotes) is ASCII with no whitespace but line ends
    (LF or CRLF, which polars takes off): then no field read from it needs trimming or is empty
    (polars reads an empty field as null)."""
    data = np.frombuffer(buf, dtype=np.uint8, offset=offset)
    if data.size and int(data.max()) >= 128 or any(buf.find(w, offset) >= 0 for w in WHITESPACE_BYTES):
        return False
    cr = np.flatnonzero(data == 13) + 1                  # the byte after each CR must be LF
    return not cr.size or (cr[-1] < data.size and bool((data[cr] == 10).all()))


def _strings(frame: pl.DataFrame, clean_text: bool = False) -> pl.DataFrame:
    """Cast every column to trimmed strings; dates lose a midnight time; empty -> null.

    A text column is trimmed and emptied only when it has a value that needs it (checked in one pass,
    skipped when the reader knows no value does: `clean_text`).
    """
    text = [n for n, d in frame.schema.items() if d == pl.String]
    clean = set(text) if clean_text else set()
    if text and not clean_text:
        flags = frame.select(pl.col(n).str.contains(r"^\s|\s$|^$").any().alias(n) for n in text).row(0)
        clean = {n for n, dirty in zip(text, flags) if not dirty}
    exprs = []
    for name, dtype in frame.schema.items():
        if name in clean:
            exprs.append(pl.col(name))
            continue
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


def _tidy(frame: pl.DataFrame, clean_text: bool = False) -> pl.DataFrame:
    """Strings for the data columns, `_row` as Int64, fully empty rows dropped (row numbers kept)."""
    data_cols = [c for c in frame.columns if c != "_row"]
    out = _strings(frame.select(data_cols), clean_text).with_columns(frame["_row"].cast(pl.Int64).alias("_row"))
    out = out.select(["_row"] + data_cols)
    if data_cols:
        out = out.filter(~pl.all_horizontal(pl.col(data_cols).is_null()))
    return out


def _unreadable(path: Path, exc: BaseException) -> FileRejected:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return FileRejected(f"No se pudo leer el archivo {path.name}: {detail}", "archivo_ilegible")


@dataclass
class TableBatches:
    """An open table: its columns (original headers) and an iterator of tidy batches.

    Each batch holds `_row` (Int64, the user's row number) and the data columns as trimmed
    strings, with fully empty rows dropped (a batch may be empty). Reading errors met while
    iterating are raised as FileRejected. Use as a context manager: `close()` removes the
    temporary UTF-8 copy of a Windows-1252 CSV.
    """
    path: Path
    columns: list[str]
    decimal_comma: bool
    fmt: str
    _batches: Iterator[pl.DataFrame]
    _tmpdir: str | None = field(default=None, repr=False)
    replaced: bool = False        # undecodable bytes became U+FFFD (see loaders.encoding)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        try:
            for batch in self._batches:              # a frame, or (frame, no text needs trimming)
                yield _tidy(*batch) if isinstance(batch, tuple) else _tidy(batch)
        except FileRejected:
            raise
        except Exception as exc:  # noqa: BLE001 - any reader error means the file is unreadable
            raise _unreadable(self.path, exc) from None

    def close(self) -> None:
        close = getattr(self._batches, "close", None)
        if close:
            close()                                   # closes the file being read
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> TableBatches:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _blank(path: Path, source: Path, sample: str) -> bool:
    """True when the file holds only whitespace (looked at block by block, never whole)."""
    if sample.strip():
        return False
    with open(source, "rb") as fh:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            if block.decode("utf-8", errors="replace").lstrip("\ufeff").strip():
                return False
    return True


def open_table(path: str | Path, sheet: str | None = None, batch_rows: int = BATCH_ROWS) -> TableBatches:
    """Open a CSV, XLSX or Parquet file for reading in batches of at most about `batch_rows` rows.

    XLSX is read whole (spreadsheets are small) and handed out in slices; CSV and Parquet are
    streamed. Raises FileRejected when the file is missing, unreadable or empty.
    """
    path = Path(path)
    if not path.exists():
        raise FileRejected(f"No existe el archivo {path}.", "archivo_ilegible")
    suffix = path.suffix.lower()
    batch_rows = max(1, int(batch_rows))
    tmpdir = None
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = xlsx_read.read_sheet(path, sheet)
            batches = frame.iter_slices(batch_rows) if frame.height else iter([frame])
            return TableBatches(path, [c for c in frame.columns if c != "_row"], False, "xlsx", iter(batches))
        if suffix == ".parquet":
            columns, batches = _parquet_batches(path, batch_rows)
            return TableBatches(path, columns, False, "parquet", batches)
        src = csv_source(path)
        source, start, sample, tmpdir = src.path, src.start, src.sample, src.tmpdir
        if _blank(path, source, sample):
            raise FileRejected(f"El archivo {path.name} está vacío.", "archivo_vacio")
        sep = sniff_separator(sample)
        columns, batches = _csv_batches(source, start, sep, batch_rows, path.name)
        return TableBatches(path, columns, sep == ";", "csv", batches, tmpdir, src.replaced)
    except FileRejected:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    except Exception as exc:  # noqa: BLE001 - any reader error means the file is unreadable
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise _unreadable(path, exc) from None


def _record_end(buf: bytes | bytearray, start: int, pos: int) -> int:
    """Index just after the first newline at or after `pos` that ends a CSV record begun at `start`
    (an even number of quotes since `start`: a quoted field may hold newlines); -1 if not in `buf`."""
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return -1
        if buf.count(b'"', start, nl) % 2 == 0:
            return nl + 1
        pos = nl + 1


def _nth_newline(buf, n: int, offset: int = 0) -> int:
    """Index of the n-th (1-based) newline in buf after `offset` (the caller knows there are at least n)."""
    return offset + int(np.flatnonzero(np.frombuffer(buf, dtype=np.uint8, offset=offset) == 10)[n - 1])


def _newlines(buf) -> int:
    return int(np.count_nonzero(np.frombuffer(buf, dtype=np.uint8) == 10))


def _csv_header(fh, start: int) -> tuple[bytes, bytearray]:
    """(header record, bytes read after it): leading empty lines are skipped, as polars does."""
    fh.seek(start)
    buf = bytearray()
    pos = 0
    while True:
        while buf[pos:pos + 1] == b"\n" or buf[pos:pos + 2] == b"\r\n":
            pos = buf.index(b"\n", pos) + 1
        end = _record_end(buf, pos, pos)
        if end >= 0:
            return bytes(buf[pos:end]), buf[end:]
        block = fh.read(BLOCK_BYTES)
        if not block:
            head = bytes(buf[pos:])
            return (head + b"\n" if head else head), bytearray()
        buf += block


def _csv_batches(source: Path, start: int, sep: str, batch_rows: int,
                 name: str) -> tuple[list[str], Iterator[tuple[pl.DataFrame, bool]]]:
    """Columns and a generator of (frame of at most `batch_rows` records plus `_row`, whether no text
    needs trimming).

    The file is cut at record boundaries and each piece is parsed with the header line put in
    front, so polars reads every piece exactly as it reads the whole file; only about one batch
    of bytes is held at a time (polars' own streaming reader reads ahead without bound). Each block
    is read once into the piece, its newlines counted once (numpy), and the piece is handed to
    polars with the header already in front (no further copy when the file is one batch).
    """
    with open(source, "rb") as fh:
        header, _ = _csv_header(fh, start)
    check_unique(next(csv.reader(io.StringIO(header.decode("utf-8")), delimiter=sep), []), name)
    columns = pl.read_csv(header, separator=sep, infer_schema=False, n_rows=0, raise_if_empty=False).columns

    def batches() -> Iterator[tuple[pl.DataFrame, bool]]:
        row, h = 2, len(header)
        with open(source, "rb") as fh:
            _, first = _csv_header(fh, start)
            rest, lines, eof = bytes(first), first.count(b"\n"), False
            while True:
                blocks = [header, rest]              # the header in front: polars reads each piece whole
                while lines <= batch_rows and not eof:
                    block = fh.read(BLOCK_BYTES)
                    eof = not block
                    blocks.append(block)
                    lines += _newlines(block)
                buf = b"".join(blocks)
                if len(buf) == h:
                    return
                quoted = buf.find(b'"', h) >= 0
                cut, piece_lines = len(buf), lines
                if lines > batch_rows or (lines == batch_rows and not buf.endswith(b"\n")):
                    first_cut = _nth_newline(buf, batch_rows, h) + 1
                    cut = first_cut if not quoted or buf.count(b'"', h, first_cut) % 2 == 0 else \
                        _record_end(buf, h, first_cut)
                    while cut < 0 and not eof:            # a quoted field runs past the buffer
                        block = fh.read(BLOCK_BYTES)
                        eof = not block
                        buf += block
                        lines += _newlines(block)
                        cut = _record_end(buf, h, first_cut)
                    cut = len(buf) if cut < 0 else cut
                    piece_lines = batch_rows if cut == first_cut else buf.count(b"\n", h, cut)
                rest = buf[cut:]
                lines -= piece_lines
                if cut < len(buf):
                    buf = buf[:cut]
                counted = regular_by_count(buf, sep, len(columns), h, piece_lines, quoted)
                if not counted:
                    check_piece(buf[h:], sep, len(columns), row, name)
                try:
                    frame = pl.read_csv(buf, separator=sep, infer_schema=False,
                                        truncate_ragged_lines=False, raise_if_empty=False)
                except pl.exceptions.ComputeError:
                    if counted:                     # a line too long (and another too short): name the row
                        check_piece(buf[h:], sep, len(columns), row, name)
                    raise
                yield frame.with_row_index("_row", offset=row), counted and _plain(buf, h)
                row += frame.height

    return columns, batches()


def _parquet_batches(path: Path, batch_rows: int) -> tuple[list[str], Iterator[pl.DataFrame]]:
    """Columns and a generator of frames of at most `batch_rows` rows (pyarrow reads row groups lazily)."""
    pf = pq.ParquetFile(path)
    columns = list(pf.schema_arrow.names)

    def batches() -> Iterator[pl.DataFrame]:
        row = 2
        try:
            for rb in pf.iter_batches(batch_size=batch_rows):
                frame = pl.from_arrow(rb)
                yield frame.with_row_index("_row", offset=row)
                row += frame.height
        finally:
            pf.close()

    return columns, batches()


def first_rows(path: str | Path, sheet: str | None = None, n: int = 10) -> list[list[str]]:
    """The first `n` lines of a CSV (a blank line is []) or non-empty rows of a sheet, as text: where a
    refusal looks for the real header row."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return xlsx_read.first_rows(path, sheet, n)
    if suffix == ".parquet":
        return []
    src = csv_source(path)
    try:
        reader = csv.reader(io.StringIO(src.sample), delimiter=sniff_separator(src.sample))
        return [[c.strip() for c in row] for row in itertools.islice(reader, n)]
    except csv.Error:
        return []
    finally:
        if src.tmpdir:
            shutil.rmtree(src.tmpdir, ignore_errors=True)


def read_table(path: str | Path, sheet: str | None = None) -> RawFile:
    """Whole-file read (small files, tools): the batches of `open_table` concatenated."""
    with open_table(path, sheet) as table:
        parts = [b for b in table if b.height]
        if not parts:
            raise FileRejected(f"El archivo {Path(path).name} no tiene filas de datos.", "archivo_vacio")
        return RawFile(pl.concat(parts), table.decimal_comma, table.fmt)
