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
    "atrasado": "⧗",
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


def semaforo_badge(state: str | None) -> str:
    """Icon plus label, so colour is never the only signal."""
    state = state or "sin dato"
    return f"{SEMAFORO_ICON.get(state, '?')} {state}"


def fmt_number(value, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{decimals}f}"


def fmt_money(value, decimals: int = 0) -> str:
    return "—" if value is None else f"US$ {value:,.{decimals}f}"


def fmt_percent(value, decimals: int = 1) -> str:
    """`value` already in percent units (45.0 -> '45.0 %')."""
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{decimals}f} %"


def fmt_date(day: dt.date | None) -> str:
    return "—" if day is None else f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"


def base_layout(fig, title: str, height: int, *, legend_y: float = -0.12, legend_above: bool = False,
                margin: dict | None = None, font_size: int = 13, title_size: int | None = None, **extra):
    """The house look of every chart: left-aligned title, DejaVu font, white plot, grey grid,
    horizontal legend (under the plot by default, so a long title never runs into it)."""
    legend = (dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left") if legend_above
              else dict(orientation="h", yanchor="top", y=legend_y, x=0, xanchor="left"))
    fig.update_layout(title=dict(text=title, x=0, xanchor="left", **({"font": {"size": title_size}} if title_size else {})),
                      height=height, font=dict(family=FONT_FAMILY, size=font_size), separators=".,",
                      template="plotly_white", plot_bgcolor="white", legend=legend,
                      margin=margin or dict(l=10, r=20, t=60, b=10), **extra)
    fig.update_xaxes(gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(gridcolor="#e6e6e6", zeroline=False)
    return fig


def semaforo_badge_expr(column: str = "semaforo"):
    """Polars expression turning a semáforo column into icon + label (vectorised, one mapping)."""
    import polars as pl

    return pl.col(column).replace_strict({s: semaforo_badge(s) for s in SEMAFORO_LABEL},
                                         default=pl.col(column), return_dtype=pl.String)
