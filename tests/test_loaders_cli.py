"""`python -m loaders`: exit codes 0/1/2/3, JSON report, Spanish messages, no tracebacks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.store import write_lock, write_transaction

ROOT = Path(__file__).resolve().parent.parent

def _reader(path):
    """A read-only connection with the side files attached (the test closes it)."""
    from warehouse.store import open_read
    return open_read(Path(path))


DATA = Path(__file__).parent / "data" / "loaders"


@pytest.fixture()
def wh(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    with write_transaction(path) as con:
        con.execute("INSERT INTO municipalities (code, department_code, department, municipality) VALUES "
                    "('0101','01','Ahuachapán','Ahuachapán'), ('0102','01','Ahuachapán','Apaneca'), "
                    "('0613','06','San Salvador','Mejicanos')")
        con.execute("INSERT INTO programs (program_code, name) VALUES ('CSU-AGUA','Agua')")
        con.execute("INSERT INTO indicators (code, name, program_code, unit, scale, frequency, formula_denominator) "
                    "VALUES ('I1','Tasa','CSU-AGUA','%',100,'mensual','hogares'), "
                    "('I2','Conteo','CSU-AGUA','personas',1,'mensual',NULL), "
                    "('I3','Semanal','CSU-AGUA','visitas',1,'semanal',NULL), "
                    "('I4','Trimestral','CSU-AGUA','familias',1,'trimestral',NULL), "
                    "('I5','Anual','CSU-AGUA','hogares',1,'anual',NULL)")
    return path


def run(*args, env=None):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "SPSU_USER": "prueba", **(env or {})}
    return subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=300)


def test_exit_0_and_json(wh):
    p = run("load", DATA / "measurements_good.csv", "--kind", "measurements", "--warehouse", wh, "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    rep = json.loads(p.stdout)
    assert {"load_id", "status", "exit_code", "rows_read", "rows_loaded", "rows_unchanged", "rows_quarantined",
            "problems"} <= set(rep)
    assert (rep["status"], rep["rows_loaded"]) == ("ok", 8)
    assert set(rep["seconds"]) == {"prepare", "warehouse"} and all(s > 0 for s in rep["seconds"].values())
    con = _reader(wh)
    assert con.execute("SELECT loaded_by FROM load_log").fetchall() == [("prueba",)]
    con.close()


def test_exit_1_text_report(wh):
    p = run("load", DATA / "measurements_bad.csv", "--kind", "measurements", "--warehouse", wh)
    assert p.returncode == 1
    assert "fila 5, columna 'Período', valor '2014-13'" in p.stdout and "periodo_invalido" in p.stdout
    assert "Traceback" not in p.stdout + p.stderr


def test_exit_1_json_problems(wh):
    p = run("load", DATA / "measurements_bad.csv", "--kind", "measurements", "--warehouse", wh, "--json")
    rep = json.loads(p.stdout)
    assert rep["exit_code"] == 1 and rep["rows_quarantined"] == 9
    assert {"file", "row", "column", "value", "rule", "message"} <= set(rep["problems"][0])


@pytest.mark.parametrize("name", ["measurements_missing_cols.csv", "empty.csv", "nope.csv"])
def test_exit_2_rejected(wh, name):
    p = run("load", DATA / name, "--kind", "measurements", "--warehouse", wh)
    assert p.returncode == 2
    assert "Traceback" not in p.stdout + p.stderr and "rechazado" in p.stdout


def test_exit_2_on_unexpected_error_without_traceback(tmp_path):
    bad_wh = tmp_path / "not_a_db.duckdb"
    bad_wh.write_text("esto no es duckdb")
    p = run("load", DATA / "measurements_good.csv", "--kind", "measurements", "--warehouse", bad_wh)
    assert p.returncode == 2 and "Traceback" not in p.stdout + p.stderr
    assert bad_wh.read_text() == "esto no es duckdb"


def test_exit_3_busy(wh):
    with write_lock(wh):
        p = run("load", DATA / "measurements_good.csv", "--kind", "measurements", "--warehouse", wh,
                env={"SPSU_LOCK_WAIT": "1"})
    assert p.returncode == 3, p.stdout + p.stderr
    assert "ocupado" in p.stdout
    con = _reader(wh)
    assert con.execute("SELECT count(*) FROM measurements").fetchall() == [(0,)]
    con.close()


def test_revert_cli(wh):
    p = run("load", DATA / "measurements_good.csv", "--kind", "measurements", "--warehouse", wh, "--json")
    load_id = json.loads(p.stdout)["load_id"]
    ok = run("revert", load_id, "--warehouse", wh)
    assert ok.returncode == 0 and "revertida" in ok.stdout
    again = run("revert", load_id, "--warehouse", wh)
    assert again.returncode == 2 and "ya fue revertida" in again.stdout
    unknown = run("revert", 4242, "--warehouse", wh)
    assert unknown.returncode == 2 and "no existe" in unknown.stdout


def test_revert_refused_exit_2_names_later_loads(wh, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("Indicador,Código Municipio,Período,Valor\nI2,0101,2014-05,10\n")
    first = json.loads(run("load", f, "--kind", "measurements", "--warehouse", wh, "--json").stdout)["load_id"]
    f.write_text("Indicador,Código Municipio,Período,Valor\nI2,0101,2014-05,11\n")
    second = json.loads(run("load", f, "--kind", "measurements", "--warehouse", wh, "--json").stdout)["load_id"]
    p = run("revert", first, "--warehouse", wh)
    assert p.returncode == 2 and f"n.º {second}" in p.stdout and "no se puede revertir" in p.stdout
    assert "Traceback" not in p.stdout + p.stderr
    assert "carga posterior" in run("revert", "--help").stdout


def test_template_cli(wh, tmp_path):
    out = tmp_path / "plantilla.xlsx"
    p = run("template", "--kind", "measurements", "--out", out, "--warehouse", wh)
    assert p.returncode == 0 and out.exists()
