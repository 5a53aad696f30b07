"""Loaders: reading, parsing, validation, writing, revisions, revert, atomicity (API level)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from loaders import KINDS, LoadResult, load_file, revert, validate_file
from loaders.api import RevertError
from loaders.periods import parse_period
from warehouse.store import write_transaction


def _reader(path):
    """A read-only connection with the side files attached (the test closes it)."""
    from warehouse.store import open_read
    return open_read(Path(path))


DATA = Path(__file__).parent / "data" / "loaders"


def seed(path: Path) -> Path:
    with write_transaction(path) as con:
        con.execute("INSERT INTO municipalities (code, department_code, department, municipality) VALUES "
                    "('0101','01','Ahuachapán','Ahuachapán'), ('0102','01','Ahuachapán','Apaneca'), "
                    "('0613','06','San Salvador','Mejicanos')")
        con.execute("INSERT INTO programs (program_code, name) VALUES ('CSU-AGUA','Agua'), ('CSR-BONO','Bono')")
        con.execute("INSERT INTO indicators (code, name, program_code, unit, scale, frequency, formula_denominator) "
                    "VALUES ('I1','Tasa','CSU-AGUA','%',100,'mensual','hogares'), "
                    "('I2','Conteo','CSU-AGUA','personas',1,'mensual',NULL), "
                    "('I3','Semanal','CSU-AGUA','visitas',1,'semanal',NULL), "
                    "('I4','Trimestral','CSU-AGUA','familias',1,'trimestral',NULL), "
                    "('I5','Anual','CSU-AGUA','hogares',1,'anual',NULL), "
                    "('I6','Crecimiento','CSU-AGUA','% de variación anual',1,'anual',NULL)")
    return path


@pytest.fixture()
def wh(tmp_path) -> Path:
    return seed(tmp_path / "w.duckdb")


def q(path: Path, sql: str):
    con = _reader(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def count(path: Path, table: str) -> int:
    return q(path, f"SELECT count(*) FROM {table}")[0][0]


def rules(res: LoadResult) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for p in res.problems:
        out.setdefault(p.row, set()).add(p.rule)
    return out


def test_kinds_exported():
    assert set(KINDS) == {"municipalities", "indicators", "targets", "measurements", "budget", "boundaries",
                          "participants"}


def test_period_formats():
    df = pl.DataFrame({"p": ["2014-W20", "2014-05", "2014-Q2", "2014", "2014-05-12", "12/05/2014", "2015-W53",
                             "2014-W53", "31/02/2014", "2014-13", "x"]})
    out = df.select(parse_period(pl.col("p")).alias("s")).unnest("s").rows()
    assert out[0][:2] == ("2014-W20", "W") and str(out[0][2]) == "2014-05-12" and str(out[0][3]) == "2014-05-18"
    assert out[1][:2] == ("2014-05", "M") and str(out[1][3]) == "2014-05-31"
    assert out[2][:2] == ("2014-Q2", "Q") and str(out[2][2]) == "2014-04-01" and str(out[2][3]) == "2014-06-30"
    assert out[3][:2] == ("2014", "Y") and str(out[3][3]) == "2014-12-31"
    assert out[4][:2] == ("2014-05-12", "D") and out[5][:2] == ("2014-05-12", "D")
    assert out[6][:2] == ("2015-W53", "W") and str(out[6][3]) == "2016-01-03"
    assert all(r[0] is None for r in out[7:])      # 2014 has 52 ISO weeks


def test_measurements_good_all_formats(wh):
    res = load_file(DATA / "measurements_good.csv", "measurements", wh, loaded_by="ana")
    assert (res.status, res.exit_code, res.rows_read, res.rows_loaded, res.rows_quarantined) == ("ok", 0, 8, 8, 0)
    rows = dict(((s, p), (t, v)) for s, p, t, v in q(wh, "SELECT scope_code, period, period_type, value FROM measurements"))
    assert rows[("0101", "2014-W20")] == ("W", 7) and rows[("0101", "2014-05")][0] == "M"
    assert rows[("0101", "2014-Q2")][0] == "Q" and rows[("national", "2014")] == ("Y", 1000)
    assert rows[("0102", "2013-05")] == ("M", 4) and rows[("0102", "2014-05")] == ("M", 3)   # dates -> months
    assert q(wh, "SELECT value FROM measurements WHERE indicator_code='I1' AND scope_code='0101'")[0][0] == 50.0
    assert q(wh, "SELECT value FROM measurements WHERE scope_code='0613'")[0][0] == 55.5
    assert q(wh, "SELECT loaded_by, status, rows_loaded FROM load_log") == [("ana", "ok", 8)]
    assert count(wh, "validation_results") > 5


def test_cp1252_semicolon_decimal_comma_spanish_headers(wh):
    res = load_file(DATA / "measurements_cp1252.csv", "measurements", wh)
    assert res.exit_code == 0, res.to_text()
    got = dict(q(wh, "SELECT scope_code, value FROM measurements"))
    assert got == {"0101": 1234.5, "0613": 2.25, "national": 10.0}
    assert q(wh, "SELECT reported_at::VARCHAR FROM measurements WHERE scope_code='0101'")[0][0] == "2014-05-20"


def test_measurements_bad_rows_quarantined(wh):
    res = load_file(DATA / "measurements_bad.csv", "measurements", wh)
    assert (res.status, res.exit_code, res.rows_read) == ("partial", 1, 10)
    r = rules(res)
    assert "indicador_desconocido" in r[3] and "municipio_desconocido" in r[4] and "periodo_invalido" in r[5]
    assert "periodo_implausible" in r[6] and "numero_invalido" in r[7] and "razon_sin_partes" in r[8]
    assert r[9] == {"clave_duplicada"} and r[10] == {"clave_duplicada"} and "valor_faltante" in r[11]
    assert res.rows_loaded == 1 and res.rows_quarantined == 9
    assert count(wh, "measurements") == 1
    qrows = q(wh, "SELECT row_number, rule, message, raw_row FROM quarantine ORDER BY row_number")
    assert [r[0] for r in qrows] == list(range(3, 12))          # one row per rejected input row
    p = next(p for p in res.problems if p.row == 5)
    assert p.file == "measurements_bad.csv" and p.column == "Período" and p.value == "2014-13"
    assert "fila 5" in p.message and "Período" in p.message and "2014-13" in p.message
    assert json.loads(qrows[2][3])["Período"] == "2014-13"


def test_missing_columns_rejected(wh):
    res = load_file(DATA / "measurements_missing_cols.csv", "measurements", wh)
    assert (res.status, res.exit_code) == ("rejected", 2)
    assert res.problems[0].rule == "columnas_faltantes" and "Período" in res.problems[0].message
    assert count(wh, "load_log") == 0


@pytest.mark.parametrize("name", ["empty.csv", "does_not_exist.csv"])
def test_empty_or_missing_file_rejected(wh, name):
    res = load_file(DATA / name, "measurements", wh)
    assert res.exit_code == 2 and res.status == "rejected"


@pytest.mark.parametrize("content", [bytes(range(256)) * 40, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50,
                                     b"PK\x03\x04" + bytes([7, 1, 2, 3, 200, 17, 5]) * 300])
def test_binary_file_is_unreadable_not_empty(wh, tmp_path, content):
    f = tmp_path / "datos.csv"
    f.write_bytes(content)
    res = load_file(f, "measurements", wh)
    assert (res.status, res.exit_code) == ("rejected", 2)
    assert res.problems[0].rule == "archivo_ilegible"
    assert "no es un archivo CSV, XLSX o Parquet legible" in res.problems[0].message
    assert count(wh, "load_log") == 0


def test_idempotent_reload(wh):
    first = load_file(DATA / "measurements_good.csv", "measurements", wh)
    second = load_file(DATA / "measurements_good.csv", "measurements", wh)
    assert first.rows_loaded == 8
    assert (second.rows_loaded, second.rows_unchanged, second.exit_code) == (0, 8, 0)
    assert count(wh, "measurements") == 8 and count(wh, "load_log") == 1


def test_identical_file_again_changes_nothing(wh):
    first = load_file(DATA / "measurements_bad.csv", "measurements", wh)
    before = {t: count(wh, t) for t in ("measurements", "quarantine", "load_log", "validation_results")}
    again = load_file(DATA / "measurements_bad.csv", "measurements", wh)
    assert {t: count(wh, t) for t in before} == before                 # no new load_log, no quarantine copies
    assert (again.status, again.exit_code, again.load_id) == ("sin cambios", 0, None)
    assert (again.rows_read, again.rows_unchanged, again.rows_loaded, again.rows_quarantined) == (10, 10, 0, 0)
    assert f"El archivo ya se cargó (carga n.º {first.load_id}); no se cambió nada." in again.to_text()
    # after a later load of the same kind the file may write something again (e.g. restore values)
    load_file(DATA / "measurements_good.csv", "measurements", wh)
    assert load_file(DATA / "measurements_bad.csv", "measurements", wh).status == "partial"


def test_revision_keeps_old_version(wh, tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("Indicador,Código Municipio,Período,Valor\nI2,0101,2014-05,10\nI2,0102,2014-05,20\n")
    a = load_file(f, "measurements", wh)
    f.write_text("Indicador,Código Municipio,Período,Valor\nI2,0101,2014-05,11\nI2,0102,2014-05,20\n")
    b = load_file(f, "measurements", wh)
    assert (b.rows_loaded, b.rows_unchanged) == (1, 1)
    versions = q(wh, "SELECT value, load_id FROM measurements WHERE scope_code='0101' ORDER BY load_id")
    assert versions == [(10.0, a.load_id), (11.0, b.load_id)]
    current = q(wh, "SELECT value FROM stg_measurement_asof(DATE '2030-01-01') WHERE scope_code='0101'")
    assert current == [(11.0,)]
    # revert the revision: the old version is current again
    r = revert(b.load_id, wh)
    assert r.rows_deleted == 1
    assert q(wh, "SELECT value FROM stg_measurement_asof(DATE '2030-01-01') WHERE scope_code='0101'") == [(10.0,)]
    assert q(wh, f"SELECT status FROM load_log WHERE load_id={b.load_id}") == [("reverted",)]
    with pytest.raises(RevertError, match="ya fue revertida"):
        revert(b.load_id, wh)
    with pytest.raises(RevertError, match="no existe"):
        revert(999, wh)


def test_period_normalised_to_indicator_frequency(wh, tmp_path):
    """A date and a month of a monthly indicator are one key: no second April row (a flujo would count it twice)."""
    head = "Indicador,Código Municipio,Período,Valor\n"
    f = tmp_path / "a.csv"
    f.write_text(head + "I2,0101,2014-04,10\nI3,0101,2014-05-12,1\nI3,0102,2014-12-29,2\nI5,national,2013-06-30,5\n")
    a = load_file(f, "measurements", wh)
    assert (a.exit_code, a.rows_loaded) == (0, 4), a.to_text()
    assert sorted(q(wh, "SELECT indicator_code, scope_code, period, period_type, period_start::VARCHAR, "
                        "period_end::VARCHAR FROM measurements")) == [
        ("I2", "0101", "2014-04", "M", "2014-04-01", "2014-04-30"),
        ("I3", "0101", "2014-W20", "W", "2014-05-12", "2014-05-18"),     # a date -> its ISO week
        ("I3", "0102", "2015-W01", "W", "2014-12-29", "2015-01-04"),
        ("I5", "national", "2013", "Y", "2013-01-01", "2013-12-31")]
    g = tmp_path / "b.csv"
    g.write_text(head + "I2,0101,30/04/2014,10\n")
    same = load_file(g, "measurements", wh)
    assert (same.rows_loaded, same.rows_unchanged) == (0, 1)
    g.write_text(head + "I2,0101,2014-04-30,12\n")
    rev = load_file(g, "measurements", wh)
    assert (rev.rows_loaded, rev.rows_unchanged) == (1, 0)
    assert q(wh, "SELECT count(DISTINCT period), count(*) FROM measurements WHERE indicator_code='I2'") == [(1, 2)]
    assert q(wh, "SELECT value FROM stg_measurement_asof(DATE '2030-01-01') WHERE indicator_code='I2'") == [(12.0,)]
    # coarser (or other) periods than the frequency are quarantined, naming the frequency
    h = tmp_path / "c.csv"
    h.write_text(head + "I2,0101,2014,1\nI2,0102,2014-Q2,1\nI4,0101,2014-05,1\nI2,0613,2014-04-01,1\n"
                        "I2,0613,2014-04,2\n")
    bad = load_file(h, "measurements", wh)
    r = rules(bad)
    assert r[2] == r[3] == r[4] == {"periodo_no_coincide_con_frecuencia"}
    assert r[5] == r[6] == {"clave_duplicada"}                     # the same month written twice in one file
    msg = next(p.message for p in bad.problems if p.row == 2)
    assert "frecuencia del indicador (mensual)" in msg and "2014-05" in msg
    assert "trimestral" in next(p.message for p in bad.problems if p.row == 4)
    assert bad.rows_loaded == 0


def test_period_after_its_report_date_quarantined(wh, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
                 "I2,0101,2014-05,1,10/06/2014\nI2,0102,2014-06,1,15/06/2014\nI2,0613,2014-06,1,30/06/2014\n")
    res = load_file(f, "measurements", wh)
    assert rules(res) == {3: {"periodo_posterior_al_reporte"}}
    p = next(p for p in res.problems if p.row == 3)
    assert p.column == "Fecha de reporte" and "después de su fecha de reporte" in p.message
    assert res.rows_loaded == 2


def test_plausible_year_bound_from_warehouse_as_of_not_file(wh, tmp_path):
    """A period more than one reporting period beyond the latest known date is improbable: the file's
    report dates on an empty warehouse, the warehouse's as-of date once it has data."""
    head = "Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
    f = tmp_path / "a.csv"
    # empty warehouse: the bound is the month after the file's latest report date (June 2014): July
    f.write_text(head + "I2,0101,2014-05,1,10/06/2014\nI2,0102,2014-07,1,\nI2,0613,2014-08,1,\n")
    first = load_file(f, "measurements", wh)
    assert rules(first) == {4: {"periodo_implausible"}} and first.rows_loaded == 2
    assert "31/07/2014" in next(p.message for p in first.problems if p.row == 4)
    assert q(wh, "SELECT success, unexpected_count FROM validation_results "
                 "WHERE column_name = '_period_year'") == [(False, 1)]
    # the warehouse now has data as of 2014-07-31: bound August 2014, whatever the file's report dates say
    g = tmp_path / "b.csv"
    g.write_text(head + "I2,0101,2014-08,1,01/12/2016\nI2,0102,2014-09,1,01/12/2016\nI2,0613,2030-01,1,01/02/2030\n")
    second = load_file(g, "measurements", wh)
    assert rules(second) == {3: {"periodo_implausible"}, 4: {"periodo_implausible"}}


