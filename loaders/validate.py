"""Run a kind's Great Expectations suite (expectations/<kind>.json) on a parsed frame.

Returns one result dict per expectation (for table validation_results) and a frame of row
problems (_row, column, rule, text, severity) for every failing row of row-level expectations.
"""
from __future__ import annotations

import json
import logging
import threading
import uuid
from functools import lru_cache
from pathlib import Path

import polars as pl

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
PROBLEM_SCHEMA = {"_row": pl.Int64, "column": pl.String, "rule": pl.String, "text": pl.String, "severity": pl.String}


def load_suite_json(kind: str) -> dict:
    return json.loads((SUITES_DIR / f"{kind}.json").read_text(encoding="utf-8"))


_CONTEXT_LOCK = threading.Lock()


def _context():
    """(great_expectations module, batch definition of an ephemeral pandas context), made once."""
    with _CONTEXT_LOCK:                 # one import even when warm_up's thread is still at it
        return _make_context()


def warm_up() -> None:
    """Import Great Expectations and make its context in a background thread (about 2.3 CPU-s in a
    fresh process), so a load's reading and parsing, which mostly run outside the GIL, overlap it."""
    if _make_context.cache_info().currsize == 0 and not _CONTEXT_LOCK.locked():
        threading.Thread(target=_context, name="spsu-gx-import", daemon=True).start()


@lru_cache(maxsize=1)
def _make_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = ctx.data_sources.add_pandas("loaders").add_dataframe_asset("frame")
    return gx, asset.add_batch_definition_whole_dataframe("whole")


def _columns(kwargs: dict) -> list[str]:
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def _domains(expectations: list[dict]) -> list[tuple[str, ...]]:
    """The distinct column sets (domains) the expectations look at, in suite order."""
    out = []
    for exp in expectations:
        cols = tuple(_columns(exp.get("kwargs") or {}))
        if cols and cols not in out:
            out.append(cols)
    return out


def _reduce(frame: pl.DataFrame, expectations: list[dict]) -> tuple[pl.DataFrame, list[dict], list[dict]]:
    """The frame Great Expectations validates in place of `frame`: one block of columns per domain.

    A row-level expectation's outcome on a row depends only on the values of its own columns, so a
    domain's block holds each distinct value combination once, numbered by `_k<i>` (blocks are padded
    to one length by repeating their first combination). A uniqueness domain's block holds the rows
    whose key (hash) is repeated in the frame, then rows with keys seen once (which cannot fail) as padding,
    numbered by their `_row`. Columns are renamed `d<i>__<column>` and the expectations' kwargs point
    at them. Returns (reduced frame, rewritten expectations, per-domain info for mapping back).
    """
    domains = _domains(expectations)
    uniq = [any(e["type"] in UNIQUE_TYPES and tuple(_columns(e["kwargs"])) == cols for e in expectations)
            for cols in domains]
    lazy = frame.lazy()
    # a key's hash repeated: a hash collision only adds rows GX then finds unique
    plans = [lazy.select("_row", *cols).with_columns(_dup=pl.struct(cols).hash().is_duplicated()) if u
             else lazy.select(cols).unique() for cols, u in zip(domains, uniq)]
    blocks, info = [], []
    for i, (cols, u, block) in enumerate(zip(domains, uniq, pl.collect_all(plans))):   # in parallel
        if u:
            repeated = block.filter(pl.col("_dup"))
            block = pl.concat([repeated, block.filter(~pl.col("_dup"))]).drop("_dup").rename({"_row": f"_k{i}"})
            info.append({"columns": list(cols), "unique": True, "need": repeated.height})
        else:
            block = block.with_row_index(f"_k{i}").with_columns(pl.col(f"_k{i}").cast(pl.Int64))
            info.append({"columns": list(cols), "unique": False, "need": block.height, "combos": block})
        blocks.append(block)
    # every block reaches this height: a uniqueness block has enough rows (its key count <= rows)
    height = max([1] + [m["need"] for m in info])
    out = []
    for i, (block, meta) in enumerate(zip(blocks, info)):
        if meta["unique"]:
            block = block.head(height)
        elif block.height < height:
            pad = pl.Series([0] * (height - block.height), dtype=pl.UInt32)
            block = pl.concat([block, block[pad]])
        out.append(block.rename({c: f"d{i}__{c}" for c in meta["columns"]}))
    reduced = pl.concat(out, how="horizontal") if out else pl.DataFrame({"_k": [0]})
    rewritten = []
    for exp in expectations:
        kw = dict(exp.get("kwargs") or {})
        cols = tuple(_columns(kw))
        if cols:
            i = domains.index(cols)
            for key in ("column", "column_A", "column_B"):
                if key in kw:
                    kw[key] = f"d{i}__{kw[key]}"
            if "column_list" in kw:
                kw["column_list"] = [f"d{i}__{c}" for c in kw["column_list"]]
        rewritten.append({**exp, "kwargs": kw, "id": str(uuid.uuid4())})   # results are matched by id
    return reduced, rewritten, info


