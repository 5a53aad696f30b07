"""Budget queries: approved, modified, scheduled, committed, accrued (devengado) and paid.

Amounts and ratios are the warehouse's one definition (warehouse/sql/33_mart_budget.sql,
docs/method.md "Budget"): approved and modified are annual, the others year to date; execution =
accrued / annual modified, timeliness = accrued / scheduled. All sums happen in SQL.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, budget_source, fetch, indicator_clause, scope_clause

AMOUNTS = ("approved", "modified", "scheduled", "committed", "accrued", "paid")

# Grouping choices: key -> (SQL key expression, SQL label expression). Fixed fragments, never user text.
GROUPINGS = {
    "eje": ("coalesce(CAST(p.eje_id AS VARCHAR), '—')", "coalesce(p.eje, 'Sin eje')"),
    "programa": ("b.program_code", "p.name"),
    "institucion": ("coalesce(p.institution, '—')", "coalesce(p.institution, 'Sin institución')"),
    "municipio": ("b.scope_code",
                  "CASE WHEN b.scope_code = 'national' THEN 'Nivel central' "
                  "ELSE m.municipality || ' (' || m.department || ')' END"),
    "mes": ("strftime(b.month, '%Y-%m')", "strftime(b.month, '%Y-%m')"),
}
YEAR_TO_DATE = {"mes": "b.in_ytd"}     # a month after the week is shown by no monthly grouping


def _from_where(week_end: dt.date, viewer: Viewer, intervention=None, department=None, eje=None,
                program=None, path=None) -> tuple[str, str, list]:
    """FROM the rows of the week's year (int_budget_year, query.budget_source) with their program and
    its eje (model page_program_catalog, 58_page_catalogues.sql) and municipality; WHERE within the
    viewer's scope and the filter bar; their parameters."""
    source, bp = budget_source(week_end, path)
    scope, sp = scope_clause("b.scope_code", viewer)
    prog, pp = indicator_clause("p", intervention, eje, program)    # programs carry the same columns
    sql = f"""{scope} AND {prog}
          AND (CAST(? AS VARCHAR) IS NULL OR m.department_code = ?)"""
    from_ = f"""FROM {source} b
        JOIN page_program_catalog p ON p.program_code = b.program_code
        LEFT JOIN municipalities m ON m.code = b.scope_code"""
    return from_, sql, [*bp, *sp, *pp, department, department]

_SUMS = ", ".join(f"sum(b.{a}) AS {a}" for a in AMOUNTS)
_RATIOS = ("budget_execution(sum(b.accrued), sum(b.modified)) AS execution_percent, "
           "budget_timeliness(sum(b.accrued), sum(b.scheduled)) AS timeliness_percent")


def budget_totals(week_end: dt.date, viewer: Viewer, intervention=None, department=None,
                  eje=None, program=None, path=None) -> dict:
    """One row: the six amounts, execution and timeliness, and the months covered."""
    from_, where, params = _from_where(week_end, viewer, intervention, department, eje, program, path)
    return fetch(f"""
        SELECT {_SUMS}, {_RATIOS}, min(b.month) AS first_month,
               max(b.month) FILTER (WHERE b.in_ytd) AS last_month,
               count(DISTINCT b.program_code) AS programs
        {from_} WHERE {where}""", params, path).row(0, named=True)


def budget_by(grouping: str, week_end: dt.date, viewer: Viewer, intervention=None,
              department=None, eje=None, program=None, path=None) -> pl.DataFrame:
    """The six amounts with execution and timeliness, grouped by eje, programa, institución,
    municipio or mes (a key of GROUPINGS)."""
    key, label = GROUPINGS[grouping]
    from_, where, params = _from_where(week_end, viewer, intervention, department, eje, program, path)
    return fetch(f"""
        SELECT {key} AS group_code, {label} AS group_name, {_SUMS}, {_RATIOS}
        {from_} WHERE {where} AND {YEAR_TO_DATE.get(grouping, 'TRUE')}
        GROUP BY 1, 2 ORDER BY group_code""", params, path)