def test_typo_year_in_a_file_is_improbable_not_the_new_as_of(wh, tmp_path):
    head = "Indicador,Código Municipio,Período,Valor\n"
    f = tmp_path / "a.csv"
    f.write_text(head + "I2,0101,2014-04,1\nI3,0101,2014-W18,1\nI4,0101,2014-Q1,1\n")
    assert load_file(f, "measurements", wh).exit_code == 0           # as of 2014-05-04
    g = tmp_path / "b.csv"
    g.write_text(head + "I2,0102,2014-05,1\nI2,0613,2015-04,1\nI3,0102,2014-W19,1\nI3,0613,2014-W20,1\n"
                        "I4,0102,2014-Q2,1\nI4,0613,2014-Q4,1\n")
    res = load_file(g, "measurements", wh)
    assert rules(res) == {3: {"periodo_implausible"}, 5: {"periodo_implausible"}, 7: {"periodo_implausible"}}
    assert q(wh, "SELECT max(period_end)::VARCHAR FROM measurements") == [("2014-06-30",)]


def test_negative_values_only_where_the_unit_allows(wh, tmp_path):
    from loaders.reference import allows_negative

    assert allows_negative("% de variación anual") and allows_negative("Tasa de crecimiento")
    assert not allows_negative("%") and not allows_negative("familias") and not allows_negative(None)
    f = tmp_path / "n.csv"
    f.write_text("Indicador,Código Municipio,Período,Valor,Numerador,Denominador\n"
                 "I2,0101,2014-05,-5,,\nI1,0101,2014-05,,-5,10\nI6,national,2013,-1.5,,\nI2,0102,2014-05,0,,\n")
    res = load_file(f, "measurements", wh)
    r = rules(res)
    assert r[2] == {"valor_negativo"} and "valor_negativo" in r[3] and 4 not in r and 5 not in r
    assert "Numerador" in {p.column for p in res.problems if p.row == 3 and p.rule == "valor_negativo"}
    assert "no puede ser negativo" in next(p.message for p in res.problems if p.row == 2)
    assert sorted(q(wh, "SELECT indicator_code, value FROM measurements")) == [("I2", 0.0), ("I6", -1.5)]


