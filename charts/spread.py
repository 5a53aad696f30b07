"""Neighbouring map points that would cover each other are spread on a small ring around their
common centre, so each one can be seen and clicked (the San Salvador CSU municipalities)."""
from __future__ import annotations

import math

import polars as pl

KM_PER_DEG_LAT = 111.32


def _km_per_deg_lon(lat: float) -> float:
    return KM_PER_DEG_LAT * math.cos(math.radians(lat))


def spread_points(frame: pl.DataFrame, radius_m: str = "radius", gap: float = 1.2, rounds: int = 30) -> pl.DataFrame:
    """`frame` with lon/lat moved apart where two drawn circles (radius in metres, column `radius_m`)
    would overlap; the true position is kept in `true_lon`/`true_lat`. Points without a radius or a
    position stay where they are. A ring can touch a further neighbour: then that group is spread
    again (a few rounds)."""
    out = frame.with_columns(pl.col("lon").alias("true_lon"), pl.col("lat").alias("true_lat"))
    lon, lat = frame["lon"].to_list(), frame["lat"].to_list()
    radius = frame[radius_m].to_list()
    index = [i for i in range(frame.height) if None not in (lon[i], lat[i], radius[i])]
    if len(index) < 2:
        return out
    kx = _km_per_deg_lon(sum(lat[i] for i in index) / len(index))
    for _ in range(rounds):
        clusters = _overlapping_groups(index, lon, lat, radius, kx, gap)
        if not clusters:
            break
        for members in clusters:
            _place_on_ring(members, lon, lat, radius, kx, gap)
    return out.with_columns(pl.Series("lon", lon, dtype=pl.Float64), pl.Series("lat", lat, dtype=pl.Float64))


def _overlapping_groups(index, lon, lat, radius, kx, gap) -> list[list[int]]:
    """Groups (of two or more) of points whose circles overlap, directly or through a chain."""
    parent = {i: i for i in index}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, ia in enumerate(index):
        for ib in index[a + 1:]:
            reach = (radius[ia] + radius[ib]) / 1000.0 * gap
            if math.hypot((lon[ia] - lon[ib]) * kx, (lat[ia] - lat[ib]) * KM_PER_DEG_LAT) < reach * 0.999:
                parent[root(ia)] = root(ib)
    groups: dict[int, list[int]] = {}
    for i in index:
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _place_on_ring(members, lon, lat, radius, kx, gap) -> None:
    """Members evenly on a ring around their centre, in their angular order, adjacent ones one
    diameter apart."""
    cx = sum(lon[i] for i in members) / len(members)
    cy = sum(lat[i] for i in members) / len(members)
    r_max = max(radius[i] for i in members) / 1000.0 * gap
    ring = r_max / math.sin(math.pi / len(members))
    angle_of = {i: math.atan2((lat[i] - cy) * KM_PER_DEG_LAT, (lon[i] - cx) * kx) for i in members}
    ordered = sorted(members, key=angle_of.get)
    start = angle_of[ordered[0]]
    for k, i in enumerate(ordered):
        angle = start + 2 * math.pi * k / len(members)
        lon[i] = cx + ring * math.cos(angle) / kx
        lat[i] = cy + ring * math.sin(angle) / KM_PER_DEG_LAT
