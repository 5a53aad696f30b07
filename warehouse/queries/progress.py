"""Progress and semáforo per indicator and scope, from the method's one implementation."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, fetch, progress_source, scope_clause

SEMAFOROS = ("verde", "amarillo", "rojo", "en inicio", "sin dato", "sin meta")


def progress(week_end: dt.date, viewer: Viewer, scope_type: str | None = None,
             indicator: str | None = None, path=None) -> pl.DataFrame:
    """The method's results at a week's end (materialised: progress_at), scoped to the viewer; optional scope type/indicator."""
    where, params = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.*, i.name AS indicator_name, i.unit, i.eje_id, i.program_code, i.intervention,
               i.level, i.frequency, i.is_sample,
               CASE p.scope_type WHEN 'municipio' THEN m.municipality
                    WHEN 'departamento' THEN d.department ELSE 'Nacional' END AS scope_name
        FROM {progress_source(week_end, path)} p
        JOIN indicators i ON i.code = p.indicator_code
        LEFT JOIN municipalities m ON p.scope_type = 'municipio' AND m.code = p.scope_code
        LEFT JOIN departments d ON p.scope_type = 'departamento' AND d.department_code = p.scope_code
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