def test_revert_refused_while_a_later_load_touched_the_same_keys(wh, tmp_path):
    head = "Indicador,Código Municipio,Período,Valor\n"
    f, g, h = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    f.write_text(head + "I2,0101,2014-05,10\n")
    g.write_text(head + "I2,0101,2014-05,10\nI2,0102,2014-05,20\n")      # a's row again, unchanged
    h.write_text(head + "I2,0613,2014-06,5\n")                           # other keys only
    a, b = load_file(f, "measurements", wh), load_file(g, "measurements", wh)
    assert (b.rows_loaded, b.rows_unchanged) == (1, 1)
    with pytest.raises(RevertError, match=f"cargas posteriores n.º {b.load_id}"):
        revert(a.load_id, wh)                        # would remove the row b kept
    assert q(wh, "SELECT count(*) FROM measurements WHERE scope_code='0101'") == [(1,)]
    c = load_file(h, "measurements", wh)
    assert revert(b.load_id, wh).rows_deleted == 1  # then a can go: b is reverted, c has other keys
    assert revert(a.load_id, wh).rows_deleted == 1
    assert q(wh, "SELECT load_id FROM measurements") == [(c.load_id,)]


def test_quarantine_kept_across_loads(wh):
    load_file(DATA / "measurements_bad.csv", "measurements", wh)
    load_file(DATA / "measurements_good.csv", "measurements", wh)
    load_file(DATA / "measurements_bad.csv", "measurements", wh)
    assert q(wh, "SELECT load_id, count(*) FROM quarantine GROUP BY 1 ORDER BY 1") == [(1, 9), (3, 9)]


