"""Logframe (Matriz de Marco Lógico) queries: a program's objectives tree, its indicators with
the method's national progress, and physical progress next to budget execution per program."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import (Viewer, budget_source, fetch, indicator_clause, intervention_param, progress_source,
                             scope_clause, visible_clause)

LEVELS = ("fin", "proposito", "componente", "actividad")

def program_list(viewer: Viewer, intervention=None, eje=None, path=None) -> pl.DataFrame:
    """Programs with a logframe, umbrella logframes (no eje) first, filtered by intervention and eje;
    the umbrella logframes are always listed (model page_programs, 47_page_programs.sql)."""
    iv = intervention_param(intervention)
    return fetch(f"""
        SELECT p.program_code, p.name, p.eje_id, p.intervention, p.institution, p.objectives, p.indicators
        FROM page_programs p
        WHERE {visible_clause(viewer)} AND (p.eje_id IS NULL
           OR ((CAST(? AS VARCHAR) IS NULL OR p.intervention = ?) AND (CAST(? AS INTEGER) IS NULL OR p.eje_id = ?)))
        ORDER BY p.eje_id NULLS FIRST, p.program_code""", [iv, iv, eje, eje], path)


def logframe_objectives(program: str, viewer: Viewer, path=None) -> pl.DataFrame:
    """The program's objectives in matrix order: level (fin, propósito, componentes, actividades),
    then depth-first along the tree. Medios and supuestos gather the objective's and its indicators'
    (model page_logframe_objectives, 46_page_logframe.sql).

    `role` is 'propio' for the program's own objectives and 'superior' for the objective(s) of
    another logframe that the program's top objectives hang from (what the program contributes to).
    """
    return fetch(f"""
        SELECT objective_id, parent_id, level, program_code, role, narrative, medios, supuestos, indicators, path
        FROM page_logframe_objectives
        WHERE matrix_program = ? AND {visible_clause(viewer)}
        ORDER BY role = 'propio', level_order, path""", [program], path)


def logframe_indicators(program: str, week_end: dt.date, viewer: Viewer, path=None) -> pl.DataFrame:
    """The program's indicators with value, target and semáforo at national scope for the week."""
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT i.code, i.name, i.objective_id, i.level, i.type, i.unit, i.frequency,
               i.medio_verificacion, i.supuesto,
               p.value, p.target_value, p.target_kind, p.target_date, p.baseline_value, p.percent,
               round(100 * p.expected, 1) AS expected_percent, p.latest_period,
               coalesce(p.semaforo, 'sin dato') AS semaforo
        FROM indicators i
        LEFT JOIN (SELECT * FROM {progress_source(week_end, path)} p
                   WHERE p.scope_type = 'nacional' AND {where}) p ON p.indicator_code = i.code
        WHERE i.program_code = ? AND {visible_clause(viewer)}
        ORDER BY i.code""", [week_end, *sp, program], path)


def child_programs(program: str, viewer: Viewer, path=None) -> pl.DataFrame:
    """Programs whose objectives hang from this program's objectives (the umbrella's executors; model
    page_child_programs, 48_page_child_programs.sql)."""
    return fetch(f"""
        SELECT parent_objective, program_code, name, objectives
        FROM page_child_programs
        WHERE parent_program = ? AND {visible_clause(viewer)}
        ORDER BY parent_objective, program_code""", [program], path)


def physical_financial(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                       path=None) -> pl.DataFrame:
    """Per program: mean progress percent and share verde of its indicators at national scope (the
    method), next to budget execution (33_mart_budget.sql: accrued YTD / annual modified)."""
    ind, ip = indicator_clause("i", intervention, eje, None)
    where, sp = scope_clause("p.scope_code", viewer)
    bwhere, bp = scope_clause("b.scope_code", viewer)
    source, yp = budget_source(week_end, path)
    return fetch(f"""
        WITH physical AS (
            SELECT i.program_code, count(*) AS indicators,
                   count(*) FILTER (WHERE p.semaforo NOT IN ('sin meta', 'sin dato')) AS evaluated,
                   count(*) FILTER (WHERE p.semaforo = 'verde') AS verde,
                   round(avg(p.percent), 1) AS physical_percent,
                   round(100 * avg(p.expected) FILTER (WHERE p.percent IS NOT NULL), 1) AS expected_percent
            FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
            WHERE p.scope_type = 'nacional' AND {ind} AND {where}
            GROUP BY 1),
        financial AS (
            SELECT b.program_code, sum(b.modified) AS modified, sum(b.accrued) AS accrued
            FROM {source} b
            WHERE {bwhere}
            GROUP BY 1)
        SELECT ph.program_code, pr.name AS program_name, pr.eje_id, pr.intervention, ph.indicators,
               ph.evaluated, ph.verde, round(100 * ph.verde / nullif(ph.evaluated, 0), 1) AS verde_percent,
               ph.physical_percent, ph.expected_percent, f.modified, f.accrued,
               budget_execution(f.accrued, f.modified) AS execution_percent
        FROM physical ph JOIN programs pr USING (program_code)
        JOIN financial f USING (program_code)
        ORDER BY pr.eje_id, ph.program_code""",
                 [week_end, *ip, *sp, *yp, *bp], path)


def logframe_export(viewer: Viewer, path=None) -> pl.DataFrame:
    """Every logframe objective (program, level, narrative) with its indicator codes, in matrix order:
    program, level (fin .. actividad), then along the tree (model page_logframe_export,
    56_page_logframe_lists.sql)."""
    return fetch(f"""
        SELECT program, level, text, indicators, objective_id, parent_id
        FROM page_logframe_export
        WHERE {visible_clause(viewer)}
        ORDER BY program, level_order, path""", [], path)
