"""The municipalities map as a plain Plotly figure, for images and slides.

A lon/lat scatter on ordinary axes (equal scale through `scaleanchor`), not a geo map: geo maps
fetch their base layers from the internet, and exports must work offline. Under the points, the 14
departments (tinted like the pydeck map, charts.geo) and the country's outline; municipal
boundaries, when loaded, as thin line traces. Pure function: frames in, figure out.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from charts.geo import DEPARTMENT_LINE, OUTLINE_COLOR, data_bounds, department_features, outline_lines, rojo_tint
from charts.spread import spread_points
from charts.style import FONT_FAMILY, SEMAFORO_COLOR, SEMAFORO_ICON, SEMAFORO_LABEL, STATE_ORDER

# Marker shape per state, matching the icons of charts/style.py: colour is never the only signal.
SYMBOL = {"verde": "circle", "amarillo": "triangle-up", "rojo": "square", "en inicio": "circle-open",
          "sin dato": "x", "sin meta": "diamond", "atrasado": "hourglass"}
CONTEXT_STATES = ("sin intervención", "no aplica")
SIZE = {"CSU": 15, "CSR": 11}
OUTLINE = {"CSU": "#111111", "CSR": "#ffffff"}
SPREAD_RADIUS_M = {"CSU": 2600, "CSR": 1700}     # about the markers' size at the country's scale
BOUNDARY_COLOR = "#8a8a8a"
LABEL_CORNERS = ("top right", "bottom right", "top left", "bottom left")
CENTER_LAT = 13.75      # El Salvador: one degree of longitude is cos(13.75°) of a degree of latitude

_POLYGON = pl.List(pl.List(pl.List(pl.Float64)))
_MULTI = pl.List(_POLYGON)


def boundary_lines(boundaries: pl.DataFrame | None) -> pl.DataFrame:
    """Every ring of every (Multi)Polygon as lon/lat points, each ring closed by a null point, in
    drawing order (`boundaries`: code, geometry_json)."""
    empty = pl.DataFrame(schema={"lon": pl.Float64, "lat": pl.Float64})
    if boundaries is None or boundaries.is_empty():
        return empty
    kind = pl.col("geometry_json").str.json_path_match("$.type")
    coords = pl.col("geometry_json").str.json_path_match("$.coordinates")
    polygons = pl.concat([
        boundaries.filter(kind == "Polygon").select(coords.str.json_decode(_POLYGON).alias("poly")),
        boundaries.filter(kind == "MultiPolygon")
        .select(coords.str.json_decode(_MULTI).alias("poly")).explode("poly"),
    ])
    if polygons.is_empty():
        return empty
    rings = polygons.explode("poly").rename({"poly": "ring"}).drop_nulls()
    # a null point after each ring breaks the line, so one trace draws every ring
    rings = rings.with_columns(pl.col("ring").list.concat(pl.lit([[None, None]], dtype=pl.List(pl.List(pl.Float64)))))
    points = rings.explode("ring")
    return points.select(pl.col("ring").list.get(0, null_on_oob=True).alias("lon"),
                         pl.col("ring").list.get(1, null_on_oob=True).alias("lat"))


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for poly in polygons for ring in poly]


def _with_breaks(paths: list[list[list[float]]]) -> tuple[list, list]:
    """Many paths as one trace's x, y: a None between paths breaks the line."""
    xs, ys = [], []
    for path in paths:
        xs += [p[0] for p in path] + [None]
        ys += [p[1] for p in path] + [None]
    return xs, ys


def add_departments(fig: go.Figure, frame: pl.DataFrame) -> list[dict]:
    """The departments filled with their tint (one trace per department: Plotly fills one colour
    per trace), the country's outline, and the departments' names."""
    features = department_features(frame)
    for f in features:
        xs, ys = _with_breaks(_rings(f["geometry"]))
        props = f["properties"]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=props["fill_hex"],
                                 line={"color": DEPARTMENT_LINE, "width": 0.8}, name=props["department"],
                                 showlegend=False, hoveron="fills",
                                 hovertemplate=f"<b>{props['department']}</b><br>{props['summary']}<extra></extra>"))
    xs, ys = _with_breaks(outline_lines())
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": OUTLINE_COLOR, "width": 1.6},
                             hoverinfo="skip", showlegend=False, name="El Salvador"))
    fig.add_trace(go.Scatter(
        x=[f["properties"]["label_lon"] for f in features], y=[f["properties"]["label_lat"] for f in features],
        mode="text", text=[f["properties"]["department"] for f in features], hoverinfo="skip", showlegend=False,
        textfont={"size": 11, "color": "rgba(70, 80, 90, 0.75)"}, name="Departamentos"))
    return features