def _failing_rows(frame: pl.DataFrame, meta: dict, keys: list[int]) -> list[int]:
    """The rows of `frame` behind the failing keys of a domain (a join on the combinations)."""
    if not keys:
        return []
    if meta["unique"]:
        return sorted(set(keys))
    bad = meta["combos"].filter(pl.col(meta["combos"].columns[0]).is_in(keys)).drop(meta["combos"].columns[0])
    rows = frame.select("_row", *meta["columns"]).join(bad, on=meta["columns"], how="semi", nulls_equal=True)
    return sorted(rows["_row"].to_list())


def run_suite(kind: str, frame: pl.DataFrame, params: dict) -> tuple[list[dict], pl.DataFrame]:
    """Validate `frame` (must hold `_row`) with the kind's suite and the given suite parameters.

    One Great Expectations run over the reduced frame (`_reduce`): its cost grows with the distinct
    values of each expectation's columns (and the repeated keys), not with the rows. Each failing
    combination is joined back to the rows that hold it, so every expectation still reports its real
    unexpected rows and count. Expectations with `mostly` (a share of rows) are validated on the
    full frame instead, since their outcome depends on row counts.
    """
    gx, batch_def = _context()
    data = load_suite_json(kind)
    expectations = data.get("expectations", [])
    present = set(frame.columns)
    needed = sorted({c for exp in expectations for c in _columns(exp.get("kwargs") or {})} - present)
    frame = frame.with_columns([pl.lit(None).alias(c) for c in needed])
    by_count = [e for e in expectations if "mostly" in (e.get("kwargs") or {})]
    reducible = [e for e in expectations if e not in by_count]
    reduced, rewritten, info = _reduce(frame, reducible)
    domains = _domains(reducible)
    index_cols = [f"_k{i}" for i in range(len(domains))]
    runs = [(rewritten, reduced, index_cols)]
    if by_count:
        by_count = [{**e, "id": str(uuid.uuid4())} for e in by_count]
        runs.append((by_count, frame, ["_row"]))
    results_by_id: dict[int, dict] = {}
    for exps, target, idx in runs:
        suite = gx.ExpectationSuite(**{**data, "expectations": exps})
        batch = batch_def.get_batch(batch_parameters={"dataframe": target.to_pandas()})
        result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                      "unexpected_index_column_names": idx,
                                                      "partial_unexpected_count": 0},
                                expectation_parameters=params)
        for res in result.results:
            results_by_id[res.expectation_config.id] = res
    results, problems = [], []
    full_ids = iter(e["id"] for e in by_count)
    for exp in expectations:
        full = "mostly" in (exp.get("kwargs") or {})
        res = results_by_id[next(full_ids) if full else rewritten[reducible.index(exp)]["id"]]
        cfg = res.expectation_config
        cols = _columns(exp.get("kwargs") or {})
        meta = exp.get("meta") or {}
        severity = "warning" if str(exp.get("severity", "critical")).lower().endswith("warning") else "error"
        info_exc = res.exception_info or {}
        raised = info_exc.get("raised_exception")
        details = {"rule": meta.get("rule"), "severity": severity}
        if raised:
            details["exception"] = str(info_exc.get("exception_message"))[:500]
        unexpected = res.result.get("unexpected_index_list") or []
        if full:
            rows = sorted({int(u["_row"]) for u in unexpected if isinstance(u, dict) and "_row" in u})
            count = res.result.get("unexpected_count")
        else:
            d = _domains(reducible).index(tuple(cols)) if cols else None
            keys = sorted({int(u[f"_k{d}"]) for u in unexpected if isinstance(u, dict) and f"_k{d}" in u}) \
                if d is not None else []
            rows = _failing_rows(frame, info[d], keys) if d is not None else []
            count = len(rows) if res.result.get("unexpected_count") is not None else None
        if rows:
            details["rows_sample"] = rows[:20]
        results.append({"suite": kind, "expectation": cfg.type, "column_name": ", ".join(cols) or None,
                        "success": bool(res.success), "unexpected_count": count,
                        "details": json.dumps(details, ensure_ascii=False)})
        if rows and not res.success:
            problems.append(pl.DataFrame({"_row": rows}, schema={"_row": pl.Int64}).with_columns(
                column=pl.lit(", ".join(cols)), rule=pl.lit(meta.get("rule") or cfg.type),
                text=pl.lit(meta.get("message") or cfg.type), severity=pl.lit(severity)))
    frame_out = pl.concat(problems) if problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
    return results, frame_out


