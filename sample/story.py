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

# Semáforo bands the series are designed into (ratio r = progress / expected).
VERDE_RATIO = (1.00, 1.20)      # most municipality x indicator pairs
AMARILLO_RATIO = (0.76, 0.84)   # a few random pairs (about 6 %), never in LAGGING_MUNICIPALITIES
ROJO_RATIO = (0.35, 0.55)       # the lagging eje in the lagging municipalities
AMARILLO_SHARE = 0.06

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

# 2) One program under-executes its budget: accrued / modified summed over Jan-May 2014 is about
#    0.29 for it against 0.58-0.69 for every other program (the schedule is low in Jan-Mar).
UNDER_EXECUTING_PROGRAM = "CSR-INFRA"
UNDER_EXECUTION_FACTOR = 0.45   # its committed/accrued/paid are about 45 % of a normal program's
UNDER_EXECUTION_MAX_RATIO = 0.40    # its accrued/modified Jan-May 2014 stays below this
OTHERS_MIN_RATIO = 0.55             # every other program's stays above this
BUDGET_MONTHS = ("2013-01", "2014-05")

# 3) Late reporters: their latest due weekly, monthly, quarterly and yearly reports are missing
#    (W19-W20, 2014-04, 2014-Q1, 2013) and their earlier reports arrived after the deadline.
#    They stay out of 'sin dato' (the last report is within two periods) but are 'atrasado'.
LATE_MUNICIPALITIES = ["1305", "0417", "0614"]
# Side effect the method implies: a late reporter with no 2014 report of a quarterly flujo
# indicator sums nothing for 2014, so those pairs are rojo (the only rojo outside eje 2).
LATE_FLOW_ROJO = [("CSR-EMPL-01", "0417"), ("CSR-EMPL-01", "1305"), ("CSR-FINS-01", "0417"),
                  ("CSR-FINS-01", "1305"), ("CSR-PROD-01", "0417"), ("CSR-PROD-01", "1305"),
                  ("CSU-INTL-01", "0614"), ("CSU-PART-01", "0614")]

# 4) One revision: a second FISDL file, loaded last, corrects the March 2014 families paid by the
#    CSR bono in Sesori; it was received in week 2014-W20, so "what changed this week" shows it.
REVISION = dict(
    indicator="CSR-BONO-01",
    scope="1219",
    period="2014-03",
    old=789.0,  # families paid as first reported (2014-04-08)
    new=752.0,  # corrected: 37 duplicated payments removed
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

# What the warehouse method gives at AS_OF (checked on a build of this sample):
#   municipio: 3376 verde, 206 amarillo, 43 rojo (35 = eje 2 x LAGGING, 8 = LATE_FLOW_ROJO);
#   nacional: every program indicator verde; ODM as ODM_SEMAFORO, the other six 'sin meta';
#   reporting_status 'atrasado' only in LATE_MUNICIPALITIES (all their indicators).
MUNICIPAL_SEMAFORO_COUNTS = {"verde": 3376, "amarillo": 206, "rojo": 43}

# Expected progress at AS_OF for each target layout (as the method computes it).
def expected(baseline_date: dt.date, target_date: dt.date, as_of: dt.date = AS_OF) -> float:
    e = (as_of - baseline_date).days / (target_date - baseline_date).days
    return max(0.0, min(1.0, e))


EXPECTED_STOCK = expected(PQD_BASELINE_DATE, PQD_TARGET_DATE)   # 1599 / 1826
EXPECTED_FLOW = expected(FLOW_BASELINE_DATE, PQD_TARGET_DATE)   # 137 / 364
