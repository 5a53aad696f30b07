"""What an exported chart or table must say about itself: title, period, filters, source, sample."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charts.style import MONTHS_ES

DEFAULT_SOURCE = "STP, sistema de seguimiento del SPSU (almacén del Tablero SPSU)"
# What a page's charts and tables are drawn from ("Fuente: ..." on the image, in the workbook).
INDICATORS_SOURCE = ("Instituciones ejecutoras (reportes de indicadores), consolidados por la STP; semáforo "
                     "según el método del Tablero SPSU")
BUDGET_SOURCE = "Ministerio de Hacienda, SAFI (ejecución presupuestaria de los programas)"
QUALITY_SOURCE = "Tablero SPSU: registro de cargas, validaciones y estado de reporte de los indicadores"
AGREEMENTS_SOURCE = "Reunión semanal de seguimiento: acuerdos registrados en el Tablero SPSU"
SAMPLE_NOTE = "Datos de muestra: cifras ficticias, no son estadísticas oficiales"


@dataclass(frozen=True)
class ExportContext:
    """The facts printed on every exported image and in every exported workbook."""
    title: str
    period: str = ""            # "Semana 2014-W20 (12 al 18 de mayo de 2014)"
    filters: str = ""           # "CSU y CSR · Eje 2"
    source: str = DEFAULT_SOURCE
    is_sample: bool = False

    def subtitle(self) -> str:
        parts = [p for p in (self.period, self.filters) if p]
        if self.is_sample:
            parts.append("DATOS DE MUESTRA")
        return " · ".join(parts)

    def footer(self) -> str:
        """Source, and the sample warning on its own line (Plotly markup: <br> breaks the line)."""
        return f"Fuente: {self.source}" + (f"<br>{SAMPLE_NOTE}" if self.is_sample else "")


def indicator_source(source: str | None) -> str:
    """One indicator's own source (e.g. 'DIGESTYC, EHPM'), and the method that turns it into a semáforo."""
    return f"{source}; avance y semáforo: método del Tablero SPSU (STP)" if source else INDICATORS_SOURCE


def week_period(week: str, week_end: dt.date) -> str:
    """'Semana 2014-W20 (12 al 18 de mayo de 2014)'."""
    start = week_end - dt.timedelta(days=6)
    if start.month == week_end.month:
        span = f"{start.day} al {week_end.day} de {MONTHS_ES[week_end.month - 1]} de {week_end.year}"
    elif start.year == week_end.year:
        span = (f"{start.day} de {MONTHS_ES[start.month - 1]} al {week_end.day} de "
                f"{MONTHS_ES[week_end.month - 1]} de {week_end.year}")
    else:
        span = (f"{start.day} de {MONTHS_ES[start.month - 1]} de {start.year} al {week_end.day} de "
                f"{MONTHS_ES[week_end.month - 1]} de {week_end.year}")
    return f"Semana {week} ({span})"


def page_context(title: str, status: dict, filters=None, *, source: str = DEFAULT_SOURCE,
                 extra: str = "") -> ExportContext:
    """Context for a page's chart: `status` from page_header(), `filters` from filter_bar() (or None)."""
    period, described = "", ""
    if filters is not None:
        period = week_period(filters.week, filters.week_end)
        described = " · ".join(p for p in filters.describe().split(" · ") if not p.startswith("Semana "))
    if extra:
        described = " · ".join(p for p in (described, extra) if p)
    return ExportContext(title=title, period=period, filters=described, source=source,
                         is_sample=bool(status.get("is_sample")))
