"""Neighbouring municipalities on the map do not cover each other (charts/spread.py)."""
from __future__ import annotations

import datetime as dt
import math

import polars as pl

from charts.maps import map_points
from charts.spread import KM_PER_DEG_LAT, spread_points
from warehouse.queries.municipal import municipality_map
from warehouse.query import SYSTEM


def _km(a, b) -> float:
    kx = KM_PER_DEG_LAT * math.cos(math.radians(13.7))
    return math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * KM_PER_DEG_LAT)


def test_overlapping_points_move_apart_and_keep_their_true_place():
    frame = pl.DataFrame({"lon": [-89.20, -89.201, -89.199, -88.0], "lat": [13.70, 13.701, 13.699, 13.5],
                          "radius": [2600, 2600, 2600, 2600]})
    out = spread_points(frame)
    points = list(zip(out["lon"], out["lat"]))
    assert min(_km(points[i], points[j]) for i in range(3) for j in range(i + 1, 3)) >= 2 * 2.6
    assert points[3] == (-88.0, 13.5)                                # a lone point stays
    assert out["true_lon"].to_list() == frame["lon"].to_list()


def test_no_two_intervention_points_of_the_sample_overlap(sample_warehouse):
    """The San Salvador CSU municipalities, drawn 2.6 km wide, are spread so none covers another."""
    points = map_points(municipality_map(dt.date(2014, 5, 18), SYSTEM)).filter(pl.col("mark") != "context")
    # the drawn size: the radius plus half the outline
    rows = list(zip(points["lon"], points["lat"], points["radius"] + points["line_width"] / 2, points["municipality"]))
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            assert _km(a, b) >= (a[2] + b[2]) / 1000 * 0.99, (a[3], b[3])
    moved = points.filter(pl.col("lon") != pl.col("true_lon"))
    assert "San Salvador" in set(moved["department"])
    # a point moves a few kilometres at most: it stays in its own neighbourhood
    shift = max(_km((r["lon"], r["lat"]), (r["true_lon"], r["true_lat"])) for r in moved.iter_rows(named=True))
    assert shift < 10
