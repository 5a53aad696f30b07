"""Progress and semáforo per indicator and scope, from the method's one implementation."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, fetch, progress_source, scope_clause

SEMAFOROS = ("verde", "amarillo", "rojo", "en inicio", "sin dato", "sin meta")


def progress(week_end: dt.date, viewer: Viewer, scope_type: str | None = None,
             indicator: str | None = None, path=None) -> pl.DataFrame:
    """The method's results at a week's end (materialised: progress_at), scoped to the viewer; optional scope type/indicator.
    Scope names from model page_scopes (39_page_scopes.sql)."""
    where, params = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.*, i.name AS indicator_name, i.unit, i.eje_id, i.program_code, i.intervention,
               i.level, i.frequency, i.is_sample, s.scope_name
        FROM {progress_source(week_end, path)} p
        JOIN indicators i ON i.code = p.indicator_code
        LEFT JOIN page_scopes s ON s.scope_type = p.scope_type AND s.scope_code = p.scope_code
        WHERE {where} AND (CAST(? AS VARCHAR) IS NULL OR p.scope_type = ?)
              AND (CAST(? AS VARCHAR) IS NULL OR p.indicator_code = ?)
        ORDER BY p.indicator_code, p.scope_type, p.scope_code""",
                 [week_end, *params, scope_type, scope_type, indicator, indicator], path)


def progress_export(week_end: dt.date, viewer: Viewer, path=None) -> pl.DataFrame:
    """The `export progress` table: indicator, scope, as_of, value, expected, target, percent, semáforo."""
    frame = progress(week_end, viewer, path=path)
    return frame.select(
        pl.col("indicator_code").alias("indicator"),
        pl.when(pl.col("scope_type") == "departamento").then(pl.col("scope_name"))
          .otherwise(pl.col("scope_code")).alias("scope"),
        pl.col("scope_type"),
        pl.col("as_of"), pl.col("value"), pl.col("expected"), pl.col("target_value").alias("target"),
        pl.col("percent"), pl.col("semaforo"), pl.col("target_kind"), pl.col("baseline_value"),
        pl.col("progress"), pl.col("reporting_status"), pl.col("units_late"), pl.col("units"),
        pl.col("latest_period"), pl.col("is_sample"))
