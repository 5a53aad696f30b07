"""`python -m bench --scale 0.1` runs end to end and reports every figure for every page."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl

from bench.pages import app_pages
from bench.report import rows, table
from sample.scale import unit_municipalities, write_scaled_sample

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ["rows", "load_rows_per_s", "raw_insert_rows_per_s", "process_floor_s", "one_row_load_s", "revert_s",
           "week_load_s", "week_revert_s", "agreement_save_s", "scan_floor", "cold_start_s", "rss_loader_mb", "rss_app_mb"]


def test_scaled_sample_spans_all_municipalities_and_grows_with_the_scale(tmp_path):
    reference = pl.read_csv(ROOT / "warehouse" / "reference" / "municipalities.csv", infer_schema=False)
    assert sorted(c for c, _ in unit_municipalities()) == sorted(reference["code"])
    small = write_scaled_sample(tmp_path / "s", 0.1)
    measured = pl.concat([pl.read_csv(p, infer_schema=False) for p, k in small
                          if k == "measurements" and p.name.startswith("mediciones")])
    assert 10_000 < measured.height < 30_000                   # about a tenth of the sample's 215 k rows
    first = {c for c, _ in unit_municipalities()[:13]}          # round(0.1 x 125) municipalities
    seen = set(measured["Código Municipio"])
    assert seen <= first and len(seen) >= 12                    # a CSU municipality may not report yet
    assert (measured["Muestra"] == "true").all()     # still labelled as sample


def test_bench_at_scale_0_1_reports_every_page_and_figure():
    proc = subprocess.run([sys.executable, "-m", "bench", "--scale", "0.1", "--runs", "3", "--budget", "5",
                           "--write-runs", "2", "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)                  # --json: one JSON document on stdout, nothing else
    assert doc["rows"]["measurements"] > 10_000 and doc["rows"]["budget"] > 1_000
    assert doc["load"]["rows_per_s"] > 0 and doc["load"]["raw_insert_rows_per_s"] > 0
    assert doc["rss"]["loader_mb"] > 50 and doc["rss"]["app_mb"] > 50
    assert set(doc["pages"]) == {stem for stem, _ in app_pages()}
    for stem, page in doc["pages"].items():
        assert not page["errors"], (stem, page["errors"])
        assert page["runs"] >= 3 and 0 < page["p50"] <= page["p95"], stem
        assert page["sqlite"] is not None or page["sqlite_na"], stem
    text = table(doc)
    figures = [r[0] for r in rows(doc) if not r[0].startswith("·")]
    assert [r[0] for r in rows(doc) if r[0].startswith("·")] == ["· guardadas", "· sin la actualización", "· última carga",
                                                                 "· trabajo del almacén", "· trabajo del almacén"]
    writes = doc["small_writes"]            # the loader's own timing of its write transaction, inside the CLI's
    assert 0 < writes["one_row_load_warehouse_s"] < writes["one_row_load_s"]
    assert 0 < writes["revert_warehouse_s"] < writes["revert_s"]
    for one_load, work in zip(writes["runs"]["one_row_load_s"], writes["runs"]["one_row_load_warehouse_s"]):
        assert 0 < work < one_load          # two rounds, each a new revision loaded and reverted
    assert all(len(xs) == 2 for xs in writes["runs"].values())
    assert text.count("(mediana de 2: ") == 6  # floor, load, its work, revert, its work, agreement: the spread
    week = doc["week_load"]                 # a week's upload of late reports: rows written, then reverted
    assert week["week_load_rows"] > 0
    assert 0 < week["week_load_warehouse_s"] < week["week_load_s"]
    assert 0 < week["week_revert_warehouse_s"] < week["week_revert_s"]
    assert figures == FIGURES[:10] + [f"page.{stem}" for stem, _ in app_pages()] + FIGURES[10:]
    for figure in figures:
        assert f"| {figure} |" in text


def test_sqlite_runs_the_warehouse_macros_own_definitions(sample_warehouse, tmp_path):
    """bench/sqlite.py inlines a macro's definition (a repeated parameter numbered once) and SQLite
    gets DuckDB's answer on the same rows."""
    import sqlite3

    from bench import sqlite
    from warehouse.store import read_connection

    defined = sqlite.macros(sample_warehouse)
    scalar = "SELECT budget_execution(sum(accrued), sum(modified)) AS e, ? AS tag FROM mart_budget_current WHERE month >= ?::DATE"
    table_macro = ("SELECT code, weighted_rank, change FROM targeting_rank(?::DOUBLE, ?::DOUBLE, ?::DOUBLE, ?::INTEGER) "
                   "ORDER BY weighted_rank")
    cases = [(scalar, ["x", "2014-01-01"]), (table_macro, [1.0, 2.0, 0.5, 25])]
    lite = tmp_path / "l.sqlite"
    rewritten = [sqlite.to_sqlite(sql, defined) for sql, _ in cases]
    assert "budget_execution" not in rewritten[0] and "targeting_rank" not in rewritten[1]
    assert rewritten[1].count("?4") > 1                        # p_slots appears more than once in the macro
    names = sqlite.create_tables(sample_warehouse, lite, rewritten)
    sqlite.fill_tables(sample_warehouse, lite, names, log=lambda *a: None)
    con = sqlite3.connect(str(lite))
    with read_connection(sample_warehouse) as duck:
        for (sql, params), lite_sql in zip(cases, rewritten):
            want = duck.execute(sql, params).fetchall()
            got = con.execute(lite_sql, params).fetchall()
            assert len(got) == len(want) > 0
            assert [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in got] == \
                   [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in want]
    con.close()
