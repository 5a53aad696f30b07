"""The value chain after a load is recomputed for the chains the load concerns only, and equals a
full refresh row for row (the touched chains are corrupted first, so a skipped recompute fails)."""
from __future__ import annotations

import pytest

import warehouse.analytics as analytics
from loaders.api import load_file, revert
from tests.conftest import full_recompute
from warehouse.store import clone_warehouse, open_read, write_transaction

TABLES = ("analytics_value_chain_items", "analytics_value_chain", "analytics_forecast")


def _tables(path) -> dict:
    con = open_read(path)
    out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    con.close()
    return out


def _corrupt(path, programs: list[str]) -> None:
    """Wrong values in the stored chains of `programs` and in every chain row (the aggregate)."""
    with write_transaction(path) as con:
        con.execute("UPDATE analytics_value_chain_items SET value = -1, semaforo = 'x' "
                    "WHERE list_contains(?, chain_key)", [programs])
        con.execute("UPDATE analytics_value_chain SET semaforo = 'x', items = -1")


def _spy(monkeypatch) -> list:
    calls = []
    real = analytics.refresh_value_chain
    monkeypatch.setattr(analytics, "refresh_value_chain",
                        lambda con, week_end, programs=None: calls.append(programs) or real(con, week_end, programs))
    return calls


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    return a == b


def _assert_equal(path, tmp_path, full: dict | None = None) -> None:
    """Every table equals `full` (default: a full refresh of a clone), floats to 1e-9 (sums of floats
    in another order)."""
    got, full = _tables(path), full or full_recompute(path, tmp_path, _tables)
    for table in TABLES:
        assert len(got[table]) == len(full[table]) > 0, table
        for a, b in zip(got[table], full[table]):
            assert all(_same(x, y) for x, y in zip(a, b)), (table, a, b)


def test_a_measurement_load_and_its_revert_recompute_only_their_programs_chain(sample_warehouse, tmp_path,
                                                                             monkeypatch):
    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    before = _tables(path)
    _corrupt(path, ["CSR-BONO"])
    calls = _spy(monkeypatch)
    small = tmp_path / "correccion.csv"
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     "CSR-BONO-01,0101,2014-03,1234,2014-05-07\n", encoding="utf-8")
    result = load_file(small, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == 1 and calls == [["CSR-BONO"]]
    _assert_equal(path, tmp_path)

    _corrupt(path, ["CSR-BONO"])
    calls.clear()                                # the full reference refresh went through the spy too
    revert(result.load_id, path, loaded_by="prueba")
    assert calls == [["CSR-BONO"]]
    _assert_equal(path, tmp_path)
    _assert_equal(path, tmp_path, before)


def _load_budget_row(sample_warehouse, tmp_path, monkeypatch, corrupt: list[str], row: str):
    """A clone with the chains of `corrupt` spoilt, then a one-row budget load (asserted to land);
    returns the clone's path and the spied value-chain recomputes."""
    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    _corrupt(path, corrupt)
    calls = _spy(monkeypatch)
    budget = tmp_path / "presupuesto.csv"
    budget.write_text("Programa,Código Municipio,Mes,Aprobado,Modificado,Programado,Comprometido,Devengado,Pagado\n"
                      f"{row}\n", encoding="utf-8")
    assert load_file(budget, "budget", path, loaded_by="prueba").rows_loaded == 1
    return path, calls


def test_a_budget_load_recomputes_its_programs_chain(sample_warehouse, tmp_path, monkeypatch):
    path, calls = _load_budget_row(sample_warehouse, tmp_path, monkeypatch, ["CSU-BONO"],
                                   "CSU-BONO,0101,2014-03,900000,950000,90000,80000,77777,70000")
    assert calls == [["CSU-BONO"]]
    _assert_equal(path, tmp_path)


def test_a_budget_load_that_moves_the_first_month_recomputes_every_chain(sample_warehouse, tmp_path, monkeypatch):
    """The first budget month starts every chain's cost window (the value before it is the baseline of
    each cost per unit of result): moving it changes all chains."""
    path, calls = _load_budget_row(sample_warehouse, tmp_path, monkeypatch, ["CSU-BONO", "CSR-BONO"],
                                   "CSU-BONO,0101,2008-01,1000,1000,100,80,70,60")
    assert calls == [None]
    _assert_equal(path, tmp_path)


def test_a_fin_indicator_load_recomputes_every_chain(sample_warehouse, tmp_path, monkeypatch):
    """Impacto (the Fin indicators) is part of every chain."""
    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    con = open_read(path)
    code, scope, period = con.execute(
        """SELECT m.indicator_code, m.scope_code, m.period FROM stg_measurements_current m
           JOIN stg_indicators i ON i.code = m.indicator_code
           WHERE i.level = 'fin' AND i.aggregation_rule <> 'razón' AND m.value IS NOT NULL
             AND m.period_end < DATE '2014-05-01'
           ORDER BY m.period_end DESC, 1, 2 LIMIT 1""").fetchone()
    con.close()
    _corrupt(path, ["CSU-BONO", "CSR-BONO"])
    calls = _spy(monkeypatch)
    small = tmp_path / "fin.csv"
    small.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                     f"{code},{scope},{period},12.5,2014-05-07\n", encoding="utf-8")
    result = load_file(small, "measurements", path, loaded_by="prueba")
    assert result.rows_loaded == 1 and calls == [None]
    _assert_equal(path, tmp_path)


class _Discard(Exception):
    pass


def test_the_forecast_reads_the_stored_series_which_equal_the_macro(sample_clone):
    """At the week under review the forecast takes the national series from mart_series_weekly (as the
    pages do) while it is current, and those equal the macro it evaluates otherwise."""
    from warehouse.analytics.forecast import _series_many

    with pytest.raises(_Discard), write_transaction(sample_clone) as con:
        week = con.execute("SELECT max(week_end) FROM mart_series_weeks").fetchone()[0]
        codes = [r[0] for r in con.execute("SELECT code FROM stg_indicators ORDER BY code").fetchall()]
        stored = _series_many(con, week, codes)
        fingerprint = con.execute("SELECT value FROM meta WHERE key = 'series_fingerprint'").fetchone()[0]
        con.execute("DELETE FROM meta WHERE key = 'series_fingerprint'")      # not current: the macro
        method = _series_many(con, week, codes)
        assert sum(map(len, method.values())) > 1000
        assert stored.keys() == method.keys()
        for code in codes:
            assert [(p["period_end"], p["period_type"]) for p in stored[code]] == \
                [(p["period_end"], p["period_type"]) for p in method[code]], code
            for a, b in zip(stored[code], method[code]):
                assert _same(a["value"], b["value"]) and _same(a["period_value"], b["period_value"]), (code, a, b)
        con.execute("INSERT INTO meta VALUES ('series_fingerprint', ?)", [fingerprint])
        con.execute("UPDATE mart_series_weekly SET value = -1 WHERE scope_code = 'national'")
        read = _series_many(con, week, codes)                                  # current again: the table
        assert {p["value"] for points in read.values() for p in points} == {-1}
        raise _Discard
