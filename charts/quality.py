"""Data-quality charts: the reporting-completeness matrix (municipality x indicator)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.style import FONT_FAMILY, SEMAFORO_COLOR

# Each state has a colour AND a marker shape, and the legend names it: colour is never the only signal.
COMPLETENESS_STYLE = {
    "reportado": {"label": "Reportado", "symbol": "square", "color": SEMAFORO_COLOR["verde"]},
    "atrasado": {"label": "Atrasado (reporte vencido)", "symbol": "triangle-up",
                 "color": SEMAFORO_COLOR["amarillo"]},
    "sin medición": {"label": "Sin medición", "symbol": "x", "color": SEMAFORO_COLOR["sin dato"]},
}
ROW_HEIGHT = 16


# One marker per cell: beyond this many the matrix is unreadable and slow to draw (83 k cells took 11 s
# per render at bench scale 47); the real mission has about 262 x 60 = 15.7 k, a department about 2 k.
MATRIX_MAX_CELLS = 10_000


def completeness_matrix(cells: pl.DataFrame, title: str = "Completitud del reporte por municipio e indicador"
                        ) -> go.Figure:
    """One marker per expected (municipality, indicator) cell; shape and colour give its state.

    `cells` has code, municipality, indicator_code, indicator_name, state and latest_period
    (warehouse.queries.quality.completeness_cells), already in display order.
    """
    cells = cells.with_columns((pl.col("code") + " " + pl.col("municipality")).alias("row_label"))
    rows = cells["row_label"].unique(maintain_order=True).to_list()
    columns = cells.sort("indicator_code")["indicator_code"].unique(maintain_order=True).to_list()
    fig = go.Figure()
    first = cells.row(0, named=True)
    parts = {state: cells.filter(pl.col("state") == state) for state in COMPLETENESS_STYLE}
    # an empty state keeps its legend entry through one tiny point drawn first, under a real cell;
    # legendrank keeps the legend in the states' order whatever the drawing order
    for rank, (state, part) in sorted(enumerate(parts.items()), key=lambda item: item[1][1].height > 0):
        style = COMPLETENESS_STYLE[state]
        xs, ys, size = part["indicator_code"].to_list(), part["row_label"].to_list(), 11
        if not part.height:
            xs, ys, size = [first["indicator_code"]], [first["row_label"]], 3
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", hoverinfo="skip" if not part.height else None,
            name=f"{style['label']} ({part.height:,})", legendrank=rank,
            marker={"symbol": style["symbol"], "color": style["color"], "size": size, "line": {"width": 0}},
            customdata=list(zip(part["indicator_name"].to_list(),
                                part["latest_period"].fill_null("ninguno").to_list())),
            hovertemplate=("<b>%{y}</b><br>%{x}: %{customdata[0]}<br>Estado: " + state
                           + "<br>Último período recibido: %{customdata[1]}<extra></extra>"),
        ))
    # x labels sit on top (the matrix can be tall) with the legend above them, placed in pixels
    labels_px, top, bottom = 90, 160, 10
    height = max(360, ROW_HEIGHT * len(rows) + top + bottom)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 1 - 8 / height, "yanchor": "top"},
        font={"family": FONT_FAMILY, "size": 11},
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1 + labels_px / (height - top - bottom),
                "xanchor": "left", "x": 0, "itemsizing": "constant", "title": {"text": "Estado del reporte:"}},
        plot_bgcolor="white",
        xaxis={"categoryorder": "array", "categoryarray": columns, "tickmode": "array", "tickvals": columns,
               "side": "top", "tickangle": -90, "tickfont": {"size": 10}, "showgrid": True,
               "gridcolor": "#eeeeee"},
        yaxis={"title": {"text": "Municipio"}, "categoryorder": "array", "categoryarray": rows[::-1],
               "tickmode": "array", "tickvals": rows, "tickfont": {"size": 10},
               "showgrid": True, "gridcolor": "#eeeeee", "automargin": True},
    )
    return fig