def test_duplicate_key_rejects_all_copies(wh, tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("indicator_code,scope_code,period,value\nI2,0101,2014-05,1\nI2,101,2014-05,2\nI2,0102,2014-05,3\n")
    res = load_file(f, "measurements", wh)
    assert res.rows_quarantined == 2 and res.rows_loaded == 1
    assert {p.row for p in res.problems if p.rule == "clave_duplicada"} == {2, 3}
    assert q(wh, "SELECT scope_code FROM measurements") == [("0102",)]


def test_atomicity_on_failure(wh, monkeypatch):
    import loaders.write as w

    before = {t: count(wh, t) for t in ("measurements", "quarantine", "load_log", "validation_results")}

    def boom(con, frame):
        raise RuntimeError("fallo simulado")

    monkeypatch.setattr(w, "write_quarantine", boom)
    with pytest.raises(RuntimeError):
        load_file(DATA / "measurements_bad.csv", "measurements", wh)
    assert {t: count(wh, t) for t in before} == before
    assert sorted(p.name for p in wh.parent.iterdir() if p.name.endswith(".tmp") or ".tmp." in p.name) == []


def test_validate_file_writes_nothing(wh):
    res = validate_file(DATA / "measurements_bad.csv", "measurements", wh)
    assert res.exit_code == 1 and res.load_id is None and res.rows_quarantined == 9
    assert count(wh, "load_log") == 0 and count(wh, "quarantine") == 0


def test_xlsx_with_sheet_and_parquet(wh, tmp_path):
    import xlsxwriter

    x = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(x))
    wb.add_worksheet("otra").write(0, 0, "nada")
    ws = wb.add_worksheet("datos")
    for j, h in enumerate(["PERIODO", "Codigo municipio", "indicador", "VALOR"]):
        ws.write(0, j, h)
    ws.write_row(1, 0, ["2014-05", 101, "I2", 3.5])
    ws.write_row(2, 0, ["2014-06", "0102", "I2", 4])
    wb.close()
    res = load_file(x, "measurements", wh, sheet="datos")
    assert res.exit_code == 0, res.to_text()
    assert sorted(q(wh, "SELECT scope_code, value FROM measurements")) == [("0101", 3.5), ("0102", 4.0)]
    p = tmp_path / "m.parquet"
    pl.DataFrame({"indicator_code": ["I2"], "scope_code": [613], "period": ["2014-03"], "value": [1.5]}).write_parquet(p)
    assert load_file(p, "measurements", wh).exit_code == 0
    assert q(wh, "SELECT value FROM measurements WHERE scope_code='0613'") == [(1.5,)]


