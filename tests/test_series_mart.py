"""The stored series (warehouse/sql/35_mart_series_weekly.sql, warehouse/refresh_series.py): every
stored week (the latest of the selector) equals the method (int_series_scopes_asof, and that equals mart_series_many_asof scope by
scope), versions do not overlap and are shared across weeks, an incremental refresh after a load and
its revert equals a rebuild, after a targets load and a load that moves the window it equals the
method, and the pages' series read
the stored rows when current and the method otherwise."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders import load_file, revert
from tests.conftest import assert_key_and_not_null
from warehouse.queries import ejes, ficha
from warehouse.query import SYSTEM, series_source
from warehouse.refresh import window_weeks
from warehouse.refresh_series import SERIES_WEEKS, refresh_series, stored_window
from warehouse.store import clone_warehouse, open_read, write_transaction

POINT = "indicator_code, scope_code, period_end, period, period_type, units, segment, accumulation, value, period_value"


def _same(a: list, b: list) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        for u, v in zip(x, y):
            if isinstance(u, float) and isinstance(v, float):
                assert u == pytest.approx(v, rel=1e-9, abs=1e-12), (x, y)
            else:
                assert u == v, (x, y)


def _stored(con) -> dict:
    """Week end -> the points stored for it, sorted."""
    weeks = [r[0] for r in con.execute("SELECT week_end FROM mart_series_weeks ORDER BY 1").fetchall()]
    return {w: con.execute(f"""SELECT {POINT} FROM mart_series_weekly WHERE ? BETWEEN valid_from AND valid_to
                               ORDER BY indicator_code, scope_code, period_end""", [w]).fetchall() for w in weeks}


def _method(con, week, codes: list[str] | None = None) -> list:
    codes = codes or [r[0] for r in con.execute("SELECT code FROM stg_indicators").fetchall()]
    return con.execute(f"""SELECT {POINT} FROM int_series_scopes_asof(?::DATE, ?::VARCHAR[], NULL)
                           ORDER BY indicator_code, scope_code, period_end""", [week, codes]).fetchall()


def _stored_of(path) -> dict:
    con = open_read(path)
    try:
        return _stored(con)
    finally:
        con.close()


def _rebuilt(path, tmp_path) -> dict:
    """The series rebuilt from scratch on a copy (what refresh_all does for this table)."""
    copy = tmp_path / "full.duckdb"
    clone_warehouse(path, copy)
    with write_transaction(copy) as con:
        refresh_series(con)
    return _stored_of(copy)


def _assert_same_weeks(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for week in a:
        _same(a[week], b[week])


def _forbid_rebuild(monkeypatch):
    """The load and revert must take the incremental path."""
    import warehouse.refresh_series as module

    def refuse(con, window):
        raise AssertionError("series rebuilt where the incremental refresh applies")
    monkeypatch.setattr(module, "_rebuild", refuse)


def test_the_stored_weeks_are_the_latest_and_equal_the_method(sample_warehouse):
    con = open_read(sample_warehouse)
    stored = _stored(con)
    assert list(stored) == stored_window(con) == sorted(window_weeks(con))[-SERIES_WEEKS:]
    for week, rows in stored.items():
        _same(rows, _method(con, week))
    scopes = {r[0] for r in con.execute("SELECT DISTINCT scope_code FROM mart_series_weekly").fetchall()}
    departments = {r[0] for r in con.execute("SELECT DISTINCT department_code FROM municipalities").fetchall()}
    assert scopes == departments | {"national"}
    con.close()


def test_several_stored_weeks_equal_the_method_and_share_versions(sample_warehouse, tmp_path, monkeypatch):
    """Stored for more weeks (SERIES_WEEKS is a setting), each week equals the method, versions do not
    overlap, and a point unchanged over the weeks is stored once."""
    import warehouse.refresh_series as module

    monkeypatch.setattr(module, "SERIES_WEEKS", 4)
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    with write_transaction(path) as con:
        refresh_series(con)
    con = open_read(path)
    stored = _stored(con)
    assert list(stored) == sorted(window_weeks(con))[-4:]
    for week, rows in stored.items():
        _same(rows, _method(con, week))
    assert con.execute("""SELECT count(*) FROM mart_series_weekly a JOIN mart_series_weekly b
                          USING (indicator_code, scope_code, period_end)
                          WHERE a.valid_from < b.valid_from AND b.valid_from <= a.valid_to""").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mart_series_weekly WHERE valid_from > valid_to").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mart_series_weekly").fetchone()[0] < \
        sum(len(rows) for rows in stored.values()) / 2
    con.close()


def test_all_scopes_in_one_pass_equal_the_macro_scope_by_scope(sample_warehouse):
    """int_series_scopes_asof with no scope (what is stored) equals mart_series_many_asof, the method's
    entry point, at the nation and at each department; a municipality is served by the macro alone."""
    con = open_read(sample_warehouse)
    week = con.execute("SELECT max(week_end) FROM mart_series_weeks").fetchone()[0]
    codes = [r[0] for r in con.execute("SELECT code FROM stg_indicators").fetchall()]
    everything = _method(con, week)
    for scope in ["national", *[r[0] for r in con.execute(
            "SELECT DISTINCT department_code FROM municipalities ORDER BY 1").fetchall()]]:
        one = con.execute("""SELECT * FROM mart_series_many_asof(?::DATE, ?::VARCHAR[], ?)""",
                          [week, codes, scope]).fetchall()
        _same([r[:1] + r[2:] for r in everything if r[1] == scope],
              [(r[0], r[3], r[1], r[2], r[4], r[5], r[6], r[7], r[8]) for r in one])
    con.close()


def test_incremental_refresh_after_a_load_and_its_revert_equals_a_rebuild(sample_warehouse, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    before = _stored_of(path)
    _forbid_rebuild(monkeypatch)
    small = tmp_path / "correccion.csv"          # a late report for March, received in W19
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0101,2014-03,1234,2014-05-07\n", encoding="utf-8")
    result = load_file(small, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == 1
    after = _stored_of(path)
    assert after != before
    monkeypatch.undo()
    _assert_same_weeks(after, _rebuilt(path, tmp_path))
    _forbid_rebuild(monkeypatch)
    revert(result.load_id, path, loaded_by="prueba")
    monkeypatch.undo()
    _assert_same_weeks(_stored_of(path), before)


def _of(rows: list, code: str, keep: bool = True) -> list:
    return [r for r in rows if (r[0] == code) == keep]


def test_incremental_refresh_after_a_targets_load_equals_the_method(sample_warehouse, tmp_path, monkeypatch):
    """A baseline earlier than the plan's moves where an 'acumulado' series starts, in every week: the
    indicator's stored points equal the method week by week, every other indicator's are untouched."""
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    before = _stored_of(path)
    _forbid_rebuild(monkeypatch)
    targets = tmp_path / "metas.csv"
    targets.write_text("Indicador,Código Municipio,Tipo de meta,Fecha línea base,Línea base,Fecha meta,Meta\n"
                       "CSR-INFRA-03,0101,PQD-2014,2009-06-30,0,2014-12-31,99999\n", encoding="utf-8")
    assert load_file(targets, "targets", path, loaded_by="prueba").rows_loaded == 1
    after = _stored_of(path)
    assert list(after) == list(before)
    con = open_read(path)
    for week in after:
        assert len(_of(after[week], "CSR-INFRA-03")) > len(_of(before[week], "CSR-INFRA-03"))
        _same(_of(after[week], "CSR-INFRA-03"), _of(_method(con, week, ["CSR-INFRA-03"]), "CSR-INFRA-03"))
        _same(_of(after[week], "CSR-INFRA-03", keep=False), _of(before[week], "CSR-INFRA-03", keep=False))
    con.close()


def test_a_load_that_moves_the_window_carries_the_stored_weeks_on(sample_warehouse, tmp_path, monkeypatch):
    """A report of the week after the newest one moves the window: the week that enters (computed from
    the one before it) equals the method for every indicator, and each kept week too."""
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    con = open_read(path)
    code = con.execute("SELECT code FROM stg_indicators WHERE frequency = 'semanal' ORDER BY code LIMIT 1").fetchone()[0]
    con.close()
    before = _stored_of(path)
    _forbid_rebuild(monkeypatch)
    later = tmp_path / "semana.csv"
    later.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     f"{code},0101,2014-W21,5,2014-05-26\n", encoding="utf-8")
    assert load_file(later, "measurements", path, loaded_by="prueba").rows_loaded == 1
    after = _stored_of(path)
    assert list(after) == list(before)[1:] + [max(before) + dt.timedelta(days=7)]
    con = open_read(path)
    _same(after[max(after)], _method(con, max(after)))
    for week in list(after)[:-1]:
        _same(_of(after[week], code), _of(_method(con, week, [code]), code))
        _same(_of(after[week], code, keep=False), _of(before[week], code, keep=False))
    con.close()


def test_pages_read_the_stored_series_when_current_and_the_method_otherwise(sample_warehouse, tmp_path):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    con = open_read(path)
    week = con.execute("SELECT max(week_end) FROM mart_series_weeks").fetchone()[0]
    con.close()
    assert "mart_series_weekly" in series_source(week, "national", path)
    assert "mart_series_weekly" in series_source(week, "01", path)
    assert "mart_series_asof" in series_source(week, "0101", path)             # municipalities: the method
    assert "mart_series_asof" in series_source(week.replace(year=2013), "national", path)   # not a stored week
    stored = ficha.indicator_series("CSR-BONO-01", week, SYSTEM, path=path)
    by_department = ejes.indicator_series("CSR-BONO-01", week, SYSTEM, department="01", path=path)
    con = open_read(path)
    method = con.execute("SELECT period_end, value FROM mart_series_asof(?::DATE, 'CSR-BONO-01', '01')",
                         [week]).fetchall()
    con.close()
    assert by_department["period_end"].to_list() == [r[0] for r in method]
    assert by_department["value"].to_list() == pytest.approx([r[1] for r in method])
    small = tmp_path / "nueva.csv"
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0101,2014-03,777777,2014-05-07\n", encoding="utf-8")
    load_file(small, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    assert "mart_series_asof" in series_source(week, "national", path)        # stale rows are never read
    fresh = ficha.indicator_series("CSR-BONO-01", week, SYSTEM, path=path)
    assert fresh["value"].to_list() != stored["value"].to_list()


def test_the_read_path_plans_the_series_asof_join_as_one(sample_warehouse):
    """Every cursor of the query layer has asof_loop_join_threshold = 0 (a session SET on the held
    database is not inherited by its cursors; without it the national series' ASOF JOIN ran as a
    nested loop: 1.66 s instead of 0.11 s at 10 M rows)."""
    from warehouse.query import run
    frame, _ = run("SELECT current_setting('asof_loop_join_threshold') AS t", [], sample_warehouse)
    assert frame["t"].to_list() == [0]
    frame, _ = run("SELECT current_setting('asof_loop_join_threshold') AS t FROM facts.measurements LIMIT 1",
                   [], sample_warehouse)
    assert frame["t"].to_list() == [0]


@pytest.mark.parametrize("table, key", [("mart_series_weekly", ["indicator_code", "scope_code", "period_end", "valid_from"]),
                                        ("mart_series_weeks", ["week_end"])])
def test_declared_key_is_unique_and_not_null_columns_hold(sample_warehouse, table, key):
    assert_key_and_not_null(sample_warehouse, table, key)
