"""ODM1 (MDG 1) national indicators 1.1-1.9 as in the 2008 official list, with national series
in survey years 1991-2013 (sample values, plausible for El Salvador) and their targets.

Baseline year per indicator: the first year of its series (`first`): 1991, except 1.8 (1993,
the first survey year of its series here). The ODM-2015 target halves the baseline value."""
from __future__ import annotations

import datetime as dt

import numpy as np

from sample import story

OBJECTIVES = {
    "1A": ("ODM1-1A", "Meta 1A: Reducir a la mitad, entre 1990 y 2015, la proporción de personas con "
                      "ingresos inferiores a 1 dólar por día"),
    "1B": ("ODM1-1B", "Meta 1B: Alcanzar el empleo pleno y productivo y el trabajo decente para todos, "
                      "incluidos las mujeres y los jóvenes"),
    "1C": ("ODM1-1C", "Meta 1C: Reducir a la mitad, entre 1990 y 2015, la proporción de personas que "
                      "padecen hambre"),
}
EHPM = "DIGESTYC, EHPM"

# odm, meta, name, sentido, source, baseline (first) year, survey years {year: value}
ODM = [
    ("1.1", "1A", "Proporción de la población con ingresos inferiores a 1 dólar PPA por día "
     "(El Salvador: % de hogares en pobreza extrema, línea nacional)", "descendente", EHPM, 1991,
     {1991: 27.8, 1995: 18.2, 1998: 18.9, 2001: 16.1, 2004: 14.4, 2006: 11.5, 2007: 11.2, 2008: 13.8,
      2009: 13.9, 2010: 13.3, 2011: 13.0, 2012: 12.8, 2013: 12.5}),
    ("1.2", "1A", "Coeficiente de la brecha de pobreza", "descendente", EHPM, 1991,
     {1991: 12.4, 1995: 8.1, 2001: 7.0, 2007: 4.6, 2008: 5.6, 2009: 5.5, 2013: 4.8}),
    ("1.3", "1A", "Proporción del consumo nacional que corresponde al quintil más pobre de la población",
     "ascendente", EHPM, 1991, {1991: 3.2, 1998: 2.9, 2004: 3.6, 2008: 3.9, 2013: 4.6}),
    ("1.4", "1B", "Tasa de crecimiento del PIB por persona ocupada", "ascendente", "BCR, DIGESTYC", 1991,
     {1991: 2.1, 1992: 4.6, 1995: 2.8, 1998: 0.9, 2001: -0.6, 2004: 0.4, 2006: 2.2, 2007: 2.6,
      2008: -0.4, 2009: -3.6, 2010: 1.1, 2011: 1.2, 2012: 0.6, 2013: 0.9}),
    ("1.5", "1B", "Relación empleo-población", "ascendente", EHPM, 1991,
     {1991: 52.4, 1996: 53.8, 2001: 54.2, 2007: 55.1, 2009: 54.0, 2013: 56.0}),
    ("1.6", "1B", "Proporción de la población ocupada con ingresos inferiores a 1 dólar PPA por día",
     "descendente", EHPM, 1991, {1991: 18.6, 1995: 12.4, 2001: 11.2, 2007: 7.6, 2008: 9.7, 2009: 9.4,
                                 2013: 8.3}),
    ("1.7", "1B", "Proporción de la población ocupada que trabaja por cuenta propia o en una empresa familiar",
     "descendente", EHPM, 1991, {1991: 41.5, 1996: 40.2, 2001: 39.6, 2007: 37.4, 2009: 38.8, 2013: 38.1}),
    ("1.8", "1C", "Prevalencia de niños menores de 5 años con peso inferior al normal", "descendente",
     "FESAL (ADS) / MINSAL", 1993, {1993: 11.2, 1998: 10.3, 2003: 8.6, 2008: 6.1, 2013: 5.3}),
    ("1.9", "1C", "Proporción de la población por debajo del nivel mínimo de consumo de energía alimentaria",
     "descendente", "FAO", 1991, {1991: 16.2, 1996: 13.4, 2001: 11.0, 2006: 9.8, 2008: 11.4, 2010: 11.9,
                                  2013: 11.6}),
]
TARGETED = {"1.1", "1.8", "1.9"}
PQD_11 = dict(baseline_date=dt.date(2009, 12, 31), baseline_value=13.9,
              target_date=story.PQD_TARGET_DATE, target_value=12.0)


def code(odm: str) -> str:
    return f"ODM-{odm}"


def indicator_rows() -> list[dict]:
    rows = []
    for odm, meta, name, sentido, source, _, _ in ODM:
        oid, text = OBJECTIVES[meta]
        growth = odm == "1.4"        # a growth rate can be negative: not a 0-100 percentage
        rows.append(dict(
            code=code(odm), name=name, objective_id=oid, objective_parent=None, objective_level="fin",
            objective_text=text, program_code="ODM1", eje_id=None, intervention=None, level="fin",
            type="impacto", dimension="eficacia", unit="% de variación anual" if growth else "%",
            scale=1 if growth else 100, sentido=sentido,
            accumulation="stock", aggregation="no agregable", reports_cumulative=False,
            frequency="anual", deadline_days=90,
            formula_numerator=None, formula_denominator=None,
            medio_verificacion=f"Informe de país ODM; {source}",
            supuesto="Series comparables entre rondas de encuesta", source=source, odm_indicator=odm,
            scope_level="national", is_sample=True))
    return rows


def series(rng: np.random.Generator) -> list[dict]:
    """National measurements in the survey (or estimate) years only: no interpolated years, which
    would present a guess as a measurement. Each series starts at its baseline year (`first`)."""
    rows = []
    for odm, _, _, _, _, _, anchors in ODM:
        for y in sorted(anchors):
            rows.append(dict(indicator_code=code(odm), scope_code="nacional", period=str(y),
                             value=round(float(anchors[y]), 1),
                             reported_at=dt.date(y + 1, 3, 1 + int(rng.integers(0, 28))),
                             is_sample=True))
    return rows


def target_rows() -> list[dict]:
    rows = []
    for odm, _, _, _, _, first, anchors in ODM:
        if odm not in TARGETED:
            continue
        base = anchors[first]
        rows.append(dict(indicator_code=code(odm), scope_code="nacional", target_kind="ODM-2015",
                         baseline_date=dt.date(first, 12, 31), baseline_value=base,
                         target_date=story.ODM_TARGET_DATE, target_value=round(base / 2, 2),
                         is_sample=True))
        if odm == "1.1":
            rows.append(dict(indicator_code=code(odm), scope_code="nacional", target_kind="PQD-2014",
                             is_sample=True, **PQD_11))
    return rows