def _hover(frame: pl.DataFrame) -> list[str]:
    return frame.select(pl.format("<b>{}</b> ({}) · {}<br>Rojo {} · Amarillo {} · Verde {} · Atrasados {}",
                                  pl.col("municipality"), pl.col("department"), pl.col("intervention"),
                                  pl.col("rojo"), pl.col("amarillo"), pl.col("verde"), pl.col("late"))
                        ).to_series().to_list()


def municipality_map_figure(frame: pl.DataFrame, boundaries: pl.DataFrame | None = None,
                            title: str = "Municipios por semáforo", label_top: int = 12) -> go.Figure:
    """Municipalities (warehouse.queries.municipal.municipality_map) coloured and shaped by
    `semaforo`; CSU larger with a dark outline, CSR smaller; the rest small grey context. The
    `label_top` municipalities with most indicators in rojo get their name and that count."""
    fig = go.Figure()
    departments = add_departments(fig, frame)
    lines = boundary_lines(boundaries)
    if lines.height:
        fig.add_trace(go.Scatter(x=lines["lon"].to_list(), y=lines["lat"].to_list(), mode="lines",
                                 line={"color": BOUNDARY_COLOR, "width": 0.6}, hoverinfo="skip",
                                 name="Límites municipales", showlegend=False))
    located = frame.drop_nulls(["lat", "lon"])
    context = located.filter(~pl.col("in_filter") | pl.col("semaforo").is_in(CONTEXT_STATES))
    if context.height:
        fig.add_trace(go.Scatter(
            x=context["lon"].to_list(), y=context["lat"].to_list(), mode="markers",
            name=f"Sin intervención o fuera del filtro ({context.height:,})",
            marker={"size": 5, "color": SEMAFORO_COLOR["sin meta"], "symbol": "circle"},
            text=context["municipality"].to_list(), hovertemplate="%{text}<extra></extra>"))
    shown = located.filter(pl.col("in_filter") & ~pl.col("semaforo").is_in(CONTEXT_STATES))
    # neighbours that would cover each other (the San Salvador CSU municipalities) move apart on a ring
    shown = spread_points(shown.with_columns(
        pl.col("intervention").replace_strict(SPREAD_RADIUS_M, default=1700, return_dtype=pl.Int64).alias("radius")))
    for state in STATE_ORDER:
        part = shown.filter(pl.col("semaforo") == state)
        if part.is_empty():
            continue
        fig.add_trace(go.Scatter(
            x=part["lon"].to_list(), y=part["lat"].to_list(), mode="markers",
            name=f"{SEMAFORO_ICON[state]} {SEMAFORO_LABEL[state]} ({part.height:,})",
            marker={"symbol": SYMBOL[state], "color": SEMAFORO_COLOR[state],
                    "size": part["intervention"].replace_strict(SIZE, default=9).to_list(),
                    "line": {"color": part["intervention"].replace_strict(OUTLINE, default="#ffffff").to_list(),
                             "width": 1.2}},
            hovertext=_hover(part), hovertemplate="%{hovertext}<extra></extra>"))
    flagged = shown.filter(pl.col("rojo") > 0).sort(["rojo", "code"], descending=[True, False]).head(label_top)
    if flagged.height:
        # alternate the label corners so neighbours' names overlap less
        corners = [LABEL_CORNERS[i % len(LABEL_CORNERS)] for i in range(flagged.height)]
        fig.add_trace(go.Scatter(
            x=flagged["lon"].to_list(), y=flagged["lat"].to_list(), mode="text", textposition=corners,
            text=flagged.select(pl.format("{} ({} {})", pl.col("municipality"), pl.col("rojo"),
                                          pl.lit(SEMAFORO_ICON["rojo"]))).to_series().to_list(),
            textfont={"size": 11, "color": "#1b1b1b"}, hoverinfo="skip", showlegend=False))
    most = max(min(f["properties"]["rojo"], 3) for f in departments)
    for n, label in [(1, "1"), (2, "2"), (3, "3 o más")][:most]:     # the departments' tints in use
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Depto. con {label} en rojo",
                                 marker={"symbol": "square", "size": 13, "color": rojo_tint(n),
                                         "line": {"color": DEPARTMENT_LINE, "width": 1}}, hoverinfo="skip"))
    lon0, lat0, lon1, lat1 = data_bounds(frame)
    pad_lon, pad_lat = (lon1 - lon0) * 0.02, (lat1 - lat0) * 0.03
    fig.update_xaxes(visible=False, constrain="domain", range=[lon0 - pad_lon, lon1 + pad_lon])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(CENTER_LAT)),
                     range=[lat0 - pad_lat, lat1 + pad_lat], constrain="domain")
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"}, font={"family": FONT_FAMILY, "size": 13},
        plot_bgcolor="white", paper_bgcolor="white", height=560,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "xanchor": "left",
                "title": {"text": f"CSU: grande, borde oscuro · CSR: pequeño · nombre (n {SEMAFORO_ICON['rojo']}): "
                                   "municipio con n indicadores en rojo", "side": "top"}})
    return fig
