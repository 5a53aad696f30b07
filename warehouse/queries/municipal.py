"""Queries for the Municipios page: the map's semáforo per municipality and a municipality's profile.

(Named `municipal`, not `municipalities`: importing a submodule of that name would replace the
`queries.municipalities` function re-exported by warehouse/queries/__init__.py.)

All semáforos come from the method's materialised weekly results (progress_at, municipality_state_at:
warehouse/sql/29_tables_marts.sql); these functions only count, rank and join them.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import (Viewer, budget_source, fetch, indicator_clause, intervention_param, progress_source,
                             scope_clause, state_source, visible_clause)

def municipality_map(week_end: dt.date, viewer: Viewer, intervention: str | None = None,
                     eje: int | None = None, program: str | None = None, department: str | None = None,
                     indicator: str | None = None, path=None) -> pl.DataFrame:
    """One row per municipality: location, intervention, semáforo counts and the overall state.

    `in_filter` is false for municipalities outside the chosen intervention (drawn as context).
    With `indicator`, the row also carries that indicator's value/target/percent and `semaforo` is
    that indicator's semáforo instead of the overall state.
    """
    where, sp = scope_clause("mu.code", viewer)
    iv = intervention_param(intervention)
    ind, ip = indicator_clause("i", intervention, eje, program)
    return fetch(f"""
        WITH one AS (
            SELECT p.scope_code AS municipality_code, p.value AS ind_value, p.target_value AS ind_target,
                   p.percent AS ind_percent, round(100 * p.expected, 1) AS ind_expected,
                   p.semaforo AS ind_semaforo, p.reporting_status AS ind_reporting_status
            FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
            WHERE p.scope_type = 'municipio' AND p.indicator_code = ? AND {ind}
        )
        SELECT mu.code, mu.municipality, mu.department, mu.department_code, mu.intervention,
               mu.csr_group, mu.lat, mu.lon,
               (CAST(? AS VARCHAR) IS NULL OR mu.intervention = ?) AND mu.intervention <> 'none' AS in_filter,
               s.rojo, s.amarillo, s.verde, s.en_inicio, s.sin_dato, s.sin_meta, s.indicators, s.late,
               s.pct_verde, s.state AS dominant,
               one.ind_value, one.ind_target, one.ind_percent, one.ind_expected, one.ind_semaforo,
               one.ind_reporting_status,
               CASE WHEN CAST(? AS VARCHAR) IS NULL THEN s.state
                    ELSE coalesce(one.ind_semaforo, CASE WHEN mu.intervention = 'none' THEN 'sin intervención'
                                                         ELSE 'no aplica' END) END AS semaforo
        FROM municipalities mu
        JOIN {state_source(week_end, iv, eje, program, path)} s USING (code)
        LEFT JOIN one ON one.municipality_code = mu.code
        WHERE {where} AND (CAST(? AS VARCHAR) IS NULL OR mu.department_code = ?)
        ORDER BY mu.code""",
                 [week_end, indicator, *ip, iv, iv, indicator, week_end, iv, eje, program, *sp,
                  department, department], path)


def municipality_ranking(map_frame: pl.DataFrame) -> pl.DataFrame:
    """The map's intervention municipalities, most rojo first, then most late reports, then least % verde."""
    return (map_frame.filter(pl.col("in_filter") & (pl.col("indicators") > 0))
            .sort(["rojo", "late", "pct_verde", "code"], descending=[True, True, False, False], nulls_last=True))


