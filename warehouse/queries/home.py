"""Queries for the executive summary: semáforo tiles, what changed, off-track lists."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import NATIONAL, Viewer, fetch, indicator_clause, scope_clause


def _scope(department: str | None) -> tuple[str, str]:
    return ("departamento", department) if department else ("nacional", "national")


def semaforo_counts(week_end: dt.date, viewer: Viewer = NATIONAL, intervention=None, eje=None,
                    program=None, department=None, path=None) -> pl.DataFrame:
    """Indicators per semáforo at the country (or department) level for the week."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    scope_type, scope_code = _scope(department)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.semaforo, count(*) AS indicators
        FROM mart_progress_asof(?::DATE) p JOIN indicators i ON i.code = p.indicator_code
        WHERE p.scope_type = ? AND p.scope_code = ? AND {ind} AND {where}
        GROUP BY 1""", [week_end, scope_type, scope_code, *ip, *sp], path)


def week_changes(week: str, previous: str, viewer: Viewer = NATIONAL, intervention=None, eje=None,
                 program=None, department=None, path=None) -> pl.DataFrame:
    """Indicator-scope pairs whose semáforo or progress moved between two weekly snapshots."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("cur.scope_code", viewer)
    return fetch(f"""
        SELECT cur.indicator_code, i.name AS indicator_name, cur.scope_type, cur.scope_code,
               CASE cur.scope_type WHEN 'municipio' THEN m.municipality WHEN 'departamento' THEN d.department
                    ELSE 'Nacional' END AS scope_name,
               prev.semaforo AS semaforo_before, cur.semaforo AS semaforo_now,
               prev.percent AS percent_before, cur.percent AS percent_now,
               cur.percent - prev.percent AS percent_change,
               prev.value AS value_before, cur.value AS value_now
        FROM progress_snapshots cur
        JOIN progress_snapshots prev ON prev.week = ? AND prev.indicator_code = cur.indicator_code
             AND prev.scope_type = cur.scope_type AND prev.scope_code = cur.scope_code
        JOIN indicators i ON i.code = cur.indicator_code
        LEFT JOIN municipalities m ON cur.scope_type = 'municipio' AND m.code = cur.scope_code
        LEFT JOIN departments d ON cur.scope_type = 'departamento' AND d.department_code = cur.scope_code
        WHERE cur.week = ? AND {ind} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR cur.scope_code = ? OR m.department_code = ?)
          AND (cur.semaforo <> prev.semaforo OR abs(coalesce(cur.percent - prev.percent, 0)) >= 0.05
               OR cur.value IS DISTINCT FROM prev.value)
        ORDER BY (cur.semaforo <> prev.semaforo) DESC, abs(coalesce(cur.percent - prev.percent, 0)) DESC""",
                 [previous, week, *ip, *sp, department, department, department], path)


def week_revisions(week_start: dt.date, week_end: dt.date, viewer: Viewer = NATIONAL, path=None) -> pl.DataFrame:
    """Values reported during the week that replace an earlier report of the same period."""
    where, sp = scope_clause("m.scope_code", viewer)
    return fetch(f"""
        WITH versions AS (
            SELECT m.*, lag(coalesce(value, numerator / nullif(denominator, 0))) OVER w AS previous_value,
                   lag(reported_at) OVER w AS previous_reported_at, lag(load_id) OVER w AS previous_load_id
            FROM measurements m
            WINDOW w AS (PARTITION BY indicator_code, scope_code, period
                         ORDER BY coalesce(reported_at, period_end), load_id))
        SELECT m.indicator_code, i.name AS indicator_name, m.scope_code, mu.municipality, m.period,
               m.previous_value, coalesce(m.value, m.numerator / nullif(m.denominator, 0)) AS new_value,
               m.previous_reported_at, m.reported_at, m.previous_load_id, m.load_id
        FROM versions m JOIN indicators i ON i.code = m.indicator_code
        LEFT JOIN municipalities mu ON mu.code = m.scope_code
        WHERE m.previous_load_id IS NOT NULL AND m.reported_at BETWEEN ? AND ? AND {where}
        ORDER BY m.reported_at, m.indicator_code""", [week_start, week_end, *sp], path)