def budget_monthly_cumulative(week_end: dt.date, viewer: Viewer, intervention=None,
                              department=None, eje=None, program=None, path=None) -> pl.DataFrame:
    """Per month of the year up to the week's month: accrued, scheduled and modified, monthly and
    running totals, and the annual modified budget."""
    from_, where, params = _from_where(week_end, viewer, intervention, department, eje, program, path)
    return fetch(f"""
        WITH monthly AS (
            SELECT b.month, sum(b.accrued) AS accrued, sum(b.scheduled) AS scheduled,
                   sum(b.modified) AS modified, sum(b.paid) AS paid, max(b.in_ytd) AS in_ytd
            {from_} WHERE {where} GROUP BY b.month),
        running AS (
            SELECT month, accrued, scheduled, modified, paid,
                   sum(accrued) OVER w AS accrued_cumulative, sum(scheduled) OVER w AS scheduled_cumulative,
                   sum(modified) OVER w AS modified_cumulative, sum(paid) OVER w AS paid_cumulative,
                   sum(modified) OVER () AS modified_annual,
                   budget_timeliness(sum(accrued) OVER w, sum(scheduled) OVER w) AS timeliness_cumulative, in_ytd
            FROM monthly WINDOW w AS (ORDER BY month))
        SELECT month, accrued, scheduled, modified, paid, accrued_cumulative, scheduled_cumulative,
               modified_cumulative, paid_cumulative, modified_annual, timeliness_cumulative
        FROM running WHERE in_ytd ORDER BY month""", params, path)


def program_execution(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                      program=None, department=None, path=None) -> pl.DataFrame:
    """Per program: modified, accrued, execution (accrued / modified) and timeliness, year to date."""
    from_, where, params = _from_where(week_end, viewer, intervention, department, eje, program, path)
    return fetch(f"""
        SELECT b.program_code, p.name AS program_name, p.eje_id, p.intervention, p.institution,
               sum(b.modified) AS modified, sum(b.scheduled) AS scheduled, sum(b.accrued) AS accrued,
               {_RATIOS}
        {from_} WHERE {where}
        GROUP BY b.program_code, p.name, p.eje_id, p.intervention, p.institution
        ORDER BY execution_percent""", params, path)


def cost_per_unit(week_end: dt.date, viewer: Viewer, intervention=None, eje=None,
                  program=None, path=None) -> pl.DataFrame:
    """ILPES efficiency, the warehouse's one definition (51_analytics_value_chain.sql, docs/method.md
    «Cadena de valor público»): a program's accrued (year to date, all levels) per unit of product of
    each of its count-type 'producto' indicators at national level, units produced in the year to
    date by the indicator's accumulation (stock: units served now). The Cadena de valor page shows the
    same rows. Read from the materialised items at the week they were computed for (the week under
    review), else evaluated by the same macro for `week_end`."""
    from warehouse.queries.analytics import analytics_ready, analytics_week_end

    materialised = analytics_ready(viewer, path) and analytics_week_end(viewer, path) == week_end
    source, sp = ("analytics_value_chain_items", []) if materialised else \
        ("analytics_value_chain_items_def(?::DATE)", [week_end])
    prog, pp = indicator_clause("p", intervention, eje, program)
    scope, vp = scope_clause("'national'", viewer)
    return fetch(f"""
        WITH c AS (SELECT * FROM {source} WHERE chain_type = 'programa')
        SELECT c.chain_key AS program_code, p.name AS program_name, c.item_code AS indicator_code,
               c.item_name AS indicator_name, c.unit, i.accumulation, c.units_ytd AS units, s.value AS accrued,
               c.cost_per_unit
        FROM c JOIN c s ON s.chain_key = c.chain_key AND s.link = 'insumos'
        JOIN programs p ON p.program_code = c.chain_key
        JOIN indicators i ON i.code = c.item_code
        WHERE c.link = 'productos' AND c.cost_per_unit IS NOT NULL AND {prog} AND {scope}
        ORDER BY c.chain_key, c.item_code""", [*sp, *pp, *vp], path)
