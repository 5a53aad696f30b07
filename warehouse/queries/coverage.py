"""RUP coverage: registered, eligible and served households and coverage per scope, program and quarter.

Every figure comes from `coverage_published` (warehouse/sql/60_mart_coverage.sql), where counts
below 5 households, and the complementary cells that would reveal them by difference, are already
NULL with a `*_suppressed` flag. Nothing here reads household rows. `labelled` turns a result into
the text every view, download and report shows ("< 5" for a suppressed count).
"""
from __future__ import annotations

import polars as pl

from warehouse.query import Viewer, fetch, scope_clause

RUP_SOURCE = "RUP, Registro Único de Participantes (extracto anonimizado); cobertura según el Tablero SPSU"
SUPPRESSED = "< 5"
COVERAGE_HIDDEN = "reservado"
COUNTS = ("registered", "eligible", "served")
_COLUMNS = """c.level, c.scope_code, c.scope_name, c.department_code, c.program_code, c.program_name,
              c.quarter, c.quarter_end, c.registered, c.eligible, c.served, c.coverage,
              c.registered_suppressed, c.eligible_suppressed, c.served_suppressed"""     # model page_coverage (61)


def quarters(viewer: Viewer, path=None) -> list[str]:
    """Quarters with coverage figures, oldest first (empty without a RUP extract)."""
    where, sp = scope_clause("c.scope_code", viewer)
    frame = fetch(f"SELECT DISTINCT c.quarter FROM coverage_published c WHERE {where} ORDER BY 1", sp, path)
    return frame["quarter"].to_list()


def latest_quarter(viewer: Viewer, year: int | None = None, path=None) -> str | None:
    """The last quarter with figures (of `year`, when given)."""
    qs = [q for q in quarters(viewer, path) if year is None or q.startswith(f"{year}-")]
    return qs[-1] if qs else None


def municipality_coverage(municipality: str, viewer: Viewer, quarter: str | None = None, path=None) -> pl.DataFrame:
    """One row per program of the municipality's intervention at the quarter (default: the latest)."""
    quarter = quarter or latest_quarter(viewer, path=path)
    where, sp = scope_clause("c.scope_code", viewer)
    return fetch(f"""
        SELECT {_COLUMNS} FROM page_coverage c
        WHERE c.level = 'municipio' AND c.scope_code = ? AND c.quarter = ? AND {where}
        ORDER BY c.eje_id, c.program_code""", [municipality, quarter, *sp], path)


def program_coverage(program: str, viewer: Viewer, quarter: str | None = None, path=None) -> pl.DataFrame:
    """The program at the quarter: the national row first, then one row per department."""
    quarter = quarter or latest_quarter(viewer, path=path)
    where, sp = scope_clause("c.scope_code", viewer)
    return fetch(f"""
        SELECT {_COLUMNS} FROM page_coverage c
        WHERE c.level IN ('nacional', 'departamento') AND c.program_code = ? AND c.quarter = ? AND {where}
        ORDER BY c.level = 'departamento', c.scope_name""", [program, quarter, *sp], path)


def program_series(program: str, viewer: Viewer, scope_code: str = "national", path=None) -> pl.DataFrame:
    """The program's quarterly series at one scope (national by default), suppressed counts NULL."""
    where, sp = scope_clause("c.scope_code", viewer)
    return fetch(f"""
        SELECT {_COLUMNS} FROM page_coverage c
        WHERE c.program_code = ? AND c.scope_code = ? AND {where}
        ORDER BY c.quarter_end""", [program, scope_code, *sp], path)


def coverage_export(viewer: Viewer, quarter: str | None = None, path=None) -> pl.DataFrame:
    """Every published cell at the quarter (all levels), labelled: the download of the coverage table."""
    quarter = quarter or latest_quarter(viewer, path=path)
    where, sp = scope_clause("c.scope_code", viewer)
    frame = fetch(f"""
        SELECT {_COLUMNS} FROM page_coverage c
        WHERE c.quarter = ? AND {where}
        ORDER BY CASE c.level WHEN 'nacional' THEN 1 WHEN 'departamento' THEN 2 ELSE 3 END, c.scope_code,
                 c.program_code""", [quarter, *sp], path)
    return labelled(frame)


def _count_text(col: str) -> pl.Expr:
    formatted = pl.col(col).map_elements(lambda v: f"{v:,}", return_dtype=pl.String)   # the app's 12,345
    return pl.when(pl.col(f"{col}_suppressed")).then(pl.lit(SUPPRESSED)).otherwise(formatted).alias(col)


def labelled(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts and coverage as the text shown and downloaded: "< 5" for a suppressed count, coverage as
    "57.8 %" or "reservado" when it could reveal a suppressed count. Drops the flags."""
    if frame.is_empty():
        return frame.with_columns([pl.col(c).cast(pl.String) for c in (*COUNTS, "coverage")]).drop(
            [f"{c}_suppressed" for c in COUNTS])
    cover = pl.col("coverage").map_elements(lambda v: f"{100 * v:.1f} %", return_dtype=pl.String)
    return frame.with_columns(
        [_count_text(c) for c in COUNTS],
        coverage=pl.when(pl.col("coverage").is_null()).then(pl.lit(COVERAGE_HIDDEN)).otherwise(cover),
    ).drop([f"{c}_suppressed" for c in COUNTS])
