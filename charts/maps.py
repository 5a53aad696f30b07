"""The municipalities map: a pure function from the map frame to a pydeck Deck (no streamlit here).

Points (cabeceras) by default; polygons when municipal boundaries are loaded; under them the 14
departments (tinted by how many of their municipalities are rojo) and the country's outline, from
static/geo/ (charts.geo). It draws without internet: the basemap is a local style (a plain
background) unless SPSU_ONLINE_BASEMAP=1.
"""
from __future__ import annotations

import json
import os

import polars as pl
import pydeck as pdk

from charts.geo import (DEPARTMENT_LINE, OUTLINE_COLOR, data_bounds, department_features, fit_zoom, outline_lines,
                        rojo_tint)
from charts.spread import spread_points
from charts.style import FONT_FAMILY, INTERVENTION_LABEL, SEMAFORO_COLOR, SEMAFORO_ICON, fmt_percent, fmt_value

OFFLINE_STYLE = "/app/static/offline_style.json"
ONLINE_STYLE = pdk.map_styles.CARTO_LIGHT
LAYER_POINTS = "municipios"
LAYER_POLYGONS = "limites"
LAYER_DEPARTMENTS = "departamentos"
# The frame the page gives the map (px): full width of the wide layout at 1440 px, and a height that
# holds the country's shape (about 1.8 : 1) at that width. Wider screens show more sea, not less land.
MAP_WIDTH_PX, MAP_HEIGHT_PX = 980, 540

# Municipalities outside the view (no intervention, or outside the filter) are context: small grey.
CONTEXT_STATES = ("sin intervención", "no aplica")
CONTEXT_COLOR = SEMAFORO_COLOR["sin meta"]
# How each intervention is drawn besides its colour: radius and outline width (metres; pydeck turns
# every string prop into an accessor, so the units stay deck.gl's default metres), outline colour.
# At the country view 1 px is about 450 m: CSU about 2.5 px of dark outline, CSR 1 px of white.
MARKS = {
    "CSU": {"radius": 2600, "line": [17, 17, 17, 255], "line_width": 1150},
    "CSR": {"radius": 1700, "line": [255, 255, 255, 255], "line_width": 300},
    "context": {"radius": 700, "line": [255, 255, 255, 0], "line_width": 0},
}
FLAGGED_STATES = ("rojo", "amarillo")


def basemap_style(online: bool | None = None) -> str:
    """Local background style by default; the online Carto basemap only when asked for."""
    if online is None:
        online = os.environ.get("SPSU_ONLINE_BASEMAP") == "1"
    return ONLINE_STYLE if online else OFFLINE_STYLE


