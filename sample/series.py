"""Value series per indicator and municipality, designed so the warehouse method lands each
(indicator, municipality) pair in its intended semáforo band at story.AS_OF.

How: each indicator gets a national pace (on track or lagging, story.PACE_*), each pair a ratio r
around it (its semáforo band follows from r), a realistic series is generated whose as-of value (latest period for stocks, 2014 sum for flujo,
sum since the baseline for acumulado) corresponds to r, and the PQD-2014 target is then solved
from the value actually written (after rounding): target = baseline + (v - baseline) / (r * e).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from sample import story
from sample.catalog import DEADLINE, SPECS, Spec
from sample.periods import due_end, periods
from sample.reference import Municipality, municipalities

FIRST_BASELINE = story.PQD_BASELINE_DATE        # min baseline over scopes: the method's start
DELAYS = {"semanal": (0, 3), "mensual": (3, 12), "trimestral": (8, 25), "anual": (20, 80)}


def semaforo(r: float) -> str:
    return "verde" if r >= 0.9 else "amarillo" if r >= 0.7 else "rojo"


@dataclass
class Pair:
    spec: Spec
    muni: Municipality
    want: str                     # verde / amarillo / rojo
    r: float                      # designed ratio (before rounding)
    baseline_date: dt.date
    baseline: float = 0.0
    target: float = 0.0
    value: float = 0.0            # the value the method computes at AS_OF
    weight: float = 1.0           # denominator of the latest period (rates), for national targets
    rows: list = field(default_factory=list)

    @property
    def expected(self) -> float:
        """The method's expected progress at AS_OF from this pair's own baseline date."""
        return story.expected(self.baseline_date, story.PQD_TARGET_DATE)

    @property
    def ratio(self) -> float:
        return (self.value - self.baseline) / (self.target - self.baseline) / self.expected


def scope_munis(spec: Spec) -> list[Municipality]:
    iv = spec.scope_intervention
    return [m for m in municipalities() if iv == "ambas" or m.intervention == iv]


def sizes(rng: np.random.Generator) -> dict[str, float]:
    out = {}
    for m in municipalities():
        if m.intervention == "CSR":
            out[m.code] = float(np.clip(rng.lognormal(0, 0.3), 0.5, 2.2))
        else:
            out[m.code] = float(np.clip(0.6 + m.settlements / 30 + rng.normal(0, 0.1), 0.6, 3.5))
    return out


def indicator_paces(rng: np.random.Generator) -> dict[str, float]:
    """The centre of r per indicator: lagging for LAGGING_NATIONAL_EJE and a share of the others."""
    out = {}
    for spec in SPECS:
        lagging = spec.eje == story.LAGGING_NATIONAL_EJE or rng.random() < story.LAGGING_INDICATOR_SHARE
        out[spec.code] = float(rng.uniform(*(story.PACE_LAGGING if lagging else story.PACE_ON_TRACK)))
    return out


def design(spec: Spec, muni: Municipality, pace: float, rng: np.random.Generator) -> tuple[str, float]:
    """The pair's band and ratio r: rojo by design in the story's lagging cells, else `pace` (the
    indicator's pace plus the municipality's effect) with noise, kept clear of the band edges."""
    if (spec.eje == story.LAGGING_EJE and spec.scope_intervention == story.LAGGING_INTERVENTION
            and muni.code in story.LAGGING_MUNICIPALITIES):
        return "rojo", float(rng.uniform(*story.ROJO_RATIO))
    r = float(np.clip(rng.normal(pace, story.PAIR_SPREAD), 0.3, 1.35))
    for edge in (0.7, 0.9):                    # keep clear of a band edge, so rounding keeps the band
        if abs(r - edge) < 0.015:
            r = edge + 0.015 if r >= edge else edge - 0.015
    return semaforo(r), r


def report_dates(spec: Spec, muni: Municipality, plist, late_share: float,
                 rng) -> list[tuple[str, dt.date, dt.date]]:
    """(label, end, reported_at) of the reports in the extract (received by EXTRACT_DATE); a report
    is late (after its deadline) with the municipality's propensity `late_share`."""
    deadline = DEADLINE[spec.frequency]
    lo, hi = DELAYS[spec.frequency]
    late = muni.code in story.LATE_MUNICIPALITIES
    due = due_end(spec.frequency, deadline)
    delays = rng.integers(lo, hi + 1, len(plist))
    late_draw = rng.random(len(plist))
    extra = rng.integers(2, 16, len(plist))
    out = []
    for (label, end), d, u, x in zip(plist, delays, late_draw, extra):
        if late:
            if end >= due:
                continue                       # the latest due reports never arrived
            rep = min(end + dt.timedelta(days=deadline + int(x)), story.EXTRACT_DATE)
        else:
            days = deadline + int(x) if u < late_share else int(d)
            rep = end + dt.timedelta(days=days)
            if rep > story.EXTRACT_DATE:
                continue                       # not received yet when the files were extracted
        out.append((label, end, rep))
    return out


