"""Budget: one definition (warehouse/sql/33_mart_budget.sql), hand-computed."""
import datetime as dt

import pytest

from tests.conftest import insert_facts
from warehouse.store import write_transaction
from warehouse.query import SYSTEM


@pytest.fixture
def budget_wh(mini):
    """A program with a full year of programming: modified 100 and scheduled 50 a month; accrued 40
    a month January-May and 0 afterwards; a June accrual of 30 exists but lies after the week."""
    with write_transaction(mini.path) as con:
        con.execute("INSERT INTO programs (program_code, eje_id, intervention, name) VALUES ('P-1', 1, 'CSU', 'Prueba')")
        rows = []
        for month in range(1, 13):
            accrued = 40 if month <= 5 else (30 if month == 6 else 0)
            rows.append(("P-1", "0101", dt.date(2014, month, 1), 90.0, 100.0, 50.0, float(accrued), float(accrued),
                         accrued * 0.5, False, 1))
        insert_facts(con, "budget", rows)
    return mini.path


def test_execution_is_accrued_to_date_over_the_annual_modified_budget(budget_wh):
    from warehouse.queries.budget import budget_totals
    t = budget_totals(dt.date(2014, 5, 18), path=budget_wh, viewer=SYSTEM)
    assert (t["approved"], t["modified"]) == (1080, 1200)           # annual amounts
    assert (t["scheduled"], t["accrued"], t["paid"]) == (250, 200, 100)   # January-May
    assert t["execution_percent"] == 16.7                           # 200 / 1200, not 200 / 500
    assert t["timeliness_percent"] == 80.0                          # 200 / 250


def test_every_budget_query_gives_the_same_execution(budget_wh):
    from warehouse.queries.budget import budget_by, program_execution
    from warehouse.queries.home import budget_execution
    from warehouse.queries.municipal import municipality_budget, municipality_budget_totals
    week = dt.date(2014, 5, 18)
    figures = {
        "home": round(budget_execution(week, path=budget_wh, viewer=SYSTEM)["execution_percent"], 1),
        "by_program": budget_by("programa", week, path=budget_wh, viewer=SYSTEM)["execution_percent"][0],
        "program": program_execution(week, path=budget_wh, viewer=SYSTEM)["execution_percent"][0],
        "municipality": municipality_budget(week, "0101", path=budget_wh, viewer=SYSTEM)["execution_percent"][0],
        "municipality_totals": municipality_budget_totals(week, "0101", path=budget_wh, viewer=SYSTEM)["execution_percent"],
    }
    assert set(figures.values()) == {16.7}, figures
    assert budget_execution(week, path=budget_wh, viewer=SYSTEM)["timeliness_percent"] == 80.0


def test_monthly_view_stops_at_the_week_and_carries_the_annual_budget(budget_wh):
    from warehouse.queries.budget import budget_monthly_cumulative
    m = budget_monthly_cumulative(dt.date(2014, 5, 18), path=budget_wh, viewer=SYSTEM)
    assert m.height == 5
    assert m["accrued_cumulative"].to_list() == [40, 80, 120, 160, 200]
    assert m["modified_annual"].unique().to_list() == [1200]
