"""The bad-input corpus (tests/data/bad/cases.toml): every case through the real loader into a fresh
copy of one small base warehouse; exit code, rows loaded, rows quarantined and message as promised."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from loaders import load_file
from warehouse.store import clone_warehouse
from tests.data.bad.make_files import write_generated
from tests.test_loaders import count, seed

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
CASES = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]


@pytest.fixture(scope="session")
def base_warehouse(tmp_path_factory) -> Path:
    """Municipalities, programs, indicators I1..I6 and two measurements (as of 2014-05-04), built once."""
    path = seed(tmp_path_factory.mktemp("bad_base") / "base.duckdb")
    res = load_file(BAD / "base_measurements.csv", "measurements", path)
    assert res.exit_code == 0, res.to_text()
    return path


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad_generated")
    write_generated(folder)
    return folder


@pytest.fixture()
def wh(base_warehouse, tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    clone_warehouse(base_warehouse, path)
    return path


def case_path(case: dict, generated: Path) -> Path:
    return (generated if case.get("generated") else BAD) / case["file"]


def test_corpus_is_large_and_every_file_exists(generated):
    assert len(CASES) >= 40
    missing = [c["file"] for c in CASES if not case_path(c, generated).exists() and "does_not_exist" not in c["file"]]
    assert missing == []


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file'].split('/')[-1]}{'@' + c['sheet'] if 'sheet' in c else ''}"
                                             for c in CASES])
def test_bad_input(case, wh, generated):
    before = count(wh, "load_log")
    res = load_file(case_path(case, generated), case["kind"], wh, sheet=case.get("sheet"))
    got = (res.exit_code, res.rows_loaded, res.rows_quarantined)
    assert got == (case["exit"], case["loaded"], case["quarantined"]), res.to_text()
    messages = [p.message for p in res.problems]
    assert any(case["message"] in m for m in messages) or not (case["message"] or messages), \
        f"{case['message']!r} not in {messages}"
    assert all(len(m) <= 300 for m in messages)
    assert count(wh, "load_log") == before + (0 if res.exit_code == 2 else 1)      # a refusal writes nothing


def test_damaged_line_keeps_the_accents_of_the_others(wh, generated):
    load_file(generated / "utf8_stray_byte.csv", "municipalities", wh)
    from tests.test_loaders import q
    assert q(wh, "SELECT municipality FROM municipalities WHERE code = '0101'") == [("Ciudad de Ahuachapán",)]


def run_cli(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_json_is_one_document_and_argument_errors_are_spanish(wh):
    p = run_cli("load", BAD / "period_typo_year.csv", "--kind", "measurements", "--warehouse", wh, "--json")
    assert p.returncode == 1
    report = json.loads(p.stdout)                     # nothing before or after the document
    assert report["rows_quarantined"] == 1 and p.stdout.lstrip().startswith("{")
    bad = run_cli("revert", "abc", "--warehouse", wh)
    assert bad.returncode == 2 and "«abc» no es un número de carga" in bad.stderr and "Traceback" not in bad.stderr
