"""`export`: reference and result tables as CSV (UTF-8, comma-separated; formula-like text neutralised,
see warehouse/cell_safety.py)."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from warehouse import queries
from warehouse.asof import last_complete_week_end, week_end_of
from warehouse.cell_safety import write_csv
from warehouse.query import SYSTEM

EXPORTS = ("municipalities", "indicators", "targets", "progress", "quarantine", "programs", "logframe")


def export_frame(kind: str, path: Path, week: str | None = None) -> pl.DataFrame:
    if kind == "municipalities":
        return queries.municipalities(SYSTEM, path)
    if kind == "indicators":
        return queries.indicators_catalog(SYSTEM, path)
    if kind == "targets":
        return queries.targets_table(SYSTEM, path)
    if kind == "programs":
        return queries.programs_export(SYSTEM, path)
    if kind == "logframe":
        return queries.logframe_export(SYSTEM, path)
    if kind == "quarantine":
        return queries.quarantine_rows(SYSTEM, path)
    if kind == "progress":
        if week:
            end = week_end_of(week)
        else:
            as_of = queries.status(SYSTEM, path)["as_of"]
            if as_of is None:
                return pl.DataFrame(schema={"indicator": pl.String, "scope": pl.String})
            end = last_complete_week_end(as_of)
        return queries.progress_export(end, SYSTEM, path)
    raise ValueError(f"Exportación desconocida: {kind}")


def export_csv(kind: str, path: Path, out: Path, week: str | None = None) -> int:
    frame = export_frame(kind, path, week)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, out)
    return frame.height
