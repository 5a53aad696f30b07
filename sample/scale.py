"""The sample at S times its size (benchmarks): write_scaled_sample(out_dir, scale).

Scale 1 is `write_sample` itself (byte-identical files). Any other scale starts from the same
in-memory sample (`generate.build`) and replicates it with polars, vectorised:

- a *unit* is (copy k, municipality): the 125 intervention municipalities take their own series, the
  other 137 municipalities of warehouse/reference/municipalities.csv (all 262 in all) take those of an
  intervention municipality (round robin). Copy 0 keeps the indicator codes; copy k >= 1 loads the
  whole catalogue again as `CODE-Rkk` (same logframe, same method parameters), so a 10 M-row
  warehouse has about 60 x 23 indicators, like a region reporting weekly.
- measurements and targets: round(S x 125) units, in order (copy 0 first, municipalities
  interleaving CSR and CSU), so rows ~ S x the sample's (S = 0.1: 13 municipalities, ~22 k rows;
  S = 47: ~10 M rows over all 262 municipalities);
- budget: round(1.5 x S x 125) units of (2-year block b, municipality), so S = 47 gives ~2 M budget
  rows: block b holds the sample's 2013-2014 months shifted back 2b years (a longer SAFI history,
  back to 1991-1992: 12 blocks); units past the 12th block of all 262 municipalities are later SAFI
  extracts e = 1, 2, ... re-sending the same months with modified, scheduled and executed amounts
  1 % x e higher (a new version of each row, as a weekly extract revises past months), one set of
  files per extract.

Large files are CSV (UTF-8, Spanish headers) in chunks of CHUNK_ROWS rows, which the loaders read in
batches. Every row keeps Muestra = true: this is sample data.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import polars as pl

from sample.generate import (BUDGET_COLUMNS, IND_COLUMNS, build, measurement_columns, target_columns,
                             write_sample)
from sample.reference import _read, municipalities
from sample.writers import UTF8, write

CHUNK_ROWS = 1_000_000
BUDGET_FACTOR = 1.5
BUDGET_BLOCKS = 12                # 2-year blocks back to 1991-1992: the loaders quarantine periods before 1990
REVISION_STEP = 0.01
BASE_UNITS = 125                 # intervention municipalities in the sample


def unit_municipalities() -> list[tuple[str, str]]:
    """(municipality, source municipality) for all 262: intervention ones first (CSR and CSU
    interleaved, each its own source), then the rest, each copying an intervention municipality."""
    munis = municipalities()
    csr = [m.code for m in munis if m.intervention == "CSR"]
    csu = [m.code for m in munis if m.intervention == "CSU"]
    inter = [c for pair in itertools.zip_longest(csr, csu) for c in pair if c]
    others = sorted(r["code"] for r in _read("municipalities.csv") if r["code"] not in set(inter))
    return [(c, c) for c in inter] + [(c, inter[i % len(inter)]) for i, c in enumerate(others)]


def _units(n: int) -> pl.DataFrame:
    """The first n units: copy (k), scope_code and the source municipality whose rows it takes."""
    munis = unit_municipalities()
    rows = [(u // len(munis),) + munis[u % len(munis)] for u in range(max(1, n))]
    return pl.DataFrame(rows, schema={"copy": pl.Int32, "scope_code": pl.String, "source": pl.String},
                        orient="row")


def copy_code(code: pl.Expr, k: pl.Expr) -> pl.Expr:
    return pl.when(k == 0).then(code).otherwise(code + pl.lit("-R") + k.cast(pl.String).str.zfill(2))


def _replicate(frame: pl.DataFrame, units: pl.DataFrame, code_col: str) -> pl.DataFrame:
    out = frame.rename({"scope_code": "source"}).join(units, on="source", how="inner")
    return out.with_columns(copy_code(pl.col(code_col), pl.col("copy")).alias(code_col)).drop("source")


def _csv(frame: pl.DataFrame, columns, path: Path) -> Path:
    """CSV the loaders accept: UTF-8, comma, ISO dates, true/false, Spanish headers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = [k for k, _ in columns]
    frame = frame.select([pl.col(k) if k in frame.columns else pl.lit(None).alias(k) for k in cols])
    frame.rename(dict(columns)).write_csv(path, line_terminator="\r\n", float_precision=None)
    return path


def _chunks(frame: pl.DataFrame, columns, directory: Path, stem: str) -> list[Path]:
    n = max(1, -(-frame.height // CHUNK_ROWS))
    return [_csv(frame.slice(i * CHUNK_ROWS, CHUNK_ROWS), columns, directory / f"{stem}_{i + 1:03d}.csv")
            for i in range(n)]


def _frame(rows: list[dict], columns) -> pl.DataFrame:
    keys = [k for k, _ in columns]
    return pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], infer_schema_length=None)


