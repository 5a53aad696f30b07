"""El Salvador's departments and outline for both maps (pydeck and its Plotly twin), and the map's
view: the files in static/geo/ (Natural Earth, see static/geo/NOTICE), read once per process.

The departments' tint counts what the page already has (each municipality's state from the query
layer): how many of a department's municipalities are rojo. No semáforo is computed here.
"""
from __future__ import annotations

import copy
import json
import math
from functools import lru_cache
from pathlib import Path

import polars as pl

GEO_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"
LAND_COLOR = "#fbfaf6"           # a department without municipalities in rojo
# pale reds, so the municipalities' own colours stay readable on top: 1, 2, 3 or more in rojo
ROJO_TINTS = ("#f8dcd8", "#f0b1aa", "#e5867d")
DEPARTMENT_LINE = "#9aa3ab"
OUTLINE_COLOR = "#4a5560"
ZOOM_PAD = 1.06                  # a little air around the data


@lru_cache(maxsize=1)
def _read(name: str) -> dict:
    return json.loads((GEO_DIR / name).read_text(encoding="utf-8"))


def departments_geojson() -> dict:
    """The 14 departments (properties: department_code, department, hasc, label_lon, label_lat); a copy."""
    return copy.deepcopy(_read("sv_departments.geojson"))


def outline_lines() -> list[list[list[float]]]:
    """The country's border as lon/lat paths."""
    return _read("sv_outline.geojson")["features"][0]["geometry"]["coordinates"]


def rojo_tint(count: int | None) -> str:
    """The department's fill: land colour without municipalities in rojo, deeper red with more."""
    return LAND_COLOR if not count else ROJO_TINTS[min(count, len(ROJO_TINTS)) - 1]


def department_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Per department: municipalities in the filter and how many are rojo / amarillo / verde
    (`frame`: warehouse.queries.municipal.municipality_map, its `semaforo` column as given)."""
    shown = frame.filter(pl.col("in_filter"))
    return shown.group_by("department_code").agg(
        pl.len().alias("municipalities"),
        *[(pl.col("semaforo") == s).sum().cast(pl.Int64).alias(s) for s in ("rojo", "amarillo", "verde")])


def department_features(frame: pl.DataFrame) -> list[dict]:
    """The department features with their counts, tint and a hover line (departments the frame does
    not cover keep the land colour and say so)."""
    counts = {r["department_code"]: r for r in department_counts(frame).iter_rows(named=True)}
    features = departments_geojson()["features"]
    for feature in features:
        props = feature["properties"]
        row = counts.get(props["department_code"])
        props["rojo"] = row["rojo"] if row else 0
        props["fill_hex"] = rojo_tint(props["rojo"])
        props["summary"] = (f"{row['municipalities']} municipios con intervención: {row['rojo']} en rojo, "
                            f"{row['amarillo']} en amarillo, {row['verde']} en verde" if row
                            else "sin municipios con intervención en el filtro")
    return features


def _ring_points(geometry: dict) -> list[list[float]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [p for poly in polygons for p in poly[0]]


def data_bounds(frame: pl.DataFrame) -> tuple[float, float, float, float]:
    """lon0, lat0, lon1, lat1 around the frame's municipalities and their departments' shapes (the
    whole country when the frame is empty), so the map opens filling its frame."""
    wanted = set(frame["department_code"].to_list()) if "department_code" in frame.columns else set()
    shapes = [f for f in _read("sv_departments.geojson")["features"]
              if not wanted or f["properties"]["department_code"] in wanted]
    pts = [p for f in shapes for p in _ring_points(f["geometry"])]
    located = frame.drop_nulls(["lat", "lon"])
    lons = [p[0] for p in pts] + located["lon"].to_list()
    lats = [p[1] for p in pts] + located["lat"].to_list()
    return min(lons), min(lats), max(lons), max(lats)


def fit_zoom(bounds: tuple[float, float, float, float], width_px: int, height_px: int) -> tuple[float, float, float]:
    """Centre (lat, lon) and web-mercator zoom that fit `bounds` in a width × height frame."""
    lon0, lat0, lon1, lat1 = bounds

    def merc(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_lon = max(lon1 - lon0, 0.05) * ZOOM_PAD
    span_y = max(merc(lat1) - merc(lat0), 0.05) * ZOOM_PAD
    # deck.gl's world is 512 px wide at zoom 0
    zoom = min(math.log2(width_px * 360 / (512 * span_lon)), math.log2(height_px * 360 / (512 * span_y)))
    mid_y = math.radians((merc(lat0) + merc(lat1)) / 2)
    lat = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return lat, (lon0 + lon1) / 2, zoom
