"""ODM 1 (MDG 1) queries: national series from 1991, the 2015 halving targets and the path to them.

The semáforo is the method's (mart_progress_asof, with the target in force at the week); the
ODM-2015 path is the same straight trajectory the method uses for expected progress, evaluated
at the latest measured year.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, fetch, progress_source, scope_clause, visible_clause

PROGRAM = "ODM1"
TARGET_KIND = "ODM-2015"          # the target kind model page_odm_targets (63_page_odm.sql) reads

# Definitions as in the official list of MDG indicators (UN, effective 15 January 2008), with the
# national measurement where El Salvador departs from the international one.
METHOD_NOTES = {
    "1.1": "Lista oficial 2008: proporción de la población cuyo ingreso (o consumo) por persona es "
           "inferior a 1 dólar diario en paridad de poder adquisitivo (PPA). El Salvador la mide con la "
           "línea nacional de pobreza extrema de la EHPM (DIGESTYC): porcentaje de hogares cuyo ingreso "
           "per cápita no cubre el costo de la canasta básica alimentaria; no es comparable con la "
           "línea internacional de 1 dólar PPA.",
    "1.2": "Lista oficial 2008: brecha media de los pobres respecto de la línea de pobreza (contando "
           "como cero a los no pobres), expresada como porcentaje de la línea; combina la incidencia "
           "y la profundidad de la pobreza.",
    "1.3": "Lista oficial 2008: porcentaje del consumo (o del ingreso) nacional que corresponde al 20 % "
           "más pobre de la población.",
    "1.4": "Lista oficial 2008: tasa de variación anual del PIB a precios constantes por persona ocupada "
           "(productividad laboral). Puede ser negativa.",
    "1.5": "Lista oficial 2008: proporción de la población en edad de trabajar que está ocupada.",
    "1.6": "Lista oficial 2008: proporción de las personas ocupadas que viven en hogares con ingreso "
           "por persona inferior a 1 dólar PPA diario (trabajadores pobres).",
    "1.7": "Lista oficial 2008: proporción de trabajadores por cuenta propia y familiares no remunerados "
           "en el total de ocupados (empleo vulnerable).",
    "1.8": "Lista oficial 2008: porcentaje de niñas y niños menores de 5 años cuyo peso para la edad está "
           "por debajo de menos dos desviaciones estándar de la mediana de la población de referencia.",
    "1.9": "Lista oficial 2008: proporción de la población cuyo consumo de energía alimentaria está por "
           "debajo del mínimo requerido (subnutrición, estimación de la FAO).",
}


def odm_indicators(week_end: dt.date, viewer: Viewer, path=None) -> pl.DataFrame:
    """One row per ODM 1 indicator: latest value, the method's semáforo and target in force, the
    ODM-2015 target (baseline, target, path value at the latest year, gaps) and a method note.
    Indicators, objectives and targets from model page_odm_targets (63_page_odm.sql)."""
    where, sp = scope_clause("p.scope_code", viewer)
    frame = fetch(f"""
        SELECT i.code, i.odm_indicator, i.name, i.unit, i.sentido, i.source, i.medio_verificacion,
               i.meta, p.value, p.latest_period, p.latest_end,
               coalesce(p.semaforo, 'sin dato') AS semaforo, p.target_kind AS method_target_kind,
               p.target_value AS method_target_value, p.target_date AS method_target_date, p.percent AS method_percent,
               i.odm_baseline_date AS baseline_date, i.odm_baseline_value AS baseline_value,
               i.odm_target_date AS target_date, i.odm_target_value AS target_value,
               i.odm_target_value IS NOT NULL AS has_target,
               i.odm_baseline_value + (i.odm_target_value - i.odm_baseline_value)
                 * trajectory_share(p.latest_end, i.odm_baseline_date, i.odm_target_date) AS path_value,
               round(100 * (p.value - i.odm_baseline_value) / nullif(i.odm_target_value - i.odm_baseline_value, 0), 1)
                 AS odm_percent
        FROM page_odm_targets i
        LEFT JOIN (SELECT * FROM {progress_source(week_end, path)} p
                   WHERE p.scope_type = 'nacional' AND {where}) p ON p.indicator_code = i.code
        WHERE i.program_code = ? AND {visible_clause(viewer)}
        ORDER BY CAST(substr(i.odm_indicator, 1, instr(i.odm_indicator, '.') - 1) AS INTEGER),
                 CAST(substr(i.odm_indicator, instr(i.odm_indicator, '.') + 1) AS INTEGER)""",
                  [week_end, *sp, PROGRAM], path)
    return frame.with_columns(
        (pl.col("value") - pl.col("target_value")).alias("gap_to_target"),
        (pl.col("value") - pl.col("path_value")).alias("gap_to_path"),
        pl.col("odm_indicator").replace_strict(METHOD_NOTES, default=None).alias("method_note"))


def odm_series(week_end: dt.date, viewer: Viewer, path=None) -> pl.DataFrame:
    """Yearly national values of the ODM 1 indicators, as known at the week's end."""
    where, sp = scope_clause("m.scope_code", viewer)
    return fetch(f"""
        SELECT m.indicator_code AS code, m.period, m.period_end,
               coalesce(m.value, i.scale * m.numerator / nullif(m.denominator, 0)) AS value
        FROM stg_measurement_asof(?::DATE, p_indicators := (SELECT list(code) FROM indicators WHERE program_code = ?)) m
        JOIN indicators i ON i.code = m.indicator_code
        WHERE i.program_code = ? AND m.scope_code = 'national' AND {where}
        ORDER BY m.indicator_code, m.period_end""", [week_end, PROGRAM, PROGRAM, *sp], path)