def test_targets(wh):
    good = load_file(DATA / "targets_good.csv", "targets", wh)
    assert good.exit_code == 0, good.to_text()
    assert q(wh, "SELECT baseline_date::VARCHAR, target_date::VARCHAR FROM targets WHERE scope_code='national'") == \
        [("2009-12-31", "2015-12-31")]
    bad = load_file(DATA / "targets_bad.csv", "targets", wh)
    r = rules(bad)
    assert bad.exit_code == 1 and 2 not in r
    assert "valor_no_permitido" in r[3] and "fechas_invertidas" in r[4] and "porcentaje_fuera_de_rango" in r[5]
    assert bad.rows_unchanged == 1        # row 2 equals the current version from targets_good


def test_budget(wh):
    good = load_file(DATA / "budget_good.csv", "budget", wh)
    assert good.exit_code == 0, good.to_text()
    assert q(wh, "SELECT month::VARCHAR, approved FROM budget WHERE scope_code='national'") == [("2014-06-01", 2000.5)]
    bad = load_file(DATA / "budget_bad.csv", "budget", wh)
    r = rules(bad)
    assert "programa_desconocido" in r[3] and "orden_de_ejecucion" in r[4] and "monto_negativo" in r[5]
    assert "mes_invalido" in r[6] and 2 not in r


