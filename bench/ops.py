"""Small writes through the product's own entry points, the fresh-process floor, raw insert, scan floor.

- 1-row load and its revert: `python -m loaders load|revert ... --json` in a fresh process each, as
  an analyst runs them; the floor is a fresh process importing Great Expectations, DuckDB and
  polars and opening the warehouse (issue 10 §3 compares the two).
- agreement save: `warehouse.agreements.create_agreement`, the dashboard's write path, in-process.
- raw insert: the measurements, already parsed, appended with one INSERT into the product's own
  table definition in a scratch DuckDB file (no validation): the storage ceiling of a load.
- scan floor: `SELECT sum(value) FROM measurements` through the product's read connection.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import polars as pl

from warehouse.paths import ROOT

FLOOR_CODE = ("import great_expectations, duckdb, polars\n"
              "from warehouse.store import read_connection\n"
              "import sys\n"
              "with read_connection(sys.argv[1]) as con: con.execute('SELECT 1').fetchall()\n")


def _run(args: list[str]) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args[:3])} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return took, proc.stdout


def one_row_file(path: Path, out: Path, bump: float = 1) -> Path:
    """One measurement already in the warehouse, its value changed by `bump`: a revision of one row that
    loads (not of a ratio indicator, whose rows need numerator and denominator and would be quarantined)."""
    from warehouse.store import read_connection

    with read_connection(path) as con:
        code, scope, period, value, reported = con.execute(
            "SELECT m.indicator_code, m.scope_code, m.period, m.value, m.reported_at FROM measurements m "
            "JOIN indicators i ON i.code = m.indicator_code "
            "WHERE i.aggregation <> 'razón' AND m.scope_code <> 'national' AND m.value IS NOT NULL "
            "ORDER BY m.indicator_code, m.scope_code, m.period LIMIT 1").fetchone()
    out.write_text("Código Municipio,Indicador,Período,Valor,Fecha de reporte,Muestra\r\n"
                   f"{scope},{code},{period},{value + bump},{reported or ''},true\r\n", encoding="utf-8")
    return out


# the indicators reporting in the latest period (the as-of date), that period and each one's period before
WEEK_PERIODS = """
SELECT indicator_code, period, previous FROM (
    SELECT indicator_code, period, period_end,
           lag(period) OVER (PARTITION BY indicator_code ORDER BY period_end) AS previous
    FROM (SELECT DISTINCT indicator_code, period, period_end FROM measurements))
WHERE period_end = (SELECT as_of FROM stg_as_of) AND previous IS NOT NULL
"""
# the previous period's current rows (the latest version) of those indicators, for the municipalities
# that have not reported the latest period
WEEK_ROWS = """
SELECT q.scope_code, q.indicator_code, r.period, q.value, q.numerator, q.denominator,
       (SELECT as_of FROM stg_as_of) AS reported_at
FROM measurements q JOIN periods r ON r.indicator_code = q.indicator_code AND q.period = r.previous
WHERE q.scope_code <> 'national'
  AND (q.indicator_code, q.scope_code) NOT IN (SELECT (n.indicator_code, n.scope_code) FROM measurements n
                                               JOIN periods p ON p.indicator_code = n.indicator_code
                                                             AND n.period = p.period)
QUALIFY row_number() OVER (PARTITION BY q.indicator_code, q.scope_code
                           ORDER BY version_rank(q.reported_at, q.period_end, q.load_id) DESC) = 1
