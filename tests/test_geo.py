"""The departments and outline in static/geo/ (charts.geo): 14 departments with the project's codes,
small enough to commit, in the right places, and the map's view fitted to the data."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from charts.geo import GEO_DIR, data_bounds, departments_geojson, fit_zoom, outline_lines

ROOT = Path(__file__).resolve().parent.parent
CHECK = Path("/work/shared/reference/sv_departments.geojson")    # an independent source, when present


def centroid(geometry: dict) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings (shoelace), independent of how dense the vertices are."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    area = cx = cy = 0.0
    for poly in polygons:
        ring = poly[0]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def test_fourteen_departments_named_as_the_reference_table():
    features = departments_geojson()["features"]
    ref = pl.read_csv(ROOT / "warehouse" / "reference" / "municipalities.csv", schema_overrides={"department_code": pl.String})
    names = dict(ref.select("department_code", "department").unique().iter_rows())
    assert {f["properties"]["department_code"]: f["properties"]["department"] for f in features} == names
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    assert sum(p.stat().st_size for p in GEO_DIR.glob("*.geojson")) < 300_000
    assert "Natural Earth" in (GEO_DIR / "NOTICE").read_text() and "MIT" in (GEO_DIR / "NOTICE").read_text()


def test_outline_wraps_the_departments():
    lons = [p[0] for line in outline_lines() for p in line]
    lats = [p[1] for line in outline_lines() for p in line]
    assert -90.2 < min(lons) < -90.0 and -87.8 < max(lons) < -87.6
    assert 13.1 < min(lats) < 13.2 and 14.4 < max(lats) < 14.5


@pytest.mark.skipif(not CHECK.exists(), reason="no independent boundaries file on this machine")
def test_departments_sit_where_an_independent_source_puts_them():
    other = {f["properties"]["dept_code"]: centroid(f["geometry"]) for f in json.loads(CHECK.read_text())["features"]}
    for f in departments_geojson()["features"]:
        lon, lat = centroid(f["geometry"])
        olon, olat = other[f["properties"]["department_code"]]
        assert abs(lon - olon) < 0.03 and abs(lat - olat) < 0.03, f["properties"]["department"]


def test_view_fits_the_country_in_a_wide_frame():
    frame = pl.DataFrame(schema={"department_code": pl.String, "lat": pl.Float64, "lon": pl.Float64})
    lon0, lat0, lon1, lat1 = data_bounds(frame)                  # empty: the whole country
    lat, lon, zoom = fit_zoom((lon0, lat0, lon1, lat1), 980, 540)
    assert 13.7 < lat < 13.9 and -89.0 < lon < -88.8
    world_px = 512 * 2 ** zoom
    assert 0.85 < (lon1 - lon0) / 360 * world_px / 980 <= 1     # the country spans almost the whole width
