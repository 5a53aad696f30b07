"""Presentation order of small result frames: worse news first."""
from __future__ import annotations

import polars as pl

DIRECTION_RANK = {"empeora": 0, "cambia": 1, "mejora": 2}


def worse_first(changes: pl.DataFrame) -> pl.DataFrame:
    """Semáforo changes (home.week_changes rows): what got worse first, then other changes, then
    improvements, then value-only movements; within each, the largest fall of progress first."""
    rank = pl.col("direction").replace_strict(DIRECTION_RANK, default=len(DIRECTION_RANK), return_dtype=pl.Int8)
    return changes.sort([rank, pl.col("percent_change")], nulls_last=True)


def largest_moves(changes: pl.DataFrame, n: int = 20) -> pl.DataFrame:
    """The `n` largest progress movements, falls before rises (each by size)."""
    moved = changes.filter(pl.col("percent_change").is_not_null())
    biggest = moved.sort(pl.col("percent_change").abs(), descending=True).head(n)
    return biggest.sort([pl.col("percent_change") >= 0, pl.col("percent_change").abs()], descending=[False, True])