def _round(spec: Spec, x: float) -> float:
    dec = spec.params.get("dec")
    if spec.is_rate:
        return round(x, 1)
    return round(x, dec) if dec else float(round(x))


def _unit(spec: Spec) -> float:
    dec = spec.params.get("dec")
    return 0.1 if spec.is_rate else (10 ** -dec if dec else 1.0)


def solve_target(pair: Pair) -> None:
    """target = b + (v - b) / (r e), rounded; nudged so the written numbers keep the band."""
    spec, b, v, e = pair.spec, pair.baseline, pair.value, pair.expected
    if v == b:
        raise AssertionError(f"{spec.code} {pair.muni.code}: value equals baseline")
    raw = b + (v - b) / (pair.r * e)
    unit = _unit(spec)
    best = None
    for k in range(-40, 41):
        t = _round(spec, raw + k * unit)
        if t == b or (spec.is_rate and not 0 <= t <= 100) or t < 0:
            continue
        r = (v - b) / (t - b) / e
        if semaforo(r) == pair.want and r > 0:
            d = abs(r - pair.r)
            if best is None or d < best[0]:
                best = (d, t)
    if best is None:
        raise AssertionError(f"{spec.code} {pair.muni.code}: no target keeps {pair.want}")
    pair.target = best[1]


def _stock(pair: Pair, reps, size: float, rng) -> None:
    spec, p = pair.spec, pair.spec.params
    sign = -1 if spec.sentido == "descendente" else 1
    counts = not spec.is_rate and not p.get("dec")
    b, gain = rng.uniform(*p["b"]), rng.uniform(*p["gain"])
    if counts:
        b, gain = b * size, gain * size
    cumulative = spec.accumulation == "acumulado"        # reports_cumulative: the running total
    if cumulative:
        b = 0.0
        reps = [x for x in reps if x[1] > pair.baseline_date]
    b = _round(spec, b)
    t_nat = b + sign * gain
    last = reps[-1][1]
    v_last = b + pair.r * pair.expected * (t_nat - b)
    span = max((last - pair.baseline_date).days, 1)
    noise = rng.normal(0, 0.035, len(reps))
    den0 = rng.uniform(*p["den"]) if spec.is_rate else None
    dens = np.maximum(1, np.round(den0 * (1 + rng.normal(0, 0.02, len(reps))))) if spec.is_rate else None
    running = 0.0
    for i, (label, end, rep) in enumerate(reps):
        days = (end - pair.baseline_date).days
        g = days / span if days >= 0 else 0.04 * days / 365
        if cumulative:
            g = max(0.0, g) ** 1.15
        elif i < len(reps) - 1:
            g += noise[i]
        val = b + (v_last - b) * g
        row = dict(period=label, reported_at=rep)
        if spec.is_rate:
            den = float(dens[i])
            num = float(round(min(max(val, 0.5), 99.5) / 100 * den))
            row.update(numerator=num, denominator=den, value=round(100 * num / den, 2))
            if i == len(reps) - 1:
                pair.value, pair.weight = 100 * num / den, den
        else:
            val = max(_round(spec, val), 0.0)
            if cumulative:
                val = running = max(running, val)
            row["value"] = val
            if i == len(reps) - 1:
                pair.value = val
        pair.rows.append(row)
    pair.baseline = b
    solve_target(pair)


