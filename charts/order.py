"""Presentation order of small result frames (the semáforo changes are ordered in SQL:
warehouse.queries.home.week_semaforo_changes)."""
from __future__ import annotations

import polars as pl


def largest_moves(changes: pl.DataFrame, n: int = 20) -> pl.DataFrame:
    """The `n` largest progress movements, falls before rises (each by size)."""
    moved = changes.filter(pl.col("percent_change").is_not_null())
    biggest = moved.sort(pl.col("percent_change").abs(), descending=True).head(n)
    return biggest.sort([pl.col("percent_change") >= 0, pl.col("percent_change").abs()], descending=[False, True])
