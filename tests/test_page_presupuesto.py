"""Presupuesto page: totals equal a direct SQL sum over stg_budget_current, the grouping selector
changes the table, filters change the numbers, and cost per unit is accrued / units."""
from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts.style import fmt_money, fmt_percent
from warehouse.queries.budget import GROUPINGS, budget_by, budget_totals, cost_per_unit
from warehouse.queries.progress import progress
from warehouse.store import read_connection
from tests.conftest import open_page
from warehouse.query import SYSTEM

WEEK_END = dt.date(2014, 5, 18)   # 2014-W20: budget months January to May 2014


def direct(path, where: str = "TRUE", params=()) -> dict:
    """Sums straight from stg_budget_current, without the query layer: modified over the whole year,
    the executed amounts over January-May (docs/method.md, Budget)."""
    with read_connection(path) as con:
        row = con.execute(f"""
            SELECT sum(accrued) FILTER (WHERE b.month <= DATE '2014-05-18'), sum(modified),
                   sum(scheduled) FILTER (WHERE b.month <= DATE '2014-05-18'),
                   sum(paid) FILTER (WHERE b.month <= DATE '2014-05-18'), count(DISTINCT b.program_code)
            FROM stg_budget_current b JOIN programs p USING (program_code)
            LEFT JOIN municipalities m ON m.code = b.scope_code
            WHERE year(b.month) = 2014 AND {where}""", list(params)).fetchone()
    return dict(zip(("accrued", "modified", "scheduled", "paid", "programs"), row))


def run(**params) -> AppTest:
    at = open_page("presupuesto", params, timeout=60)
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def test_totals_equal_direct_sql(sample_warehouse):
    at = run()
    sums = direct(sample_warehouse)
    shown = metrics(at)
    assert shown["Devengado"] == f"{fmt_money(sums['accrued'] / 1e6, 1)} M"
    assert shown["Modificado"] == f"{fmt_money(sums['modified'] / 1e6, 1)} M"
    assert shown["Ejecución"] == fmt_percent(round(100 * sums["accrued"] / sums["modified"], 1))
    assert shown["Ejecución vs. programado"] == fmt_percent(round(100 * sums["accrued"] / sums["scheduled"], 1))
    totals = budget_totals(WEEK_END, viewer=SYSTEM)
    assert totals["accrued"] == pytest.approx(sums["accrued"]) and totals["paid"] == pytest.approx(sums["paid"])
    # the table adds up to the same totals
    table = at.dataframe[0].value
    assert table["accrued"].sum() == pytest.approx(sums["accrued"])
    assert len(table) == sums["programs"] == 22


@pytest.mark.parametrize("grouping", list(GROUPINGS))
def test_every_grouping_adds_up(sample_warehouse, grouping):
    frame = budget_by(grouping, WEEK_END, viewer=SYSTEM)
    assert frame["accrued"].sum() == pytest.approx(direct(sample_warehouse)["accrued"])


def test_grouping_selector_changes_the_table(sample_warehouse):
    at = run()
    assert list(at.dataframe[0].value.columns[:2]) == ["codigo", "programa"]
    at.segmented_control(key="agrupar").set_value("mes").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["codigo"]) == ["2014-01", "2014-02", "2014-03", "2014-04", "2014-05"]
    assert at.query_params["agrupar"] == "mes"
    # the URL reproduces the grouping
    eje = run(agrupar="eje").dataframe[0].value
    assert list(eje["codigo"]) == ["1", "2", "3", "4"]


def test_filters_change_the_numbers(sample_warehouse):
    at = run()
    at.selectbox(key="f_eje").set_value("2").run()
    assert not at.exception
    eje2 = direct(sample_warehouse, "p.eje_id = 2")
    assert metrics(at)["Devengado"] == f"{fmt_money(eje2['accrued'] / 1e6, 1)} M"
    # a department keeps its municipalities' rows only (the central level is national)
    at = run(depto="12", intervencion="CSR")
    dep = direct(sample_warehouse, "m.department_code = '12' AND p.intervention = 'CSR'")
    assert metrics(at)["Devengado"] == f"{fmt_money(dep['accrued'] / 1e6, 1)} M"
    assert at.dataframe[0].value["accrued"].sum() == pytest.approx(dep["accrued"])
    bars = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]["y"]
    assert len(bars) == dep["programs"] and all(code.startswith("CSR-") for code in bars)


def test_charts_show_cumulative_lines_and_program_bars(sample_warehouse):
    at = run()
    cumulative, programs = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert [t["name"] for t in cumulative["data"]] == ["Modificado acumulado", "Programado acumulado",
                                                       "Devengado acumulado"]
    assert len(programs["data"][0]["y"]) == 22
    # the under-executing program of the sample is at the bottom (sorted by execution)
    assert programs["data"][0]["y"][-1].startswith("CSR-INFRA · ")      # by code and name


def test_cost_per_unit_is_accrued_over_national_units(sample_warehouse):
    costs = cost_per_unit(WEEK_END, viewer=SYSTEM)
    bono = costs.filter(pl.col("indicator_code") == "CSR-BONO-01").row(0, named=True)
    families = progress(WEEK_END, scope_type="nacional", indicator="CSR-BONO-01", viewer=SYSTEM)["value"].item()
    accrued = direct(sample_warehouse, "b.program_code = 'CSR-BONO'")["accrued"]
    assert bono["cost_per_unit"] == pytest.approx(accrued / families)
    assert bono["accrued"] == pytest.approx(accrued) and bono["units"] == pytest.approx(families)
    # count-type products only; a running total counts the units of the year (latest minus the latest
    # value before 1 January), never the units since the baseline
    assert "US$" not in set(costs["unit"]) and "%" not in set(costs["unit"])
    running = costs.filter(pl.col("accumulation") == "acumulado").row(0, named=True)
    with read_connection(sample_warehouse) as con:
        since_baseline = con.execute("SELECT value FROM progress_weekly(?) WHERE indicator_code = ? "
                                     "AND scope_type = 'nacional'", [WEEK_END, running["indicator_code"]]).fetchone()[0]
    assert 0 < running["units"] < since_baseline
    # a week of an earlier month than the one under review: the same definition, evaluated for it
    earlier = cost_per_unit(dt.date(2014, 4, 20), viewer=SYSTEM)
    assert 0 < earlier.filter(pl.col("indicator_code") == "CSR-BONO-01")["accrued"].item() < accrued


def test_week_sets_the_months_covered(sample_warehouse):
    at = run()
    at.selectbox(key="f_semana").set_value("2014-W10").run()   # ends Sunday 9 March 2014
    assert not at.exception
    with read_connection(sample_warehouse) as con:
        accrued = con.execute("""SELECT sum(accrued) FROM stg_budget_current
                                 WHERE month BETWEEN DATE '2014-01-01' AND DATE '2014-03-09'""").fetchone()[0]
    assert metrics(at)["Devengado"] == f"{fmt_money(accrued / 1e6, 1)} M"
    assert list(budget_by("mes", dt.date(2014, 3, 9), viewer=SYSTEM)["group_code"]) == \
        ["2014-01", "2014-02", "2014-03"]


def test_charts_and_tables_download(sample_warehouse):
    from tests.conftest import assert_exports
    assert_exports(run())
