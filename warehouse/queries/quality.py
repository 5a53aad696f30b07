"""Data-quality queries: quarantine, load log, validation results."""
from __future__ import annotations

import polars as pl

from warehouse.query import NATIONAL, Viewer, fetch


def quarantine_rows(viewer: Viewer = NATIONAL, path=None) -> pl.DataFrame:
    return fetch("""
        SELECT q.load_id, l.loaded_at, q.kind, q.file_name, q.row_number, q.column_name, q.value,
               q.rule, q.message, q.raw_row
        FROM quarantine q LEFT JOIN load_log l USING (load_id)
        ORDER BY q.load_id, q.row_number""", [], path)
