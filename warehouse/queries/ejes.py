"""Queries for the Ejes page: semáforo distribution per eje and intervention, each eje's
indicators and one indicator's series against its plan."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import (Viewer, fetch, indicator_clause, progress_source, scope_clause, series_source,
                             visible_clause)

COUNT_UNITS = ("indicadores", "municipios")


def _scope(department: str | None) -> tuple[str, str]:
    return ("departamento", department) if department else ("nacional", "national")


def ejes_catalog(viewer: Viewer, path=None) -> pl.DataFrame:
    """The four ejes with their names (model page_ejes, 58_page_catalogues.sql)."""
    return fetch(f"SELECT eje_id, eje FROM page_ejes WHERE {visible_clause(viewer)} ORDER BY eje_id", [], path)


def eje_semaforo_distribution(week_end: dt.date, viewer: Viewer, unit: str = "indicadores",
                              intervention=None, eje=None, program=None, department=None,
                              path=None) -> pl.DataFrame:
    """Semáforo counts per eje × intervention (CSU/CSR).

    unit 'indicadores': indicators at the country (or department) level;
    unit 'municipios': municipality × indicator pairs (in the department, when one is chosen).
    Eje names from model page_ejes (58_page_catalogues.sql)."""
    if unit not in COUNT_UNITS:
        raise ValueError(f"unit must be one of {COUNT_UNITS}, not {unit!r}")
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    scope_type, scope_code = _scope(department)
    if unit == "indicadores":
        join, scope_sql, scope_params = "", "p.scope_type = ? AND p.scope_code = ?", [scope_type, scope_code]
    else:          # the municipality's department, for the department filter
        join = "LEFT JOIN municipalities m ON m.code = p.scope_code"
        scope_sql = "p.scope_type = 'municipio' AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)"
        scope_params = [department, department]
    return fetch(f"""
        SELECT i.eje_id, e.eje, i.intervention, p.semaforo, count(*) AS count
        FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
        JOIN page_ejes e ON e.eje_id = i.eje_id {join}
        WHERE {scope_sql} AND i.intervention IN ('CSU', 'CSR') AND {ind} AND {where}
        GROUP BY i.eje_id, e.eje, i.intervention, p.semaforo ORDER BY i.eje_id, i.intervention, p.semaforo""",
                 [week_end, *scope_params, *ip, *sp], path)


def eje_indicators(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                   program=None, department=None, path=None) -> pl.DataFrame:
    """Every indicator of an eje at the country (or department) level: value, plan, progress,
    expected progress and semáforo, as the method gives them at the week's end."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    scope_type, scope_code = _scope(department)
    return fetch(f"""
        SELECT i.eje_id, i.intervention, i.program_code, p.indicator_code, i.name AS indicator_name,
               i.unit, i.frequency, i.accumulation, p.scope_type, p.scope_code,
               p.value, p.latest_period, p.latest_end, p.target_kind, p.baseline_date, p.baseline_value,
               p.target_date, p.target_value, p.percent, round(100 * p.expected, 1) AS expected_percent,
               p.semaforo, p.reporting_status, p.units, CAST(p.units_late AS INTEGER) AS units_late
        FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
        WHERE p.scope_type = ? AND p.scope_code = ? AND i.eje_id IS NOT NULL AND {ind} AND {where}
        ORDER BY i.eje_id, i.intervention, p.indicator_code""",
                 [week_end, scope_type, scope_code, *ip, *sp], path)


def indicator_series(indicator: str, week_end: dt.date, viewer: Viewer, department=None,
                     path=None) -> pl.DataFrame:
    """An indicator's series at the country (or department) level as known at the week's end, on
    its target's scale (stored, else macro mart_series_asof: query.series_source). `segment` numbers the stretches a line may join
    (each year of a 'flujo' restarts from zero)."""
    scope_code = department or "national"
    where, sp = scope_clause("q.scope_code", viewer)
    return fetch(f"""
        SELECT q.scope_code, s.period_end, s.period, s.units, s.segment, s.value
        FROM {series_source(week_end, scope_code, path)} s, (SELECT ?::VARCHAR AS scope_code) q
        WHERE {where} ORDER BY s.period_end""", [week_end, indicator, scope_code, scope_code, *sp], path)