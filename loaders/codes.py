"""Code normalisation: municipality codes (0101, 101, 101.0 -> '0101'; nacional -> 'national')."""
from __future__ import annotations

import polars as pl

NATIONAL = "national"


def municipality_code(expr: pl.Expr, allow_national: bool = True) -> pl.Expr:
    """Canonical 4-digit DDMM code, 'national' when allowed, null when malformed."""
    s = expr.cast(pl.String).str.strip_chars()
    low = s.str.to_lowercase()
    digits = s.str.replace(r"\.0+$", "")
    code = pl.when(digits.str.contains(r"^\d{1,4}$")).then(digits.str.zfill(4))
    if allow_national:
        return pl.when(low.is_in(["nacional", "national", "nac", "pais", "país"])).then(pl.lit(NATIONAL)).otherwise(code)
    return code


def plain_code(expr: pl.Expr) -> pl.Expr:
    """Indicator/program codes: trimmed, as written (a numeric Excel cell loses its '.0')."""
    return expr.cast(pl.String).str.strip_chars().str.replace(r"^(\d+)\.0+$", "${1}")