def rgba(hex_color: str, alpha: int = 230) -> list[int]:
    hex_color = hex_color.lstrip("#")
    return [int(hex_color[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def map_points(frame: pl.DataFrame, indicator_label: str | None = None) -> pl.DataFrame:
    """The frame with drawing columns: mark kind, colours, radius and the tooltip's text fields."""
    colors = {state: rgba(c) for state, c in SEMAFORO_COLOR.items()}
    context = ~pl.col("in_filter") | pl.col("semaforo").is_in(CONTEXT_STATES)
    mark = pl.when(context).then(pl.lit("context")).otherwise(pl.col("intervention"))
    counts = pl.format("Rojo {} · Amarillo {} · Verde {} · Atrasados {}",
                       pl.col("rojo"), pl.col("amarillo"), pl.col("verde"), pl.col("late"))
    indicator_line = pl.lit("")
    if indicator_label:
        indicator_line = pl.format(
            "{}: valor {} · meta {} · avance {}", pl.lit(indicator_label),
            pl.col("ind_value").map_elements(fmt_value, return_dtype=pl.String).fill_null("—"),
            pl.col("ind_target").map_elements(fmt_value, return_dtype=pl.String).fill_null("—"),
            pl.col("ind_percent").map_elements(fmt_percent, return_dtype=pl.String).fill_null("—"))
        indicator_line = (pl.when(pl.col("intervention") == "none").then(pl.lit(""))
                          .when(pl.col("ind_semaforo").is_null()).then(pl.lit(f"{indicator_label}: no aplica"))
                          .otherwise(indicator_line))
    out = frame.with_columns(
        mark.alias("mark"),
        pl.col("semaforo").replace_strict(colors, default=rgba(CONTEXT_COLOR, 160),
                                          return_dtype=pl.List(pl.Int64)).alias("fill"),
        pl.col("semaforo").replace_strict(SEMAFORO_ICON, default="·").alias("icon"),
        pl.concat_str(pl.col("semaforo").replace_strict(SEMAFORO_ICON, default="·"), pl.lit(" "),
                      pl.col("semaforo")).alias("semaforo_text"),
        (pl.col("intervention").replace_strict(INTERVENTION_LABEL, default="")
         + pl.when(pl.col("csr_group").is_not_null()).then(pl.format(" (pobreza {})", pl.col("csr_group")))
           .otherwise(pl.lit(""))).alias("intervention_text"),
        pl.when(pl.col("intervention") == "none").then(pl.lit("")).otherwise(counts).alias("counts_text"),
        indicator_line.alias("indicator_text"),
    )
    marks = pl.DataFrame({"mark": list(MARKS), "radius": [m["radius"] for m in MARKS.values()],
                          "line": [m["line"] for m in MARKS.values()],
                          "line_width": [m["line_width"] for m in MARKS.values()]})
    out = out.join(marks, on="mark", how="left").with_columns(
        pl.when(pl.col("mark") == "context").then(rgba(CONTEXT_COLOR, 160)).otherwise(pl.col("fill")).alias("fill"))
    # intervention points that would cover each other move apart on a small ring (context dots stay)
    shown = spread_points(out.filter(pl.col("mark") != "context").with_columns(
        (pl.col("radius") + pl.col("line_width") / 2).alias("reach")), radius_m="reach").drop("reach")
    rest = out.filter(pl.col("mark") == "context").with_columns(pl.col("lon").alias("true_lon"),
                                                                 pl.col("lat").alias("true_lat"))
    out = pl.concat([rest, shown.select(rest.columns)], how="vertical_relaxed")
    # context first, so intervention municipalities draw on top
    return out.sort(pl.col("mark") != "context", pl.col("mark") == "CSU")


def view_state(frame: pl.DataFrame, width_px: int = MAP_WIDTH_PX, height_px: int = MAP_HEIGHT_PX) -> pdk.ViewState:
    """Centre and zoom that fit the frame's municipalities and their departments (charts.geo)."""
    lat, lon, zoom = fit_zoom(data_bounds(frame), width_px, height_px)
    return pdk.ViewState(latitude=round(lat, 4), longitude=round(lon, 4), zoom=round(max(5.0, min(zoom, 11.0)), 2))


def department_layers(frame: pl.DataFrame) -> list[pdk.Layer]:
    """The departments (filled, thin grey borders), the country's outline and the departments'
    names: the map's ground, under the municipalities and not pickable (a click opens a municipality)."""
    features = department_features(frame)
    for f in features:
        f["properties"]["fill"] = rgba(f["properties"]["fill_hex"], 255)
    labels = [{"name": f["properties"]["department"], "lon": f["properties"]["label_lon"],
               "lat": f["properties"]["label_lat"]} for f in features]
    chars = "".join(sorted({c for item in labels for c in item["name"]}))
    return [
        pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=LAYER_DEPARTMENTS,
                  pickable=False, stroked=True, filled=True, get_fill_color="properties.fill",
                  get_line_color=rgba(DEPARTMENT_LINE, 255), line_width_min_pixels=1, get_line_width=1),
        pdk.Layer("PathLayer", [{"path": line} for line in outline_lines()], id="contorno", pickable=False,
                  get_path="path", get_color=rgba(OUTLINE_COLOR, 255), width_min_pixels=1.6, get_width=1),
        pdk.Layer("TextLayer", labels, id="nombres_departamentos", pickable=False, get_position=["lon", "lat"],
                  get_text="name", get_size=12, get_color=[70, 80, 90, 150],
                  font_family=pdk.types.String(FONT_FAMILY), character_set=pdk.types.String(chars),
                  font_weight=pdk.types.String("bold")),
    ]


TOOLTIP_HTML = ("<b>{municipality}</b> · {department}<br/>{intervention_text}<br/>"
                "Semáforo: <b>{semaforo_text}</b><br/>{counts_text}<br/>{indicator_text}")


def municipality_deck(frame: pl.DataFrame, boundaries: pl.DataFrame | None = None,
                      indicator_label: str | None = None, map_style: str | None = None) -> pdk.Deck:
    """Municipalities coloured by semáforo; CSU with a dark outline and larger, CSR smaller with a
    white outline, the rest small and grey. Polygons for the municipalities with a boundary; the
    departments and the country's outline underneath."""
    points = map_points(frame, indicator_label)
    keep = ["code", "municipality", "department", "intervention", "semaforo", "semaforo_text",
            "intervention_text", "counts_text", "indicator_text", "icon", "mark", "fill", "line", "line_width",
            "radius", "lat", "lon"]
    layers = department_layers(frame)
    with_shape = set()
    if boundaries is not None and not boundaries.is_empty():
        shaped = points.join(boundaries.select("code", "geometry_json"), on="code", how="inner")
        with_shape = set(shaped["code"].to_list())
        features = [{"type": "Feature", "geometry": json.loads(row.pop("geometry_json")), "properties": row}
                    for row in shaped.select([*keep, "geometry_json"]).to_dicts()]
        layers.append(pdk.Layer(
            "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id=LAYER_POLYGONS,
            pickable=True, stroked=True, filled=True, get_fill_color="properties.fill",
            get_line_color="properties.line", get_line_width="properties.line_width", line_width_min_pixels=0.5,
            line_width_max_pixels=4, auto_highlight=True))
    dots = points.filter(~pl.col("code").is_in(list(with_shape))).drop_nulls(["lat", "lon"]).select(keep)
    if not dots.is_empty():
        layers.append(pdk.Layer(
            "ScatterplotLayer", dots.to_dicts(), id=LAYER_POINTS, pickable=True, stroked=True, filled=True,
            get_position=["lon", "lat"], get_fill_color="fill", get_line_color="line",
            get_line_width="line_width", line_width_min_pixels=0, line_width_max_pixels=4, get_radius="radius",
            radius_min_pixels=2, radius_max_pixels=14, auto_highlight=True))
    flagged = dots.filter(pl.col("semaforo").is_in(FLAGGED_STATES) & (pl.col("mark") != "context"))
    if not flagged.is_empty():
        # the state's icon beside the point, so colour is not the only signal
        layers.append(pdk.Layer(
            "TextLayer", flagged.select("lon", "lat", "icon", "municipality", "department", "semaforo_text",
                                        "intervention_text", "counts_text", "indicator_text").to_dicts(),
            id="iconos", get_position=["lon", "lat"], get_text="icon", get_size=10, get_color=[40, 40, 40, 255],
            get_pixel_offset=[8, -1], get_text_anchor=pdk.types.String("start"),
            character_set=pdk.types.String("".join(SEMAFORO_ICON.values())), font_family=pdk.types.String(FONT_FAMILY),
            pickable=False))
    return pdk.Deck(layers=layers, initial_view_state=view_state(points), map_provider="carto",
                    map_style=map_style or basemap_style(),
                    tooltip={"html": TOOLTIP_HTML, "style": {"fontSize": "12px"}})


def legend_html(states: list[str]) -> str:
    """The map's legend: semáforo colours with icons, and how CSU, CSR and the rest are drawn."""
    def swatch(color, border="#ffffff", size=12, border_px=1):
        return (f"<span style='display:inline-block;width:{size}px;height:{size}px;border-radius:50%;"
                f"background:{color};border:{border_px}px solid {border};vertical-align:middle'></span>")
    items = [f"{swatch(SEMAFORO_COLOR[s])} {SEMAFORO_ICON[s]} {s}" for s in states if s in SEMAFORO_COLOR]
    shapes = [f"{swatch('#ffffff', '#111111', 14, 3)} CSU (urbano: grande, borde oscuro)",
              f"{swatch('#ffffff', '#777777', 10)} CSR (rural: mediano, borde blanco)",
              f"{swatch(CONTEXT_COLOR, CONTEXT_COLOR, 6)} Sin intervención o fuera del filtro"]

    def tile(color):
        return (f"<span style='display:inline-block;width:16px;height:11px;background:{color};"
                f"border:1px solid {DEPARTMENT_LINE};vertical-align:middle'></span>")
    tints = " ".join(f"{tile(rojo_tint(n))} {label}" for n, label in ((0, "0"), (1, "1"), (2, "2"), (3, "3 o más")))
    return ("<div style='font-size:0.85rem;line-height:1.8'>" + " &nbsp; ".join(items) + "<br/>"
            + " &nbsp; ".join(shapes) + "<br/>Departamentos según sus municipios en rojo: " + tints + "</div>")