def test_indicators_upsert_objectives_thresholds_and_warning(wh):
    res = load_file(DATA / "indicators_good.csv", "indicators", wh)
    assert res.exit_code == 0, res.to_text()
    warn = [p for p in res.problems if p.rule == "tipo_nivel_incoherente"]
    assert [p.row for p in warn] == [3] and warn[0].severity == "warning"
    assert q(wh, "SELECT level, frequency, scale FROM indicators WHERE code='I3'") == [("proposito", "mensual", 100.0)]
    assert q(wh, "SELECT count(*) FROM indicators WHERE code='I4'") == [(1,)]     # warning: still loaded
    assert q(wh, "SELECT parent_id, level, narrative FROM objectives WHERE objective_id='CSU-P1'") == \
        [("CSU-F", "proposito", "Mejorar acceso")]
    assert q(wh, "SELECT verde_min, amarillo_min, inicio_max_expected FROM semaforo_thresholds "
                 "WHERE indicator_code='I3'") == [(0.95, 0.8, 0.1)]
    gx_warn = q(wh, "SELECT success FROM validation_results WHERE details LIKE '%tipo_nivel%'")
    assert gx_warn == [(False,)]
    again = load_file(DATA / "indicators_good.csv", "indicators", wh)
    assert (again.rows_loaded, again.rows_unchanged) == (0, 2)
    bad = load_file(DATA / "indicators_bad.csv", "indicators", wh)
    r = rules(bad)
    assert 2 not in r and "programa_desconocido" in r[3] and "valor_no_permitido" in r[4]


