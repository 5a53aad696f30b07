"""The forecast to target on the ficha: the series, the robust trend drawn through it to the target
date, the projected value with its interval, and the target. Pure: data in, Plotly out."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from charts.style import SEMAFORO_COLOR, base_layout, fmt_percent, fmt_value, semaforo_badge, spanish_date_axis

SERIES_COLOR = "#1f4e79"
FIT_COLOR = "#e66101"


def _trend(fc: dict, day: dt.date) -> float:
    return fc["intercept"] + fc["slope_per_year"] * (day - fc["x_origin"]).days / 365.25


def forecast_figure(series: pl.DataFrame, fc: dict, *, title: str, accumulation: str, unit: str | None) -> go.Figure:
    """`series`: period_end, value, period_value (mart_series); `fc`: warehouse.queries.analytics.forecast.
    A flujo's trend is fitted on each period's own value (its target is the year's sum)."""
    flow = accumulation == "flujo"
    column = "period_value" if flow else "value"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=series["period_end"].to_list(), y=series[column].to_list(), mode="markers",
                             name="Valor por período" if flow else "Serie observada",
                             marker=dict(color=SERIES_COLOR, size=5)))
    start, end = fc["first_end"], fc["target_date"]
    fig.add_trace(go.Scatter(x=[start, end], y=[_trend(fc, start), _trend(fc, end)], mode="lines",
                             name="Tendencia robusta (Theil-Sen)", line=dict(color=FIT_COLOR, width=2, dash="dash")))
    if not flow:
        state = fc["semaforo_projected"]
        fig.add_trace(go.Scatter(
            x=[end], y=[fc["projected_value"]], mode="markers", name=f"Proyección: {semaforo_badge(state)}",
            marker=dict(color=SEMAFORO_COLOR.get(state, "#9e9e9e"), size=12, symbol="diamond",
                        line=dict(color="#111111", width=1)),
            error_y=dict(type="data", symmetric=False, array=[fc["projected_high"] - fc["projected_value"]],
                         arrayminus=[fc["projected_value"] - fc["projected_low"]], color="#555555")))
        fig.add_trace(go.Scatter(x=[end], y=[fc["target_value"]], mode="markers", name="Meta",
                                 marker=dict(color="#111111", size=13, symbol="star")))
    base_layout(fig, title, 380, legend_y=-0.14, margin=dict(l=10, r=10, t=50, b=10))
    fig.update_yaxes(title=unit or "Valor")
    spanish_date_axis(fig, start, end)
    return fig


def forecast_sentence(fc: dict) -> str:
    """One line saying what the projection is, shared by the ficha, the home list and the deck."""
    return (f"Proyección al {fc['target_date']:%d/%m/%Y}: {fmt_value(fc['projected_value'])} "
            f"(intervalo 80 %: {fmt_value(fc['projected_low'])} a {fmt_value(fc['projected_high'])}); "
            f"meta {fmt_value(fc['target_value'])}; {semaforo_badge(fc['semaforo_projected'])} al ritmo actual")


def backtest_text(summary: pl.DataFrame) -> str:
    """Precision, recall and coverage in one paragraph (the ficha, the deck and bench/backtest.md)."""
    if summary.is_empty() or not summary["forecasts"][0]:
        return "Sin back-test: las series no alcanzan un año antes de la semana en revisión."
    first = summary.row(0, named=True)
    parts = [f"Back-test: series cortadas al {first['cut_date']:%d/%m/%Y} y proyectadas al "
             f"{first['eval_date']:%d/%m/%Y}; {first['forecasts']} pronósticos, el intervalo del 80 % contuvo el "
             f"valor observado en {fmt_percent(100 * first['coverage'])} de los casos."]
    for row in summary.iter_rows(named=True):
        precision = "sin alertas" if row["precision"] is None else f"precisión {fmt_percent(100 * row['precision'])}"
        recall = "sin casos" if row["recall"] is None else f"exhaustividad {fmt_percent(100 * row['recall'])}"
        parts.append(f"Alerta «{row['flag']}»: {row['flagged']} emitidas, {row['happened']} ocurridas, "
                     f"{row['hits']} acertadas ({precision}, {recall}).")
    return " ".join(parts)
