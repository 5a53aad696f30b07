"""Consistency checks for the project's own reference data (warehouse/reference)."""
import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "warehouse" / "reference"
CHECKER = Path(__file__).resolve().parents[2] / "shared/reference/sv_municipalities_check.py"

DEPT_COUNTS = {
    "01": ("Ahuachapán", 12), "02": ("Santa Ana", 13), "03": ("Sonsonate", 16),
    "04": ("Chalatenango", 33), "05": ("La Libertad", 22), "06": ("San Salvador", 19),
    "07": ("Cuscatlán", 16), "08": ("La Paz", 22), "09": ("Cabañas", 9),
    "10": ("San Vicente", 13), "11": ("Usulután", 23), "12": ("San Miguel", 20),
    "13": ("Morazán", 26), "14": ("La Unión", 18),
}


def read(name):
    with open(REF / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def municipalities():
    return read("municipalities.csv")


@pytest.fixture(scope="module")
def interventions():
    return read("interventions.csv")


def test_municipality_columns_and_encoding():
    raw = (REF / "municipalities.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM expected"
    header = raw.decode("utf-8").splitlines()[0]
    assert header == "code,department_code,department,municipality,lat,lon,coord_source"


def test_262_unique_codes(municipalities):
    codes = [r["code"] for r in municipalities]
    assert len(codes) == 262
    assert len(set(codes)) == 262
    assert all(re.fullmatch(r"\d{4}", c) for c in codes)


def test_departments_and_counts(municipalities):
    counts = Counter(r["department_code"] for r in municipalities)
    assert {k: v for k, v in counts.items()} == {k: n for k, (_, n) in DEPT_COUNTS.items()}
    for r in municipalities:
        assert r["department"] == DEPT_COUNTS[r["department_code"]][0]


def test_codes_start_with_department_and_are_sequential(municipalities):
    by_dept = {}
    for r in municipalities:
        assert r["code"].startswith(r["department_code"])
        by_dept.setdefault(r["department_code"], []).append(int(r["code"][2:]))
    for dept, nums in by_dept.items():
        assert nums == list(range(1, len(nums) + 1)), dept


def test_key_names(municipalities):
    names = {r["code"]: r["municipality"] for r in municipalities}
    assert names["0101"] == "Ahuachapán"
    assert names["0608"] == "Mejicanos"
    assert names["0613"] == "San Martín"
    assert names["0511"] == "Santa Tecla"
    assert names["0619"] == "Delgado"
    assert names["1418"] == "Yucuaiquín"


def test_coordinates_in_bounding_box(municipalities):
    for r in municipalities:
        lat, lon = float(r["lat"]), float(r["lon"])
        assert 13.1 <= lat <= 14.5, r["code"]
        assert -90.2 <= lon <= -87.6, r["code"]
        assert r["coord_source"].strip(), r["code"]


def test_csu_rows(interventions):
    csu = [r for r in interventions if r["intervention"] == "CSU"]
    assert len(csu) == 25
    assert sorted(int(r["entry_order"]) for r in csu) == list(range(1, 26))
    by_order = {int(r["entry_order"]): r["code"] for r in csu}
    assert by_order[1] == "0101"   # Ahuachapán
    assert by_order[2] == "0613"   # San Martín
    assert by_order[25] == "0608"  # Mejicanos
    assert all(r["csr_group"] == "" for r in csu)


def test_csr_rows(interventions):
    csr = [r for r in interventions if r["intervention"] == "CSR"]
    assert len(csr) == 100
    groups = Counter(r["csr_group"] for r in csr)
    assert groups == {"severa": 32, "alta": 68}
    assert sorted(int(r["entry_order"]) for r in csr) == list(range(1, 101))
    ordered = sorted(csr, key=lambda r: int(r["entry_order"]))
    assert all(r["csr_group"] == "severa" for r in ordered[:32])
    iimm = [float(r["iimm"]) for r in ordered]
    assert iimm == sorted(iimm, reverse=True), "entry_order must follow IIMM (descending)"
    assert all(2005 <= int(r["entry_year"]) <= 2009 for r in csr)


def test_interventions_consistent(interventions, municipalities):
    codes = {r["code"] for r in municipalities}
    assert {r["intervention"] for r in interventions} == {"CSU", "CSR"}
    csu = {r["code"] for r in interventions if r["intervention"] == "CSU"}
    csr = {r["code"] for r in interventions if r["intervention"] == "CSR"}
    assert len(csu) == 25 and len(csr) == 100
    assert not csu & csr
    assert (csu | csr) <= codes


def test_every_eje_has_programs_for_both_interventions():
    ejes = {r["eje_id"] for r in read("ejes.csv")}
    assert ejes == {"1", "2", "3", "4"}
    programs = read("programs.csv")
    codes = [p["program_code"] for p in programs]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z0-9-]+", c) for c in codes)
    have = {(p["eje_id"], p["intervention"]) for p in programs}
    for eje in ejes:
        for iv in ("CSU", "CSR"):
            assert (eje, iv) in have, (eje, iv)
    assert {p["eje_id"] for p in programs} <= ejes


def test_shared_checker():
    if not CHECKER.is_file():
        pytest.skip(f"shared checker not available at {CHECKER}")
    proc = subprocess.run(
        [sys.executable, str(CHECKER), str(REF / "municipalities.csv")],
        capture_output=True, text=True, timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "RESULT: PASS" in out, out
    median = re.search(r"\bmedian\s+([0-9.]+)", out)
    maximum = re.search(r"\bmax\s+([0-9.]+)", out)
    assert median and maximum, out
    assert float(median.group(1)) <= 5.0, out
    assert float(maximum.group(1)) <= 20.0, out