def municipality_indicator_options(week_end: dt.date, viewer: Viewer, intervention=None,
                                   eje=None, program=None, path=None) -> pl.DataFrame:
    """Municipal indicators the map can be coloured by (page model page_municipal_indicators,
    57_page_municipal.sql: those with targets below the national level)."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    return fetch(f"""
        SELECT i.code, i.name, i.eje_id, i.intervention
        FROM page_municipal_indicators i
        WHERE {ind} AND {visible_clause(viewer)}
        ORDER BY i.eje_id NULLS LAST, i.code""", [*ip], path)


def municipality_attributes(code: str, viewer: Viewer, path=None) -> dict | None:
    """Intervention and targeting attributes of one municipality (None if unknown or out of scope)."""
    where, sp = scope_clause("code", viewer)
    frame = fetch(f"""
        SELECT code, municipality, department, department_code, intervention, csr_group, entry_order,
               entry_year, iimm, settlements, violence_index, is_sample, source_note, lat, lon,
               coord_source
        FROM municipalities WHERE code = ? AND {where}""", [code, *sp], path)
    return frame.row(0, named=True) if frame.height else None


def municipality_indicators(week_end: dt.date, code: str, viewer: Viewer, eje=None,
                            program=None, path=None) -> pl.DataFrame:
    """Every indicator of one municipality with its semáforo, reporting status, weekly trend and the
    same indicator's percent in its department (method) and the median over its intervention.

    `trend` is the percent of progress in the materialised weeks up to the week (oldest first).
    """
    ind, ip = indicator_clause("i", None, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        WITH all_p AS (SELECT * FROM {progress_source(week_end, path)}),
        mu AS (SELECT code, department_code, intervention FROM municipalities WHERE code = ?),
        p AS (SELECT p.* FROM all_p p WHERE p.scope_type = 'municipio' AND p.scope_code = (SELECT code FROM mu)),
        dep AS (SELECT indicator_code, percent AS department_percent, semaforo AS department_semaforo
                FROM all_p WHERE scope_type = 'departamento'
                  AND scope_code = (SELECT department_code FROM mu)),
        peers AS (SELECT a.indicator_code, median(a.percent) AS intervention_median_percent,
                         count(*) AS intervention_units
                  FROM all_p a JOIN municipalities m ON m.code = a.scope_code
                  WHERE a.scope_type = 'municipio' AND m.intervention = (SELECT intervention FROM mu)
                  GROUP BY 1),
        trend AS (SELECT indicator_code, list(percent ORDER BY week) AS trend
                  FROM mart_progress_weekly
                  WHERE scope_type = 'municipio' AND scope_code = (SELECT code FROM mu) AND week_end <= ?::DATE
                  GROUP BY 1)
        SELECT p.indicator_code, i.name AS indicator_name, i.eje_id, i.program_code, i.unit,
               i.frequency, p.value, p.baseline_value, p.target_value, p.target_kind, p.percent,
               round(100 * p.expected, 1) AS expected_percent,
               p.baseline_value + p.expected * (p.target_value - p.baseline_value) AS expected_value,
               p.semaforo, p.reporting_status,
               p.latest_period, dep.department_percent, dep.department_semaforo,
               round(peers.intervention_median_percent, 1) AS intervention_median_percent,
               peers.intervention_units, trend.trend
        FROM p JOIN indicators i ON i.code = p.indicator_code
        LEFT JOIN dep USING (indicator_code)
        LEFT JOIN peers USING (indicator_code)
        LEFT JOIN trend USING (indicator_code)
        WHERE {ind} AND {where}
        ORDER BY CASE p.semaforo WHEN 'rojo' THEN 0 WHEN 'amarillo' THEN 1 WHEN 'verde' THEN 2 ELSE 3 END,
                 i.eje_id NULLS LAST, p.indicator_code""",
                 [week_end, code, week_end, *ip, *sp], path)


def municipality_budget(week_end: dt.date, code: str, viewer: Viewer, path=None) -> pl.DataFrame:
    """Budget in the municipality per program: annual modified, accrued and paid year to date
    (33_mart_budget.sql)."""
    where, sp = scope_clause("b.scope_code", viewer)
    source, bp = budget_source(week_end, path)
    return fetch(f"""
        SELECT b.program_code, p.name AS program_name, p.eje_id,
               min(b.month) AS first_month, max(b.month) FILTER (WHERE b.in_ytd) AS last_month,
               sum(b.modified) AS modified, sum(b.accrued) AS accrued, sum(b.paid) AS paid,
               budget_execution(sum(b.accrued), sum(b.modified)) AS execution_percent,
               max(b.is_sample) AS is_sample
        FROM {source} b LEFT JOIN programs p USING (program_code)
        WHERE b.scope_code = ? AND {where}
        GROUP BY b.program_code, p.name, p.eje_id ORDER BY p.eje_id NULLS LAST, b.program_code""",
                 [*bp, code, *sp], path)


def municipality_boundaries(viewer: Viewer, path=None) -> pl.DataFrame | None:
    """Municipal polygons (GeoJSON geometry text) when a boundaries file was loaded, else None."""
    where, sp = scope_clause("code", viewer)
    frame = fetch(f"SELECT code, geometry_json FROM boundaries WHERE {where} ORDER BY code", sp, path)
    return frame if frame.height else None


def municipality_budget_totals(week_end: dt.date, code: str, viewer: Viewer, path=None) -> dict | None:
    """The municipality's budget summed over programs (33_mart_budget.sql; None without budget rows)."""
    where, sp = scope_clause("b.scope_code", viewer)
    source, bp = budget_source(week_end, path)
    frame = fetch(f"""
        SELECT min(b.month) AS first_month, max(b.month) FILTER (WHERE b.in_ytd) AS last_month,
               sum(b.modified) AS modified, sum(b.accrued) AS accrued, sum(b.paid) AS paid,
               budget_execution(sum(b.accrued), sum(b.modified)) AS execution_percent,
               max(b.is_sample) AS is_sample
        FROM {source} b
        WHERE b.scope_code = ? AND {where}
        HAVING count(*) > 0""", [*bp, code, *sp], path)
    return frame.row(0, named=True) if frame.height else None
