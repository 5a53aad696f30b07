"""Budget charts: cumulative accrued against the schedule, execution by program, and physical
progress next to financial execution. Pure functions: polars frame in, plotly Figure out."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots
import polars as pl

from charts.style import base_layout, fmt_money, fmt_percent, month_label, program_label

# Series colours (not semáforo states, which keep their own palette in charts/style.py).
ACCRUED = "#1f4e79"
SCHEDULED = "#e07b00"
MODIFIED = "#8c8c8c"
PHYSICAL = "#2b7a78"
FINANCIAL = "#1f4e79"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    return base_layout(fig, title, height)


def cumulative_execution(monthly: pl.DataFrame) -> go.Figure:
    """Cumulative accrued against the cumulative schedule (and the modified budget) by month."""
    labels = [month_label(d) for d in monthly["month"]]
    fig = go.Figure()
    for column, name, colour, dash in (
            ("modified_cumulative", "Modificado acumulado", MODIFIED, "dot"),
            ("scheduled_cumulative", "Programado acumulado", SCHEDULED, "dash"),
            ("accrued_cumulative", "Devengado acumulado", ACCRUED, "solid")):
        values = monthly[column].to_list()
        fig.add_trace(go.Scatter(
            x=labels, y=values, name=name, mode="lines+markers", line=dict(color=colour, dash=dash, width=3),
            hovertemplate="%{x}: " + name.lower() + " %{customdata}<extra></extra>",
            customdata=[fmt_money(v) for v in values]))
    if monthly.height:
        last = monthly.row(-1, named=True)
        fig.add_annotation(x=labels[-1], y=last["accrued_cumulative"], xanchor="right", ax=-20, ay=-10,
                           text=f"Devengado: {fmt_percent(last['timeliness_cumulative'])} de lo programado", showarrow=True, arrowhead=0,
                           bgcolor="white")
    fig.update_yaxes(title=None, tickprefix="US$ ", tickformat="~s", rangemode="tozero")
    fig.update_xaxes(title=None)
    return _layout(fig, "Devengado y programado acumulados por mes", 460)


def program_execution(by_program: pl.DataFrame) -> go.Figure:
    """Bars: execution (accrued / modified) per program; diamonds: accrued / scheduled. The values are
    written in a column right of the plot ("28.9 % · 89.0 %", each in its series' colour), so no
    label sits under a diamond."""
    frame = by_program.sort("execution_percent", descending=True, nulls_last=True)
    names = frame["program_name"].to_list()
    labels = [program_label(c, n, width=22) for c, n in zip(frame["program_code"], names)]   # a half-width column
    execution, timeliness = frame["execution_percent"].to_list(), frame["timeliness_percent"].to_list()
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=execution, orientation="h", name="Devengado / modificado",
        marker_color=ACCRUED, customdata=list(zip(names, [fmt_percent(v) for v in execution])),
        hovertemplate="%{customdata[0]}<br>Ejecución: %{customdata[1]} del modificado<extra></extra>"))
    fig.add_trace(go.Scatter(
        y=labels, x=timeliness, mode="markers", name="Devengado / programado",
        marker=dict(symbol="diamond", size=10, color=SCHEDULED, line=dict(color="white", width=1)),
        customdata=list(zip(names, [fmt_percent(v) for v in timeliness])),
        hovertemplate="%{customdata[0]}<br>%{customdata[1]} de lo programado<extra></extra>"))
    top = max([100.0, *(v or 0 for v in execution), *(v or 0 for v in timeliness)])
    column = top * 1.05
    fig.add_trace(go.Scatter(
        y=labels, x=[column] * len(labels), mode="text", showlegend=False, hoverinfo="skip", cliponaxis=False,
        textposition="middle right", name="valores",
        text=[f"<b>{fmt_percent(e)}</b> · <span style='color:{SCHEDULED}'>{fmt_percent(t)}</span>"
              for e, t in zip(execution, timeliness)]))
    ticks = [v for v in (0, 50, 100, 150, 200) if v <= top]
    fig.update_xaxes(title="% del año a la fecha", range=[0, top * 1.8], tickvals=ticks,
                     ticktext=[f"{v} %" for v in ticks])
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    return _layout(fig, "Ejecución por programa", max(360, 130 + 22 * frame.height))


def physical_vs_financial(frame: pl.DataFrame, highlight: str | None = None) -> go.Figure:
    """Two panels sharing the programs: mean progress of each program's indicators (tick: the
    expected progress at the date) and its budget execution (accrued / modified, year to date)."""
    names = frame["program_name"].to_list()
    labels = [f"<b>{program_label(c, n)}</b>" if c == highlight else program_label(c, n)
              for c, n in zip(frame["program_code"], names)]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08,
                        subplot_titles=("Avance físico (%)", "Ejecución presupuestaria (%)"))
    fig.add_trace(go.Bar(
        y=labels, x=frame["physical_percent"].to_list(), orientation="h", name="Avance físico",
        marker_color=PHYSICAL, text=[fmt_percent(v) for v in frame["physical_percent"]], textposition="outside",
        cliponaxis=False, customdata=list(zip(names, frame["indicators"], frame["expected_percent"])),
        hovertemplate="%{customdata[0]}<br>Avance físico: %{text} (promedio de %{customdata[1]} indicadores;"
                      " esperado %{customdata[2]:.1f} %)<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(
        y=labels, x=frame["expected_percent"].to_list(), mode="markers", name="Avance esperado a la fecha",
        marker=dict(symbol="line-ns-open", size=22, color="#222222", line=dict(width=3)),
        hovertemplate="Avance esperado a la fecha: %{x:.1f} %<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Bar(
        y=labels, x=frame["execution_percent"].to_list(), orientation="h", name="Ejecución presupuestaria",
        marker_color=FINANCIAL, text=[fmt_percent(v) for v in frame["execution_percent"]], textposition="outside",
        cliponaxis=False, customdata=names,
        hovertemplate="%{customdata}<br>Devengado / modificado: %{text}<extra></extra>"), row=1, col=2)
    top = max([100.0, *(v or 0 for v in frame["physical_percent"]), *(v or 0 for v in frame["execution_percent"])])
    fig.update_xaxes(ticksuffix=" %", range=[0, top * 1.15])
    fig.update_yaxes(autorange="reversed", title=None)
    fig = _layout(fig, "Avance físico y financiero por programa", max(300, 150 + 26 * frame.height))
    fig.update_layout(legend=dict(y=-0.06), margin=dict(t=80))
    return fig
