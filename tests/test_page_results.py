"""The stored page results (29_tables_marts.sql "Page results", warehouse/refresh_pages.py): declared
keys and NOT NULL columns hold on the built sample, every stored row equals its page model evaluated
on the fly, the refresh after a small load, a budget load, a targets load and a revert (incremental)
equals a full recompute, and the query functions read the stored rows only while they are current."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders import load_file, revert
from warehouse.asof import week_label
from warehouse.queries.budget import budget_totals
from warehouse.queries.home import week_changes, week_late_reports, week_revisions
from warehouse.queries.quality import completeness_by_municipality
from warehouse.queries.reference import status
from warehouse.query import SYSTEM, Viewer, budget_source, pages_current, pages_ready
import warehouse.refresh_pages as refresh_pages
from tests.conftest import assert_key_and_not_null, forbid_whole_refresh, full_recompute
from warehouse.store import clone_warehouse, open_read

KEYS = {
    "page_status": ["as_of"],
    "page_week_changes_weekly": ["week_end", "indicator_code", "scope_type", "scope_code"],
    "page_week_revisions_weekly": ["week_end", "indicator_code", "scope_code", "period", "load_id"],
    "page_week_late_reports_weekly": ["week_end", "indicator_code", "scope_code", "period", "load_id"],
    "mart_budget_ytd": ["as_of_month", "program_code", "scope_code", "month"],
    "page_completeness_weekly": ["week_end", "code"],
}
WEEK = dt.date(2014, 5, 18)       # the sample's week under review (2014-W20)


@pytest.mark.parametrize("table", sorted(KEYS))
def test_declared_key_is_unique_and_not_null_columns_hold(sample_warehouse, table):
    assert_key_and_not_null(sample_warehouse, table, KEYS[table])


def _symmetric_difference(con, stored: str, method: str, sp: list, mp: list) -> list:
    return con.execute(f"""(SELECT * FROM ({stored}) EXCEPT ALL SELECT * FROM ({method}))
                           UNION ALL (SELECT * FROM ({method}) EXCEPT ALL SELECT * FROM ({stored}))""",
                       sp + mp + mp + sp).fetchall()


def _diff_pages(con) -> list:
    """Stored page rows that differ from their model on the fly, over every stored week."""
    weeks = [dt.date.fromisoformat(d) for d in con.execute(
        "SELECT value FROM meta WHERE key = 'pages_weeks'").fetchone()[0].split(",")]
    assert weeks == sorted(r[0] for r in con.execute("SELECT DISTINCT week_end FROM mart_progress_weekly").fetchall())
    bad = _symmetric_difference(con, "SELECT * FROM page_status", "SELECT * FROM page_status_def", [], [])
    for end in weeks:
        week, previous, start = week_label(end), week_label(end - dt.timedelta(days=7)), end - dt.timedelta(days=6)
        pairs = [
            ("SELECT * EXCLUDE (week, previous, week_end) FROM page_week_changes_weekly WHERE week_end = ?::DATE",
             "SELECT * FROM page_week_changes(?, ?)", [end], [week, previous]),
            ("SELECT * EXCLUDE (week_end) FROM page_week_revisions_weekly WHERE week_end = ?::DATE",
             "SELECT * FROM page_week_revisions(?::DATE, ?::DATE)", [end], [start, end]),
            ("SELECT * EXCLUDE (week_end) FROM page_week_late_reports_weekly WHERE week_end = ?::DATE",
             "SELECT * FROM page_week_late_reports(?::DATE, ?::DATE)", [end], [start, end]),
            ("SELECT * FROM page_completeness_weekly WHERE week_end = ?::DATE",
             "SELECT * FROM page_completeness_counts WHERE week_end = ?::DATE", [end], [end]),
            ("SELECT * EXCLUDE (as_of_month) FROM mart_budget_ytd WHERE as_of_month = ?::DATE",
             "SELECT * FROM int_budget_year(?::DATE)", [end.replace(day=1)], [end]),     # on the facts
        ]
        for stored, method, sp, mp in pairs:
            bad += [(end, stored[:50], r) for r in _symmetric_difference(con, stored, method, sp, mp)]
    return bad


def test_stored_page_results_equal_the_page_models_for_every_week(sample_warehouse):
    con = open_read(sample_warehouse)
    assert _diff_pages(con) == []
    # every weekly model has rows in the window (the comparison is not of empty sets)
    for table in ("page_week_changes_weekly", "page_week_late_reports_weekly", "mart_budget_ytd",
                  "page_completeness_weekly"):
        assert con.execute(f"SELECT count(DISTINCT {'as_of_month' if table == 'mart_budget_ytd' else 'week_end'}) "
                           f"FROM {table}").fetchone()[0] >= 3, table
    con.close()


# Rows compared with a full recompute. A value "moved" in page_week_changes when the two weeks' values
# differ at all, and the marts' parallel sums differ in the last bits between an incremental and a full
# refresh (tests/test_marts.py compares them with a tolerance): of the changes, only the semáforo
# changes are compared there; _diff_pages compares every row with the model, exactly.
COMPARED = {"page_week_changes_weekly": "direction IS NOT NULL"}


def _stored(path) -> dict:
    con = open_read(path)
    out = {t: con.execute(f"SELECT * FROM {t} WHERE {COMPARED.get(t, 'TRUE')}").fetchall() for t in KEYS}
    out["weeks"] = con.execute("SELECT value FROM meta WHERE key = 'pages_weeks'").fetchone()[0]
    con.close()
    return out


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _same_value(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):     # parallel sums in the marts differ in the last bits
        return x == pytest.approx(y, rel=1e-9, abs=1e-12)
    return x == y


def _assert_same(a: dict, b: dict) -> None:
    assert a["weeks"] == b["weeks"]
    for table in KEYS:
        assert len(a[table]) == len(b[table]), table
        rows_b = sorted(b[table], key=lambda r: repr([v for v in r if not isinstance(v, float)]))
        rows_a = sorted(a[table], key=lambda r: repr([v for v in r if not isinstance(v, float)]))
        for x, y in zip(rows_a, rows_b):
            assert all(_same_value(u, v) for u, v in zip(x, y)), (table, x, y)


def _check(path, tmp_path):
    con = open_read(path)
    assert _diff_pages(con) == []
    con.close()
    _assert_same(_stored(path), full_recompute(path, tmp_path, _stored))


def test_incremental_page_refresh_after_loads_and_a_revert_equals_a_full_recompute(sample_warehouse, tmp_path,
                                                                                 monkeypatch):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    before = _stored(path)
    forbid_whole_refresh(monkeypatch, refresh_pages, "_refresh_whole")
    # a revision in W20 of a value first reported on 2014-05-03, past its deadline
    revision = load_file(_write(tmp_path, "revision.csv",
                                "Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                                "CSR-BONO-01,0429,2014-04,1130,2014-05-15\n"),
                         "measurements", path, loaded_by="prueba")
    assert revision.rows_loaded == 1
    con = open_read(path)
    assert con.execute("""SELECT count(*) FROM page_week_revisions_weekly WHERE week_end = DATE '2014-05-18'
                          AND scope_code = '0429' AND load_id = ?""", [revision.load_id]).fetchone()[0] == 1
    con.close()
    _check(path, tmp_path)

    budget = load_file(_write(tmp_path, "presupuesto.csv",
                              "Programa,Código Municipio,Mes,Aprobado,Modificado,Programado,Comprometido,Devengado,Pagado\n"
                              "CSR-BONO,1219,2014-03,20624.7,30000,5000,4000,3000,2000\n"),
                       "budget", path, loaded_by="prueba")
    assert budget.rows_loaded == 1
    _check(path, tmp_path)

    targets = load_file(_write(tmp_path, "metas.csv",
                               "Indicador,Código Municipio,Tipo de meta,Fecha línea base,Línea base,Fecha meta,Meta\n"
                               "CSR-BONO-01,0429,PQD-2014,2009-12-31,0,2014-12-31,99999\n"),
                        "targets", path, loaded_by="prueba")
    assert targets.rows_loaded == 1
    _check(path, tmp_path)

    for load in (targets, budget, revision):
        revert(load.load_id, path, loaded_by="prueba")
    _check(path, tmp_path)
    _assert_same(_stored(path), before)


def test_query_functions_read_the_stored_rows_while_current_and_the_models_otherwise(sample_warehouse, tmp_path):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    start, previous = WEEK - dt.timedelta(days=6), week_label(WEEK - dt.timedelta(days=7))
    assert pages_current(path) and pages_ready(WEEK, path) and not pages_ready(dt.date(2013, 5, 19), path)
    assert "mart_budget_ytd" in budget_source(WEEK, path)[0]
    stored = (status(SYSTEM, path), week_changes("2014-W20", previous, SYSTEM, path=path),
              week_revisions(start, WEEK, SYSTEM, path=path), week_late_reports(start, WEEK, SYSTEM, path=path),
              budget_totals(WEEK, SYSTEM, path=path))
    con = open_read(path)
    assert stored[0]["as_of"] == con.execute("SELECT as_of FROM stg_as_of").fetchone()[0] is not None
    con.close()
    assert stored[0]["is_sample"] and stored[1].height > 0 and stored[2].height > 0 and stored[3].height > 0

    # a load written without refresh: nothing stored is read, every function evaluates its model
    load_file(_write(tmp_path, "nueva.csv", "Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                                            "CSR-BONO-01,0429,2014-04,1131,2014-05-16\n"),
              "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    assert not pages_current(path) and not pages_ready(WEEK, path)
    assert budget_source(WEEK, path)[0].startswith("int_budget_year")
    live = (status(SYSTEM, path), week_changes("2014-W20", previous, SYSTEM, path=path),
            week_revisions(start, WEEK, SYSTEM, path=path), week_late_reports(start, WEEK, SYSTEM, path=path),
            budget_totals(WEEK, SYSTEM, path=path))
    assert live[0]["as_of"] == stored[0]["as_of"] and live[0]["last_load_id"] == stored[0]["last_load_id"] + 1
    assert live[1].equals(stored[1])
    assert {k: v for k, v in live[4].items() if isinstance(v, float)} == \
        pytest.approx({k: v for k, v in stored[4].items() if isinstance(v, float)})
    assert live[2].height == stored[2].height + 1          # the new report revises the one of 2014-05-03
    assert live[2].filter(live[2]["scope_code"] == "0429")["new_value"].to_list() == [1131.0]


def test_completeness_summary_from_stored_counts_equals_the_counted_cells(sample_warehouse, monkeypatch):
    import warehouse.queries.quality as quality
    for viewer, department in ((SYSTEM, None), (SYSTEM, "12"), (Viewer("m", "municipal", "0429"), None)):
        stored = completeness_by_municipality(WEEK, viewer, department=department, path=sample_warehouse)
        with monkeypatch.context() as m:
            m.setattr(quality, "pages_ready", lambda *a, **k: False)
            counted = completeness_by_municipality(WEEK, viewer, department=department, path=sample_warehouse)
        assert stored.height > 0 and stored.equals(counted), (viewer, department)
    # the cells with their state: the model at a materialised week equals the method joined on the fly
    from warehouse.queries.quality import completeness_cells
    for eje in (None, 1):
        plain = completeness_cells(WEEK, SYSTEM, eje=eje, path=sample_warehouse)
        with monkeypatch.context() as m:
            m.setattr(quality, "marts_ready", lambda *a, **k: False)
            method = completeness_cells(WEEK, SYSTEM, eje=eje, path=sample_warehouse)
        assert plain.height > 0 and plain.equals(method), eje
        assert set(plain["state"]) <= {"reportado", "atrasado", "sin medición"} and plain["state"].n_unique() >= 2


def test_municipal_indicator_options_equal_those_with_a_current_municipal_target(sample_warehouse):
    """The list asks whether any target row exists at a municipal scope: the same indicators as the
    ranked current targets (a key has a current version exactly when it has a row)."""
    from warehouse.queries.municipal import municipality_indicator_options
    options = municipality_indicator_options(WEEK, SYSTEM, path=sample_warehouse)
    con = open_read(sample_warehouse)
    expected = [r[0] for r in con.execute("""
        SELECT i.code FROM indicators i WHERE i.scope_level = 'municipal'
          AND EXISTS (SELECT 1 FROM stg_targets_current t WHERE t.indicator_code = i.code AND t.scope_code <> 'national')
        ORDER BY i.eje_id NULLS LAST, i.code""").fetchall()]
    con.close()
    assert options["code"].to_list() == expected and len(expected) > 0


def test_week_changes_ignore_float_noise_in_a_value_but_not_a_real_move(sample_warehouse, tmp_path):
    """A pair whose value differs between the two weeks only in the last bits (an aggregate summed in
    another order) is no change; a move of one part in a million is."""
    from warehouse.store import write_transaction
    path = tmp_path / "w.duckdb"
    clone_warehouse(sample_warehouse, path)
    week, previous = week_label(WEEK), week_label(WEEK - dt.timedelta(days=7))
    with write_transaction(path) as con:
        pairs = con.execute("""
            SELECT c.indicator_code, c.scope_type, c.scope_code, p.value FROM mart_progress_weekly c
            JOIN mart_progress_weekly p USING (indicator_code, scope_type, scope_code)
            WHERE c.week = ? AND p.week = ? AND c.value = p.value AND c.value > 1000
              AND c.semaforo = p.semaforo AND c.percent = p.percent
            ORDER BY ALL LIMIT 2""", [week, previous]).fetchall()
        assert len(pairs) == 2
        for (code, stype, scope, value), factor in zip(pairs, (1 + 4e-16, 1 + 1e-6)):
            con.execute("UPDATE mart_progress_weekly SET value = ? WHERE week = ? AND indicator_code = ? "
                        "AND scope_type = ? AND scope_code = ?", [value * factor, week, code, stype, scope])
        noisy = con.execute("SELECT value FROM mart_progress_weekly WHERE week = ? AND indicator_code = ? AND "
                            "scope_type = ? AND scope_code = ?", [week, *pairs[0][:3]]).fetchone()[0]
        assert noisy != pairs[0][3]                 # the noise is really there, in the last bits
        changed = {r[:3] for r in con.execute(
            "SELECT indicator_code, scope_type, scope_code FROM page_week_changes(?, ?)", [week, previous]).fetchall()}
    assert pairs[0][:3] not in changed and pairs[1][:3] in changed
