"""Progress charts: semáforo distribution per eje × intervention, and an indicator's series
against its expected trajectory and target. Pure functions: data in, Plotly figure out."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from charts.style import (base_layout, SEMAFORO_COLOR, SEMAFORO_ICON, SEMAFORO_LABEL, SEMAFORO_ORDER,
                          fmt_date, fmt_number, fmt_value, semaforo_badge, spanish_date_axis)

INTERVENTION_SHORT = {"CSU": "Urbanas (CSU)", "CSR": "Rurales (CSR)"}
TRAJECTORY_COLOR = "#555555"
SERIES_COLOR = "#2c7fb8"
TARGET_COLOR = "#1b1b1b"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    return base_layout(fig, title, height, legend_above=True, margin=dict(l=10, r=10, t=60, b=40))


def semaforo_distribution_figure(frame: pl.DataFrame, title: str, count_label: str = "Indicadores") -> go.Figure:
    """Stacked horizontal bars: one bar per eje × intervention, one segment per semáforo; the
    counts (with the semáforo's icons) written once, at the end of each bar.

    `frame`: eje_id, eje, intervention, semaforo, count (one row per non-empty cell)."""
    fig = go.Figure()
    if frame.is_empty():
        return _layout(fig, title, 200)
    bars = (frame.select("eje_id", "eje", "intervention").unique()
            .sort(["eje_id", "intervention"], descending=[True, True])   # eje 1 on top
            .with_columns((pl.lit("Eje ") + pl.col("eje_id").cast(pl.String) + " · " + pl.col("eje")
                           + "<br>" + pl.col("intervention").replace(INTERVENTION_SHORT)).alias("bar")))
    cells = (bars.join(frame, on=["eje_id", "eje", "intervention"], how="left")
             .with_columns(pl.col("count").fill_null(0)))
    for state in SEMAFORO_ORDER:
        part = bars.join(cells.filter(pl.col("semaforo") == state), on=["eje_id", "eje", "intervention", "bar"],
                         how="left").with_columns(pl.col("count").fill_null(0))
        if part["count"].sum() == 0:
            continue
        counts = part["count"].to_list()
        fig.add_bar(
            y=part["bar"].to_list(), x=counts, orientation="h",
            name=f"{SEMAFORO_ICON[state]} {SEMAFORO_LABEL[state]}",
            marker=dict(color=SEMAFORO_COLOR[state], line=dict(color="white", width=1)),
            hovertemplate=f"%{{y}}<br>{SEMAFORO_LABEL[state]}: %{{x:,}} {count_label.lower()}<extra></extra>")
    # the counts at the end of the bar, once: small segments cannot hold their own label
    order = {state: k for k, state in enumerate(SEMAFORO_ORDER)}
    totals = (cells.filter(pl.col("count") > 0)
              .with_columns(pl.col("semaforo").replace_strict(order, return_dtype=pl.Int64).alias("o"))
              .sort("o")
              .group_by("bar", maintain_order=True)
              .agg(pl.col("count").sum().alias("total"),
                   pl.format("{} {}", pl.col("semaforo").replace_strict(SEMAFORO_ICON), pl.col("count")).alias("parts")))
    fig.add_scatter(x=totals["total"].to_list(), y=totals["bar"].to_list(), mode="text", showlegend=False,
                    text=totals["parts"].list.join(" · ").to_list(), textposition="middle right",
                    textfont=dict(size=12, color="#333333"), hoverinfo="skip", cliponaxis=False)
    widest = totals["total"].max()
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=count_label, tickformat=",d", range=[0, widest * 1.3])
    fig.update_yaxes(title_text=None, automargin=True)
    return _layout(fig, title, 120 + 58 * bars.height)


def _date_axis(fig: go.Figure, start: dt.date | None, end: dt.date | None) -> None:
    """Spanish month ticks and an initial window around the plan."""
    fig.update_xaxes(title_text="Fin del periodo", range=[start, end] if start and end else None)
    spanish_date_axis(fig, start, end)


def indicator_trend_figure(series: pl.DataFrame, plan: dict, title: str, unit: str | None = None) -> go.Figure:
    """An indicator's series against the expected trajectory (a straight line from the baseline at
    its date to the target at its date), the target, and the method's value at the week's end.

    `series`: period_end, period, value, units (reporting) and segment (stretches to join); `plan`: the method's row with
    baseline_date, baseline_value, target_date, target_value, target_kind, value, latest_end, semaforo."""
    fig = go.Figure()
    y_title = unit or "Valor"
    # one line per segment: a 'flujo' restarts every year, and a line joining December to January
    # would draw a fall that never happened
    for k, part in enumerate(series.partition_by("segment", maintain_order=True) if series.height else []):
        fig.add_scatter(
            x=part["period_end"].to_list(), y=part["value"].to_list(), mode="lines+markers",
            name="Valor reportado", legendgroup="serie", showlegend=k == 0,
            line=dict(color=SERIES_COLOR, width=2), marker=dict(size=5),
            customdata=[(period, fmt_number(units, 0)) for period, units in part.select("period", "units").rows()],
            hovertemplate="Periodo %{customdata[0]}<br>Valor: %{y:,.1~f}"
                          "<br>Unidades que reportaron: %{customdata[1]}<extra></extra>")
    has_plan = all(plan.get(k) is not None for k in ("baseline_date", "baseline_value", "target_date", "target_value"))
    if has_plan:
        kind = plan.get("target_kind") or "meta"
        fig.add_scatter(
            x=[plan["baseline_date"], plan["target_date"]], y=[plan["baseline_value"], plan["target_value"]],
            mode="lines+markers", name=f"Trayectoria esperada (línea base → meta {kind})",
            line=dict(color=TRAJECTORY_COLOR, width=2, dash="dash"), marker=dict(size=7, symbol="circle-open"),
            customdata=[["Línea base", fmt_date(plan["baseline_date"])], [f"Meta {kind}", fmt_date(plan["target_date"])]],
            hovertemplate="%{customdata[0]} al %{customdata[1]}: %{y:,.1~f}<extra></extra>")
        fig.add_scatter(
            x=[plan["target_date"]], y=[plan["target_value"]], mode="markers+text", name=f"Meta {kind}",
            marker=dict(size=15, symbol="star", color=TARGET_COLOR),
            text=[f"Meta {fmt_value(plan['target_value'])}"], textposition="top left",
            hovertemplate=f"Meta {kind} al {fmt_date(plan['target_date'])}: %{{y:,.1~f}}<extra></extra>")
    if plan.get("value") is not None and plan.get("latest_end") is not None:
        state = plan.get("semaforo") or "sin dato"
        fig.add_scatter(
            x=[plan["latest_end"]], y=[plan["value"]], mode="markers+text",
            name=f"Valor a la fecha ({semaforo_badge(state)})",
            marker=dict(size=14, symbol="diamond", color=SEMAFORO_COLOR.get(state, "#9e9e9e"),
                        line=dict(color="black", width=1)),
            text=[fmt_value(plan["value"])], textposition="top center",
            hovertemplate=f"Valor a la fecha según el método: %{{y:,.1~f}}<br>Semáforo: {SEMAFORO_LABEL.get(state, state)}"
                          "<extra></extra>")
    start = end = None
    if has_plan:
        first = series["period_end"].min() if series.height else plan["baseline_date"]
        start = max(first, plan["baseline_date"] - dt.timedelta(days=400)) - dt.timedelta(days=45)
        end = plan["target_date"] + dt.timedelta(days=60)
    _date_axis(fig, start, end)
    fig.update_yaxes(title_text=y_title, tickformat=",~f", rangemode="tozero" if not has_plan else "normal")
    return _layout(fig, title, 430)