def week_late_reports(week_start: dt.date, week_end: dt.date, viewer: Viewer = NATIONAL, path=None) -> pl.DataFrame:
    """Reports received during the week after their deadline (period end + deadline days)."""
    where, sp = scope_clause("m.scope_code", viewer)
    return fetch(f"""
        SELECT m.indicator_code, i.name AS indicator_name, m.scope_code, mu.municipality, m.period,
               m.period_end + to_days(i.deadline_days) AS deadline, m.reported_at,
               date_diff('day', m.period_end + to_days(i.deadline_days), m.reported_at) AS days_late
        FROM measurements m JOIN indicators i ON i.code = m.indicator_code
        LEFT JOIN municipalities mu ON mu.code = m.scope_code
        WHERE m.reported_at BETWEEN ? AND ? AND m.reported_at > m.period_end + to_days(i.deadline_days)
          AND {where}
        ORDER BY days_late DESC""", [week_start, week_end, *sp], path)


def off_track(week_end: dt.date, viewer: Viewer = NATIONAL, scope_type: str = "nacional",
              intervention=None, eje=None, program=None, department=None, limit: int = 50,
              path=None) -> pl.DataFrame:
    """Indicator-scope pairs in rojo or amarillo, worst ratio first."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.indicator_code, i.name AS indicator_name, i.eje_id, p.scope_type, p.scope_code,
               CASE p.scope_type WHEN 'municipio' THEN m.municipality WHEN 'departamento' THEN d.department
                    ELSE 'Nacional' END AS scope_name,
               p.value, p.target_value, p.percent, round(100 * p.expected, 1) AS expected_percent,
               p.semaforo, p.reporting_status
        FROM mart_progress_asof(?::DATE) p JOIN indicators i ON i.code = p.indicator_code
        LEFT JOIN municipalities m ON p.scope_type = 'municipio' AND m.code = p.scope_code
        LEFT JOIN departments d ON p.scope_type = 'departamento' AND d.department_code = p.scope_code
        WHERE p.scope_type = ? AND p.semaforo IN ('rojo', 'amarillo') AND {ind} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ? OR p.scope_code = ?)
        ORDER BY p.semaforo = 'amarillo', p.ratio NULLS LAST
        LIMIT ?""", [week_end, scope_type, *ip, *sp, department, department, department, limit], path)


def municipalities_off_track(week_end: dt.date, viewer: Viewer = NATIONAL, intervention=None, eje=None,
                             program=None, department=None, limit: int = 25, path=None) -> pl.DataFrame:
    """Municipalities ranked by how many of their indicators are rojo."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.scope_code AS code, m.municipality, m.department, m.intervention,
               count(*) FILTER (WHERE p.semaforo = 'rojo') AS rojo,
               count(*) FILTER (WHERE p.semaforo = 'amarillo') AS amarillo,
               count(*) FILTER (WHERE p.semaforo = 'verde') AS verde,
               count(*) FILTER (WHERE p.semaforo NOT IN ('sin meta')) AS with_target,
               count(*) FILTER (WHERE p.reporting_status = 'atrasado') AS late
        FROM mart_progress_asof(?::DATE) p JOIN indicators i ON i.code = p.indicator_code
        JOIN municipalities m ON m.code = p.scope_code
        WHERE p.scope_type = 'municipio' AND {ind} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)
        GROUP BY ALL HAVING count(*) FILTER (WHERE p.semaforo IN ('rojo', 'amarillo')) > 0
        ORDER BY rojo DESC, amarillo DESC, code LIMIT ?""",
                 [week_end, *ip, *sp, department, department, limit], path)
