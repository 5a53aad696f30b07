"""Write a prepared load into the warehouse inside an open write transaction (see warehouse.store).

Measurement and budget rows are appended to the facts file; everything else (targets, reference
data, quarantine, load_log) goes to the catalog copy. The load becomes visible when the catalog that
names it in load_log is swapped in.
"""
from __future__ import annotations

import datetime as dt

from pathlib import Path

import polars as pl

from loaders import participants
from loaders.pipeline import Prepared
from warehouse.store import append_facts

try:  # written by another module owner; optional
    from warehouse.refresh import refresh_after_load as _refresh_snapshots
except ImportError:  # pragma: no cover - depends on the tree
    _refresh_snapshots = None

FACT_TABLES = ("measurements", "budget")      # in the facts file (warehouse.store.append_facts)
INDICATOR_COLUMNS = ["code", "name", "objective_id", "program_code", "eje_id", "intervention", "level", "type",
                     "dimension", "unit", "scale", "sentido", "accumulation", "aggregation", "reports_cumulative", "frequency",
                     "deadline_days", "formula_numerator", "formula_denominator", "medio_verificacion", "supuesto",
                     "source", "odm_indicator", "scope_level", "is_sample"]
FACT_COLUMNS = {
    "measurements": ["indicator_code", "scope_code", "period", "period_type", "period_start", "period_end", "value",
                     "numerator", "denominator", "reported_at", "is_sample"],
    "targets": ["indicator_code", "scope_code", "target_kind", "baseline_date", "baseline_value", "target_date",
                "target_value", "is_sample"],
    "budget": ["program_code", "scope_code", "month", "approved", "modified", "scheduled", "committed", "accrued",
               "paid", "is_sample"],
}


def next_load_id(con) -> int:
    """A load id above every id the catalog or the facts file has seen (a killed load's rows keep theirs)."""
    seq = con.execute("SELECT nextval('load_id_seq')").fetchall()[0][0]
    top = con.execute("SELECT coalesce(max(load_id), 0) FROM load_log").fetchall()[0][0]
    for table in FACT_TABLES:
        top = max(top, con.execute(f"SELECT coalesce(max(load_id), 0) FROM facts.{table}").fetchall()[0][0])
    return max(int(seq), int(top) + 1)


def _current_sql(kind: str) -> str:
    """The current version of each fact: the warehouse's one definition (10_stg_current.sql). For
    measurements, filtered first to the incoming indicators (the macro's `p_indicators`, one parameter:
    a key's versions share its indicator), so the check ranks the versions of the indicators the load
    brings, not all. The list is a constant: given as a subquery on `_incoming`, DuckDB sometimes
    applied it after the ranking of every stored version (a 1 M-row file took 14-57 s instead of 3 s
    at 2-4 M stored rows)."""
    if kind == "measurements":
        return "SELECT * FROM stg_measurement_asof(DATE '9999-12-31', p_indicators := ?::VARCHAR[])"
    return f"SELECT * FROM stg_{kind}_current"


def _unchanged_sql(table_sql: str, key: list[str], compare: list[str]) -> str:
    on = " AND ".join(f"i.{k} = c.{k}" for k in key)
    same = " AND ".join(f"i.{c} IS NOT DISTINCT FROM c.{c}" for c in compare) or "TRUE"
    return f"SELECT i._row FROM _incoming i JOIN ({table_sql}) c ON {on} WHERE {same}"


def _unchanged_rows(con, table_sql: str, key: list[str], compare: list[str]) -> set[int]:
    return {r[0] for r in con.execute(_unchanged_sql(table_sql, key, compare)).fetchall()}


PROBE_ROWS = 1_000          # incoming rows whose keys are looked up first (see _rows_with_stored_key)


def _rows_with_stored_key(con, kind: str, chunk: pl.DataFrame) -> pl.DataFrame | None:
    """The rows of `chunk` whose key some row of `facts.<kind>` holds (any load, visible or not), or None
    when that is not worth finding. Only those rows can equal a current version, so the unchanged check
    needs no other (a cheap hash semi-join instead of ranking every stored version of the file's
    indicators: at 10 M rows 0.2 s against 1-1.3 s for a file of new keys). When the first PROBE_ROWS
    rows all have stored keys (a file re-sent or revised) the whole chunk is checked as before (None)."""
    key = FACT_COLUMNS[kind][:3]
    sql = (f"SELECT i._row FROM _keys i SEMI JOIN (SELECT {', '.join(key)} FROM facts.{kind} "
           f"WHERE {key[0]} IN (SELECT unnest(?::VARCHAR[]))) s USING ({', '.join(key)})")

    def stored(frame: pl.DataFrame) -> pl.DataFrame:
        con.register("_keys", frame.select("_row", *key))
        try:
            return con.sql(sql, params=[frame[key[0]].unique().to_list()]).pl()
        finally:
            con.unregister("_keys")

    probe = chunk.head(PROBE_ROWS)
    if stored(probe).height == probe.height:
        return None
    return chunk.join(stored(chunk), on="_row", how="semi")


