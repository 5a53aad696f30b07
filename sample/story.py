"""The sample's story, written down as named facts that tests (and the demo) assert against.

Everything here is invented sample data (every row carries Muestra = sí/true). The generator
designs the series so that the warehouse method (warehouse/sql/20_, 21_, 30_*.sql) yields
exactly these results at AS_OF.
"""
from __future__ import annotations

import datetime as dt

SEED = 2014

# Data through ISO week 2014-W20: the last weekly period ends on Sunday 2014-05-18, which is the
# latest period end in the files and hence the warehouse's as-of date. Files are an extract made
# that day: nothing in them was reported after EXTRACT_DATE, and no period ends after it
# (monthly data through 2014-04, quarterly through 2014-Q1, yearly through 2013).
LAST_WEEK = "2014-W20"
AS_OF = dt.date(2014, 5, 18)
EXTRACT_DATE = AS_OF

# Program measurements: CSR programs report from 2009, CSU municipalities from their entry year.
CSR_START = dt.date(2009, 1, 1)
PQD_BASELINE_DATE = dt.date(2009, 12, 31)   # CSR and first CSU cohort; later CSU: entry date
PQD_TARGET_DATE = dt.date(2014, 12, 31)
FLOW_BASELINE_DATE = dt.date(2014, 1, 1)     # flujo targets: the 2014 annual flow, baseline 0
ODM_TARGET_DATE = dt.date(2015, 12, 31)

# How each (indicator, municipality) pair is designed (ratio r = progress / expected, from the
# municipality's own baseline). Each indicator has a national pace: most move on pace, one eje
# (LAGGING_NATIONAL_EJE) and a share of the others lag, so leadership sees a programme in its fifth
# year, not a wall of green. Pairs scatter around their indicator's pace.
PACE_ON_TRACK = (1.00, 1.12)     # centre of r for an indicator on pace
PACE_LAGGING = (0.72, 0.86)      # centre of r for a lagging indicator (national amarillo)
MUNICIPALITY_SPREAD = 0.07       # sd of a municipality's own effect on all its indicators
PAIR_SPREAD = 0.07               # sd of a pair's r around indicator pace + municipality effect
LAGGING_NATIONAL_EJE = 3         # Generación de ingreso: every indicator of it lags nationally
LAGGING_INDICATOR_SHARE = 0.22   # of the other program indicators
ROJO_RATIO = (0.35, 0.55)        # the lagging eje in the lagging municipalities
# At the default week (2014-W20), of the indicators with a target at national level:
NATIONAL_VERDE_SHARE = (0.50, 0.75)

# 1) One eje lags: eje 2 (Infraestructura social básica) is rojo on every CSR eje-2 indicator in
#    these five rural municipalities (all other eje-2 pairs are verde or amarillo).
LAGGING_EJE = 2
LAGGING_INTERVENTION = "CSR"
LAGGING_MUNICIPALITIES = ["1314", "0426", "1213", "0905", "1119"]
LAGGING_MUNICIPALITY_NAMES = {
    "1314": "Meanguera (Morazán)",
    "0426": "San Isidro Labrador (Chalatenango)",
    "1213": "San Antonio (San Miguel)",
    "0905": "San Isidro (Cabañas)",
    "1119": "San Francisco Javier (Usulután)",
}

# 2) Some programs under-execute their budget. Execution = accrued Jan-May 2014 / annual modified
#    2014 (the budget file carries the year's programming; execution stops at May): about 26 % for
#    a program on schedule (the schedule is low in Jan-Mar), below UNDER_EXECUTION_MAX_PERCENT for
#    these, whose committed/accrued/paid are the given share of a normal program's.
UNDER_EXECUTING = {"CSR-INFRA": 0.45, "CSU-AUP": 0.55, "CSR-PROD": 0.50}
UNDER_EXECUTING_PROGRAM = "CSR-INFRA"    # the worst one, named on the home page and in the deck
UNDER_EXECUTION_MAX_PERCENT = 20.0
OTHERS_MIN_PERCENT = 21.0
BUDGET_MONTHS = ("2013-01", "2014-12")   # programming through December; execution through May 2014
EXECUTION_LAST_MONTH = "2014-05"

# 3) Late reporters: their latest due weekly, monthly, quarterly and yearly reports are missing
#    (W19-W20, 2014-04, 2014-Q1, 2013) and their earlier reports arrived after the deadline, so
#    they are 'atrasado' on every indicator and their overall state is atrasado (or rojo).
#    Every other municipality has its own propensity to report late (LATE_PROPENSITY, a beta
#    draw): a late report not yet received at the extract leaves that indicator 'atrasado', so
#    lateness varies across municipalities.
LATE_MUNICIPALITIES = ["1305", "0417", "0614"]
LATE_PROPENSITY = (1.3, 11.0)    # beta(a, b): mean about 11 %, a few municipalities above 30 %

# 4) One revision: a second FISDL file, loaded last, corrects the March 2014 families paid by the
#    CSR bono in Sesori; it was received in week 2014-W20, so "what changed this week" shows it.
REVISION = dict(
    indicator="CSR-BONO-01",
    scope="1219",
    period="2014-03",
    old=858.0,  # families paid as first reported (2014-04-06)
    new=821.0,  # corrected: 37 duplicated payments removed
    reported_at=dt.date(2014, 5, 14),
    week="2014-W20",
)
REVISION_DELTA = -37   # families: the correction removes 37 duplicated payments

# 5) ODM1 national series 1991-2013 (sample values, plausible for El Salvador). Targets only for
#    1.1, 1.8, 1.9 (ODM-2015: half the baseline) and 1.1 also PQD-2014; at AS_OF the method picks
#    PQD-2014 for 1.1 (nearest future target date).
ODM_WITH_TARGET = ["ODM-1.1", "ODM-1.8", "ODM-1.9"]
ODM_WITHOUT_TARGET = ["ODM-1.2", "ODM-1.3", "ODM-1.4", "ODM-1.5", "ODM-1.6", "ODM-1.7"]
ODM_SEMAFORO = {"ODM-1.1": "amarillo", "ODM-1.8": "verde", "ODM-1.9": "rojo"}

# Expected progress at AS_OF for each target layout (as the method computes it).
def expected(baseline_date: dt.date, target_date: dt.date, as_of: dt.date = AS_OF) -> float:
    e = (as_of - baseline_date).days / (target_date - baseline_date).days
    return max(0.0, min(1.0, e))


EXPECTED_FLOW = expected(FLOW_BASELINE_DATE, PQD_TARGET_DATE)   # 137 / 364
