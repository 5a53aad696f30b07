"""Queries for the Ficha técnica page: an indicator's definition, plan, series and municipal breakdown."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import (Viewer, fetch, intervention_param, progress_source, scope_clause, series_source,
                             visible_clause)


def indicator_definition(code: str, viewer: Viewer, path=None) -> dict | None:
    """The logframe row of one indicator with its objective, program and eje names (None if unknown)."""
    frame = fetch(f"""SELECT * FROM page_indicator_definition WHERE code = ? AND {visible_clause(viewer)}""",
                  [code], path)                     # model page_indicator_definition (49)
    return frame.row(0, named=True) if frame.height else None


def indicator_plan(code: str, week_end: dt.date, viewer: Viewer, scope_code: str = "national",
                   path=None) -> pl.DataFrame:
    """Baseline and target of every plan (PQD-2014, ODM-2015...) for one indicator at one scope.

    Explicit targets at the scope come first; at national level an indicator without an explicit
    national target shows the method's aggregate of the municipal targets for the plan in force.
    `in_force` marks the plan the method applies at the week.
    """
    where, sp = scope_clause("x.scope_code", viewer)
    scope_type = "nacional" if scope_code == "national" else "municipio"
    source = progress_source(week_end, path)
    # k: the plan in force, as the method applied it (its rows carry int_target_kind_asof's kind)
    return fetch(f"""
        WITH k AS (SELECT DISTINCT target_kind FROM {source} WHERE indicator_code = ? AND target_kind IS NOT NULL),
        explicit AS (
            SELECT target_kind, baseline_date, baseline_value, target_date, target_value,
                   'meta cargada' AS origin, scope_code
            FROM stg_targets_current WHERE indicator_code = ? AND scope_code = ?
        ),
        method AS (
            SELECT target_kind, baseline_date, baseline_value, target_date, target_value,
                   'agregado de metas municipales' AS origin, scope_code
            FROM {source}
            WHERE indicator_code = ? AND scope_type = ? AND scope_code = ? AND target_kind IS NOT NULL
              AND target_kind NOT IN (SELECT target_kind FROM explicit)
        )
        SELECT x.target_kind, x.baseline_date, x.baseline_value, x.target_date, x.target_value,
               x.origin, x.target_kind IN (SELECT target_kind FROM k) AS in_force
        FROM (SELECT * FROM explicit UNION ALL SELECT * FROM method) x
        WHERE {where}
        ORDER BY x.target_date, x.target_kind""",
                 [week_end, code, code, scope_code, week_end, code, scope_type, scope_code,
                  *sp], path)


def indicator_series(code: str, week_end: dt.date, viewer: Viewer, scope_code: str = "national",
                     path=None) -> pl.DataFrame:
    """The indicator's series per period as known at the week's end, on the scale of its target
    (the method's valuation: stored for the nation and departments, else macro mart_series_asof; see
    query.series_source). `units`: municipalities reporting each period."""
    where, sp = scope_clause("q.scope_code", viewer)
    return fetch(f"""
        SELECT s.period, s.period_type, s.period_end, s.units, s.value, s.period_value, s.accumulation
        FROM {series_source(week_end, scope_code, path)} s, (SELECT ?::VARCHAR AS scope_code) q
        WHERE {where} ORDER BY s.period_end""", [week_end, code, scope_code, scope_code, *sp], path)


def national_status(week_end: dt.date, code: str, viewer: Viewer, path=None) -> dict | None:
    """The method's row for the indicator at national level for the week (None if it has none)."""
    where, sp = scope_clause("p.scope_code", viewer)
    frame = fetch(f"""
        SELECT p.value, p.baseline_value, p.target_value, p.target_kind, p.baseline_date, p.target_date,
               p.percent, round(100 * p.expected, 1) AS expected_percent,
               p.baseline_value + p.expected * (p.target_value - p.baseline_value) AS expected_value,
               p.semaforo, p.reporting_status, p.units, p.units_late, p.latest_period, p.as_of
        FROM {progress_source(week_end, path)} p
        WHERE p.scope_type = 'nacional' AND p.indicator_code = ? AND {where}""",
                  [week_end, code, *sp], path)
    return frame.row(0, named=True) if frame.height else None


def municipal_breakdown(week_end: dt.date, code: str, viewer: Viewer, intervention: str | None = None,
                        department: str | None = None, path=None) -> pl.DataFrame:
    """The indicator in every municipality (method rows), optionally one intervention/department."""
    where, sp = scope_clause("p.scope_code", viewer)
    iv = intervention_param(intervention)
    return fetch(f"""
        SELECT p.scope_code AS code, m.municipality, m.department, m.intervention, p.value,
               p.target_value, p.percent, round(100 * p.expected, 1) AS expected_percent, p.semaforo,
               p.reporting_status, p.latest_period
        FROM {progress_source(week_end, path)} p JOIN municipalities m ON m.code = p.scope_code
        WHERE p.scope_type = 'municipio' AND p.indicator_code = ? AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR m.intervention = ?)
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)
        ORDER BY CASE p.semaforo WHEN 'rojo' THEN 0 WHEN 'amarillo' THEN 1 WHEN 'verde' THEN 2 ELSE 3 END,
                 p.ratio NULLS LAST, p.scope_code""",
                 [week_end, code, *sp, iv, iv, department, department], path)
