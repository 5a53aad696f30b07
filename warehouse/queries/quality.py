"""Data-quality queries: load history, validation results, quarantine and reporting completeness."""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import (Viewer, fetch, fetch_value, filter_clause, indicator_clause, intervention_param, load_clause,
                             marts_ready, pages_ready, progress_source, scope_clause)

# Completeness states of a (municipality, indicator) cell for the week under review.
COMPLETENESS_STATES = ("reportado", "atrasado", "sin medición")


QUARANTINE_SHOWN = 1_000     # rows the page lists (a national load can quarantine a million: 10 s a render)


def quarantine_rows(viewer: Viewer, path=None, limit: int | None = None) -> pl.DataFrame:
    """Rejected input rows with their reasons, in load and row order; with `limit`, the `limit` rows of
    the newest loads first (the page). Rows carry whole input lines of any municipality and no scope
    the warehouse vouches for, so only all-rows roles see them (a municipal viewer: none).
    Model page_quarantine (55_page_quality.sql)."""
    order = "q.load_id, q.row_number" if limit is None else "q.load_id DESC, q.row_number LIMIT ?"
    first = 0 if limit is None else _first_load_shown(int(limit), path)
    return fetch(f"""
        SELECT q.load_id, q.loaded_at, q.kind, q.file_name, q.row_number, q.column_name, q.value,
               q.rule, q.message, q.raw_row
        FROM page_quarantine q
        WHERE ? AND q.load_id >= ?
        ORDER BY {order}""", [viewer.sees_all, first] + ([] if limit is None else [int(limit)]), path)


def _first_load_shown(limit: int, path) -> int:
    """The oldest load whose quarantined rows the newest `limit` rows reach (counted per load, a scan
    of one column, model page_quarantine_loads): the page's list then reads and sorts those loads'
    rows only (1.32 M rows: 175 ms down to a few ms)."""
    first = fetch_value("SELECT min(load_id) FROM page_quarantine_loads WHERE newer < ?", [limit], path)
    return first or 0


def load_history(viewer: Viewer, path=None) -> pl.DataFrame:
    """Every load the viewer may see, newest first: who, when, file, kind, row counts and status.
    A municipal viewer sees the loads that wrote rows of its municipality, without users' names."""
    where, lp = load_clause("load_id", viewer)
    return fetch(f"""
        SELECT load_id, loaded_at, CASE WHEN ? THEN loaded_by END AS loaded_by, kind, file_name, rows_read,
               rows_loaded, rows_unchanged, rows_quarantined, status, reverted_at, note
        FROM load_log WHERE {where} ORDER BY load_id DESC""", [viewer.sees_all, *lp], path)


def load_totals(viewer: Viewer, path=None) -> dict:
    """Headline counts for the page over the loads the viewer may see: loads, rows in quarantine,
    failed expectations, last load."""
    where, lp = load_clause("load_id", viewer)
    return fetch(f"""
        WITH l AS (SELECT * FROM load_log WHERE {where})
        SELECT (SELECT count(*) FROM l) AS loads,
               (SELECT count(*) FROM l WHERE status = 'partial') AS partial_loads,
               (SELECT count(*) FROM quarantine WHERE ?) AS quarantined_rows,
               (SELECT count(*) FROM validation_results WHERE NOT success
                  AND load_id IN (SELECT load_id FROM l)) AS failed_checks,
               (SELECT max(loaded_at) FROM l) AS last_loaded_at""", [*lp, viewer.sees_all], path).row(0, named=True)


def validation_summary(viewer: Viewer, path=None) -> pl.DataFrame:
    """Per suite and expectation: how many times it ran, passed and failed, and rows it flagged
    (over the loads the viewer may see)."""
    where, lp = load_clause("load_id", viewer)
    return fetch(f"""
        SELECT suite, expectation, column_name,
               min(details ->> '$.rule') AS rule,
               count(*) AS checks, count(*) FILTER (WHERE success) AS passed,
               count(*) FILTER (WHERE NOT success) AS failed,
               CAST(coalesce(sum(unexpected_count), 0) AS BIGINT) AS unexpected_rows
        FROM validation_results WHERE {where}
        GROUP BY suite, expectation, column_name
        ORDER BY failed DESC, suite, expectation, column_name""", lp, path)


