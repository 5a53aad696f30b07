"""RUP extract (`participants`): personal data refused with nothing stored; coverage on a hand-made
extract; small cells (< 5) suppressed in views and downloads, including by difference."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders import load_file, validate_file
from warehouse.queries import coverage
from warehouse.query import Viewer
from warehouse.reference import seed_reference
from warehouse.store import write_transaction

ROOT = Path(__file__).resolve().parent.parent
HEADER = "ID hogar,Código Municipio,Intervención,Área,AUP o cantón,Puntaje de vulnerabilidad,Fecha de registro,Programas recibidos"
VIEWER = Viewer(role="direccion", name="prueba")


@pytest.fixture()
def wh(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    with write_transaction(path) as con:
        seed_reference(con)
    return path


def _csv(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _state(wh: Path) -> str:
    """A digest of everything a load could write: data, load log, quarantine, validation results."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        parts = [repr(con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall())
                 for t in ("participants", "load_log", "quarantine", "validation_results", "coverage_published")]
    finally:
        con.close()
    return hashlib.sha256("".join(parts).encode()).hexdigest()


GOOD = "h01,0614,CSU,urbana,AUP 0614-001,70,2011-02-10,CSU-BONO:2011-05-01"
PII_CASES = [   # (header, row, column the refusal must name, value that must not be echoed)
    (HEADER + ",Nombre del jefe de hogar", GOOD + ",María Pérez", "Nombre del jefe de hogar", "María Pérez"),
    (HEADER + ",DUI", GOOD + ",01234567-8", "DUI", "01234567-8"),
    (HEADER + ",NIT", GOOD + ",0614-010190-101-2", "NIT", "0614-010190-101-2"),
    (HEADER + ",Teléfono", GOOD + ",2222-3333", "Teléfono", "2222-3333"),
    (HEADER + ",Dirección exacta", GOOD + ",Col. Escalón", "Dirección exacta", "Col. Escalón"),
    # by content, under innocent headers
    (HEADER + ",Observación", GOOD + ",doc 01234567-8", "Observación", "01234567-8"),
    (HEADER + ",Observación", GOOD + ",0614-010190-101-2", "Observación", "0614-010190-101-2"),
    (HEADER + ",Contacto", GOOD + ",71234567", "Contacto", "71234567"),
    (HEADER + ",Referencia", GOOD + ",7123-4567", "Referencia", "7123-4567"),
    (HEADER, "h01,0614,CSU,urbana,Calle El Progreso casa 12,70,2011-02-10,", "AUP o cantón", "Calle El Progreso"),
    (HEADER, "02345678-9,0614,CSU,urbana,AUP 0614-001,70,2011-02-10,", "ID hogar", "02345678-9"),
]


@pytest.mark.parametrize("header,row,column,value", PII_CASES)
def test_personal_data_refused_and_nothing_stored(wh, tmp_path, header, row, column, value):
    load_file(_csv(tmp_path / "ok.csv", [GOOD.replace("h01", "h00")]), "participants", wh)   # a prior load
    before = _state(wh)
    # the personal data sit in the last of 3 rows: the whole file is refused, not only that row
    path = _csv(tmp_path / "pii.csv", [GOOD.replace("h01", "h02") + ("," * (header.count(",") - HEADER.count(","))),
                                       GOOD.replace("h01", "h03") + ("," * (header.count(",") - HEADER.count(","))),
                                       row], header)
    res = load_file(path, "participants", wh)
    assert (res.exit_code, res.status) == (2, "rejected")
    assert res.problems[0].rule == "datos_personales" and res.problems[0].column == column
    assert f"'{column}'" in res.problems[0].message and value not in res.problems[0].message
    assert _state(wh) == before                      # no data, no load_log, no quarantine
    assert validate_file(path, "participants", wh).exit_code == 2