def _unchanged_frame(con, prep: Prepared, chunk: pl.DataFrame) -> pl.DataFrame:
    """`_row` of the rows of `chunk` equal to the current version of their key (warehouse definition)."""
    kind = prep.kind.name
    cols = FACT_COLUMNS[kind]
    if kind in FACT_TABLES:
        hit = _rows_with_stored_key(con, kind, chunk)
        if hit is not None:
            if hit.height == 0:
                return pl.DataFrame(schema={"_row": pl.Int64})
            chunk = hit
    con.register("_incoming", chunk.to_arrow())
    try:          # the unchanged rows as a frame (a reloaded file may repeat a million of them)
        params = [chunk["indicator_code"].unique().to_list()] if kind == "measurements" else None
        return con.sql(_unchanged_sql(_current_sql(kind), cols[:3], list(prep.kind.compare)), params=params).pl()
    finally:
        con.unregister("_incoming")


def _fact_rows(part: pl.DataFrame, kind: str) -> pl.DataFrame:
    return part.select(["_row"] + FACT_COLUMNS[kind]).with_columns(pl.col("is_sample").fill_null(False))


def _write_facts(con, prep: Prepared, load_id: int) -> tuple[int, int]:
    """Targets go to the catalog; measurements and budget are appended to the facts file (append_facts)
    once every batch's new rows are known (spilled to the load's temporary folder when it has one)."""
    kind = prep.kind.name
    loaded = unchanged = 0
    new_parts = []
    for i, part in enumerate(prep.iter_valid()):          # one stored batch at a time (see Prepared)
        chunk = _fact_rows(part, kind)
        same = _unchanged_frame(con, prep, chunk)
        new = (chunk.join(same, on="_row", how="anti") if same.height else chunk).drop("_row").with_columns(
            load_id=pl.lit(load_id, dtype=pl.Int64))
        unchanged += same.height
        loaded += new.height
        if new.height == 0:
            continue
        if kind not in FACT_TABLES:
            con.register("_new", new.to_arrow())
            con.execute(f"INSERT INTO {kind} BY NAME SELECT * FROM _new")
            con.unregister("_new")
        elif prep.tmpdir:
            out = Path(prep.tmpdir) / f"new_{i}.parquet"
            new.write_parquet(out, compression="lz4")
            new_parts.append(out)
        else:
            new_parts.append(new)
    if new_parts:
        append_facts(con, kind, new_parts)
    return loaded, unchanged


def _write_indicators(con, prep: Prepared, load_id: int) -> tuple[int, int]:
    v = prep.valid()
    is_pct_rate = pl.col("unit").str.strip_chars().eq("%") & pl.col("formula_denominator").is_not_null()
    v = v.with_columns(
        level=pl.coalesce("level", "objective_level"),
        scale=pl.coalesce("scale", pl.when(is_pct_rate).then(100.0).otherwise(1.0)),
        aggregation=pl.coalesce("aggregation", pl.when(pl.col("formula_denominator").is_not_null())
                                .then(pl.lit("razón")).otherwise(pl.lit("suma"))),
        reports_cumulative=pl.col("reports_cumulative").fill_null(False),
        deadline_days=pl.col("deadline_days").fill_null(15),
        scope_level=pl.col("scope_level").fill_null("municipal"),
        is_sample=pl.col("is_sample").fill_null(False), load_id=pl.lit(load_id, dtype=pl.Int64))
    con.register("_incoming", v.select(["_row"] + INDICATOR_COLUMNS + ["load_id"]).to_arrow())
    same = _unchanged_rows(con, "SELECT * FROM indicators", ["code"], list(prep.kind.compare))
    con.execute(f"INSERT OR REPLACE INTO indicators BY NAME SELECT {', '.join(INDICATOR_COLUMNS)}, load_id "
                f"FROM _incoming WHERE _row NOT IN (SELECT unnest(?::BIGINT[]))", [sorted(same)])
    con.unregister("_incoming")
    objectives = v.unique("objective_id", keep="first", maintain_order=True).select(
        "objective_id", parent_id="objective_parent", level="objective_level", program_code="program_code",
        narrative="objective_text", medio_verificacion="medio_verificacion", supuesto="supuesto", load_id="load_id")
    con.register("_objectives", objectives.to_arrow())
    con.execute("INSERT OR REPLACE INTO objectives BY NAME SELECT * FROM _objectives")
    con.unregister("_objectives")
    default = con.execute("SELECT verde_min, amarillo_min, inicio_max_expected FROM semaforo_thresholds "
                          "WHERE indicator_code = '*'").fetchall()
    default = default[0] if default else (0.9, 0.7, 0.1)
    thr = v.filter(pl.col("verde_min").is_not_null() | pl.col("amarillo_min").is_not_null()).select(
        indicator_code="code", verde_min=pl.col("verde_min").fill_null(default[0]),
        amarillo_min=pl.col("amarillo_min").fill_null(default[1]), inicio_max_expected=pl.lit(default[2]))
    if thr.height:
        con.register("_thr", thr.to_arrow())
        con.execute("INSERT OR REPLACE INTO semaforo_thresholds BY NAME SELECT * FROM _thr")
        con.unregister("_thr")
    return v.height - len(same), len(same)


