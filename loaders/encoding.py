"""How a CSV's bytes become text, decided without reading the file whole.

UTF-16 with a BOM (Excel's "Texto Unicode", tab-separated) is transcoded. Otherwise a sample decides
(UTF-8 with or without BOM); a sample that is UTF-8 is confirmed block by block. A file that is not
valid UTF-8 is either Windows-1252 (no valid UTF-8 accents: the whole file is decoded that way) or
UTF-8 with a few damaged lines (its valid multi-byte sequences outnumber the invalid bytes): the valid
text is kept and each invalid byte becomes U+FFFD, so the pipeline can quarantine exactly those rows
(rule `codificacion_invalida`) instead of turning every accent of the file into mojibake.
Transcoded files go to a temporary UTF-8 copy (`CsvSource.tmpdir`), block by block.
"""
from __future__ import annotations

import codecs
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import FileRejected

SAMPLE_BYTES = 1 << 20        # bytes used to decide the encoding and the separator
BLOCK_BYTES = 4 << 20         # bytes per block of the streaming UTF-8 check / transcoding
BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
REPLACEMENT = "\ufffd"
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"
HIGH_BYTES = bytes(range(0x80, 0x100))
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                           rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                           rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


@dataclass
class CsvSource:
    path: Path               # UTF-8 file to read (the original or a temporary copy)
    start: int               # offset past any BOM
    sample: str              # the first text, to sniff the separator
    tmpdir: str | None       # temporary folder of the copy, removed by the reader
    replaced: bool = False   # transcoded: undecodable bytes were replaced by U+FFFD


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (whole-buffer version, for small inputs)."""
    if data.startswith(BOM):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def looks_binary(head: bytes) -> bool:
    """True for a non-text sample: a NUL byte, or more than 1% control characters (text, in UTF-8 or
    Windows-1252, has none besides tab and line ends)."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    return len(head) - len(head.translate(None, CONTROL_BYTES)) > 0.01 * len(head)


def csv_source(path: Path) -> CsvSource:
    """Decide the encoding of `path` (see the module docstring) and return what to read."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(UTF16_BOMS):
        return _transcode(path, 0, "utf-16")
    if looks_binary(head):
        raise FileRejected(f"El archivo {path.name} no es un archivo CSV, XLSX o Parquet legible.", "archivo_ilegible")
    start = 3 if head.startswith(BOM) else 0
    try:
        whole = len(head) < SAMPLE_BYTES
        sample = codecs.getincrementaldecoder("utf-8")().decode(head[start:], final=whole)
    except UnicodeDecodeError:
        sample = None                                   # the sample is not UTF-8
    if sample is not None and (whole or _is_utf8(path, start)):
        return CsvSource(path, start, sample, None)
    valid, invalid = _utf8_census(path, start)
    if valid and valid >= invalid:
        return _transcode(path, start, "utf-8")
    return _transcode(path, start, "cp1252")


def _is_utf8(path: Path, start: int) -> bool:
    """Streaming check that the file (from `start`) is valid UTF-8; stops at the first bad block."""
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
                if block.isascii() and not dec.getstate()[0]:     # ASCII is UTF-8: no need to decode
                    continue
                dec.decode(block, final=False)
            dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _utf8_census(path: Path, start: int) -> tuple[int, int]:
    """(valid multi-byte UTF-8 sequences, bytes >= 0x80 outside them), block by block (cut at line ends)."""
    valid = invalid = 0
    carry = b""
    with open(path, "rb") as fh:
        fh.seek(start)
        while True:
            block = fh.read(BLOCK_BYTES)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            part, carry = data[:cut], data[cut:]
            seqs = UTF8_SEQUENCE.findall(part)
            high = len(part) - len(part.translate(None, HIGH_BYTES))
            valid += len(seqs)
            invalid += high - sum(map(len, seqs))
            if not block:
                return valid, invalid


def _transcode(path: Path, start: int, encoding: str) -> CsvSource:
    """Copy `path` (from `start`) to a temporary UTF-8 file, decoding block by block; bytes that are not
    text in `encoding` become U+FFFD (their rows are quarantined)."""
    tmpdir = tempfile.mkdtemp(prefix="spsu_csv_")
    target = Path(tmpdir) / "utf8.csv"
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    sample = ""
    try:
        with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
            src.seek(start)
            for block in iter(lambda: src.read(BLOCK_BYTES), b""):
                text = dec.decode(block)
                sample = sample or text[:SAMPLE_BYTES]
                dst.write(text)
            dst.write(dec.decode(b"", final=True))
    except BaseException:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    return CsvSource(target, 3 if sample.startswith("\ufeff") else 0, sample.lstrip("\ufeff"), tmpdir, True)