def write_scaled_sample(out_dir: Path, scale: float = 1.0) -> list[tuple[Path, str]]:
    """The sample files at `scale` (see module doc), in load order: [(path, loader kind), ...]."""
    out_dir = Path(out_dir)
    if scale == 1:
        return write_sample(out_dir)
    if scale <= 0:
        raise ValueError("scale must be positive")
    data = build()
    units = _units(round(scale * BASE_UNITS))
    copies = int(units["copy"].max()) + 1
    files: list[tuple[Path, str]] = []

    # 1. logframes: the catalogue once per copy (ODM indicators once)
    ind = _frame(data["indicators"], IND_COLUMNS)
    program_ind = ind.filter(pl.col("program_code") != "ODM1")
    catalogue = pl.concat([ind] + [program_ind.with_columns(
        copy_code(pl.col("code"), pl.lit(k)).alias("code"), (pl.col("name") + f" (réplica {k})").alias("name"))
        for k in range(1, copies)], how="vertical_relaxed")
    files.append((_csv(catalogue, IND_COLUMNS, out_dir / "01_marco_logico" / "catalogo.csv"), "indicators"))

    # 2. targets: per unit, national ones per copy, ODM once
    tcols = target_columns()
    tg = _frame(data["targets"], tcols)
    odm_t = tg.filter(pl.col("indicator_code").str.starts_with("ODM-"))
    prog_t = tg.filter(~pl.col("indicator_code").str.starts_with("ODM-"))
    muni_t = _replicate(prog_t.filter(pl.col("scope_code") != "nacional"), units, "indicator_code")
    nat = prog_t.filter(pl.col("scope_code") == "nacional")
    nat_t = pl.concat([nat.with_columns(copy_code(pl.col("indicator_code"), pl.lit(k)).alias("indicator_code"))
                       for k in range(copies)])
    targets = pl.concat([muni_t.select(tg.columns), nat_t, odm_t], how="vertical_relaxed")
    files.append((_csv(targets, tcols, out_dir / "02_metas" / "metas.csv"), "targets"))

    # 3. measurements in chunks, the ODM national series apart
    mcols = measurement_columns(True)
    meas = _replicate(_frame(data["measurements"], mcols), units, "indicator_code")
    files += [(p, "measurements") for p in _chunks(meas, mcols, out_dir / "03_mediciones", "mediciones")]
    files.append((write(out_dir / "03_mediciones" / "ODM1_nacional.csv", measurement_columns(False, "Ámbito"),
                        data["odm"], UTF8), "measurements"))

    # 4. budget: (2-year block, municipality) units, plus the central level per (extract, block)
    bud = _frame(data["budget"], BUDGET_COLUMNS)
    bunits = _units(round(BUDGET_FACTOR * scale * BASE_UNITS)).with_columns(
        (pl.col("copy") % BUDGET_BLOCKS).alias("block"), (pl.col("copy") // BUDGET_BLOCKS).alias("extract"))
    local = bud.filter(pl.col("scope_code") != "nacional").rename({"scope_code": "source"}).join(
        bunits, on="source", how="inner")
    central = bud.filter(pl.col("scope_code") == "nacional").join(
        bunits.select("block", "extract").unique(), how="cross")
    keep = bud.columns + ["block", "extract"]
    budget = pl.concat([local.select(keep), central.select(keep)]).with_columns(
        ((pl.col("month").str.slice(0, 4).cast(pl.Int32) - 2 * pl.col("block")).cast(pl.String)
         + pl.col("month").str.slice(4)).alias("month"),
        # a later extract re-sends the same months revised: the year's modifications and execution 1 % higher
        *[(pl.col(c) * (1 + REVISION_STEP * pl.col("extract"))).round(2).alias(c)
          for c in ("modified", "scheduled", "committed", "accrued", "paid")])
    for e in range(int(budget["extract"].max()) + 1):     # one set of files per extract: no file holds a key twice
        files += [(p, "budget") for p in _chunks(budget.filter(pl.col("extract") == e).drop("block", "extract"),
                                                 BUDGET_COLUMNS, out_dir / "04_presupuesto", f"presupuesto_extracto{e + 1}")]

    # 5. the revision, when its municipality is in the first copy
    rev = data["revision"]
    if rev[0]["scope_code"] in set(units.filter(pl.col("copy") == 0)["scope_code"]):
        files.append((write(out_dir / "05_revisiones" / "correccion.csv", measurement_columns(False), rev, UTF8),
                      "measurements"))
    return files


def scaled_counts(files: list[tuple[Path, str]]) -> dict[str, int]:
    """Data rows per loader kind in the files written (CSV only; a header line each)."""
    out: dict[str, int] = {}
    for path, kind in files:
        if path.suffix == ".csv":
            with open(path, "rb") as fh:
                out[kind] = out.get(kind, 0) + sum(1 for _ in fh) - 1
    return out

