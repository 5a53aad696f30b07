"""Exports that cannot carry formulas: the one rule every CSV, XLSX and deck table writer applies.

OWASP's CSV-injection rule: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is written with a leading single quote (`'`), so a spreadsheet shows it as text instead of
running it. Only text is touched: numbers stay numbers, and a text that is a plain number
(`-12`, `-3,5 %`, as a deck writes figures) cannot be a formula and is left as it is. XLSX
workbooks are also opened with formulas and URLs off (`WORKBOOK_OPTIONS`).
"""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_RE = r"^[=+\-@\t\r]"
_PLAIN_NUMBER_RE = r"^[+-]?\d[\d.,\u00a0 ]*(?:\s?%)?$"
_PLAIN_NUMBER = re.compile(_PLAIN_NUMBER_RE)
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def neutralise(value):
    """The text with a leading `'` when a spreadsheet could read it as a formula; other values as they are."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of `frame` through `neutralise` (vectorised; other columns untouched)."""
    fixes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            col = pl.col(name)
            risky = col.str.contains(_TRIGGER_RE) & ~col.str.contains(_PLAIN_NUMBER_RE)
            fixes.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return frame.with_columns(fixes) if fixes else frame


def csv_text(frame: pl.DataFrame) -> str:
    """The frame as CSV text (UTF-8, comma), with formula-like text neutralised."""
    return neutralise_frame(frame).write_csv()


def write_csv(frame: pl.DataFrame, out: str | Path) -> None:
    """Write the frame as a CSV file, with formula-like text neutralised."""
    neutralise_frame(frame).write_csv(out)


def safe_workbook(target, options: dict | None = None):
    """An xlsxwriter Workbook with formulas and URLs off (plus any other `options`)."""
    import xlsxwriter

    return xlsxwriter.Workbook(target, {**(options or {}), **WORKBOOK_OPTIONS})
