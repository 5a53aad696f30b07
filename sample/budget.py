"""Monthly budget per program and municipality (plus the central level as 'nacional'),
January 2013 to December 2014, in US$: paid <= accrued <= committed <= modified.

approved/modified are the monthly shares (1/12) of the annual amounts, for every month of both
years (the year's programming); the execution schedule (scheduled) is seasonal: low in
January-March, peaking at year end. Execution follows the schedule, capped by the month's modified
amount, and stops after story.EXECUTION_LAST_MONTH (the extract's date): later months carry
programming only. Programs in story.UNDER_EXECUTING execute the given share of a normal program.
"""
from __future__ import annotations

import numpy as np

from sample import story
from sample.reference import municipalities, programs

SCHEDULE = [0.04, 0.05, 0.06, 0.08, 0.09, 0.09, 0.09, 0.09, 0.09, 0.10, 0.10, 0.12]
MONTHS = [(2013, m) for m in range(1, 13)] + [(2014, m) for m in range(1, 13)]
# typical annual amount per municipality (US$) by eje; scaled by program and municipality
EJE_SCALE = {1: 260_000, 2: 420_000, 3: 120_000, 4: 45_000}


def rows(rng: np.random.Generator) -> list[dict]:
    out = []
    for prog in programs():
        code, eje, iv = prog["program_code"], int(prog["eje_id"]), prog["intervention"]
        prog_factor = rng.uniform(0.5, 1.5)
        prog_pace = rng.uniform(0.85, 1.05)
        scopes = [m.code for m in municipalities() if m.intervention == iv] + ["nacional"]
        for scope in scopes:
            scale = EJE_SCALE[eje] * prog_factor * (rng.lognormal(0, 0.35) if scope != "nacional" else 6.0)
            annual = {2013: scale, 2014: scale * rng.uniform(1.0, 1.12)}
            modif = {y: annual[y] * rng.uniform(0.92, 1.10) for y in annual}
            pace = rng.uniform(0.93, 1.0, len(MONTHS))
            acc_f = rng.uniform(0.86, 0.97, len(MONTHS))
            pay_f = rng.uniform(0.85, 0.98, len(MONTHS))
            for i, (y, m) in enumerate(MONTHS):
                approved = round(float(annual[y]) / 12, 2)
                modified = round(float(modif[y]) / 12, 2)
                scheduled = round(float(modif[y]) * SCHEDULE[m - 1], 2)
                executed = f"{y}-{m:02d}" <= story.EXECUTION_LAST_MONTH
                factor = float(prog_pace * pace[i]) * story.UNDER_EXECUTING.get(code, 1.0) if executed else 0.0
                committed = round(min(modified, scheduled * factor), 2)
                accrued = round(min(committed, committed * float(acc_f[i])), 2)
                paid = round(min(accrued, accrued * float(pay_f[i])), 2)
                out.append(dict(program_code=code, scope_code=scope, month=f"{y}-{m:02d}",
                                approved=approved, modified=modified, scheduled=scheduled,
                                committed=committed, accrued=accrued, paid=paid, is_sample=True))
    return out


def execution(budget_rows: list[dict], year: int = 2014) -> dict[str, float]:
    """Per program, in percent: accrued in the year (through story.EXECUTION_LAST_MONTH) / the
    year's modified budget, as warehouse/sql/33_mart_budget.sql defines execution."""
    acc, mod = {}, {}
    for r in budget_rows:
        if r["month"].startswith(str(year)):
            acc[r["program_code"]] = acc.get(r["program_code"], 0) + r["accrued"]
            mod[r["program_code"]] = mod.get(r["program_code"], 0) + r["modified"]
    return {k: 100 * acc[k] / mod[k] for k in acc}
