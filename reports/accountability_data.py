"""Everything the accountability report (rendición de cuentas) of one program and year says, read
from the query layer only: logframe with targets and results, budget, RUP coverage, semáforo,
agreements, data-quality notes and sources. The PDF writer (reports/accountability.py) only lays
these figures out; the tests compare them with the same queries."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from charts.style import STATE_ORDER
from reports.context import BUDGET_SOURCE
from warehouse import queries
from warehouse.queries import coverage
from warehouse.queries.agreements import all_agreements
from warehouse.queries.budget import budget_totals
from warehouse.queries.logframe import logframe_indicators, logframe_objectives
from warehouse.queries.quality import load_totals
from warehouse.query import Viewer

VERSIONS = ("tecnica", "ciudadana")


class ReportError(ValueError):
    """The program or the year cannot be reported (unknown program, no data for the year)."""


@dataclass
class AccountabilityData:
    program: dict                      # program_code, name, institution, eje, intervention, description, ...
    year: int
    as_of: dt.date                     # the report's date: 31 December, or the warehouse's as-of date
    is_sample: bool
    objectives: pl.DataFrame
    indicators: pl.DataFrame           # logframe_indicators at as_of (national)
    semaforo: dict[str, int]           # state -> indicators
    budget: dict                       # budget_totals of the year up to as_of
    coverage_quarter: str | None
    coverage: pl.DataFrame             # program_coverage at that quarter, labelled (national first)
    coverage_raw: pl.DataFrame         # the same, unlabelled (NULL = suppressed)
    coverage_series: pl.DataFrame      # national quarters of the year, unlabelled
    agreements: pl.DataFrame           # agreements on the program's indicators, weeks of the year
    quality: dict
    sources: list[str] = field(default_factory=list)

    @property
    def national(self) -> dict | None:
        rows = self.coverage_raw.filter(pl.col("level") == "nacional")
        return rows.row(0, named=True) if rows.height else None


def report_date(year: int, as_of: dt.date | None) -> dt.date:
    """31 December of `year`, or the warehouse's as-of date when the year is not over in the data."""
    end = dt.date(year, 12, 31)
    return min(end, as_of) if as_of else end


def gather(program: str, year: int, viewer: Viewer, path=None) -> AccountabilityData:
    status = queries.status(viewer, path)
    progs = queries.programs(viewer, path).filter(pl.col("program_code") == program)
    if progs.is_empty():
        raise ReportError(f"El programa {program} no existe en el catálogo de programas.")
    if status["as_of"] is not None and year > status["as_of"].year:
        raise ReportError(f"No hay datos de {year}: el almacén llega al {status['as_of'].isoformat()}.")
    day = report_date(year, status["as_of"])
    indicators = logframe_indicators(program, day, viewer=viewer, path=path)
    counts = dict(indicators.group_by("semaforo").len().iter_rows()) if indicators.height else {}
    semaforo = {s: int(counts.get(s, 0)) for s in STATE_ORDER if counts.get(s)}
    budget = budget_totals(day, viewer=viewer, program=program, path=path)
    quarter = coverage.latest_quarter(viewer, year, path) if _has_coverage(viewer, path) else None
    raw = coverage.program_coverage(program, viewer, quarter, path) if quarter else pl.DataFrame()
    series = (coverage.program_series(program, viewer, path=path).filter(pl.col("quarter").str.starts_with(f"{year}-"))
              if quarter else pl.DataFrame())
    codes = indicators["code"].to_list() if indicators.height else []
    agreements = all_agreements(viewer=viewer, as_of=day, path=path)
    agreements = agreements.filter(pl.col("indicator_code").is_in(codes) & pl.col("week").str.starts_with(f"{year}-"))
    srcs = sorted({s for s in indicators["medio_verificacion"].to_list() if s}) if indicators.height else []
    sources = [*srcs, BUDGET_SOURCE, coverage.RUP_SOURCE]
    return AccountabilityData(
        program=progs.row(0, named=True), year=year, as_of=day, is_sample=bool(status["is_sample"]),
        objectives=logframe_objectives(program, viewer=viewer, path=path), indicators=indicators,
        semaforo=semaforo, budget=budget, coverage_quarter=quarter,
        coverage=coverage.labelled(raw) if quarter else raw, coverage_raw=raw, coverage_series=series,
        agreements=agreements, quality=_quality(indicators, viewer, path), sources=sources)


def _has_coverage(viewer, path) -> bool:
    return bool(coverage.quarters(viewer, path))


def _quality(indicators: pl.DataFrame, viewer, path) -> dict:
    totals = load_totals(viewer=viewer, path=path)
    n = indicators.height
    return {"indicators": n,
            "without_data": int((indicators["semaforo"] == "sin dato").sum()) if n else 0,
            "without_target": int((indicators["semaforo"] == "sin meta").sum()) if n else 0,
            "loads": int(totals["loads"] or 0), "quarantined_rows": int(totals["quarantined_rows"] or 0),
            "failed_checks": int(totals["failed_checks"] or 0)}
