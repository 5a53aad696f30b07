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
    for state, style in COMPLETENESS_STYLE.items():
        part = cells.filter(pl.col("state") == state)
        # an empty state keeps its legend entry through one invisible point: the legend names all three
        xs, ys, size = part["indicator_code"].to_list(), part["row_label"].to_list(), 11
        if not part.height:
            xs, ys, size = [columns[0]], [rows[0]], 0
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", hoverinfo="skip" if not part.height else None,
            name=f"{style['label']} ({part.height:,})",
            marker={"symbol": style["symbol"], "color": style["color"], "size": size,
                    "line": {"width": 1.5 if state == "sin medición" else 0, "color": style["color"]}},
            customdata=list(zip(part["indicator_name"].to_list(),
                                part["latest_period"].fill_null("ninguno").to_list())),
            hovertemplate=("<b>%{y}</b><br>%{x}: %{customdata[0]}<br>Estado: " + state
                           + "<br>Último período recibido: %{customdata[1]}<extra></extra>"),
        ))
    # x labels sit on top (the matrix can be tall); the legend sits at the top right of the grid
    top, bottom = 150, 10
    height = max(360, ROW_HEIGHT * len(rows) + top + bottom)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 1 - 8 / height, "yanchor": "top"},
        font={"family": FONT_FAMILY, "size": 11},
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        legend={"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.01,
                "itemsizing": "constant", "title": {"text": "Estado del reporte"}},
        plot_bgcolor="white",
        xaxis={"categoryorder": "array", "categoryarray": columns, "tickmode": "array", "tickvals": columns,
               "side": "top", "tickangle": -60, "showgrid": True, "gridcolor": "#eeeeee"},
        yaxis={"title": {"text": "Municipio"}, "categoryorder": "array", "categoryarray": rows[::-1],
               "tickmode": "array", "tickvals": rows, "tickfont": {"size": 10},
               "showgrid": True, "gridcolor": "#eeeeee", "automargin": True},
    )
    return fig
