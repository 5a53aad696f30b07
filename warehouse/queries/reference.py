"""Reference and catalogue queries: municipalities, indicators, targets, warehouse status."""
from __future__ import annotations

import datetime as dt
import os

import polars as pl

from warehouse.query import Viewer, fetch, pages_current, scope_clause, visible_clause


def status(viewer: Viewer, path=None) -> dict:
    """As-of date, sample flag and last load id (for captions and cache keys).

    The as-of date is $SPSU_AS_OF when set, else the latest measurement period end (model
    page_status_def, 45_page_status.sql; its stored row while current).
    """
    if visible_clause(viewer) == "FALSE":
        return {"as_of": None, "is_sample": None, "last_load_id": None}
    source = "page_status" if pages_current(path) else "page_status_def"     # stored while current
    row = fetch(f"""
        SELECT s.as_of,
               coalesce((SELECT value FROM meta WHERE key = 'is_sample') = 'true', false)
                 OR s.measurements_sample AS is_sample,
               (SELECT max(load_id) FROM load_log) AS last_load_id
        FROM {source} s""", [], path).row(0, named=True)
    if os.environ.get("SPSU_AS_OF"):
        row["as_of"] = dt.date.fromisoformat(os.environ["SPSU_AS_OF"])
    return row


def municipalities(viewer: Viewer, path=None) -> pl.DataFrame:
    where, params = scope_clause("code", viewer)
    return fetch(f"""
        SELECT code, department, municipality, lat, lon, coord_source, intervention, csr_group,
               entry_order, entry_year, iimm, settlements, violence_index, is_sample, department_code
        FROM municipalities WHERE {where} ORDER BY code""", params, path)


def departments(viewer: Viewer, path=None) -> pl.DataFrame:
    where, params = scope_clause("department_code", viewer)
    return fetch(f"SELECT department_code, department FROM departments WHERE {where} ORDER BY 1",
                 params, path)


def programs(viewer: Viewer, path=None) -> pl.DataFrame:
    return fetch(f"""
        SELECT p.program_code, p.eje_id, p.eje, p.intervention, p.name, p.institution,
               p.institution_is_sample, p.description
        FROM page_program_catalog p WHERE {visible_clause(viewer)}
        ORDER BY p.eje_id NULLS FIRST, p.program_code""",                  # model page_program_catalog (58)
                 [], path)


def programs_export(viewer: Viewer, path=None) -> pl.DataFrame:
    """Programs (the seed's components per eje and intervention, plus the umbrella logframes) with
    their executing institution; institution_is_sample marks an institution the seed does not name."""
    return fetch(f"""
        SELECT p.program_code AS code, p.name, p.eje_id, p.eje, p.intervention,
               p.institution, p.institution_is_sample, p.description
        FROM page_program_catalog p WHERE {visible_clause(viewer)}
        ORDER BY p.eje_id IS NOT NULL, p.intervention DESC NULLS FIRST, p.eje_id, p.program_code""",
                 [], path)


def indicators_catalog(viewer: Viewer, path=None) -> pl.DataFrame:
    """Every indicator of the catalogue (model page_indicators_catalog, 58_page_catalogues.sql)."""
    return fetch(f"""
        SELECT i.code, i.name, i.level, i.type, i.dimension, i.unit, i.sentido, i.accumulation,
               i.aggregation, i.reports_cumulative, i.frequency, i.deadline_days, i.formula_numerator,
               i.formula_denominator, i.medio_verificacion, i.supuesto, i.source, i.odm_indicator,
               i.program_code, i.eje_id, i.intervention, i.objective_id, i.scope_level, i.scale,
               i.is_sample
        FROM page_indicators_catalog i WHERE {visible_clause(viewer)}
        ORDER BY i.eje_id NULLS LAST, i.program_code, i.code""", [], path)


def targets_table(viewer: Viewer, path=None) -> pl.DataFrame:
    """The targets in force (model page_targets, 58_page_catalogues.sql) the viewer may see."""
    where, params = scope_clause("t.scope", viewer)
    return fetch(f"""
        SELECT t.indicator, t.scope, t.target_kind, t.baseline_date, t.baseline_value, t.target_date,
               t.target_value, t.is_sample, t.load_id
        FROM page_targets t WHERE {where} ORDER BY t.indicator, t.scope, t.target_kind""", params, path)
