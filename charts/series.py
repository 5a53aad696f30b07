"""An indicator's series against its plans (baseline → target trajectories), and one municipality's
progress compared with its department and its intervention. Pure functions: data in, Plotly out."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.style import (SEMAFORO_COLOR, SEMAFORO_ICON, base_layout, fmt_date, fmt_number, fmt_value,
                          semaforo_badge, spanish_date_axis)

SERIES_COLOR = "#1f4e79"          # the app's primary colour (not a semáforo state)
PLAN_IN_FORCE_COLOR = "#333333"
PLAN_OTHER_COLOR = "#8c8c8c"
COMPARISON_STYLE = {               # marker symbol and colour per comparison level
    "departamento": ("diamond", "#5e3c99"),
    "intervención": ("x-thin-open", "#333333"),
}


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    return base_layout(fig, title, height, legend_y=-0.14, margin=dict(l=10, r=10, t=50, b=10),
                       hovermode="closest")


def indicator_series_figure(series: pl.DataFrame, plan: pl.DataFrame, status: dict | None = None, *,
                            title: str, unit: str | None = None, series_label: str = "Serie observada") -> go.Figure:
    """The observed series, a dashed straight trajectory from baseline to target for every plan
    (the plan in force darker), each target marked, and the method's value and expected value at
    the week (the value's marker coloured and labelled with its semáforo).

    `series`: period, period_end, value, units. `plan`: target_kind, baseline_date, baseline_value,
    target_date, target_value, in_force. `status`: as_of, value, expected_value, semaforo.
    """
    fig = go.Figure()
    y_title = unit or "Valor"
    if not series.is_empty():
        fig.add_trace(go.Scatter(
            x=series["period_end"].to_list(), y=series["value"].to_list(), mode="lines+markers",
            name=series_label, line=dict(color=SERIES_COLOR, width=2), marker=dict(size=5),
            customdata=list(zip(series["period"].to_list(), [fmt_number(u, 0) for u in series["units"].to_list()])),
            hovertemplate="%{customdata[0]}: %{y:,.1~f}<br>unidades que reportaron: %{customdata[1]}<extra></extra>"))
    for row in plan.sort("in_force").iter_rows(named=True):   # a handful of plans, not data rows
        color = PLAN_IN_FORCE_COLOR if row["in_force"] else PLAN_OTHER_COLOR
        kind = row["target_kind"]
        suffix = " (vigente)" if row["in_force"] else ""
        fig.add_trace(go.Scatter(
            x=[row["baseline_date"], row["target_date"]], y=[row["baseline_value"], row["target_value"]],
            mode="lines", name=f"Trayectoria esperada {kind}{suffix}",
            line=dict(color=color, dash="dash" if row["in_force"] else "dot", width=1.5),
            hovertemplate=f"{kind}: %{{x|%d/%m/%Y}} → %{{y:,.1~f}}<extra></extra>"))
        fig.add_trace(go.Scatter(
            x=[row["target_date"]], y=[row["target_value"]], mode="markers",
            name=f"Meta {kind}: {fmt_value(row['target_value'])} ({fmt_date(row['target_date'])})",
            marker=dict(symbol="star", size=14, color=color, line=dict(color="#ffffff", width=1)),
            hovertemplate=f"Meta {kind} al {fmt_date(row['target_date'])}: %{{y:,.1~f}}<extra></extra>"))
        fig.add_trace(go.Scatter(
            x=[row["baseline_date"]], y=[row["baseline_value"]], mode="markers", name=f"Línea base {kind}",
            marker=dict(symbol="circle-open", size=9, color=color), showlegend=False,
            hovertemplate=f"Línea base {kind} ({fmt_date(row['baseline_date'])}): %{{y:,.1~f}}<extra></extra>"))
    if status and status.get("as_of") is not None:
        if status.get("expected_value") is not None:
            fig.add_trace(go.Scatter(
                x=[status["as_of"]], y=[status["expected_value"]], mode="markers", name="Esperado a la fecha",
                marker=dict(symbol="diamond-open", size=12, color=PLAN_IN_FORCE_COLOR, line=dict(width=2)),
                hovertemplate=f"Esperado al {fmt_date(status['as_of'])}: %{{y:,.1~f}}<extra></extra>"))
        if status.get("value") is not None:
            state = status.get("semaforo") or "sin dato"
            fig.add_trace(go.Scatter(
                x=[status["as_of"]], y=[status["value"]], mode="markers+text", name="Valor a la semana (método)",
                marker=dict(size=13, color=SEMAFORO_COLOR.get(state, SERIES_COLOR),
                            line=dict(color="#111111", width=1)),
                text=[semaforo_badge(state)], textposition="middle right",
                hovertemplate=f"Valor al {fmt_date(status['as_of'])}: %{{y:,.1~f}} · {semaforo_badge(state)}<extra></extra>"))
    fig.update_xaxes(title_text=None)
    spanish_date_axis(fig)
    fig.update_yaxes(title_text=y_title, tickformat=",.1~f" if _small(series, plan) else ",.0f")
    if series.is_empty() and plan.is_empty():
        fig.add_annotation(text="Sin mediciones ni metas cargadas", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
    return _layout(fig, title, 470)


def _small(series: pl.DataFrame, plan: pl.DataFrame) -> bool:
    values = [*series["value"].drop_nulls().to_list(), *plan["target_value"].drop_nulls().to_list()]
    return bool(values) and max(abs(v) for v in values) < 1000


def percent_comparison_figure(frame: pl.DataFrame, *, title: str, intervention_label: str) -> go.Figure:
    """Percent of progress per indicator in the municipality (marker coloured and shaped by its
    semáforo), its department (method aggregate) and the median of its intervention; a tick marks
    the expected percent.

    `frame`: indicator_code, indicator_name, percent, semaforo, expected_percent, department_percent,
    intervention_median_percent (one row per indicator, top row first).
    """
    fig = go.Figure()
    if frame.is_empty():
        return _layout(fig, title, 200)
    rows = frame.reverse()               # plotly draws the first category at the bottom
    y = rows["indicator_code"].to_list()
    names = rows["indicator_name"].to_list()
    fig.add_trace(go.Scatter(
        x=rows["expected_percent"].to_list(), y=y, mode="markers", name="Esperado",
        marker=dict(symbol="line-ns-open", size=16, color="#555555", line=dict(width=2)),
        customdata=names, hovertemplate="%{customdata}<br>Esperado: %{x:.1f} %<extra></extra>"))
    for level, column, label in (("departamento", "department_percent", "Departamento"),
                                 ("intervención", "intervention_median_percent", f"Mediana {intervention_label}")):
        symbol, color = COMPARISON_STYLE[level]
        fig.add_trace(go.Scatter(
            x=rows[column].to_list(), y=y, mode="markers", name=label,
            marker=dict(symbol=symbol, size=10, color=color, line=dict(width=1.5, color=color)),
            customdata=names, hovertemplate=f"%{{customdata}}<br>{label}: %{{x:.1f}} %<extra></extra>"))
    states = rows["semaforo"].fill_null("sin dato").to_list()
    fig.add_trace(go.Scatter(
        x=rows["percent"].to_list(), y=y, mode="markers+text", name="Municipio",
        marker=dict(size=12, color=[SEMAFORO_COLOR.get(s, SERIES_COLOR) for s in states],
                    line=dict(color="#111111", width=1)),
        text=[SEMAFORO_ICON.get(s, "?") for s in states], textposition="middle left",
        textfont=dict(size=10, color="#333333"),
        customdata=[f"{n} · {semaforo_badge(s)}" for n, s in zip(names, states)],
        hovertemplate="%{customdata}<br>Municipio: %{x:.1f} %<extra></extra>"))
    fig.update_xaxes(title_text="Avance hacia la meta (%)", ticksuffix=" %", zeroline=True)
    fig.update_yaxes(title_text=None, type="category")
    return _layout(fig, title, max(260, 26 * frame.height + 110))

