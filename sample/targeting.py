"""Sample inputs of the focalización explorer: `warehouse/reference/targeting_sample.csv`.

The seed gives the CSU criteria (settlements of extreme and high precariousness, the municipal
violence index, institutional resources and capacity), the pool (50 municipalities with urban areas
over 15,000 inhabitants) and the 25 of Cuadro 1 in their order. It gives none of the figures, nor
the other 25 names: every number here, and the 25 extra candidates, are SAMPLE data. The 25
Cuadro 1 municipalities keep the settlements and violence index of `interventions.csv`.

Run `python -m sample.targeting` to rewrite the CSV (deterministic).
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "warehouse" / "reference"
OUT = REFERENCE_DIR / "targeting_sample.csv"
# 25 further urban municipalities of the sample pool (none in Cuadro 1 or in CSR)
EXTRA_CANDIDATES = ["0511", "0501", "0603", "0609", "1123", "1408", "0407", "0702", "0906", "1319",
                    "0203", "0207", "0903", "0509", "0819", "0805", "0302", "0103", "0601", "0606",
                    "0616", "1416", "1121", "0316", "0311"]
COLUMNS = ["code", "pool", "precarious_extreme", "precarious_high", "violence_index", "capacity",
           "is_sample", "source_note"]
NOTE_CUADRO = ("Cuadro 1 del documento semilla (lista real); asentamientos por precariedad, índice de "
               "violencia y capacidad institucional de muestra")
NOTE_EXTRA = "Candidato urbano de muestra (el documento no nombra los otros 25 de los 50); cifras de muestra"


def targeting_rows(seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    with open(REFERENCE_DIR / "interventions.csv", encoding="utf-8", newline="") as f:
        csu = sorted((r for r in csv.DictReader(f) if r["intervention"] == "CSU"),
                     key=lambda r: int(r["entry_order"]))
    rows = []
    for r in csu:
        settlements = int(r["settlements"])
        extreme = round(settlements * rng.uniform(0.25, 0.5))
        rows.append({"code": r["code"], "pool": "CSU", "precarious_extreme": extreme,
                     "precarious_high": settlements - extreme, "violence_index": float(r["violence_index"]),
                     "capacity": round(rng.uniform(45, 95), 1), "is_sample": "true", "source_note": NOTE_CUADRO})
    for code in EXTRA_CANDIDATES:
        settlements = rng.randint(4, 45)
        extreme = round(settlements * rng.uniform(0.2, 0.45))
        rows.append({"code": code, "pool": "CSU", "precarious_extreme": extreme,
                     "precarious_high": settlements - extreme, "violence_index": round(rng.uniform(25, 95), 1),
                     "capacity": round(rng.uniform(30, 90), 1), "is_sample": "true", "source_note": NOTE_EXTRA})
    return rows


def write_targeting_csv(path: Path = OUT) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        writer.writerows(targeting_rows())
    return path


if __name__ == "__main__":
    print(write_targeting_csv())
