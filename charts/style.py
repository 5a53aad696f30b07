"""One definition of the semáforo (colours, labels, icons) and number formats, used everywhere."""
from __future__ import annotations

import datetime as dt
import math

SEMAFORO_ORDER = ["rojo", "amarillo", "verde", "en inicio", "sin dato", "sin meta"]
# A municipality's overall state adds 'atrasado' (most of its reports past their deadline; see
# warehouse/sql/32_mart_municipality_state.sql): never an indicator's semáforo.
STATE_ORDER = ["rojo", "atrasado", "amarillo", "verde", "en inicio", "sin dato", "sin meta"]
SEMAFORO_COLOR = {
    "verde": "#1a9641", "amarillo": "#f4b400", "rojo": "#d7191c",
    "en inicio": "#74add1", "sin dato": "#9e9e9e", "sin meta": "#cfcfcf", "atrasado": "#7b3294",
}
SEMAFORO_ICON = {
    "verde": "●", "amarillo": "▲", "rojo": "■", "en inicio": "○", "sin dato": "?", "sin meta": "–",
    "atrasado": "◆",
}
SEMAFORO_LABEL = {
    "verde": "Verde (en meta)", "amarillo": "Amarillo (en riesgo)", "rojo": "Rojo (rezagado)",
    "en inicio": "En inicio", "sin dato": "Sin dato", "sin meta": "Sin meta",
    "atrasado": "Atrasado (reportes vencidos)",
}
INTERVENTION_LABEL = {"CSU": "Comunidades Solidarias Urbanas", "CSR": "Comunidades Solidarias Rurales",
                      "none": "Sin intervención"}
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]
MONTHS_ES_SHORT = [m[:3] for m in MONTHS_ES]          # ene, feb, ... (sep, not sept)
TICK_STEPS = (1, 2, 3, 6, 12, 24, 60)                # months between date ticks, the first that fits


def semaforo_badge(state: str | None) -> str:
    """Icon plus label, so colour is never the only signal."""
    state = state or "sin dato"
    return f"{SEMAFORO_ICON.get(state, '?')} {state}"


def fmt_number(value, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{decimals}f}"


def fmt_count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 fila', '3 filas', '1,250 filas': a count with its noun in the right number."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def fmt_value(value) -> str:
    """A measured value or a target with one decimal, none when it rounds to a whole number (a count
    is never '12.0'); '—' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt_number(value, 0 if round(float(value), 1).is_integer() else 1)


def fmt_money(value, decimals: int = 0) -> str:
    return "—" if value is None else f"US$ {value:,.{decimals}f}"


def fmt_percent(value, decimals: int = 1) -> str:
    """`value` already in percent units (45.0 -> '45.0 %')."""
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{decimals}f} %"


def fmt_date(day: dt.date | None) -> str:
    return "—" if day is None else f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"


def month_label(day: dt.date) -> str:
    """'ene 2012': the month as date axes and month categories show it."""
    return f"{MONTHS_ES_SHORT[day.month - 1]} {day.year}"


def program_label(code: str, name: str | None, width: int = 34) -> str:
    """A program as charts name it: code and name ('CSR-AGUA · Agua y saneamiento…'), the name cut
    to `width` characters so axis labels stay one line."""
    if not name:
        return code
    short = name if len(name) <= width else name[:width - 1].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    return f"{code} · {short}"


def _dates(fig, axis: str) -> list[dt.date]:
    """Every date plotted on the figure's `axis` ('x' or 'y'), from its traces' data."""
    out = []
    for trace in fig.data:
        for value in getattr(trace, axis, None) or ():
            if isinstance(value, dt.datetime):
                out.append(value.date())
            elif isinstance(value, dt.date):
                out.append(value)
    return out


def spanish_date_axis(fig, start: dt.date | None = None, end: dt.date | None = None, *, axis: str = "x",
                      max_ticks: int = 8):
    """Month ticks in Spanish on a date axis ('ene 2012'; the year alone for long spans): Plotly's own
    labels are English, and a locale would not reach static exports. The span is start..end when
    given, else the figure's dates; ticks fall on the first day of a month."""
    dates = _dates(fig, axis)
    first, last = start or (min(dates) if dates else None), end or (max(dates) if dates else None)
    if first is None or last is None:
        return fig
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next((s for s in TICK_STEPS if months // s + 1 <= max_ticks), TICK_STEPS[-1])
    index = first.year * 12 + first.month - 1                      # months since year 0
    index += -index % step                                          # the first tick on the step
    ticks = []
    while index <= last.year * 12 + last.month - 1:
        day = dt.date(index // 12, index % 12 + 1, 1)
        if day >= first:
            ticks.append(day)
        index += step
    text = [str(d.year) if step >= 12 else month_label(d) for d in ticks]
    fig.update_layout({f"{axis}axis": dict(tickmode="array", tickvals=ticks, ticktext=text)})
    return fig


# A legend above the plot sits under the title, never on it: the title is pinned to the top of the
# figure and the top margin holds the title line plus up to two legend rows.
TITLE_BAND_PX = 34
LEGEND_ROW_PX = 24


def base_layout(fig, title: str, height: int, *, legend_y: float = -0.12, legend_above: bool = False,
                margin: dict | None = None, font_size: int = 13, title_size: int | None = None, **extra):
    """The house look of every chart: left-aligned title, DejaVu font, white plot, grey grid,
    horizontal legend (under the plot by default; above it, the top margin makes room for title and
    legend, so the two never overlap)."""
    margin = dict(margin or dict(l=10, r=20, t=60, b=10))
    title_spec = dict(text=title, x=0, xanchor="left", **({"font": {"size": title_size}} if title_size else {}))
    if legend_above:
        legend = dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left")
        margin["t"] = max(margin.get("t", 0), TITLE_BAND_PX + 2 * LEGEND_ROW_PX + 8)
        title_spec.update(yref="container", y=1, yanchor="top", pad=dict(t=10))
    else:
        legend = dict(orientation="h", yanchor="top", y=legend_y, x=0, xanchor="left")
    fig.update_layout(title=title_spec, height=height, font=dict(family=FONT_FAMILY, size=font_size),
                      separators=".,", template="plotly_white", plot_bgcolor="white", legend=legend,
                      margin=margin, **extra)
    fig.update_xaxes(gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(gridcolor="#e6e6e6", zeroline=False)
    return fig


def semaforo_badge_expr(column: str = "semaforo"):
    """Polars expression turning a semáforo column into icon + label (vectorised, one mapping)."""
    import polars as pl

    return pl.col(column).replace_strict({s: semaforo_badge(s) for s in SEMAFORO_LABEL},
                                         default=pl.col(column), return_dtype=pl.String)
