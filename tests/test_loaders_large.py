"""A 200k-row generated measurements CSV loads as one transaction (one load, all rows)."""
from __future__ import annotations

import time
from pathlib import Path

import duckdb
import polars as pl

from loaders import load_file
from warehouse.store import write_transaction


def test_200k_rows_one_transaction(tmp_path):
    wh = tmp_path / "w.duckdb"
    codes = [f"{d:02d}{m:02d}" for d in range(1, 15) for m in range(1, 16)]   # 210 municipalities
    with write_transaction(wh) as con:
        con.register("m", pl.DataFrame({"code": codes}).to_arrow())
        con.execute("INSERT INTO municipalities (code, department_code, department, municipality) "
                    "SELECT code, left(code, 2), 'D', 'M' || code FROM m")
        con.execute("INSERT INTO programs (program_code, name) VALUES ('P','P')")
        con.execute("INSERT INTO indicators (code, name, program_code, unit, scale, frequency) "
                    "SELECT 'I' || i, 'I', 'P', 'n', 1, 'semanal' FROM range(20) t(i)")
    n = 200_000
    idx = pl.int_range(0, n, eager=True)
    weeks = idx // (210 * 20)
    frame = pl.DataFrame({
        "Indicador": "I" + (idx % 20).cast(pl.String),
        "Código Municipio": pl.Series(codes)[(idx // 20) % 210],
        "Período": (2010 + weeks // 50).cast(pl.String) + "-W" + (weeks % 50 + 1).cast(pl.String).str.zfill(2),
        "Valor": (idx % 997).cast(pl.String) + ",5",
    })
    f = tmp_path / "big.csv"
    frame.write_csv(f, separator=";")
    t0 = time.monotonic()
    res = load_file(f, "measurements", wh, refresh_snapshots=False)
    elapsed = time.monotonic() - t0
    assert (res.exit_code, res.rows_read, res.rows_loaded) == (0, n, n), res.to_text()[:2000]
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT load_id) FROM measurements").fetchall() == [(n, 1)]
    assert con.execute("SELECT count(*) FROM load_log").fetchall() == [(1,)]
    con.close()
    assert elapsed < 120
    again = load_file(f, "measurements", wh, refresh_snapshots=False)
    assert (again.rows_loaded, again.rows_unchanged) == (0, n)