def validation_failures(viewer: Viewer, path=None) -> pl.DataFrame:
    """Each failed expectation with its load, file and details (rule, rows flagged), over the loads
    the viewer may see; the rows sample is shown to all-rows roles only (it quotes input lines).
    Model page_validation_failures (55_page_quality.sql)."""
    where, lp = load_clause("v.load_id", viewer)
    return fetch(f"""
        SELECT v.load_id, v.loaded_at, v.file_name, v.suite, v.expectation, v.column_name, v.rule,
               v.unexpected_count, CASE WHEN ? THEN v.rows_sample END AS rows_sample,
               CASE WHEN ? THEN v.details END AS details
        FROM page_validation_failures v
        WHERE {where}
        ORDER BY v.load_id DESC, v.suite, v.expectation""", [viewer.sees_all, viewer.sees_all, *lp], path)


def _cells_sql(week_end: dt.date, viewer: Viewer, intervention, department, eje, path) -> tuple[str, list]:
    """Expected cells with their state for the week (model page_completeness_states,
    43_page_quality_cells.sql: a plain select at a materialised week; otherwise the same cells joined
    with the method on the fly) under the filters, as alias `c`."""
    if marts_ready(week_end, path):
        states, wp = "(SELECT * FROM page_completeness_states WHERE week_end = ?)", [week_end]
    else:
        states, wp = f"""(
            SELECT m.*, s.latest_period, s.semaforo, completeness_state(s.latest_period, s.reporting_status) AS state
            FROM page_completeness_cells m
            LEFT JOIN (SELECT indicator_code, scope_code, reporting_status, latest_period, semaforo
                       FROM {progress_source(week_end, path)} p WHERE scope_type = 'municipio') s
                   ON s.indicator_code = m.indicator_code AND s.scope_code = m.code)""", [week_end]
    where, sp = scope_clause("m.code", viewer)
    iv = intervention_param(intervention)
    flt, fp = filter_clause("m.indicator_intervention", "m.eje_id", "m.program_code", intervention, eje)
    sql = f"""
        WITH c AS (
            SELECT m.code, m.municipality, m.department, m.department_code, m.intervention,
                   m.indicator_code, m.indicator_name, m.eje_id, m.frequency, m.latest_period, m.semaforo, m.state
            FROM {states} m
            WHERE {flt} AND {where}
              AND (CAST(? AS VARCHAR) IS NULL OR m.intervention = ?)
              AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?))
        SELECT c.* FROM c"""
    return sql, [*wp, *fp, *sp, iv, iv, department, department]


def completeness_cell_count(week_end: dt.date, viewer: Viewer, intervention=None, department=None,
                            eje=None, path=None) -> int:
    """How many (municipality, indicator) cells `completeness_cells` would return (the page draws the
    matrix only up to MATRIX_MAX_CELLS, pages/calidad.py)."""
    by_municipality = completeness_by_municipality(week_end, viewer, intervention, department, eje, path)
    return int(by_municipality["expected"].sum())        # the page asks for both: one query, cached


def completeness_cells(week_end: dt.date, viewer: Viewer, intervention=None, department=None,
                       eje=None, path=None) -> pl.DataFrame:
    """Municipality x indicator for the week: reportado / atrasado / sin medición."""
    cells, cp = _cells_sql(week_end, viewer, intervention, department, eje, path)
    return fetch(cells + " ORDER BY c.intervention, c.department_code, c.code, c.eje_id NULLS FIRST, c.indicator_code",
                 cp, path)


def completeness_by_municipality(week_end: dt.date, viewer: Viewer, intervention=None,
                                 department=None, eje=None, path=None) -> pl.DataFrame:
    """Per municipality: indicators expected, reported, late, without measurement, % complete.
    Without an intervention or eje filter, the counts stored per week (page_completeness_weekly,
    model page_completeness_counts; read through page_completeness_municipal) while current; else
    counted from the filtered cells."""
    if intervention_param(intervention) is None and eje is None and pages_ready(week_end, path):
        where, sp = scope_clause("m.code", viewer)
        counts = f"""
            SELECT m.code, m.municipality, m.department, m.intervention, m.reported, m.late, m.missing, m.expected
            FROM page_completeness_municipal m
            WHERE m.week_end = ? AND {where} AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)"""
        params = [week_end, *sp, department, department]
    else:
        cells, params = _cells_sql(week_end, viewer, intervention, department, eje, path)
        counts = f"""
            WITH x AS ({cells})
            SELECT code, municipality, department, intervention,
                   count(*) FILTER (WHERE state = 'reportado') AS reported,
                   count(*) FILTER (WHERE state = 'atrasado') AS late,
                   count(*) FILTER (WHERE state = 'sin medición') AS missing, count(*) AS expected
            FROM x GROUP BY code, municipality, department, intervention"""
    return fetch(f"""
        SELECT code, municipality, round(100.0 * reported / expected, 1) AS percent_complete,
               reported, late, missing, expected, department, intervention
        FROM ({counts}) c
        ORDER BY percent_complete, late DESC, code""", params, path)
