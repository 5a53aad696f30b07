"""Sample RUP extract (anonymized, every row marked as sample): about 100,000 households over the
125 Comunidades Solidarias municipalities, in the layout of the `participants` loader kind.

The seed document names the RUP as the targeting system but gives no household figures: sizes,
scores, dates and uptake here are all invented. CSU households live in AUP (urban), CSR households
in cantones (rural); a household receives its intervention's programs with a probability that is
higher when it is eligible (score >= 50, the sample threshold in coverage_eligibility). One program
(CSU-EMPR) is rare on purpose, so small cells (< 5 households) and their suppression appear.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from sample import story
from sample.reference import municipalities, programs

COLUMNS = [("household_id", "ID hogar"), ("municipality_code", "Código Municipio"),
           ("intervention", "Intervención"), ("area", "Área"), ("territory", "AUP o cantón"),
           ("vulnerability_score", "Puntaje de vulnerabilidad"), ("registered_at", "Fecha de registro"),
           ("programs", "Programas recibidos"), ("is_sample", "Muestra")]
RUP_START = dt.date(2009, 7, 1)          # sample: first registrations
ELIGIBLE_MIN = 50.0                      # sample threshold, as in warehouse/sql/06_tables_participants.sql
# probability that an eligible household received the program by the extract date (sample)
UPTAKE = {"CSR-BONO": 0.62, "CSR-OFER": 0.55, "CSR-NMD": 0.12, "CSR-INFRA": 0.48, "CSR-PROD": 0.30,
          "CSR-EMPL": 0.10, "CSR-CLOC": 0.06, "CSR-FINS": 0.20, "CSR-PART": 0.25,
          "CSU-BONO": 0.45, "CSU-INFA": 0.18, "CSU-NMD": 0.08, "CSU-SALUD": 0.40, "CSU-PREV": 0.15,
          "CSU-AUP": 0.35, "CSU-PATI": 0.22, "CSU-INTL": 0.07, "CSU-EMPR": 0.004, "CSU-OBRA": 0.09,
          "CSU-FINS": 0.12, "CSU-PART": 0.20, "CSU-RIES": 0.05}
NOT_ELIGIBLE_FACTOR = 0.08               # uptake of households below the threshold, relative


def _sizes(rng: np.random.Generator) -> dict[str, int]:
    """Households per municipality: CSU by its AUP count, CSR around 700."""
    out = {}
    for m in municipalities():
        if m.intervention == "CSU":
            out[m.code] = int(max(m.settlements, 5) * rng.uniform(38, 52))
        else:
            out[m.code] = int(rng.uniform(520, 880))
    return out


def rows(seed: int = story.SEED + 14) -> list[dict]:
    """The extract's rows (canonical column names), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    sizes = _sizes(rng)
    by_iv = {iv: [p["program_code"] for p in programs() if p["intervention"] == iv] for iv in ("CSU", "CSR")}
    end = story.EXTRACT_DATE
    out: list[dict] = []
    n = 0
    for m in municipalities():
        size = sizes[m.code]
        start = max(RUP_START, m.start)
        span = (end - start).days
        reg_days = np.sort(rng.integers(0, span, size))
        scores = np.round(rng.beta(2.6, 2.2, size) * 100, 1)
        places = max(m.settlements, 1) if m.intervention == "CSU" else int(rng.integers(6, 16))
        place = rng.integers(1, places + 1, size)
        for i in range(size):
            n += 1
            registered = start + dt.timedelta(days=int(reg_days[i]))
            eligible = scores[i] >= ELIGIBLE_MIN
            received = []
            for code in by_iv[m.intervention]:
                p = UPTAKE[code] * (1.0 if eligible else NOT_ELIGIBLE_FACTOR)
                if rng.random() < p:
                    left = (end - registered).days
                    day = registered + dt.timedelta(days=int(rng.integers(30, 400)))
                    if left > 30 and day <= end:
                        received.append(f"{code}:{day.isoformat()}")
            out.append({
                "household_id": f"h{(n * 2654435761) % 16**10:010x}",
                "municipality_code": m.code, "intervention": m.intervention,
                "area": "urbana" if m.intervention == "CSU" else "rural",
                "territory": (f"AUP {m.code}-{int(place[i]):03d}" if m.intervention == "CSU"
                              else f"Cantón {m.code}-{int(place[i]):02d}"),
                "vulnerability_score": float(scores[i]), "registered_at": registered,
                "programs": "|".join(received) or None, "is_sample": True})
    return out