def _write_municipalities(con, prep: Prepared, load_id: int) -> tuple[int, int]:
    present = [c for c in prep.kind.compare if c in prep.headers]
    v = prep.valid().select(["_row", "code"] + present)
    if not present:
        return 0, v.height
    con.register("_incoming", v.to_arrow())
    same = _unchanged_rows(con, "SELECT * FROM municipalities", ["code"], present)
    sets = ", ".join(f"{c} = coalesce(i.{c}, m.{c})" for c in present)
    con.execute(f"UPDATE municipalities m SET {sets}, load_id = {int(load_id)} FROM _incoming i "
                f"WHERE m.code = i.code AND i._row NOT IN (SELECT unnest(?::BIGINT[]))", [sorted(same)])
    con.unregister("_incoming")
    return v.height - len(same), len(same)


def _write_boundaries(con, prep: Prepared, load_id: int) -> tuple[int, int]:
    v = prep.valid().select("_row", "code", "geometry_json").with_columns(load_id=pl.lit(load_id, dtype=pl.Int64))
    con.register("_incoming", v.to_arrow())
    same = _unchanged_rows(con, "SELECT * FROM boundaries", ["code"], ["geometry_json"])
    con.execute("INSERT OR REPLACE INTO boundaries BY NAME SELECT code, geometry_json, load_id FROM _incoming "
                "WHERE _row NOT IN (SELECT unnest(?::BIGINT[]))", [sorted(same)])
    con.unregister("_incoming")
    return v.height - len(same), len(same)


def quarantine_frame(prep: Prepared, load_id: int) -> pl.DataFrame:
    """One row per rejected input row: first problem's column/value, all rules and messages joined."""
    errors = prep.problems.filter(pl.col("severity") == "error")
    if errors.height == 0:
        return pl.DataFrame()
    per_row = errors.group_by("_row", maintain_order=True).agg(
        column_name=pl.col("column").first(), value=pl.col("value").first(),
        rule=pl.col("rule").unique(maintain_order=True).str.join(";"), message=pl.col("message").str.join(" | "))
    raw = prep.raw_rows(per_row["_row"])
    data_cols = [c for c in raw.columns if c != "_row"]
    raw = raw.select("_row", raw_row=pl.struct(data_cols).struct.json_encode())
    return per_row.join(raw, on="_row", how="left").select(
        load_id=pl.lit(load_id, dtype=pl.Int64), kind=pl.lit(prep.kind.name), file_name=pl.lit(prep.file_name),
        row_number=pl.col("_row").cast(pl.Int32), column_name="column_name", value="value", rule="rule",
        message="message", raw_row="raw_row")


def write_quarantine(con, frame: pl.DataFrame) -> None:
    if frame.height:
        con.register("_quarantine", frame.to_arrow())
        con.execute("INSERT INTO quarantine BY NAME SELECT * FROM _quarantine")
        con.unregister("_quarantine")


WRITERS = {"measurements": _write_facts, "targets": _write_facts, "budget": _write_facts,
           "indicators": _write_indicators, "municipalities": _write_municipalities, "boundaries": _write_boundaries,
           "participants": participants.write}


def write_load(con, prep: Prepared, loaded_by: str, sha256: str | None, refresh: bool = True):
    """Write data, quarantine, load_log and validation_results; returns (load_id, loaded, unchanged, quarantined)."""
    load_id = next_load_id(con)
    loaded, unchanged = WRITERS[prep.kind.name](con, prep, load_id)
    q = quarantine_frame(prep, load_id)
    write_quarantine(con, q)
    rows_read = prep.rows_read
    status = "partial" if q.height else "ok"
    con.execute("INSERT INTO load_log (load_id, kind, file_name, file_sha256, loaded_by, loaded_at, rows_read, "
                "rows_loaded, rows_unchanged, rows_quarantined, status) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [load_id, prep.kind.name, prep.file_name, sha256, loaded_by, dt.datetime.now(), rows_read, loaded,
                 unchanged, q.height, status])
    if prep.validation:
        vr = pl.DataFrame(prep.validation, schema={"suite": pl.String, "expectation": pl.String,
                                                   "column_name": pl.String, "success": pl.Boolean,
                                                   "unexpected_count": pl.Int64, "details": pl.String})
        con.register("_vr", vr.with_columns(load_id=pl.lit(load_id, dtype=pl.Int64)).to_arrow())
        con.execute("INSERT INTO validation_results BY NAME SELECT * FROM _vr")
        con.unregister("_vr")
    if refresh:
        refresh_snapshots(con, load_id)
    return load_id, loaded, unchanged, q.height


def refresh_snapshots(con, load_id: int | None = None) -> None:
    if _refresh_snapshots is not None:
        _refresh_snapshots(con, load_id)
