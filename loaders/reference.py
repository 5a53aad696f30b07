"""Reference value sets read from the warehouse before validation (empty when it does not exist)."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from warehouse.store import read_connection

INDICATOR_SCHEMA = {"code": pl.String, "unit": pl.String, "scale": pl.Float64, "formula_denominator": pl.String,
                    "frequency": pl.String, "aggregation_rule": pl.String}


# Units whose values may be negative: changes and growth rates (e.g. ODM-1.4 '% de variación anual').
# Every other unit (counts, %, amounts, rates) takes values >= 0 (rule valor_negativo).
NEGATIVE_UNIT_WORDS = ("variacion", "crecimiento", "cambio")


def allows_negative(unit: str | None) -> bool:
    """True when an indicator's unit admits negative values (see NEGATIVE_UNIT_WORDS)."""
    if not unit:
        return False
    folded = unicodedata.normalize("NFKD", unit).encode("ascii", "ignore").decode().lower()
    return any(w in folded for w in NEGATIVE_UNIT_WORDS)


def allows_negative_expr(unit: pl.Expr) -> pl.Expr:
    """Vectorised `allows_negative` (False for a missing unit)."""
    folded = unit.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    return folded.str.contains("|".join(NEGATIVE_UNIT_WORDS)).fill_null(False)


@dataclass
class Reference:
    municipalities: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    indicators: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=INDICATOR_SCHEMA))
    default_inicio: float = 0.1
    as_of: dt.date | None = None          # the warehouse's data date before the load (view stg_as_of)

    @property
    def max_year(self) -> int | None:
        """Latest plausible period year: the warehouse's as-of year + 1 (None: no data yet; the
        pipeline then uses the file's report dates, see loaders.pipeline)."""
        return self.as_of.year + 1 if self.as_of else None

    def params(self) -> dict:
        codes = self.indicators["code"].to_list()
        return {"municipality_codes": self.municipalities, "scope_codes": self.municipalities + ["national"],
                "program_codes": self.programs, "indicator_codes": codes, "max_year": self.max_year}


class WarehouseInvalid(ValueError):
    """The warehouse path holds something that is not a DuckDB database."""


def check_duckdb_file(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(12)
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise WarehouseInvalid(f"El almacén {path} no es una base de datos DuckDB válida; no se cambió nada.")


def read_reference(path: Path) -> Reference:
    ref = Reference()
    if not Path(path).exists():
        return ref
    check_duckdb_file(Path(path))
    with read_connection(path) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "municipalities" in tables:
            ref.municipalities = [r[0] for r in con.execute("SELECT code FROM municipalities ORDER BY code").fetchall()]
        if "programs" in tables:
            ref.programs = [r[0] for r in con.execute("SELECT program_code FROM programs ORDER BY 1").fetchall()]
        if "indicators" in tables:
            ref.indicators = con.sql("SELECT code, unit, scale, formula_denominator, frequency, aggregation_rule FROM stg_indicators").pl().cast(
                INDICATOR_SCHEMA)
        if "semaforo_thresholds" in tables:
            row = con.execute("SELECT inicio_max_expected FROM semaforo_thresholds WHERE indicator_code='*'").fetchall()
            row = row[0] if row else None
            if row:
                ref.default_inicio = row[0]
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        if "stg_as_of" in views:
            row = con.execute("SELECT as_of FROM stg_as_of").fetchall()
            ref.as_of = row[0][0] if row and row[0][0] else None
    return ref
