"""Vectorised parsers for numbers, integers, booleans and enumerations (strings in, typed out)."""
from __future__ import annotations

import unicodedata

import polars as pl

TRUE = ["true", "verdadero", "si", "sí", "s", "yes", "y", "1", "1.0", "x"]
FALSE = ["false", "falso", "no", "n", "0", "0.0"]


def number(expr: pl.Expr, decimal_comma: bool) -> pl.Expr:
    """Float from text; thousands separators accepted when unambiguous.

    With both '.' and ',' the last one is the decimal mark. A lone ',' is decimal in a
    decimal-comma file, else thousands when grouped by three (1,234). A lone '.' is thousands
    only in a decimal-comma file when grouped by three (1.234).
    """
    s = expr.cast(pl.String).str.strip_chars().str.replace_all(r"[\s\u00a0$]", "")
    has_dot, has_comma = s.str.contains(r"\.", literal=False), s.str.contains(",", literal=True)
    last_comma = s.str.contains(r",\d*$")
    both = has_dot & has_comma
    comma_thousands = s.str.contains(r"^-?\d{1,3}(,\d{3})+$")
    dot_thousands = s.str.contains(r"^-?\d{1,3}(\.\d{3})+$")
    cleaned = (
        pl.when(both & last_comma).then(s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(both).then(s.str.replace_all(",", "", literal=True))
        .when(has_comma & (pl.lit(decimal_comma) | ~comma_thousands)).then(s.str.replace(",", ".", literal=True))
        .when(has_comma).then(s.str.replace_all(",", "", literal=True))
        .when(has_dot & pl.lit(decimal_comma) & dot_thousands).then(s.str.replace_all(".", "", literal=True))
        .otherwise(s)
    )
    ok = cleaned.str.contains(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
    return pl.when(ok).then(cleaned.cast(pl.Float64, strict=False))


def integer(expr: pl.Expr, decimal_comma: bool) -> pl.Expr:
    x = number(expr, decimal_comma)
    return pl.when(x == x.round(0)).then(x.cast(pl.Int64, strict=False))


def boolean(expr: pl.Expr) -> pl.Expr:
    s = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return pl.when(s.is_in(TRUE)).then(True).when(s.is_in(FALSE)).then(False).otherwise(None).cast(pl.Boolean)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def enum(expr: pl.Expr, allowed: list[str]) -> pl.Expr:
    """Match ignoring case and accents; return the canonical spelling or the input unchanged
    (so the set check can report it)."""
    folded = {_fold(a): a for a in allowed}
    folded.update({"ninguna": "none", "ninguno": "none", "nacional": "national"} if "none" in allowed
                  or "national" in allowed else {})
    folded = {k: v for k, v in folded.items() if v in allowed}
    s = expr.cast(pl.String).str.strip_chars()
    key = s.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    return key.replace_strict(folded, default=s, return_dtype=pl.String)


# Larger magnitudes are typos or overflow (1e400 reads as infinity), never a program's figure: the
# largest amounts (budgets in US$) stay below 1e10.
MAX_MAGNITUDE = 1e15


def out_of_range(x: pl.Expr) -> pl.Expr:
    """True for a parsed number that is not finite or whose magnitude exceeds MAX_MAGNITUDE."""
    return x.is_infinite() | x.is_nan() | (x.abs() > MAX_MAGNITUDE)
