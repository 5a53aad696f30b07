"""Every number of the weekly deck, asked once from the query layer (warehouse/queries/*).

Each query function opens its own read-only connection, so they run concurrently; slides, notes
and charts then read only this WeeklyData.
"""
from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from warehouse.asof import last_complete_week_end, week_end_of, week_label
from warehouse.queries import agreements as q_agreements
from warehouse.queries import budget as q_budget
from warehouse.queries import ejes as q_ejes
from warehouse.queries import home as q_home
from warehouse.queries import municipal as q_municipal
from warehouse.queries import quality as q_quality
from warehouse.queries.reference import status as warehouse_status
from warehouse.query import Viewer

SOURCE = "STP, sistema de seguimiento del SPSU (almacén del Tablero SPSU)"


class DeckError(RuntimeError):
    """The deck cannot be built (empty warehouse, unknown week): the message says what to do."""


@dataclass
class WeeklyData:
    """Every number the deck shows, as the query layer returned it."""
    week: str
    week_start: dt.date
    week_end: dt.date
    previous: str
    status: dict
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    rows: dict[str, dict | None] = field(default_factory=dict)
    intervention: str | None = None       # the filters the deck was made from (None: CSU y CSR)
    department: str | None = None         # department code (None: the whole country)
    department_name: str | None = None

    @property
    def is_sample(self) -> bool:
        return bool(self.status.get("is_sample"))

    @property
    def where(self) -> str:
        """'nivel nacional' or 'departamento de San Salvador': the level of the deck's figures."""
        return f"departamento de {self.department_name or self.department}" if self.department else "nivel nacional"

    def describe(self) -> str:
        """'Rurales (CSR) · Departamento de San Salvador': the filters printed on every image."""
        iv = {"CSU": "Urbanas (CSU)", "CSR": "Rurales (CSR)"}.get(self.intervention or "", "CSU y CSR")
        return iv + (f" · Departamento de {self.department_name or self.department}" if self.department else " · Nacional")


def default_week(viewer: Viewer, warehouse=None) -> str:
    """The week under review: the last complete ISO week on or before the as-of date."""
    as_of = warehouse_status(viewer, warehouse)["as_of"]
    if as_of is None:
        raise DeckError("El almacén no tiene mediciones: cargue datos antes de generar la presentación.")
    return week_label(last_complete_week_end(as_of))


def resolve_week(week: str | None, viewer: Viewer, warehouse=None) -> tuple[dict, str, dt.date]:
    """The warehouse's status, the deck's week (default: the week under review) and its Sunday.
    Raises WarehouseMissing without a warehouse, DeckError for one without measurements (and no week
    given) or a week not written 2014-W20."""
    status = warehouse_status(viewer, warehouse)
    week = week or default_week(viewer, warehouse)
    try:
        return status, week, week_end_of(week)
    except ValueError as exc:
        raise DeckError(f"Semana inválida {week!r}: use el formato ISO AAAA-Www, por ejemplo 2014-W20.") from exc


def gather(week: str | None, viewer: Viewer, warehouse=None, workers: int = 4,
           intervention: str | None = None, department: str | None = None) -> WeeklyData:
    """Run the deck's queries (concurrently: each opens its own read-only connection), restricted to
    the intervention ('CSU', 'CSR'; None or 'ambas': both) and department the deck was made from."""
    intervention = None if intervention in (None, "ambas") else intervention
    status, week, week_end = resolve_week(week, viewer, warehouse)
    week_start = week_end - dt.timedelta(days=6)
    previous = week_label(week_end - dt.timedelta(days=7))
    w, v, p = week_end, viewer, warehouse
    f = dict(intervention=intervention, department=department)
    level = "departamento" if department else "nacional"
    frame_jobs = {
        "semaforo_counts": lambda: q_home.semaforo_counts(w, v, **f, path=p),
        "eje_names": lambda: q_ejes.ejes_catalog(v, path=p),
        "eje_indicators": lambda: q_ejes.eje_indicators(w, v, **f, path=p),
        "distribution": lambda: q_ejes.eje_semaforo_distribution(w, v, unit="municipios", **f, path=p),
        "off_national": lambda: q_home.off_track(w, v, scope_type=level, limit=500, **f, path=p),
        "off_municipal": lambda: q_home.off_track(w, v, scope_type="municipio", limit=100_000, **f, path=p),
        "map": lambda: q_municipal.municipality_map(w, v, **f, path=p),
        "changes": lambda: q_home.week_changes(week, previous, v, **f, path=p),
        "semaforo_changes": lambda: q_home.week_semaforo_changes(week, previous, v, **f, path=p),
        "revisions": lambda: q_home.week_revisions(week_start, w, v, **f, path=p),
        "late_reports": lambda: q_home.week_late_reports(week_start, w, v, **f, path=p),
        "programs": lambda: q_budget.program_execution(w, v, **f, path=p),
        "agreements": lambda: q_agreements.open_agreements(v, as_of=w, path=p),
        "loads": lambda: q_quality.load_history(v, path=p),
        "completeness": lambda: q_quality.completeness_by_municipality(w, v, **f, path=p),
    }
    row_jobs = {
        "tiles": lambda: q_home.semaforo_tiles(w, v, **f, path=p),
        "on_track": lambda: q_home.pqd_on_track(w, v, **f, path=p),
        "odm": lambda: q_home.odm_headline(w, v, path=p),
        "budget": lambda: q_home.budget_execution(w, v, **f, path=p),
        "load_totals": lambda: q_quality.load_totals(v, path=p),
        "boundaries": lambda: q_municipal.municipality_boundaries(v, path=p),
    }
    jobs = {**frame_jobs, **row_jobs}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        results = {name: future.result() for name, future in futures.items()}
    data = WeeklyData(week, week_start, week_end, previous, status, intervention=intervention,
                      department=department, department_name=_department_name(department, v, p))
    data.frames = {name: results[name] for name in frame_jobs}
    data.rows = {name: results[name] for name in row_jobs}
    return data


def _department_name(code: str | None, viewer: Viewer, path) -> str | None:
    if not code:
        return None
    from warehouse.queries.reference import departments
    names = departments(viewer, path)
    match = names.filter(pl.col("department_code") == code)
    return match["department"][0] if match.height else code


def municipal_counts(off_municipal: pl.DataFrame) -> pl.DataFrame:
    """Per indicator: municipalities in rojo and in amarillo (rows of home.off_track)."""
    return off_municipal.group_by("indicator_code").agg(
        (pl.col("semaforo") == "rojo").sum().alias("rojo"),
        (pl.col("semaforo") == "amarillo").sum().alias("amarillo"))
