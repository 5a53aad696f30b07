"""The `python -m warehouse` contract: info, export (and build, through the session fixture)."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "reference" / "sv_municipalities_check.py"


def run(*args):
    return subprocess.run([sys.executable, "-m", "warehouse", *args], cwd=ROOT, capture_output=True, text=True)


def test_info_json_lists_tables_and_interventions(sample_warehouse):
    out = run("info", "--json", "--warehouse", str(sample_warehouse))
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    measurement_tables = [t for t in info["tables"] if "measurement" in t]
    assert measurement_tables and info["tables"][measurement_tables[0]] > 100_000
    assert info["interventions"] == {"CSR alta": 68, "CSR severa": 32, "CSU": 25}
    assert info["tables"]["municipalities"] == 262
    assert info["week_under_review"] == "2014-W20" and info["is_sample"] is True
    assert info["last_load"]["load_id"] == info["tables"]["load_log"]


def test_info_text_is_spanish_and_readable(sample_warehouse):
    out = run("info", "--warehouse", str(sample_warehouse))
    assert "Municipios por intervención" in out.stdout and "measurements" in out.stdout


def test_info_on_missing_warehouse_is_a_clear_error(tmp_path):
    out = run("info", "--warehouse", str(tmp_path / "nada.duckdb"))
    assert out.returncode == 2 and "build --sample" in out.stderr and "Traceback" not in out.stderr


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return set(next(csv.reader(fh)))


@pytest.mark.parametrize("table,columns", [
    ("municipalities", {"code", "department", "municipality", "lat", "lon", "intervention", "coord_source"}),
    ("indicators", {"code", "name", "level", "type", "dimension", "unit", "sentido", "accumulation", "frequency"}),
    ("targets", {"indicator", "scope", "target_kind", "baseline_value", "target_value"}),
    ("progress", {"indicator", "scope", "as_of", "value", "expected", "target", "percent", "semaforo"}),
    ("quarantine", {"load_id", "file_name", "row_number", "column_name", "value", "rule", "message"}),
    ("programs", {"code", "name", "eje_id", "eje", "intervention", "institution", "institution_is_sample"}),
    ("logframe", {"program", "level", "text", "indicators"}),
])
def test_export_writes_utf8_csv_with_contract_columns(sample_warehouse, tmp_path, table, columns):
    out_file = tmp_path / f"{table}.csv"
    out = run("export", table, "--out", str(out_file), "--warehouse", str(sample_warehouse))
    assert out.returncode == 0, out.stderr
    rows = read(out_file)
    assert columns <= header(out_file)
    if table == "municipalities":
        assert len(rows) == 262
        assert {r["intervention"] for r in rows} == {"CSU", "CSR", "none"}
        assert next(r for r in rows if r["code"] == "0101")["municipality"] == "Ahuachapán"
    if table == "progress":
        scopes = {r["scope"] for r in rows}
        assert "national" in scopes and "0101" in scopes and "Ahuachapán" in scopes
        assert {r["semaforo"] for r in rows} <= {"verde", "amarillo", "rojo", "en inicio", "sin dato", "sin meta"}
        # the exported indicator codes are the catalogue's codes, as the loaders accept them
        assert run("export", "indicators", "--out", str(tmp_path / "i.csv"),
                   "--warehouse", str(sample_warehouse)).returncode == 0
        assert {r["indicator"] for r in rows} <= {r["code"] for r in read(tmp_path / "i.csv")}


@pytest.mark.skipif(not CHECKER.exists(), reason="../shared/reference is not available on this machine")
def test_exported_municipalities_pass_the_reference_check(sample_warehouse, tmp_path):
    out_file = tmp_path / "m.csv"
    assert run("export", "municipalities", "--out", str(out_file), "--warehouse", str(sample_warehouse)).returncode == 0
    check = subprocess.run([sys.executable, str(CHECKER), str(out_file)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    summary = next(line for line in check.stdout.splitlines() if line.startswith("SUMMARY"))
    fields = dict(item.split("=") for item in summary.split()[1:])
    assert fields["name_mismatch"] == "0" and fields["missing"] == "0"
    assert float(fields["median_km"]) <= 5.0
    max_km = float(next(line for line in check.stdout.splitlines() if "median" in line and "max" in line)
                   .split("max")[1].split()[0])
    assert max_km <= 20.0
