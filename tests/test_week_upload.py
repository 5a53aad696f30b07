"""A week's upload (bench/ops.py week_file: the latest period's late reports of every municipality, for
the indicators reporting in it) and its revert take the incremental path and leave every stored result
(marts, stored series, page results, analytics) equal to a full refresh on the same data."""
from __future__ import annotations

import datetime as dt

import polars as pl

import warehouse.refresh as refresh
import warehouse.refresh_pages as refresh_pages
from bench.ops import week_file
from loaders import load_file, revert
from tests.conftest import forbid_whole_refresh, full_recompute
from tests.test_analytics_refresh import _tables as analytics_tables
from tests.test_marts import _assert_same as assert_same_marts, _stored as marts
from tests.test_page_results import _assert_same as assert_same_pages, _stored as pages
from tests.test_series_mart import _same as same_series, _stored_of as series
from warehouse.store import clone_warehouse, open_read


def _everything(path) -> dict:
    return {"marts": marts(path), "series": series(path), "pages": pages(path), "analytics": analytics_tables(path)}


def _assert_equal(got: dict, full: dict) -> None:
    assert_same_marts(got["marts"], full["marts"])
    assert list(got["series"]) == list(full["series"])
    for week in got["series"]:
        same_series(got["series"][week], full["series"][week])
    assert_same_pages(got["pages"], full["pages"])
    for table, rows in got["analytics"].items():
        assert len(rows) == len(full["analytics"][table]) > 0, table
        for a, b in zip(rows, full["analytics"][table]):
            assert all(x == y or (isinstance(x, float) and abs(x - y) <= 1e-9 * max(1.0, abs(y)))
                       for x, y in zip(a, b)), (table, a, b)


def test_week_file_brings_the_latest_period_of_the_municipalities_missing_it(sample_warehouse, tmp_path):
    path = week_file(sample_warehouse, tmp_path / "semana.csv")
    rows = pl.read_csv(path, infer_schema=False)
    con = open_read(sample_warehouse)
    as_of = con.execute("SELECT as_of FROM stg_as_of").fetchone()[0]
    latest = con.execute("SELECT DISTINCT indicator_code, period FROM measurements WHERE period_end = ?",
                         [as_of]).fetchall()
    present = set(con.execute("SELECT indicator_code, scope_code FROM measurements WHERE period_end = ?",
                              [as_of]).fetchall())
    con.close()
    assert rows.height > 100 and rows["Indicador"].n_unique() == len({c for c, _ in latest})
    assert set(zip(rows["Indicador"], rows["Período"])) == set(latest)            # the latest period only
    assert not present & set(zip(rows["Indicador"], rows["Código Municipio"]))     # none already reported
    assert set(rows["Fecha de reporte"]) == {as_of.isoformat()} and set(rows["Muestra"]) == {"true"}


def test_a_weeks_upload_and_its_revert_equal_a_full_refresh(sample_warehouse, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    before = _everything(path)
    upload = week_file(path, tmp_path / "semana.csv")
    forbid_whole_refresh(monkeypatch, refresh, "_refresh_marts_all")
    forbid_whole_refresh(monkeypatch, refresh_pages, "_refresh_whole")
    weeks = []
    real = refresh._recompute
    monkeypatch.setattr(refresh, "_recompute", lambda con, w, *a: weeks.append(sorted(w)) or real(con, w, *a))
    result = load_file(upload, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == pl.read_csv(upload, infer_schema=False).height and result.exit_code == 0
    assert weeks == [[dt.date(2014, 5, 18)]]          # reported in the week under review: that week only
    after = _everything(path)
    assert after["marts"]["mart_progress_weekly"] != before["marts"]["mart_progress_weekly"]
    _assert_equal(after, full_recompute(path, tmp_path, _everything))

    revert(result.load_id, path, loaded_by="prueba")
    assert weeks[-1] == [dt.date(2014, 5, 18)]
    monkeypatch.undo()
    reverted = _everything(path)
    # the facts are the sample's again, and the sample's results are a full refresh (its build): one
    # full recompute less than comparing with a new one
    _assert_equal(reverted, before)


def test_without_units_the_method_plans_no_unit_filter(sample_warehouse):
    """p_units costs nothing when absent (pages' fallback, full refresh, loader check): its branch folds
    away; with it, the facts are filtered by unit and the stored municipal rows are read back."""
    con = open_read(sample_warehouse)
    plans = {}
    for name, sql in (("known", "SELECT count(*) FROM stg_measurement_asof(DATE '9999-12-31', p_indicators := ['CS-04'])"),
                      ("method", "SELECT count(*) FROM mart_progress_weeks([DATE '2014-05-18'])"),
                      ("units", "SELECT count(*) FROM mart_progress_weeks([DATE '2014-05-18'], p_indicators := ['CS-04'], "
                                "p_units := [hash('CS-04', '0101')])")):
        plans[name] = " ".join(con.execute(f"EXPLAIN {sql}").fetchall()[0][1].split())
    con.close()
    assert "hash(indicator_code, scope_code)" not in plans["known"] + plans["method"]
    assert "mart_progress_weekly" not in plans["method"]
    assert "hash(indicator_code, scope_code)" in plans["units"] and "mart_progress_weekly" in plans["units"]