def test_cli_refuses_personal_data_with_exit_2(wh, tmp_path):
    before = _state(wh)
    path = _csv(tmp_path / "pii.csv", [GOOD + ",2245-6789"], HEADER + ",Observaciones")
    p = subprocess.run([sys.executable, "-m", "loaders", "load", str(path), "--kind", "participants",
                        "--warehouse", str(wh)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 2, p.stdout + p.stderr
    assert "'Observaciones'" in p.stdout and "datos personales" in p.stdout and "2245-6789" not in p.stdout
    assert _state(wh) == before


def test_anonymized_extract_loads(wh, tmp_path):
    """Ids, AUP codes, dates and program lists are not mistaken for personal data."""
    rows = [GOOD, "h02,0614,CSU,urbana,AUP 0614-002,40,15/03/2011,",
            "h03,1219,CSR,rural,Cantón 1219-02,58.1,2009-07-08,CSR-OFER:2009-08-17|CSR-PROD:10/03/2010"]
    res = load_file(_csv(tmp_path / "rup.csv", rows), "participants", wh)
    assert (res.exit_code, res.rows_loaded) == (0, 3), res.problems
    con = duckdb.connect(str(wh), read_only=True)
    got = con.execute("SELECT programs FROM participants WHERE household_id = 'h03'").fetchone()[0]
    con.close()
    assert [(p["program_code"], p["received_at"].isoformat()) for p in got] == [
        ("CSR-OFER", "2009-08-17"), ("CSR-PROD", "2010-03-10")]


def test_unknown_program_is_quarantined(wh, tmp_path):
    res = load_file(_csv(tmp_path / "rup.csv", [GOOD, "h02,0614,CSU,urbana,AUP 1,70,2011-02-10,CSU-XXX:2011-05-01"]),
                    "participants", wh)
    assert (res.exit_code, res.rows_loaded, res.rows_quarantined) == (1, 1, 1)
    assert {p.rule for p in res.problems} == {"programas_invalidos"}


# --- coverage on a hand-made extract ------------------------------------------------------------
# CSU-BONO, everyone registered 2011-01-10; served households received it 2011-02-01 (quarter 2011-Q1).
# Per municipality: served (eligible, score 80), plus 5 registered not eligible (score 10) not served;
# 0614 also has 5 eligible households not served.
SERVED = {"0614": 20, "0618": 10, "0610": 7, "0617": 3,      # San Salvador (06): one small cell
          "0503": 6, "0512": 8,                               # La Libertad (05)
          "0210": 2,                                          # Santa Ana (02): the department is small
          "0101": 9}                                          # Ahuachapán (01): one CSU municipality


def _hand_made(path: Path) -> Path:
    rows, n = [], 0
    for code, served in SERVED.items():
        for kind, count in (("served", served), ("not_eligible", 5), ("waiting", 5 if code == "0614" else 0)):
            for _ in range(count):
                n += 1
                score = 10 if kind == "not_eligible" else 80
                prog = "CSU-BONO:2011-02-01" if kind == "served" else ""
                rows.append(f"h{n:04d},{code},CSU,urbana,AUP {code}-001,{score},2011-01-10,{prog}")
    # one household registered later, in 2011-Q2, and served then: the second quarter moves
    rows.append("h9999,0614,CSU,urbana,AUP 0614-002,90,2011-04-20,CSU-BONO:2011-05-05")
    return _csv(path, rows)


@pytest.fixture()
def hand(wh, tmp_path) -> Path:
    res = load_file(_hand_made(tmp_path / "rup.csv"), "participants", wh)
    assert res.exit_code == 0, res.problems
    return wh


def _cells(wh, sql, params=()):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_coverage_counts_and_ratio(hand):
    rows = dict(((m, q), (r, e, s, c)) for m, q, r, e, s, c in _cells(hand, """
        SELECT municipality_code, quarter, registered, eligible, served, coverage FROM mart_coverage
        WHERE program_code = 'CSU-BONO' AND municipality_code IN ('0614', '0617')"""))
    assert rows[("0614", "2011-Q1")] == (30, 25, 20, 0.8)
    assert rows[("0614", "2011-Q2")] == (31, 26, 21, pytest.approx(21 / 26))
    assert rows[("0617", "2011-Q1")] == (8, 3, 3, 1.0)
    # a CSU household is not counted for CSR programs; each CSU program has its own row
    progs = {p for (p,) in _cells(hand, "SELECT DISTINCT program_code FROM mart_coverage")}
    assert progs and all(p.startswith("CSU-") for p in progs)


def _served(wh, level, quarter="2011-Q1"):
    return {code: (served, flag) for code, served, flag in _cells(wh, """
        SELECT scope_code, served, served_suppressed FROM coverage_published
        WHERE program_code = 'CSU-BONO' AND quarter = ? AND level = ?""", [quarter, level])}


def test_small_cells_and_complementary_suppression(hand):
    muni, dept, nat = _served(hand, "municipio"), _served(hand, "departamento"), _served(hand, "nacional")
    # primary: below 5
    assert muni["0617"] == (None, True) and muni["0210"] == (None, True) and dept["02"] == (None, True)
    # complementary within the department: 06 minus its published municipalities would reveal 0617
    assert muni["0610"] == (None, True)
    assert muni["0614"] == (20, False) and muni["0618"] == (10, False) and dept["06"] == (40, False)
    # complementary between departments: the national total minus the others would reveal Santa Ana
    assert dept["01"] == (None, True) and muni["0101"] == (None, True)
    assert dept["05"] == (14, False) and nat["national"] == (65, False)
    # no published total minus its published parts leaves a single suppressed cell
    hidden_06 = dept["06"][0] - muni["0614"][0] - muni["0618"][0]
    assert hidden_06 == SERVED["0610"] + SERVED["0617"]
    assert nat["national"][0] - dept["06"][0] - dept["05"][0] == SERVED["0210"] + SERVED["0101"]
    # coverage is withheld wherever served or eligible is
    cov = dict(_cells(hand, """SELECT scope_code, coverage FROM coverage_published
                               WHERE program_code = 'CSU-BONO' AND quarter = '2011-Q1'"""))
    assert cov["0617"] is None and cov["0610"] is None and cov["0614"] == 0.8


def test_views_and_downloads_show_less_than_5(hand):
    view = coverage.labelled(coverage.municipality_coverage("0617", VIEWER, "2011-Q1", path=hand))
    bono = view.filter(view["program_code"] == "CSU-BONO").row(0, named=True)
    assert (bono["registered"], bono["eligible"], bono["served"], bono["coverage"]) == ("8", "< 5", "< 5", "reservado")
    export = coverage.coverage_export(VIEWER, "2011-Q1", path=hand)
    text = export.write_csv()
    row = export.filter((export["scope_code"] == "0610") & (export["program_code"] == "CSU-BONO")).row(0, named=True)
    assert row["served"] == "< 5" and row["eligible"] == "< 5"
    assert ",3," not in text and "< 5" in text
    dept = coverage.labelled(coverage.program_coverage("CSU-BONO", VIEWER, "2011-Q1", path=hand))
    assert dept.row(0, named=True)["scope_name"] == "Nacional" and dept.row(0, named=True)["served"] == "65"
    assert dict(zip(dept["scope_code"], dept["served"]))["02"] == "< 5"


def test_a_municipal_viewer_sees_its_municipality_department_and_national(hand):
    mine = Viewer(role="municipal", municipality="0617", name="alcaldia")
    export = coverage.coverage_export(mine, "2011-Q1", path=hand)
    assert set(export["scope_code"]) == {"0617", "06", "national"}
    assert coverage.municipality_coverage("0614", mine, "2011-Q1", path=hand).is_empty()


def test_eligible_is_withheld_when_registered_minus_eligible_is_small(wh, tmp_path):
    """Registered 12 and eligible 10 would reveal that 2 households are not eligible."""
    rows = [f"h{i:03d},0614,CSU,urbana,AUP 0614-001,80,2011-01-10,CSU-BONO:2011-02-01" for i in range(10)]
    rows += [f"h1{i:02d},0614,CSU,urbana,AUP 0614-001,10,2011-01-10," for i in range(2)]
    rows += [f"h2{i:02d},0617,CSU,urbana,AUP 0617-001,{80 if i < 20 else 10},2011-01-10," for i in range(30)]
    assert load_file(_csv(tmp_path / "rup.csv", rows), "participants", wh).exit_code == 0
    got = {code: (r, e, es) for code, r, e, es in _cells(wh, """
        SELECT scope_code, registered, eligible, eligible_suppressed FROM coverage_published
        WHERE program_code = 'CSU-BONO' AND quarter = '2011-Q1' AND level = 'municipio'""")}
    assert got["0614"] == (12, None, True)
    # the other municipality of the department goes too, or 06 minus 0617 would give 0614's eligible
    assert got["0617"] == (30, None, True)


def test_personal_data_in_a_later_batch_leaves_no_spilled_batch(wh, tmp_path, monkeypatch):
    """Read in batches of one row, the file's first rows are spilled to a temporary folder before the
    third row shows a DUI: the refusal removes them too."""
    import tempfile
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))
    rows = [GOOD.replace("h01", f"h0{i}") + "," for i in range(3)] + [GOOD.replace("h01", "h09") + ",01234567-8"]
    res = load_file(_csv(tmp_path / "pii.csv", rows, HEADER + ",Observación"), "participants", wh, batch_rows=1)
    assert (res.exit_code, res.problems[0].column) == (2, "Observación")
    assert list(spill.iterdir()) == []
