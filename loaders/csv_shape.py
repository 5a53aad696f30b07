"""The shape of CSV records, checked before parsing: every record has as many fields as the header
(polars would fill a short row with nulls and stop without a row number at a long one), and every
quote is closed (an open quote would swallow the rest of the file into one field)."""
from __future__ import annotations

import csv
import io

import numpy as np

from loaders.errors import FileRejected


def regular_by_count(buf: bytes, sep: str, n_fields: int, offset: int = 0, lines: int | None = None,
                     quoted: bool | None = None) -> bool:
    """True when the piece `buf[offset:]`, without quotes, holds exactly `n_fields - 1` separators per
    line in total (`lines`: its newlines, when the caller counted them). With polars refusing any line
    with more fields than the header (`truncate_ragged_lines=False`), no line can then have fewer
    either, nor be blank (0 separators), so the line-by-line check is skipped. A quote or any irregular
    line makes this False (then `check_piece` finds the row); a one-column file also checks for blank
    lines, which the count cannot see."""
    if len(buf) <= offset or (buf.find(b'"', offset) >= 0 if quoted is None else quoted):
        return False
    data = np.frombuffer(buf, dtype=np.uint8, offset=offset)
    if lines is None:
        lines = int(np.count_nonzero(data == 10))
    records = lines + (0 if buf.endswith(b"\n") else 1)
    if n_fields == 1:
        return buf.find(b"\n\n", offset) < 0
    return int(np.count_nonzero(data == ord(sep))) == (n_fields - 1) * records


def check_piece(piece: bytes, sep: str, n_fields: int, first_row: int, name: str) -> None:
    """Refuse the file at the first record of `piece` (records from `first_row`) with a bad shape."""
    if piece.count(b'"') % 2:
        row = first_row + _open_quote_record(piece)
        raise FileRejected(f"El archivo {name}, fila {row}: una comilla (\") se abre y no se cierra, y el resto del "
                           "archivo quedaría en un solo campo. Cierre la comilla o quítela.", "comillas_sin_cerrar")
    counts = _fields_quoted(piece, sep) if b'"' in piece else _fields_plain(piece, sep)
    bad = np.flatnonzero((counts != 0) & (counts != n_fields))
    if bad.size:
        i = int(bad[0])
        raise FileRejected(f"El archivo {name}, fila {first_row + i}: tiene {int(counts[i])} campos y el encabezado "
                           f"{n_fields}; revise los separadores ('{sep}') y las comillas de esa fila.",
                           "fila_irregular")


def _open_quote_record(piece: bytes) -> int:
    """Index of the record whose quote is never closed."""
    index, start, open_ = 0, 0, False
    for line in piece.split(b"\n"):
        if not open_:
            start = index
        open_ ^= line.count(b'"') % 2 == 1
        if not open_:
            index += 1
    return start


def _fields_plain(piece: bytes, sep: str) -> np.ndarray:
    """Fields per line of a piece without quotes (0 for a blank line), vectorised: separators before
    each line's end minus those before its start (positions found once, counted by binary search)."""
    arr = np.frombuffer(piece, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if not piece.endswith(b"\n"):
        ends = np.append(ends, len(arr))
    starts = np.concatenate(([0], ends[:-1] + 1))
    seps = np.flatnonzero(arr == ord(sep))
    lengths = ends - starts
    cr_only = (lengths == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13)
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    return np.where((lengths == 0) | cr_only, 0, fields)


def _fields_quoted(piece: bytes, sep: str) -> np.ndarray:
    """Fields per record (quoted fields may hold separators and line ends); 0 for a blank record."""
    reader = csv.reader(io.StringIO(piece.decode("utf-8"), newline=""), delimiter=sep)
    return np.fromiter((len(r) for r in reader), dtype=np.int64)