ORDER BY q.indicator_code, q.scope_code
"""


def week_file(path: Path, out: Path) -> Path:
    """A week's upload built from the warehouse's own data (labelled sample): the latest period's
    reports of every municipality that has not sent them yet, for the indicators reporting in that
    period (the municipalities that reported the period before), each with its previous period's
    value (numerator, denominator) and reported on the as-of date, inside the week under review."""
    from warehouse.store import read_connection

    with read_connection(path) as con:
        periods = con.sql(WEEK_PERIODS).pl()
        con.register("periods", periods)
        frame = con.sql(WEEK_ROWS).pl()
    frame = frame.rename({"scope_code": "Código Municipio", "indicator_code": "Indicador", "period": "Período",
                          "value": "Valor", "numerator": "Numerador", "denominator": "Denominador",
                          "reported_at": "Fecha de reporte"})
    frame.with_columns(Muestra=pl.lit("true")).write_csv(out, line_terminator="\r\n")
    return out


def _load_and_revert(path: Path, file: Path) -> dict:
    """`python -m loaders load` of `file` and `revert` of that load, each a fresh process: wall seconds,
    the warehouse work as the loader reports it, and the rows it wrote."""
    load_s, out = _run(["-m", "loaders", "load", str(file), "--kind", "measurements", "--warehouse", str(path),
                        "--user", "bench", "--json"])
    loaded = json.loads(out)
    revert_s, out = _run(["-m", "loaders", "revert", str(loaded["load_id"]), "--warehouse", str(path),
                          "--user", "bench", "--json"])
    return dict(load_s=load_s, load_warehouse_s=loaded["seconds"]["warehouse"], rows=loaded["rows_loaded"],
                revert_s=revert_s, revert_warehouse_s=json.loads(out)["seconds"]["warehouse"])


def week_load(path: Path, workdir: Path) -> dict:
    """Seconds of a week's upload (week_file) and of its revert, each in a fresh process (CLI), with the
    warehouse work alone as the loader reports it, and the rows it brought."""
    run = _load_and_revert(path, week_file(path, workdir / "semana.csv"))
    return dict(week_load_s=run["load_s"], week_load_warehouse_s=run["load_warehouse_s"],
                week_load_rows=run["rows"], week_revert_s=run["revert_s"],
                week_revert_warehouse_s=run["revert_warehouse_s"])


SMALL_WRITES = ("process_floor_s", "one_row_load_s", "one_row_load_warehouse_s", "revert_s", "revert_warehouse_s",
                "agreement_save_s")


def small_writes(path: Path, workdir: Path, rounds: int = 3) -> dict:
    """Seconds of: the fresh-process floor, a 1-row load, its revert (CLI; each also with the warehouse work
    alone, as the loader reports it: the write transaction, from taking the lock to the swap) and an
    agreement save (API), `rounds` times each (a new revision every round): the medians, and every
    round's figure under `runs` for the spread."""
    runs: dict[str, list[float]] = {key: [] for key in SMALL_WRITES}
    for k in range(rounds):
        runs["process_floor_s"].append(_run(["-c", FLOOR_CODE, str(path)])[0])
        one = _load_and_revert(path, one_row_file(path, workdir / f"una_fila_{k}.csv", bump=k + 1))
        for key, got in (("one_row_load_s", "load_s"), ("one_row_load_warehouse_s", "load_warehouse_s"),
                         ("revert_s", "revert_s"), ("revert_warehouse_s", "revert_warehouse_s")):
            runs[key].append(one[got])
        runs["agreement_save_s"].append(agreement_save(path))
    return {**{key: statistics.median(xs) for key, xs in runs.items()}, "runs": runs}


def agreement_save(path: Path) -> float:
    from warehouse.agreements import create_agreement
    from warehouse.store import read_connection

    with read_connection(path) as con:
        code = con.execute("SELECT min(code) FROM indicators").fetchone()[0]
    t0 = time.perf_counter()
    create_agreement(week="2014-W20", action=f"Revisar el dato (bench {uuid.uuid4().hex[:8]})",
                     responsible="STP", due_date=dt.date(2014, 6, 30), created_by="bench",
                     indicator_code=code, path=path, role="analista")
    return time.perf_counter() - t0


def raw_insert(path: Path, workdir: Path) -> dict:
    """Rows/s of one INSERT of the measurements (parsed, in memory) into the product's table definition."""
    import duckdb

    from warehouse.store import read_connection

    with read_connection(path) as con:
        ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'measurements'").fetchall()[0][0]
        frame = con.sql("SELECT * FROM measurements").to_arrow_table()
    scratch = workdir / "raw_insert.duckdb"
    scratch.unlink(missing_ok=True)
    with duckdb.connect(str(scratch)) as con:
        con.execute(ddl)
        con.execute("SET preserve_insertion_order = false")      # as warehouse.store.append_facts
        con.register("frame", frame)
        t0 = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO measurements SELECT * FROM frame")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        took = time.perf_counter() - t0
    scratch.unlink(missing_ok=True)
    return dict(rows=frame.num_rows, seconds=took, rows_per_s=frame.num_rows / took if took else 0.0)


def scan_floor(path: Path, runs: int) -> list[float]:
    """Seconds of `SELECT sum(value) FROM measurements`, one fresh read connection per run as pages use."""
    from warehouse.store import read_connection

    out = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        with read_connection(path) as con:
            con.execute("SELECT sum(value) FROM measurements").fetchall()
        out.append(time.perf_counter() - t0)
    return out[1:]           # the first run warms the file cache
