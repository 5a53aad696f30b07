"""Run a kind's Great Expectations suite (expectations/<kind>.json) on a parsed frame.

Returns one result dict per expectation (for table validation_results) and a frame of row
problems (_row, column, rule, text, severity) for every failing row of row-level expectations.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path

import polars as pl

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
PROBLEM_SCHEMA = {"_row": pl.Int64, "column": pl.String, "rule": pl.String, "text": pl.String, "severity": pl.String}


def load_suite_json(kind: str) -> dict:
    return json.loads((SUITES_DIR / f"{kind}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _context():
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


def run_suite(kind: str, frame: pl.DataFrame, params: dict) -> tuple[list[dict], pl.DataFrame]:
    """Validate `frame` (must hold `_row`) with the kind's suite and the given suite parameters."""
    gx, batch_def = _context()
    suite = gx.ExpectationSuite(**load_suite_json(kind))
    present = set(frame.columns)
    needed = sorted({c for exp in suite.expectations for c in _columns(exp.configuration.kwargs)} - present)
    frame = frame.with_columns([pl.lit(None).alias(c) for c in needed])
    batch = batch_def.get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                  "unexpected_index_column_names": ["_row"],
                                                  "partial_unexpected_count": 0},
                            expectation_parameters=params)
    results, problems = [], []
    for res in result.results:
        cfg = res.expectation_config
        cols = _columns(cfg.kwargs)
        meta = cfg.meta or {}
        severity = "warning" if str(getattr(cfg, "severity", "critical")).lower().endswith("warning") else "error"
        info = res.exception_info or {}
        raised = info.get("raised_exception")
        details = {"rule": meta.get("rule"), "severity": severity}
        if raised:
            details["exception"] = str(info.get("exception_message"))[:500]
        unexpected = res.result.get("unexpected_index_list") or []
        rows = sorted({int(item["_row"]) for item in unexpected if isinstance(item, dict) and "_row" in item})
        if rows:
            details["rows_sample"] = rows[:20]
        results.append({"suite": kind, "expectation": cfg.type, "column_name": ", ".join(cols) or None,
                        "success": bool(res.success), "unexpected_count": res.result.get("unexpected_count"),
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
