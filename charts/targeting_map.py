"""The focalización map: the CSU pool (or CSR municipalities) coloured by how the analyst's ranking
differs from the official one. Reuses the municipalities map's ground (charts.maps). Pure."""
from __future__ import annotations

import polars as pl
import pydeck as pdk

from charts.maps import basemap_style, department_layers, rgba, view_state

CHANGE_COLOR = {"entra": "#2c7bb6", "sale": "#d7191c", "sube": "#1a9641", "baja": "#f4b400",
                "igual": "#555555", "fuera en ambos": "#cfcfcf"}
CHANGE_LABEL = {"entra": "+ entra (no está en el Cuadro 1)", "sale": "– sale (está en el Cuadro 1)",
                "sube": "▲ sube en el orden", "baja": "▼ baja en el orden", "igual": "= mismo puesto",
                "fuera en ambos": "· fuera de los 25 en ambos"}


def targeting_deck(frame: pl.DataFrame, map_style: str | None = None) -> pdk.Deck:
    """`frame`: code, municipality, department, department_code, lat, lon, change, official_rank,
    weighted_rank (warehouse.queries.analytics.targeting_csu or an equivalent CSR frame)."""
    ground = frame.with_columns(pl.lit(False).alias("in_filter"), pl.lit(None, pl.String).alias("semaforo"))
    points = frame.drop_nulls(["lat", "lon"]).with_columns(
        pl.col("change").replace_strict({k: rgba(v) for k, v in CHANGE_COLOR.items()},
                                        return_dtype=pl.List(pl.Int64)).alias("fill"),
        pl.col("change").replace_strict(CHANGE_LABEL).alias("change_text"),
        pl.col("official_rank").cast(pl.String).fill_null("—").alias("official_text"),
        pl.col("weighted_rank").cast(pl.String).alias("weighted_text"))
    layer = pdk.Layer("ScatterplotLayer",
                      points.select("code", "municipality", "department", "lon", "lat", "fill", "change_text",
                                    "official_text", "weighted_text").to_dicts(),
                      id="focalizacion", pickable=True, stroked=True, filled=True, get_position=["lon", "lat"],
                      get_fill_color="fill", get_line_color=[17, 17, 17, 255], line_width_min_pixels=1,
                      get_radius=2400, radius_min_pixels=4, radius_max_pixels=14)
    return pdk.Deck(layers=[*department_layers(ground), layer], initial_view_state=view_state(points),
                    map_provider="carto", map_style=map_style or basemap_style(),
                    tooltip={"html": "<b>{municipality}</b> · {department}<br/>{change_text}<br/>"
                                     "Orden oficial: {official_text} · orden ponderado: {weighted_text}",
                             "style": {"fontSize": "12px"}})


def legend_html() -> str:
    items = [f"<span style='display:inline-block;width:12px;height:12px;border-radius:50%;background:{c};"
             f"border:1px solid #111;vertical-align:middle'></span> {CHANGE_LABEL[k]}" for k, c in CHANGE_COLOR.items()]
    return "<div style='font-size:0.85rem;line-height:1.8'>" + " &nbsp; ".join(items) + "</div>"
