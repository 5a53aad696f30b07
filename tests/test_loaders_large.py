"""A 200k-row generated measurements CSV loads as one transaction (one load, all rows)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import polars as pl

from loaders import load_file
from warehouse.store import write_transaction


def _reader(path):
    """A read-only connection with the side files attached (the test closes it)."""
    from warehouse.store import open_read
    return open_read(Path(path))


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
    con = _reader(wh)
    assert con.execute("SELECT count(*), count(DISTINCT load_id) FROM measurements").fetchall() == [(n, 1)]
    assert con.execute("SELECT count(*) FROM load_log").fetchall() == [(1,)]
    con.close()
    assert elapsed < 120
    again = load_file(f, "measurements", wh, refresh_snapshots=False)
    assert (again.rows_loaded, again.rows_unchanged) == (0, n)


# --- batched reading: files larger than one batch still land as one load, in one transaction ---------

BATCH = 50_000


def _seed_large(wh, codes, indicators):
    with write_transaction(wh) as con:
        con.register("m", pl.DataFrame({"code": codes}).to_arrow())
        con.execute("INSERT INTO municipalities (code, department_code, department, municipality) "
                    "SELECT code, left(code, 2), 'D', 'M' || code FROM m")
        con.execute("INSERT INTO programs (program_code, name) VALUES ('P','P')")
        con.register("i", pl.DataFrame({"code": indicators}).to_arrow())
        con.execute("INSERT INTO indicators (code, name, program_code, unit, scale, frequency) "
                    "SELECT code, 'I', 'P', 'n', 1, 'semanal' FROM i")


def _measurements(n: int, codes: list[str], indicators: list[str]) -> pl.DataFrame:
    """n distinct (indicator, municipality, week) keys, in file order."""
    idx = pl.int_range(0, n, eager=True)
    ni, nm = len(indicators), len(codes)
    weeks = idx // (nm * ni)
    return pl.DataFrame({
        "Indicador": pl.Series(indicators)[idx % ni],
        "Código Municipio": pl.Series(codes)[(idx // ni) % nm],
        "Período": (2000 + weeks // 50).cast(pl.String) + "-W" + (weeks % 50 + 1).cast(pl.String).str.zfill(2),
        "Valor": (idx % 997).cast(pl.String) + ",5",
    })


def test_300k_rows_read_in_batches_land_in_one_transaction(tmp_path, monkeypatch):
    import loaders.api as api
    import loaders.pipeline as pipeline

    wh = tmp_path / "w.duckdb"
    codes = [f"{d:02d}{m:02d}" for d in range(1, 15) for m in range(1, 16)]
    indicators = [f"I{i}" for i in range(20)]
    _seed_large(wh, codes, indicators)
    n = 300_000
    frame = _measurements(n, codes, indicators)
    # row numbers as the user sees them: header is row 1, data row i (0-based) is row i + 2
    dup_first, dup_second = 10, 280_010                     # batch 1 and batch 6 (of 50k rows)
    bad = n - 5                                             # last batch
    frame = frame.with_columns(
        pl.when(pl.int_range(0, n) == dup_second).then(pl.lit(frame["Período"][dup_first]))
        .otherwise(pl.col("Período")).alias("Período"),
        pl.when(pl.int_range(0, n) == dup_second).then(pl.lit(frame["Indicador"][dup_first]))
        .otherwise(pl.col("Indicador")).alias("Indicador"),
        pl.when(pl.int_range(0, n) == dup_second).then(pl.lit(frame["Código Municipio"][dup_first]))
        .otherwise(pl.col("Código Municipio")).alias("Código Municipio"),
    ).with_columns(
        pl.when(pl.int_range(0, n) == bad).then(pl.lit("2014-13")).otherwise(pl.col("Período")).alias("Período"))
    f = tmp_path / "big.csv"
    frame.write_csv(f, separator=";")

    events = []
    batch = pipeline._prepare_batch

    def counting_batch(raw, *a, **k):
        assert raw.height <= BATCH
        events.append(("batch", int(raw["_row"].min()), int(raw["_row"].max())))
        return batch(raw, *a, **k)

    real_tx = api.write_transaction

    def counting_tx(*a, **k):
        events.append(("write",))
        return real_tx(*a, **k)

    monkeypatch.setattr(pipeline, "_prepare_batch", counting_batch)
    monkeypatch.setattr(api, "write_transaction", counting_tx)
    res = load_file(f, "measurements", wh, refresh_snapshots=False, batch_rows=BATCH)

    # read and validated in 6 bounded batches, then one write transaction
    batches = [e for e in events if e[0] == "batch"]
    assert len(batches) == 6 and events[-1] == ("write",) and events.count(("write",)) == 1
    assert batches[0][1] == 2 and batches[-1][2] == n + 1
    assert all(b[1] == a[2] + 1 for a, b in zip(batches, batches[1:]))      # row numbers continue
    assert (res.exit_code, res.rows_read, res.rows_quarantined) == (1, n, 3), res.to_text()[:2000]
    assert res.rows_loaded == n - 3
    rules = {(p.row, p.rule) for p in res.problems}
    assert rules == {(dup_first + 2, "clave_duplicada"), (dup_second + 2, "clave_duplicada"),
                     (bad + 2, "periodo_invalido")}
    p = next(p for p in res.problems if p.rule == "periodo_invalido")
    assert p.column == "Período" and p.value == "2014-13" and f"fila {bad + 2}" in p.message
    dup = next(p for p in res.problems if p.row == dup_second + 2)
    assert "Indicador" in dup.column and frame["Indicador"][dup_first] in dup.value

    con = _reader(wh)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT load_id) FROM measurements").fetchall() == [(n - 3, 1)]
        assert con.execute("SELECT load_id, rows_read, rows_loaded, rows_quarantined, status FROM load_log"
                           ).fetchall() == [(res.load_id, n, n - 3, 3, "partial")]
        assert con.execute("SELECT row_number, rule FROM quarantine ORDER BY 1").fetchall() == \
            [(dup_first + 2, "clave_duplicada"), (dup_second + 2, "clave_duplicada"), (bad + 2, "periodo_invalido")]
        raw = json.loads(con.execute(f"SELECT raw_row FROM quarantine WHERE row_number = {bad + 2}").fetchall()[0][0])
        assert raw["Período"] == "2014-13" and raw["Valor"] == frame["Valor"][bad]
        # one validation row per expectation, counts summed over the batches
        vr = con.execute("SELECT expectation, column_name, success, unexpected_count FROM validation_results "
                         "WHERE load_id = ?", [res.load_id]).fetchall()
        assert len(vr) == len({(e, c) for e, c, _, _ in vr}) == \
            len(json.loads((Path(__file__).parent.parent / "expectations" / "measurements.json").read_text())
                ["expectations"])
        unique = next(r for r in vr if r[0] == "expect_compound_columns_to_be_unique")
        assert unique[2:] == (False, 2)
        assert all(r[2] and not r[3] for r in vr if r[0] == "expect_column_values_to_be_in_set")
    finally:
        con.close()


def test_cp1252_first_accent_after_first_batch(tmp_path):
    """The sample looks like UTF-8 (pure ASCII); the file is Windows-1252 further on."""
    from loaders import read

    wh = tmp_path / "w.duckdb"
    codes = [f"{d:02d}{m:02d}" for d in range(1, 11) for m in range(1, 11)]
    indicators = ["I0", "I1", "AÑO-Ú"]
    _seed_large(wh, codes, indicators)
    n = 120_000
    frame = _measurements(n, codes, indicators[:2])
    late = pl.int_range(0, n) >= 110_000                    # accents only in the third batch
    frame = frame.with_columns(pl.when(late & (pl.int_range(0, n) % 2 == 0)).then(pl.lit("AÑO-Ú"))
                               .otherwise(pl.col("Indicador")).alias("Indicador"))
    frame = frame.with_columns(pl.when(pl.int_range(0, n) == n - 1).then(pl.lit("número"))
                               .otherwise(pl.col("Valor")).alias("Valor"))
    frame.columns = ["indicador", "codigo_municipio", "periodo", "valor"]     # ASCII headers
    f = tmp_path / "cp1252.csv"
    with open(f, "w", encoding="cp1252", newline="") as fh:
        fh.write(frame.write_csv(separator=";"))
    data = f.read_bytes()
    first = min(data.index("Ñ".encode("cp1252")), data.index("ú".encode("cp1252")))
    assert first > read.SAMPLE_BYTES and data[:first].isascii()
    with read.open_table(f, batch_rows=BATCH) as table:
        heights = [b.height for b in table]
    assert heights == [BATCH, BATCH, n - 2 * BATCH]

    res = load_file(f, "measurements", wh, refresh_snapshots=False, batch_rows=BATCH)
    assert (res.exit_code, res.rows_read, res.rows_loaded, res.rows_quarantined) == (1, n, n - 1, 1), \
        res.to_text()[:2000]
    bad = [p for p in res.problems if p.severity == "error"]
    assert [(p.row, p.column, p.value, p.rule) for p in bad] == [(n + 1, "valor", "número", "numero_invalido")]
    con = _reader(wh)
    try:
        assert con.execute("SELECT count(*) FROM measurements WHERE indicator_code = 'AÑO-Ú'").fetchall() == \
            [(5_000,)]
        assert con.execute("SELECT value FROM measurements WHERE indicator_code = 'AÑO-Ú' "
                           "ORDER BY period_start LIMIT 1").fetchall()[0][0] % 1 == 0.5      # decimal comma
        raw = json.loads(con.execute("SELECT raw_row FROM quarantine").fetchall()[0][0])
        assert raw == {"indicador": frame["indicador"][n - 1], "codigo_municipio": frame["codigo_municipio"][n - 1],
                       "periodo": frame["periodo"][n - 1], "valor": "número"}
    finally:
        con.close()


def test_parquet_read_in_batches_duplicates_across_batches(tmp_path, monkeypatch):
    import loaders.pipeline as pipeline
    monkeypatch.setattr(pipeline, "GX_ROWS", BATCH)          # GX sees each batch alone: duplicates across chunks
    wh = tmp_path / "w.duckdb"
    codes = [f"{d:02d}{m:02d}" for d in range(1, 11) for m in range(1, 11)]
    _seed_large(wh, codes, ["I0", "I1"])
    n = 120_000
    frame = _measurements(n, codes, ["I0", "I1"])
    frame = pl.concat([frame, frame.slice(3, 1)])            # row 5 repeated as the last row (row n + 2)
    f = tmp_path / "m.parquet"
    frame.write_parquet(f, row_group_size=7_000)
    res = load_file(f, "measurements", wh, refresh_snapshots=False, batch_rows=BATCH)
    assert (res.rows_read, res.rows_loaded, res.rows_quarantined) == (n + 1, n - 1, 2), res.to_text()[:2000]
    assert sorted(p.row for p in res.problems if p.rule == "clave_duplicada") == [5, n + 2]
    again = load_file(f, "measurements", wh, refresh_snapshots=False, batch_rows=BATCH)   # the very same file
    assert (again.status, again.rows_loaded, again.rows_unchanged, again.rows_quarantined) == ("sin cambios", 0,
                                                                                                n + 1, 0)
    g = tmp_path / "m2.parquet"                     # the same rows in other bytes: compared row by row
    frame.write_parquet(g, row_group_size=5_000)
    same = load_file(g, "measurements", wh, refresh_snapshots=False, batch_rows=BATCH)
    assert (same.rows_loaded, same.rows_unchanged, same.rows_quarantined) == (0, n - 1, 2)


def test_read_batches_are_bounded_and_numbered_like_a_whole_read(tmp_path):
    from loaders.read import open_table, read_table

    f = tmp_path / "b.csv"
    lines = ["a,b"] + [f"{i},x{i}" if i % 1000 else "," for i in range(25_000)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    whole = read_table(f).frame
    with open_table(f, batch_rows=4_000) as table:
        parts = list(table)
    assert max(p.height for p in parts) <= 4_000 and len(parts) >= 7
    assert pl.concat(parts).equals(whole)
    assert whole.height == 25_000 - 25 and whole["_row"][0] == 3      # data row 0 is blank: dropped


def test_unchanged_rows_found_behind_a_probe_of_new_keys(tmp_path, monkeypatch):
    """A file whose first rows are new keys and whose later rows repeat stored ones, some changed: only
    the rows with stored keys are compared, and they are compared as before."""
    import loaders.write as write

    wh = tmp_path / "w.duckdb"
    codes = [f"{d:02d}{m:02d}" for d in range(1, 15) for m in range(1, 16)]
    indicators = [f"I{i}" for i in range(8)]
    _seed_large(wh, codes, indicators)
    frame = _measurements(3_000, codes, indicators[:4])
    first = tmp_path / "a.csv"
    frame.write_csv(first, separator=";")
    assert load_file(first, "measurements", wh, refresh_snapshots=False).rows_loaded == 3_000
    stored = frame.tail(300)                            # 300 stored keys: 100 with another value
    stored = stored.with_columns(pl.when(pl.int_range(0, 300) < 100).then(pl.lit("999,5"))
                                 .otherwise(pl.col("Valor")).alias("Valor"))
    second = tmp_path / "b.csv"                         # first 1,500 rows: other indicators, the same weeks
    pl.concat([_measurements(1_500, codes, indicators[4:]), stored]).write_csv(second, separator=";")
    hits = []
    real = write._rows_with_stored_key

    def spy(con, kind, chunk):
        out = real(con, kind, chunk)
        hits.append(None if out is None else out.height)
        return out

    monkeypatch.setattr(write, "_rows_with_stored_key", spy)
    res = load_file(second, "measurements", wh, refresh_snapshots=False)
    assert hits == [300]                  # the first 1,000 rows are new: only the 300 stored keys compared
    assert (res.rows_read, res.rows_loaded, res.rows_unchanged, res.rows_quarantined) == (1_800, 1_600, 200, 0)
    con = _reader(wh)
    try:
        revised = con.execute("SELECT count(*) FROM stg_measurements_current WHERE value = 999.5").fetchall()
        assert revised == [(100,)]
        assert con.execute("SELECT count(*) FROM measurements").fetchall() == [(4_600,)]
    finally:
        con.close()
    again = load_file(first, "measurements", wh, refresh_snapshots=False)   # probe all stored: compared whole
    assert hits[-1] is None and (again.rows_loaded, again.rows_unchanged) == (100, 2_900)