def _flows(pair: Pair, reps, size: float, rng, key: str) -> None:
    """flujo (key 'annual': the 2014 sum counts) and acumulado (key 'total': sum since baseline)."""
    spec = pair.spec
    amount = rng.uniform(*spec.params[key]) * size
    ppy = {"semanal": 52, "mensual": 12, "trimestral": 4, "anual": 1}[spec.frequency]
    per = amount / ppy if key == "annual" else amount / max(1, sum(1 for r in reps if r[1] > FIRST_BASELINE))
    ends = [r[1] for r in reps]
    season = np.array([1 + 0.25 * math.sin(2 * math.pi * (e.timetuple().tm_yday - 60) / 365) for e in ends])
    growth = np.array([0.8 + 0.05 * (e.year - 2009) for e in ends])
    flows = per * season * growth * rng.lognormal(0, 0.25, len(reps))
    if key == "annual":
        counted = np.array([e.year == story.PQD_TARGET_DATE.year for e in ends])
    else:
        counted = np.array([e > FIRST_BASELINE for e in ends])
    want = pair.r * pair.expected * amount
    flows[counted] *= want / max(flows[counted].sum(), 1e-9)
    vals = np.round(flows)
    if not counted.any():
        # a late reporter with no report yet in the target year: the method sums nothing -> rojo
        for (label, end, rep), v in zip(reps, vals):
            pair.rows.append(dict(period=label, reported_at=rep, value=float(v)))
        pair.want, pair.r, pair.baseline, pair.value = "rojo", 0.0, 0.0, 0.0
        pair.target = max(1.0, float(round(amount)))
        return
    if vals[counted].sum() == 0:
        vals[np.flatnonzero(counted)[-1]] = 1
    for (label, end, rep), v in zip(reps, vals):
        pair.rows.append(dict(period=label, reported_at=rep, value=float(v)))
    pair.baseline, pair.value = 0.0, float(vals[counted].sum())
    solve_target(pair)


def generate(rng: np.random.Generator) -> list[Pair]:
    size = sizes(rng)
    paces = indicator_paces(rng)
    late_share = {m.code: float(rng.beta(*story.LATE_PROPENSITY)) for m in municipalities()}
    effect = {m.code: float(rng.normal(0, story.MUNICIPALITY_SPREAD)) for m in municipalities()}
    pairs = []
    for spec in SPECS:
        for muni in scope_munis(spec):
            want, r = design(spec, muni, paces[spec.code] + effect[muni.code], rng)
            bdate = story.FLOW_BASELINE_DATE if spec.accumulation == "flujo" else muni.baseline_date
            pair = Pair(spec, muni, want, r, bdate)
            reps = report_dates(spec, muni, periods(spec.frequency, muni.start), late_share[muni.code], rng)
            if spec.accumulation == "flujo":
                _flows(pair, reps, size[muni.code], rng, "annual")
            elif spec.accumulation == "acumulado" and not spec.reports_cumulative:
                _flows(pair, reps, size[muni.code], rng, "total")
            else:
                _stock(pair, reps, size[muni.code], rng)
            pairs.append(pair)
    return pairs


# ---- rows for the writers (canonical column names) ----------------------------------------
def measurement_rows(pairs: list[Pair]) -> list[dict]:
    out = []
    for p in pairs:
        for row in p.rows:
            out.append(dict(indicator_code=p.spec.code, scope_code=p.muni.code, is_sample=True, **row))
    return out


def target_rows(pairs: list[Pair]) -> list[dict]:
    out, by_ind = [], {}
    for p in pairs:
        out.append(dict(indicator_code=p.spec.code, scope_code=p.muni.code, target_kind="PQD-2014",
                        baseline_date=p.baseline_date, baseline_value=p.baseline,
                        target_date=story.PQD_TARGET_DATE, target_value=p.target, is_sample=True))
        by_ind.setdefault(p.spec.code, []).append(p)
    for code, ps in by_ind.items():
        spec = ps[0].spec
        if spec.aggregation == "no agregable":     # a cost or a yield has no national sum
            continue
        if spec.is_rate:
            w = sum(p.weight for p in ps)
            base = round(sum(p.baseline * p.weight for p in ps) / w, 2)
            target = round(sum(p.target * p.weight for p in ps) / w, 2)
        else:
            base, target = round(sum(p.baseline for p in ps), 2), round(sum(p.target for p in ps), 2)
        bdate = story.FLOW_BASELINE_DATE if spec.accumulation == "flujo" else story.PQD_BASELINE_DATE
        out.append(dict(indicator_code=code, scope_code="nacional", target_kind="PQD-2014",
                        baseline_date=bdate, baseline_value=base, target_date=story.PQD_TARGET_DATE,
                        target_value=target, is_sample=True))
    return out