def test_municipalities_update(wh):
    res = load_file(DATA / "municipalities_good.csv", "municipalities", wh)
    assert res.exit_code == 0, res.to_text()
    assert q(wh, "SELECT intervention, entry_year, settlements, violence_index, municipality FROM municipalities "
                 "WHERE code='0101'") == [("CSU", 2010, 23, 48.1, "Ahuachapán")]
    assert q(wh, "SELECT intervention FROM municipalities WHERE code='0102'") == [("none",)]
    bad = load_file(DATA / "municipalities_bad.csv", "municipalities", wh)
    r = rules(bad)
    assert "municipio_desconocido" in r[3] and "valor_no_permitido" in r[4] and "coordenada_fuera_de_rango" in r[5]
    assert count(wh, "municipalities") == 3


def test_boundaries(wh):
    res = load_file(DATA / "boundaries_good.geojson", "boundaries", wh)
    assert res.exit_code == 0, res.to_text()
    assert [r[0] for r in q(wh, "SELECT code FROM boundaries ORDER BY 1")] == ["0101", "0102"]
    assert json.loads(q(wh, "SELECT geometry_json FROM boundaries WHERE code='0101'")[0][0])["type"] == "Polygon"
    bad = load_file(DATA / "boundaries_bad.geojson", "boundaries", wh)
    r = rules(bad)
    assert bad.exit_code == 1 and "municipio_desconocido" in r[2] and "campo_obligatorio" in r[3]  # feature numbers
    assert bad.rows_unchanged == 1


def test_template_has_headers_and_codes(wh, tmp_path):
    from loaders.template import write_template

    out = write_template("budget", tmp_path / "t.xlsx", wh)
    datos = pl.read_excel(out, sheet_name="datos", infer_schema_length=0)
    assert datos.columns[:3] == ["Programa", "Código Municipio", "Mes"] and datos.height == 0
    codigos = pl.read_excel(out, sheet_name="codigos", infer_schema_length=0)
    assert "0613" in codigos["Municipios (código)"].to_list()
    assert "CSU-AGUA" in codigos["Programas (código)"].to_list()
    # every header of the code sheet is Spanish
    assert {"Nombre", "Frecuencia", "Acumulación", "Tipo de meta"} <= set(c.split("_duplicated")[0] for c in codigos.columns)
    assert not {"frequency", "accumulation", "target_kind", "nombre"} & set(codigos.columns)


def test_unchanged_template_is_refused_and_its_example_never_loads(wh, tmp_path):
    """The example row lives on the 'ejemplo' sheet: the unchanged template has no data rows."""
    from loaders.template import write_template

    out = write_template("measurements", tmp_path / "m.xlsx", wh)
    before = q(wh, "SELECT count(*) FROM measurements")[0][0]
    res = load_file(out, "measurements", wh)
    assert res.exit_code == 2 and res.rows_loaded == 0
    assert "no tiene filas de datos" in res.to_text()
    assert q(wh, "SELECT count(*) FROM measurements")[0][0] == before


def test_template_example_rows_use_existing_codes(wh, tmp_path):
    """The example row (sheet 'ejemplo') uses codes the warehouse has: copied into 'datos' it loads."""
    from loaders.template import write_template

    for kind in ("measurements", "targets", "budget"):
        out = write_template(kind, tmp_path / f"{kind}.xlsx", wh)
        example = pl.read_excel(out, sheet_name="ejemplo", infer_schema_length=0).head(1)
        copied = tmp_path / f"{kind}_copiado.csv"
        example.write_csv(copied)
        res = load_file(copied, kind, wh)
        assert (res.exit_code, res.rows_loaded) == (0, 1), res.to_text()
    row = pl.read_excel(tmp_path / "measurements.xlsx", sheet_name="ejemplo", infer_schema_length=0).row(0, named=True)
    assert (row["Indicador"], row["Código Municipio"], row["Período"]) == ("I1", "0101", "2014-05")
    ind = pl.read_excel(write_template("indicators", tmp_path / "i.xlsx", wh), sheet_name="ejemplo",
                        infer_schema_length=0).row(0, named=True)
    assert ind["Código Indicador"] == "I1" and ind["Programa"] == "CSU-AGUA"
    empty = pl.read_excel(write_template("measurements", tmp_path / "e.xlsx", tmp_path / "none.duckdb"),
                          sheet_name="ejemplo", infer_schema_length=0).row(0, named=True)
    assert (empty["Indicador"], empty["Período"]) == ("CSU-BONO-01", "2014-05")     # sample catalogue code


