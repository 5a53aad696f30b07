"""The materialised results (warehouse/sql/29_tables_marts.sql, warehouse/refresh.py): declared keys
and NOT NULL columns hold on the built sample, every stored row equals the method evaluated on the
fly, an incremental refresh after a small load or a revert equals a full recompute, and readers
fall back to the method when the stored results are not current."""
from __future__ import annotations

import json

import pytest

from loaders import load_file, revert
from warehouse.asof import week_end_of
from warehouse.queries.home import semaforo_counts
from warehouse.query import SYSTEM, marts_ready
import warehouse.refresh as refresh
from tests.conftest import assert_key_and_not_null, forbid_whole_refresh, full_recompute
from warehouse.store import clone_warehouse, open_read, write_transaction

KEYS = {
    "mart_progress_weekly": ["week_end", "scope_type", "scope_code", "indicator_code"],
    "mart_municipality_state_weekly": ["week_end", "code"],
    "mart_budget_current": ["program_code", "scope_code", "month"],
    "load_touch": ["load_id", "item_code", "scope_code"],
}
# columns compared with a relative tolerance: DuckDB's parallel sums differ in the last bits run to run
FLOATS = ("value", "numerator", "denominator", "baseline_value", "target_value", "progress", "expected",
          "ratio")


def _columns(con, table: str) -> list[tuple[str, bool]]:
    return [(r[0], r[3] == "NO") for r in con.execute(f"DESCRIBE {table}").fetchall()]


@pytest.mark.parametrize("table", sorted(KEYS))
def test_declared_key_is_unique_and_not_null_columns_hold(sample_warehouse, table):
    assert_key_and_not_null(sample_warehouse, table, KEYS[table])


def _diff_progress(con, where: str = "TRUE") -> list:
    """Rows where the stored results and the method on the fly disagree, over every stored week."""
    weeks = [r[0] for r in con.execute("SELECT DISTINCT week_end FROM mart_progress_weekly").fetchall()]
    assert weeks
    cols = [c for c, _ in _columns(con, "mart_progress_weekly") if c not in ("week", "week_end")]
    keys = ("scope_type", "scope_code", "indicator_code")
    same = [f"abs(a.{c} - b.{c}) <= 1e-9 * greatest(1, abs(b.{c})) OR (a.{c} IS NULL AND b.{c} IS NULL)"
            if c in FLOATS else f"a.{c} IS NOT DISTINCT FROM b.{c}" for c in cols if c not in keys]
    bad = []
    for end in weeks:
        bad += con.execute(f"""
            SELECT ?::DATE, scope_type, scope_code, indicator_code
            FROM (SELECT * FROM mart_progress_weekly WHERE week_end = ? AND {where}) a
            FULL JOIN (SELECT * FROM mart_progress_asof(?::DATE) WHERE {where}) b USING ({", ".join(keys)})
            WHERE a.as_of IS NULL OR b.as_of IS NULL OR NOT ({" AND ".join(f"({s})" for s in same)})""",
                           [end, end, end]).fetchall()
        bad += con.execute("""
            SELECT ?::DATE, code FROM ((SELECT * EXCLUDE (week, week_end) FROM mart_municipality_state_weekly
                                        WHERE week_end = ?)
                                       EXCEPT ALL SELECT * FROM mart_municipality_state_asof(?::DATE, NULL, NULL, NULL))""",
                           [end, end, end]).fetchall()
    bad += con.execute("""SELECT 'budget', * FROM (SELECT * FROM mart_budget_current
                          EXCEPT ALL SELECT program_code, scope_code, month, approved, modified, scheduled,
                                 committed, accrued, paid, is_sample, load_id FROM stg_budget_current)""").fetchall()
    return bad


def test_materialised_results_equal_the_method_for_every_week_indicator_and_scope(sample_warehouse):
    con = open_read(sample_warehouse)
    assert con.execute("SELECT count(DISTINCT week_end) FROM mart_progress_weekly").fetchone()[0] == 12
    assert con.execute("SELECT count(DISTINCT scope_type) FROM mart_progress_weekly").fetchone()[0] == 3
    assert _diff_progress(con) == []
    assert con.execute("SELECT count(*) FROM mart_budget_current").fetchone()[0] == \
        con.execute("SELECT count(*) FROM stg_budget_current").fetchone()[0]


def _stored(path) -> dict:
    """The materialised tables, rows sorted by their key (progress: as_of, scope_type, scope_code,
    indicator_code are its first four columns)."""
    con = open_read(path)
    out = {"mart_progress_weekly": sorted(con.execute(
               "SELECT * EXCLUDE (week, week_end) FROM mart_progress_weekly").fetchall(), key=lambda r: r[:4]),
           "mart_municipality_state_weekly": sorted(con.execute(
               "SELECT * FROM mart_municipality_state_weekly").fetchall(), key=lambda r: (r[1], r[2])),
           "mart_budget_current": sorted(con.execute("SELECT * FROM mart_budget_current").fetchall(),
                                         key=lambda r: r[:3]),
           "weeks": sorted(r[0] for r in con.execute("SELECT DISTINCT week FROM mart_progress_weekly").fetchall())}
    con.close()
    return out


