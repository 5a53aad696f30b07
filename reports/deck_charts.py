"""Charts only the weekly deck needs (pure: frames in, figures out). The rest of the deck reuses
the page charts (charts.budget, charts.progress, charts.map_static)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.style import SEMAFORO_COLOR, SEMAFORO_ICON, SEMAFORO_LABEL, SEMAFORO_ORDER, base_layout

EXPECTED_COLOR = "#1b1b1b"
LABEL_CHARS = 34


def eje_progress_figure(indicators: pl.DataFrame, municipal_counts: pl.DataFrame, title: str) -> go.Figure:
    """One bar per indicator of an eje at the national level: its percent of progress, coloured and
    iconed by semáforo, a black tick at the expected progress, and how many municipalities are
    rojo / amarillo on it.

    `indicators`: warehouse.queries.ejes.eje_indicators rows of one eje; `municipal_counts`:
    indicator_code, rojo, amarillo (municipality pairs off track, from home.off_track)."""
    frame = (indicators.join(municipal_counts, on="indicator_code", how="left")
             .with_columns(pl.col("rojo").fill_null(0), pl.col("amarillo").fill_null(0))
             .sort(["intervention", "indicator_code"], descending=True))   # first indicator on top
    icon = pl.col("semaforo").replace_strict(SEMAFORO_ICON, default="?")
    frame = frame.with_columns(
        pl.format("<b>{}</b><br>{}", pl.col("indicator_code"),
                  pl.when(pl.col("indicator_name").str.len_chars() > LABEL_CHARS)
                  .then(pl.col("indicator_name").str.slice(0, LABEL_CHARS - 1) + "…")
                  .otherwise(pl.col("indicator_name"))).alias("label"),
        pl.concat_str(
            icon, pl.lit(" "),
            pl.when(pl.col("percent").is_null()).then(pl.lit("sin avance calculable"))
            .otherwise(pl.format("{} %", pl.col("percent").round(1))),
            pl.when((pl.col("rojo") + pl.col("amarillo")) > 0)
            .then(pl.format("  · {}{} {}{}", pl.lit(SEMAFORO_ICON["rojo"]), pl.col("rojo"),
                            pl.lit(SEMAFORO_ICON["amarillo"]), pl.col("amarillo")))
            .otherwise(pl.lit(""))).alias("text"))
    labels = frame["label"].to_list()
    fig = go.Figure()
    for state in SEMAFORO_ORDER:          # one trace per state: the legend names every colour used
        part = frame.filter(pl.col("semaforo") == state)
        if part.is_empty():
            continue
        fig.add_trace(go.Bar(
            y=part["label"].to_list(), x=part["percent"].fill_null(0).to_list(),
            orientation="h", name=f"{SEMAFORO_ICON[state]} {SEMAFORO_LABEL[state]}",
            marker={"color": SEMAFORO_COLOR[state]}, text=part["text"].to_list(), textposition="outside",
            cliponaxis=False, textfont={"size": 12}))
    fig.add_trace(go.Scatter(
        y=labels, x=frame["expected_percent"].to_list(), mode="markers", name="Avance esperado a la fecha",
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": EXPECTED_COLOR}}))
    top = max(100.0, frame["percent"].max() or 0.0)
    base_layout(fig, title, max(360, 90 + 40 * frame.height), legend_above=True, barmode="overlay", bargap=0.35,
                margin={"l": 10, "r": 20, "t": 60, "b": 10})
    fig.update_xaxes(title=f"Avance (%) · {SEMAFORO_ICON['rojo']} / {SEMAFORO_ICON['amarillo']}: municipios en rojo / amarillo", ticksuffix=" %", range=[0, top * 1.6],
                     gridcolor="#e6e6e6", zeroline=False)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, automargin=True, tickfont={"size": 11})
    return fig
