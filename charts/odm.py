"""ODM 1 charts: a national series against its 2015 halving target and the straight path to it,
and the context series without target. Pure functions: frames/dicts in, plotly Figure out."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from charts.style import SEMAFORO_COLOR, SEMAFORO_ICON, base_layout, fmt_number

OBSERVED = "#1f4e79"
PATH = "#6b6b6b"
TARGET = "#000000"
CONTEXT = "#5a6b7b"


def _value_text(value, unit: str | None) -> str:
    return f"{fmt_number(value)} %" if unit == "%" else f"{fmt_number(value)} {unit or ''}".strip()


def _title(indicator: dict, width: int) -> str:
    """'1.1 Name', wrapped on two lines at most (plotly titles do not wrap by themselves)."""
    lines = textwrap.wrap(f"{indicator['odm_indicator']} {indicator['name']}", width)
    return "<br>".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def _years(series: pl.DataFrame) -> list[int]:
    """Yearly periods are drawn at their year (a period counts at its end, 31 December)."""
    return series["period_end"].dt.year().to_list()


def _layout(fig: go.Figure, title: str, height: int, unit: str | None, dtick: int = 2) -> go.Figure:
    base_layout(fig, title, height, legend_y=-0.1, margin=dict(l=10, r=20, t=70, b=10), font_size=12,
                title_size=14, hovermode="x unified")
    fig.update_xaxes(dtick=dtick, tickformat="d", tickangle=0)
    fig.update_yaxes(zeroline=unit != "%", ticksuffix=" %" if unit == "%" else "",
                     title=None if unit == "%" else unit)
    return fig


def odm_target_chart(series: pl.DataFrame, indicator: dict) -> go.Figure:
    """Observed yearly values, the straight path from the baseline to the ODM-2015 target, the
    target itself and, when the method evaluates another target now (PQD-2014), that one too."""
    unit = indicator["unit"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[indicator["baseline_date"].year, indicator["target_date"].year],
        y=[indicator["baseline_value"], indicator["target_value"]], mode="lines", name="Trayectoria necesaria",
        line=dict(color=PATH, dash="dash", width=2),
        hovertemplate="Trayectoria: %{y:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=_years(series), y=series["value"].to_list(), mode="lines+markers", name="Observado",
        line=dict(color=OBSERVED, width=3), marker=dict(size=5),
        hovertemplate="Observado: %{y:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[indicator["target_date"].year], y=[indicator["target_value"]], mode="markers+text", name="Meta ODM 2015",
        marker=dict(symbol="star", size=16, color=TARGET),
        text=[f"Meta 2015: {_value_text(indicator['target_value'], unit)}"], textposition="top center", cliponaxis=False,
        hovertemplate="Meta ODM 2015: %{y:.1f}<extra></extra>"))
    kind = indicator.get("method_target_kind")
    if kind and kind != "ODM-2015" and indicator.get("method_target_value") is not None:
        fig.add_trace(go.Scatter(
            x=[indicator["method_target_date"].year], y=[indicator["method_target_value"]], mode="markers",
            name=f"Meta {kind} (vigente en el semáforo)",
            marker=dict(symbol="diamond-open", size=12, color=TARGET, line=dict(width=2)),
            hovertemplate=f"Meta {kind}: " + "%{y:.1f}<extra></extra>"))
    if indicator.get("value") is not None and indicator.get("latest_end") is not None:
        state = indicator.get("semaforo") or "sin dato"
        fig.add_annotation(
            x=indicator["latest_end"].year, y=indicator["value"], ax=-30, ay=-40, showarrow=True, arrowhead=0,
            text=f"{SEMAFORO_ICON.get(state, '?')} {_value_text(indicator['value'], unit)} ({indicator['latest_period']})",
            bgcolor="white", bordercolor=SEMAFORO_COLOR.get(state, "#9e9e9e"), borderwidth=2)
    fig.update_xaxes(range=[1990.3, 2017.5])
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, _title(indicator, 80), 420, unit)


def odm_context_chart(series: pl.DataFrame, indicator: dict) -> go.Figure:
    """A context indicator: its observed series only (no target, no path)."""
    unit = indicator["unit"]
    fig = go.Figure(go.Scatter(
        x=_years(series), y=series["value"].to_list(), mode="lines+markers", name="Observado",
        line=dict(color=CONTEXT, width=2), marker=dict(size=4),
        hovertemplate="%{y:.1f}<extra></extra>"))
    if indicator.get("value") is not None and indicator.get("latest_end") is not None:
        fig.add_annotation(x=indicator["latest_end"].year, y=indicator["value"], ax=-30, ay=-26, showarrow=True,
                           xanchor="right",
                           arrowhead=0, text=f"{_value_text(indicator['value'], unit)} ({indicator['latest_period']})",
                           bgcolor="white", bordercolor=CONTEXT, borderwidth=1)
    fig.update_xaxes(range=[1990.3, 2014.5])
    fig = _layout(fig, _title(indicator, 45), 300, unit, dtick=5)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=15, t=60, b=10))
    return fig
