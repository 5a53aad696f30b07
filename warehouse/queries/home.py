"""Queries for the executive summary: semáforo tiles, what changed, off-track lists, budget."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.asof import week_end_of, week_label
from warehouse.queries.progress import SEMAFOROS
from warehouse.query import (Viewer, budget_source, fetch, indicator_clause, intervention_param, materialised_weeks,
                             pages_ready, progress_source, scope_clause, state_source, visible_clause)

ODM_HEADLINE = "ODM-1.1"


def _scope(department: str | None) -> tuple[str, str]:
    return ("departamento", department) if department else ("nacional", "national")


def _national_counts(week_end: dt.date, viewer: Viewer, intervention, eje, program, department, path) -> pl.DataFrame:
    """Indicators per semáforo at the country (or department) level for the week, and how many of them
    are judged against a PQD-2014 target: one query for the tiles and the PQD figure."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    scope_type, scope_code = _scope(department)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.semaforo, count(*) AS indicators, count(*) FILTER (WHERE p.target_kind = 'PQD-2014') AS pqd
        FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
        WHERE p.scope_type = ? AND p.scope_code = ? AND {ind} AND {where}
        GROUP BY p.semaforo""", [week_end, scope_type, scope_code, *ip, *sp], path)


def semaforo_counts(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                    program=None, department=None, path=None) -> pl.DataFrame:
    """Indicators per semáforo at the country (or department) level for the week."""
    return _national_counts(week_end, viewer, intervention, eje, program, department, path).select(
        "semaforo", "indicators")


def semaforo_tiles(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                   program=None, department=None, path=None) -> dict:
    """The home's tiles: indicators per semáforo state, how many have a target, and the share
    verde among them ('sin meta' stays outside the denominator, docs/method.md)."""
    counts = semaforo_counts(week_end, viewer, intervention, eje, program, department, path)
    tiles = {state: 0 for state in SEMAFOROS}
    tiles.update(dict(zip(counts["semaforo"].to_list(), counts["indicators"].to_list())))
    with_target = sum(n for state, n in tiles.items() if state != "sin meta")
    return {"counts": tiles, "with_target": with_target,
            "percent_verde": 100.0 * tiles["verde"] / with_target if with_target else None}


def pqd_on_track(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                 program=None, department=None, path=None) -> dict:
    """Indicators judged against their PQD-2014 target at the country (or department) level:
    how many, how many verde, and the share verde (from the tiles' query)."""
    counts = _national_counts(week_end, viewer, intervention, eje, program, department, path)
    judged = counts.filter(pl.col("semaforo") != "sin meta")
    verde = int(judged.filter(pl.col("semaforo") == "verde")["pqd"].sum())
    with_target = int(judged["pqd"].sum())
    return {"verde": verde, "with_target": with_target,
            "percent_verde": 100.0 * verde / with_target if with_target else None}


def odm_headline(week_end: dt.date, viewer: Viewer, indicator: str = ODM_HEADLINE,
                 path=None) -> dict | None:
    """An ODM indicator at the national level: latest value, its ODM-2015 target and the semáforo
    (judged against the plan in force: PQD-2014 during 2014). Target from model page_odm_targets (63)."""
    where, sp = scope_clause("p.scope_code", viewer)
    frame = fetch(f"""
        SELECT p.indicator_code, o.name AS indicator_name, o.unit, p.value, p.latest_period,
               p.semaforo, p.percent, round(100 * p.expected, 1) AS expected_percent,
               p.target_kind, p.target_value, p.target_date,
               o.odm_baseline_value, o.odm_baseline_date, o.odm_target_value, o.odm_target_date,
               CASE WHEN o.sentido = 'descendente' THEN p.value <= o.odm_target_value
                    ELSE p.value >= o.odm_target_value END AS odm_target_met
        FROM {progress_source(week_end, path)} p JOIN page_odm_targets o ON o.code = p.indicator_code
        WHERE p.indicator_code = ? AND p.scope_type = 'nacional' AND {where}""",
                  [week_end, indicator, *sp], path)
    return frame.row(0, named=True) if frame.height else None


def budget_execution(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                     program=None, department=None, path=None) -> dict:
    """Execution (accrued YTD / annual modified) and timeliness (accrued / scheduled YTD): the
    warehouse's budget definition (33_mart_budget.sql, docs/method.md Budget)."""
    prog, pp = indicator_clause("p", intervention, eje, program)   # programs carry the same columns
    where, sp = scope_clause("b.scope_code", viewer)
    source, bp = budget_source(week_end, path)
    return fetch(f"""
        SELECT count(DISTINCT b.month) FILTER (WHERE b.in_ytd) AS months, min(b.month) AS first_month,
               max(b.month) FILTER (WHERE b.in_ytd) AS last_month,
               sum(b.modified) AS modified, sum(b.scheduled) AS scheduled, sum(b.accrued) AS accrued,
               budget_execution(sum(b.accrued), sum(b.modified)) AS execution_percent,
               budget_timeliness(sum(b.accrued), sum(b.scheduled)) AS timeliness_percent
        FROM {source} b JOIN programs p ON p.program_code = b.program_code
        LEFT JOIN municipalities m ON m.code = b.scope_code
        WHERE {prog} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)""",
                 [*bp, *pp, *sp, department, department], path).row(0, named=True)


def snapshot_weeks(viewer: Viewer, path=None) -> list[str]:
    """ISO weeks with materialised results (the last 12 weeks up to the week under review)."""
    if visible_clause(viewer) == "FALSE":
        return []
    return sorted(week_label(end) for end in materialised_weeks(path))


CHANGE_COLUMNS = ("c.indicator_code, c.indicator_name, c.scope_type, c.scope_code, c.scope_name, c.semaforo_before, "
                  "c.semaforo_now, c.direction, c.percent_before, c.percent_now, c.percent_change, c.value_before, "
                  "c.value_now")


def _changes(week: str, previous: str, viewer: Viewer, intervention, eje, program, department, path,
             only: str = "TRUE", order: str = "", limit: int | None = None) -> pl.DataFrame:
    """Rows of model page_week_changes (40_page_home_changes.sql; its stored rows for a selector week
    against the week before) under the filter bar and the viewer's scope, `only` the rows a caller
    needs, in its `order`."""
    ind, ip = indicator_clause("c", intervention, eje, program)
    where, sp = scope_clause("c.scope_code", viewer)
    end = week_end_of(week)
    source = ("(SELECT * FROM page_week_changes_weekly WHERE week = ? AND previous = ?)"
              if previous == week_label(end - dt.timedelta(days=7)) and pages_ready(end, path)
              else "page_week_changes(?, ?)")
    return fetch(f"""
        SELECT {CHANGE_COLUMNS}
        FROM {source} c
        WHERE {only} AND {ind} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR c.scope_code = ? OR c.department_code = ?)
        ORDER BY {order}c.indicator_code, c.scope_code{'' if limit is None else ' LIMIT ?'}""",
                 [week, previous, *ip, *sp, department, department, department,
                  *([] if limit is None else [limit])], path)


def week_changes(week: str, previous: str, viewer: Viewer, intervention=None, eje=None,
                 program=None, department=None, path=None) -> pl.DataFrame:
    """Indicator-scope pairs whose semáforo or progress moved between two materialised weeks
    (model page_week_changes, 40_page_home_changes.sql), biggest semáforo changes first: every
    row, for the deck and exports (the page asks for the two parts it shows, below).

    `direction`: 'mejora' / 'empeora' when the semáforo moved along rojo < amarillo < verde,
    'cambia' for other semáforo changes, NULL when only the value or progress moved."""
    return _changes(week, previous, viewer, intervention, eje, program, department, path,
                    order="(c.semaforo_now <> c.semaforo_before) DESC, abs(coalesce(c.percent_change, 0)) DESC, ")


def week_semaforo_changes(week: str, previous: str, viewer: Viewer, intervention=None, eje=None,
                          program=None, department=None, path=None) -> pl.DataFrame:
    """The rows of week_changes whose semáforo changed (`direction` set), worse news first: empeora,
    cambia, mejora; within each the largest fall of progress first (Resumen and the deck show this order)."""
    return _changes(week, previous, viewer, intervention, eje, program, department, path,
                    only="c.direction IS NOT NULL",
                    order="CASE c.direction WHEN 'empeora' THEN 0 WHEN 'cambia' THEN 1 ELSE 2 END, "
                          "c.percent_change NULLS LAST, ")


def week_largest_moves(week: str, previous: str, viewer: Viewer, intervention=None, eje=None,
                       program=None, department=None, n: int = 20, path=None) -> pl.DataFrame:
    """The `n` rows of week_changes with the largest progress movement (either way), largest first;
    charts.order.largest_moves puts falls before rises."""
    return _changes(week, previous, viewer, intervention, eje, program, department, path,
                    only="c.percent_change IS NOT NULL", order="abs(c.percent_change) DESC, ", limit=n)


def _measurement_filters(intervention, eje, program, department, viewer) -> tuple[str, list]:
    """Filter-bar and viewer predicate on a page model alias `r` (indicator columns, scope_code,
    department_code)."""
    ind, ip = indicator_clause("r", intervention, eje, program)
    where, sp = scope_clause("r.scope_code", viewer)
    return (f"{ind} AND {where} AND (CAST(? AS VARCHAR) IS NULL OR r.department_code = ?)",
            [*ip, *sp, department, department])


def _weekly_source(model: str, week_start: dt.date, week_end: dt.date, path) -> tuple[str, list]:
    """A weekly page model between two dates: its stored rows (`<model>_weekly`, a plain select) for a
    selector week (Monday to Sunday) while current, else the model (table macro) on the facts."""
    if week_end - week_start == dt.timedelta(days=6) and pages_ready(week_end, path):
        return f"(SELECT * FROM {model}_weekly WHERE week_end = ?)", [week_end]
    return f"{model}(?::DATE, ?::DATE)", [week_start, week_end]


def week_revisions(week_start: dt.date, week_end: dt.date, viewer: Viewer, intervention=None,
                   eje=None, program=None, department=None, path=None) -> pl.DataFrame:
    """Values reported during the week that replace an earlier report of the same period
    (model page_week_revisions, 41_page_home_revisions.sql)."""
    flt, fp = _measurement_filters(intervention, eje, program, department, viewer)
    source, wp = _weekly_source("page_week_revisions", week_start, week_end, path)
    return fetch(f"""
        SELECT r.indicator_code, r.indicator_name, r.scope_code, r.municipality, r.period,
               r.previous_value, r.new_value, r.previous_reported_at, r.reported_at, r.previous_load_id,
               r.load_id
        FROM {source} r WHERE {flt}
        ORDER BY r.reported_at, r.indicator_code, r.scope_code, r.period, r.load_id""", [*wp, *fp], path)


def week_late_reports(week_start: dt.date, week_end: dt.date, viewer: Viewer, intervention=None,
                      eje=None, program=None, department=None, path=None) -> pl.DataFrame:
    """Reports received during the week after their deadline (period end + deadline days; model
    page_week_late_reports, 42_page_home_late_reports.sql)."""
    flt, fp = _measurement_filters(intervention, eje, program, department, viewer)
    source, wp = _weekly_source("page_week_late_reports", week_start, week_end, path)
    return fetch(f"""
        SELECT r.indicator_code, r.indicator_name, r.scope_code, r.municipality, r.period, r.deadline,
               r.reported_at, r.days_late
        FROM {source} r WHERE {flt}
        ORDER BY r.days_late DESC, r.indicator_code, r.scope_code, r.period, r.reported_at, r.load_id""",
                 [*wp, *fp], path)


def off_track(week_end: dt.date, viewer: Viewer, scope_type: str = "nacional",
              intervention=None, eje=None, program=None, department=None, limit: int = 50,
              path=None) -> pl.DataFrame:
    """Indicator-scope pairs in rojo or amarillo, worst ratio first (scope names and departments from
    model page_scopes, 39_page_scopes.sql)."""
    ind, ip = indicator_clause("i", intervention, eje, program)
    where, sp = scope_clause("p.scope_code", viewer)
    return fetch(f"""
        SELECT p.indicator_code, i.name AS indicator_name, i.eje_id, p.scope_type, p.scope_code, s.scope_name,
               p.value, p.target_value, p.percent, round(100 * p.expected, 1) AS expected_percent,
               p.semaforo, p.reporting_status
        FROM {progress_source(week_end, path)} p JOIN indicators i ON i.code = p.indicator_code
        LEFT JOIN page_scopes s ON s.scope_type = p.scope_type AND s.scope_code = p.scope_code
        WHERE p.scope_type = ? AND p.semaforo IN ('rojo', 'amarillo') AND {ind} AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR s.department_code = ?)
        ORDER BY p.semaforo = 'amarillo', p.ratio NULLS LAST, p.indicator_code, p.scope_code
        LIMIT ?""", [week_end, scope_type, *ip, *sp, department, department, limit], path)


def municipalities_off_track(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                             program=None, department=None, limit: int = 25, path=None) -> pl.DataFrame:
    """Municipalities whose overall state (32_mart_municipality_state.sql) is not on track: rojo,
    atrasado (most reports past their deadline) or amarillo, in that order, then by rojo count."""
    where, sp = scope_clause("m.code", viewer)
    iv = intervention_param(intervention)
    return fetch(f"""
        SELECT s.code, m.municipality, m.department, m.intervention, s.state, s.rojo, s.amarillo, s.verde,
               s.indicators - s.sin_meta AS with_target, s.late, s.indicators
        FROM {state_source(week_end, iv, eje, program, path)} s JOIN municipalities m USING (code)
        WHERE s.state IN ('rojo', 'atrasado', 'amarillo') AND {where}
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)
        ORDER BY CASE s.state WHEN 'rojo' THEN 1 WHEN 'atrasado' THEN 2 ELSE 3 END, s.rojo DESC, s.late DESC,
                 s.amarillo DESC, s.code
        LIMIT ?""", [week_end, iv, eje, program, *sp, department, department, limit],
                 path)