def test_unknown_column_warns_and_loaded_by_env(wh, tmp_path, monkeypatch):
    monkeypatch.setenv("SPSU_USER", "maria")
    f = tmp_path / "u.csv"
    f.write_text("INDICADOR,codigo_municipio,PERIODO,valor,Comentario\nI2,101.0,2014-01,1,hola\n", encoding="utf-8")
    res = load_file(f, "measurements", wh)
    assert res.exit_code == 0 and res.rows_loaded == 1
    assert [(p.rule, p.column, p.severity) for p in res.problems] == [("columna_desconocida", "Comentario", "warning")]
    assert q(wh, "SELECT loaded_by FROM load_log") == [("maria",)]
    d = res.to_dict()
    assert d["problems"][0]["rule"] == "columna_desconocida" and d["status"] == "ok"


def test_number_parsing_unambiguous_thousands():
    from loaders.parse import number

    s = pl.DataFrame({"v": ["1.234,5", "1,5", "2,000.5", "1 000", "abc", "-3"]})
    dc = s.select(number(pl.col("v"), True)).to_series().to_list()
    dp = s.select(number(pl.col("v"), False)).to_series().to_list()
    assert dc == [1234.5, 1.5, 2000.5, 1000.0, None, -3.0]
    assert dp == [1234.5, 1.5, 2000.5, 1000.0, None, -3.0]


def test_code_normalisation():
    from loaders.codes import municipality_code

    s = pl.DataFrame({"c": ["0101", "101", "101.0", "Nacional", "national", "abc", "12345"]})
    assert s.select(municipality_code(pl.col("c"))).to_series().to_list() == \
        ["0101", "0101", "0101", "national", "national", None, None]


def test_current_version_is_one_definition_for_loaders_and_marts(wh, tmp_path):
    """A (reported 20 June), then B (reported 10 June, loaded later), then A again: the latest report
    is current everywhere, so A is 'sin cambios' and the method shows A's value."""
    head = "Indicador,Código Municipio,Período,Valor,Fecha de reporte\n"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(head + "I2,0101,2014-05,10,20/06/2014\n")
    b.write_text(head + "I2,0101,2014-05,7,10/06/2014\n")
    load_file(a, "measurements", wh)
    load_file(b, "measurements", wh)
    a.write_text(head + "I2,0101,2014-05,10,20/06/2014\nI2,0102,2014-05,3,20/06/2014\n")   # not the same file
    again = load_file(a, "measurements", wh)
    assert (again.rows_unchanged, again.rows_loaded) == (1, 1)
    assert q(wh, "SELECT value FROM stg_measurements_current WHERE scope_code='0101'") == [(10.0,)]
    assert q(wh, "SELECT value FROM mart_progress_asof(DATE '2014-07-01') "
                 "WHERE scope_type='municipio' AND scope_code='0101'") == [(10.0,)]


def test_rate_row_with_only_a_value_is_quarantined(wh, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("Indicador,Código Municipio,Período,Valor,Numerador,Denominador\n"
                 "I1,0101,2014-05,55,,\nI1,0102,2014-05,,11,20\n")
    res = load_file(f, "measurements", wh)
    assert (res.rows_loaded, res.rows_quarantined) == (1, 1)
    assert rules(res)[2] == {"razon_sin_partes"}
    assert q(wh, "SELECT rule FROM quarantine") == [("razon_sin_partes",)]