UNIQUE_TYPES = {"expect_compound_columns_to_be_unique": True, "expect_column_values_to_be_unique": False}


def unique_expectations(kind: str) -> list[dict]:
    """The suite's uniqueness expectations (checked again across batches by the pipeline)."""
    out = []
    for exp in load_suite_json(kind).get("expectations", []):
        if exp.get("type") in UNIQUE_TYPES:
            meta = exp.get("meta") or {}
            cols = _columns(exp.get("kwargs") or {})
            out.append({"expectation": exp["type"], "columns": cols, "compound": UNIQUE_TYPES[exp["type"]],
                        "ignore_row_if": (exp.get("kwargs") or {}).get("ignore_row_if", "never"),
                        "rule": meta.get("rule") or exp["type"], "text": meta.get("message") or exp["type"],
                        "severity": "warning" if str(exp.get("severity", "critical")).lower().endswith("warning")
                        else "error"})
    return out


def expectation_spec(kind: str, column: str, type_: str) -> dict:
    """The suite's expectation of `type_` on `column` (rule, text, severity) for checks completed outside GX."""
    for exp in load_suite_json(kind).get("expectations", []):
        cols = _columns(exp.get("kwargs") or {})
        if exp.get("type") == type_ and cols == [column]:
            meta = exp.get("meta") or {}
            return {"expectation": type_, "columns": cols, "rule": meta.get("rule") or type_,
                    "text": meta.get("message") or type_,
                    "severity": "warning" if str(exp.get("severity", "critical")).lower().endswith("warning")
                    else "error"}
    raise KeyError(f"{kind}: no {type_} on {column}")


def _merge_details(parts: list[str | None], extra_rows: list[int] = ()) -> str | None:
    docs = [json.loads(p) for p in parts if p]
    if not docs:
        return None
    merged = dict(docs[0])
    rows = sorted({int(r) for d in docs for r in d.get("rows_sample", [])} | {int(r) for r in extra_rows})
    if rows:
        merged["rows_sample"] = rows[:20]
    exc = next((d["exception"] for d in docs if d.get("exception")), None)
    if exc:
        merged["exception"] = exc
    return json.dumps(merged, ensure_ascii=False)


def merge_results(per_batch: list[list[dict]]) -> list[dict]:
    """One result per expectation over all batches: success if every batch succeeded, counts summed."""
    if not per_batch:
        return []
    if len(per_batch) == 1:
        return per_batch[0]
    merged = []
    for i, first in enumerate(per_batch[0]):
        same = [b[i] for b in per_batch if i < len(b) and (b[i]["expectation"], b[i]["column_name"]) ==
                (first["expectation"], first["column_name"])]
        counts = [r["unexpected_count"] for r in same if r["unexpected_count"] is not None]
        merged.append({**first, "success": all(r["success"] for r in same),
                       "unexpected_count": sum(counts) if counts else None,
                       "details": _merge_details([r["details"] for r in same])})
    return merged


def add_unexpected(results: list[dict], spec: dict, rows: list[int]) -> None:
    """Count rows found failing a (uniqueness) expectation outside GX into its merged result."""
    column = ", ".join(spec["columns"])
    for res in results:
        if res["expectation"] == spec["expectation"] and res["column_name"] == column:
            res["unexpected_count"] = (res["unexpected_count"] or 0) + len(rows)
            res["success"] = False
            res["details"] = _merge_details([res["details"]], rows)
            return