def _same_value(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == pytest.approx(y, rel=1e-9, abs=1e-12)
    return x == y


def _assert_same(incremental: dict, full: dict) -> None:
    assert incremental["weeks"] == full["weeks"]
    for table in ("mart_progress_weekly", "mart_municipality_state_weekly", "mart_budget_current"):
        a, b = incremental[table], full[table]
        assert len(a) == len(b), table
        for x, y in zip(a, b):
            assert all(_same_value(u, v) for u, v in zip(x, y)), (table, x, y)


def test_incremental_refresh_after_a_small_load_and_its_revert_equals_a_full_recompute(sample_warehouse, tmp_path,
                                                                                     monkeypatch):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    before = _stored(path)
    forbid_whole_refresh(monkeypatch, refresh, "_refresh_marts_all")   # refresh_all and the fallback use it
    # a late report (received in W19 for March) for one municipality, and a new municipality's value
    small = tmp_path / "correccion.csv"
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0101,2014-03,1234,2014-05-07\n", encoding="utf-8")
    result = load_file(small, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == 1 and result.exit_code == 0
    after = _stored(path)
    assert after["mart_progress_weekly"] != before["mart_progress_weekly"]      # the load changed results
    _assert_same(after, full_recompute(path, tmp_path, _stored))
    con = open_read(path)
    assert con.execute("SELECT list(DISTINCT scope_code) FROM load_touch WHERE load_id = ?",
                       [result.load_id]).fetchone()[0] == ["0101"]
    assert con.execute("SELECT marts_ready(DATE '2014-05-18')").fetchone()[0]
    con.close()

    revert(result.load_id, path, loaded_by="prueba")
    monkeypatch.undo()
    _assert_same(_stored(path), full_recompute(path, tmp_path, _stored))
    _assert_same(_stored(path), before)


def _weeks_in_storage_order(path, after_rowid: int = -1) -> list:
    con = open_read(path)
    weeks = [r[0] for r in con.execute("SELECT week_end FROM mart_progress_weekly WHERE rowid > ? ORDER BY rowid",
                                       [after_rowid]).fetchall()]
    con.close()
    return weeks


def test_progress_rows_are_stored_in_week_order_by_the_full_and_the_incremental_refresh(sample_warehouse, tmp_path):
    """Pages read one week (`week_end = ?`): rows written in week order let the zone maps skip the
    other weeks' row groups. A full refresh writes the table sorted; a load appends its rows sorted."""
    path = clone_warehouse(sample_warehouse, tmp_path / "wh.duckdb")
    with write_transaction(path) as con:
        con.execute("DELETE FROM mart_progress_weekly")              # nothing left from an earlier writer
        refresh.refresh_all(con)
    weeks = _weeks_in_storage_order(path)
    assert weeks == sorted(weeks) and len(set(weeks)) == 12
    con = open_read(path)
    last = con.execute("SELECT max(rowid) FROM mart_progress_weekly").fetchone()[0]
    con.close()
    small = tmp_path / "correccion.csv"                              # a late report reaching 3 weeks
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0101,2014-03,1234,2014-05-07\n", encoding="utf-8")
    assert load_file(small, "measurements", path, loaded_by="prueba").rows_loaded == 1
    appended = _weeks_in_storage_order(path, last)
    assert appended == sorted(appended) and len(set(appended)) >= 2


def test_incremental_refresh_after_a_targets_load_equals_a_full_recompute(sample_warehouse, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    forbid_whole_refresh(monkeypatch, refresh, "_refresh_marts_all")   # refresh_all and the fallback use it
    targets = tmp_path / "metas.csv"
    targets.write_text("Indicador,Código Municipio,Tipo de meta,Fecha línea base,Línea base,Fecha meta,Meta\n"
                       "CSR-BONO-01,0101,PQD-2014,2009-12-31,0,2014-12-31,99999\n", encoding="utf-8")
    result = load_file(targets, "targets", path, loaded_by="prueba")
    assert result.rows_loaded == 1
    monkeypatch.undo()
    _assert_same(_stored(path), full_recompute(path, tmp_path, _stored))


def test_a_load_without_refresh_makes_readers_use_the_method(sample_warehouse, tmp_path):
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    week = week_end_of("2014-W20")
    assert marts_ready(week, path) and not marts_ready(week_end_of("2013-W20"), path)
    small = tmp_path / "nueva.csv"
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0102,2014-03,1,2014-05-07\n", encoding="utf-8")
    load_file(small, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    assert not marts_ready(week, path)          # stale results are never read
    counts = semaforo_counts(week, SYSTEM, path=path)
    con = open_read(path)
    method = dict(con.execute("""SELECT semaforo, count(*) FROM mart_progress_asof(?::DATE)
                                 WHERE scope_type = 'nacional' GROUP BY 1""", [week]).fetchall())
    assert dict(zip(counts["semaforo"], counts["indicators"])) == method
    con.close()


def test_a_load_onto_stale_results_recomputes_everything_once(sample_warehouse, tmp_path, monkeypatch):
    """A load landing on results that are not current falls back to the full recompute: the marts
    and the analytics layer whole, each once (the analytics used to run twice)."""
    import warehouse.analytics as analytics
    path = tmp_path / "wh.duckdb"
    clone_warehouse(sample_warehouse, path)
    first = tmp_path / "nueva.csv"
    first.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0102,2014-03,1,2014-05-07\n", encoding="utf-8")
    load_file(first, "measurements", path, loaded_by="prueba", refresh_snapshots=False)
    calls = []
    real = analytics.refresh_analytics
    monkeypatch.setattr(analytics, "refresh_analytics", lambda con, indicators=None: calls.append(indicators)
                        or real(con, indicators))
    second = tmp_path / "otra.csv"
    second.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                      "CSR-BONO-01,0103,2014-03,2,2014-05-07\n", encoding="utf-8")
    result = load_file(second, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == 1
    assert calls == [None]                       # once, whole
    assert marts_ready(week_end_of("2014-W20"), path)
    monkeypatch.undo()
    _assert_same(_stored(path), full_recompute(path, tmp_path, _stored))


def test_filter_first_method_equals_the_whole_method_for_the_chosen_indicators(sample_warehouse):
    con = open_read(sample_warehouse)
    chosen = ["CSR-BONO-01", "ODM-1.1", "CS-01"]
    some = con.execute("""SELECT * FROM mart_progress_asof(DATE '2014-05-18', p_indicators := ?)
                          ORDER BY scope_type, scope_code, indicator_code""", [chosen]).fetchall()
    whole = con.execute("""SELECT * FROM mart_progress_asof(DATE '2014-05-18')
                           WHERE list_contains(?, indicator_code)
                           ORDER BY scope_type, scope_code, indicator_code""", [chosen]).fetchall()
    assert len(some) == len(whole) > 100
    assert [r[:4] for r in some] == [r[:4] for r in whole]
    # the facts are filtered at their scan, below the version ranking, whether the list is a constant
    # (the refresh, the loaders) or a subquery (Odm 1's program): no scan returns the whole table
    total = con.execute("SELECT count(*) FROM measurements").fetchone()[0]
    own = con.execute("SELECT count(*) FROM measurements WHERE indicator_code = 'CS-01'").fetchone()[0]
    for arg in ("['CS-01']", "(SELECT list(code) FROM indicators WHERE code = 'CS-01')"):
        query = f"SELECT * FROM stg_measurement_asof(DATE '2014-05-18', p_indicators := {arg})"
        assert con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0] == \
            con.execute("SELECT count(*) FROM stg_measurement_asof(DATE '2014-05-18') WHERE indicator_code = 'CS-01'").fetchone()[0]
        plan = json.loads(con.execute(f"EXPLAIN (ANALYZE, FORMAT json) {query}").fetchall()[0][1])
        nodes = list(_plan_nodes(plan["operator"]))
        scans = [n for n in nodes if n["extra_info"].get("Table", "").endswith(".measurements")]
        assert any(n["intermediate_rows"] == own and "CS-01" in str(n["extra_info"].get("Dynamic Filters"))
                   for n in scans), arg
        assert max(n["intermediate_rows"] for n in scans) <= max(own, 4096) < total / 10, arg
        assert any(n["extra_info"].get("Join Type") == "ANTI" for n in nodes)


def _plan_nodes(plan):
    for node in plan:
        yield node
        yield from _plan_nodes(node.get("children", []))


def test_full_refresh_evaluates_the_twelve_weeks_in_one_statement(sample_warehouse, tmp_path):
    """The full refresh evaluates the method once for all the selector's weeks (mart_progress_weeks:
    one pass over the versions) and stores what the build stored."""
    import warehouse.refresh as refresh
    path = clone_warehouse(sample_warehouse, tmp_path / "wh.duckdb")
    before = _stored(path)
    with write_transaction(path) as con:
        counted = _CountingConnection(con, "mart_progress_weeks(")
        assert len(refresh._refresh_marts_all(counted)) == 12
    assert counted.calls == 1
    _assert_same(_stored(path), before)


class _CountingConnection:
    """A connection that counts the statements containing `marker`."""
    def __init__(self, con, marker: str):
        self.con, self.marker, self.calls = con, marker, 0

    def execute(self, query, params=None):
        self.calls += self.marker in query
        return self.con.execute(query, params or [])

    def __getattr__(self, name):
        return getattr(self.con, name)
