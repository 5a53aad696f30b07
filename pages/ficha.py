"""Ficha técnica: one indicator's definition, plan, national series and semáforo, and its breakdown
by municipality."""
from __future__ import annotations

import polars as pl
import streamlit as st

from charts.series import indicator_series_figure
from ui.forecast import forecast_section
from charts.style import INTERVENTION_LABEL, fmt_date, fmt_number, fmt_percent, fmt_value, semaforo_badge, semaforo_badge_expr
from reports.context import AGREEMENTS_SOURCE, indicator_source, page_context
from ui import url_state
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.filters import filter_bar
from ui.tables import downloads, table
from warehouse import queries
from warehouse.queries.ficha import (indicator_definition, indicator_plan, indicator_series,
                                     municipal_breakdown, national_status)

LEVELS = {"fin": "Fin", "proposito": "Propósito", "componente": "Componente", "actividad": "Actividad"}
ACCUMULATION = {"stock": "Stock (último valor del período)", "flujo": "Flujo (suma dentro del año de la meta)",
                "acumulado": "Acumulado (suma desde la línea base)"}
AGGREGATION = {"suma": "Suma (conteos y montos: departamento y país suman sus municipios)",
               "razón": "Razón (Σ numerador / Σ denominador, nunca el promedio de porcentajes)",
               "no agregable": "No agregable (magnitud intensiva: sin valor departamental ni nacional "
                               "salvo que se carguen numerador y denominador)"}


def choose_indicator(catalog: pl.DataFrame) -> str:
    """The indicator selectbox, kept in the URL (?indicador=CODE): a link that brings a different
    indicator than the one last shown wins over the remembered choice."""
    codes = catalog["code"].to_list()
    names = dict(zip(catalog["code"], catalog["name"]))
    url_state.seed_choice("f_indicador", "indicador", codes, codes[0])
    code = st.selectbox("Indicador", codes, key="f_indicador", format_func=lambda c: f"{c} · {names[c]}")
    url_state.keep_choice("f_indicador", "indicador", code, None)
    return code


def definition_rows(d: dict) -> pl.DataFrame:
    """The logframe fields of the ficha, as a two-column table (field, value)."""
    fields = [
        ("Nombre", d["name"]),
        ("Objetivo (resumen narrativo)", d["objective"]),
        ("Nivel", LEVELS.get(d["level"] or "", d["level"])),
        ("Programa", f"{d['program_code']} · {d['program_name'] or ''}" + (f" ({d['institution']})" if d["institution"] else "")),
        ("Eje", f"{d['eje_id']} · {d['eje_name']}" if d["eje_id"] else "Transversal (Comunidades Solidarias / ODM)"),
        ("Intervención", INTERVENTION_LABEL.get(d["intervention"] or "", "CSU y CSR" if d["intervention"] == "ambas" else "Nacional")),
        ("Tipo", d["type"]),
        ("Dimensión (ILPES)", d["dimension"]),
        ("Fórmula: numerador", d["formula_numerator"]),
        ("Fórmula: denominador", d["formula_denominator"] or "— (conteo, sin denominador)"),
        ("Unidad de medida", d["unit"] + (f" (× {fmt_number(d['scale'], 0)})" if d["is_rate"] and d["scale"] != 1 else "")),
        ("Sentido", d["sentido"]),
        ("Acumulación", ACCUMULATION.get(d["accumulation"], d["accumulation"])
         + (" · la fuente reporta totales acumulados" if d["reports_cumulative"] else "")),
        ("Agregación", AGGREGATION.get(d["aggregation"], d["aggregation"])),
        ("Frecuencia", d["frequency"]),
        ("Plazo de entrega", f"{d['deadline_days']} días después del fin del período"),
        ("Fuente", d["source"]),
        ("Medio de verificación", d["medio_verificacion"] or d["objective_medio_verificacion"]),
        ("Supuesto", d["supuesto"] or d["objective_supuesto"]),
        ("Indicador ODM al que aporta", d["odm_indicator"] or "—"),
        ("Nivel de reporte", "Municipal (agregado a departamento y país)" if d["scope_level"] == "municipal" else "Nacional"),
    ]
    return pl.DataFrame({"Campo": [f for f, _ in fields], "Valor": [str(v) if v is not None else "—" for _, v in fields]})


def open_agreements_section(viewer, code: str) -> None:
    """Open agreements on this indicator, when the agreements module is installed."""
    try:
        from warehouse.queries.agreements import open_agreements
    except ImportError:
        return
    agreements = open_agreements(viewer, indicator=code)
    st.subheader("Acuerdos abiertos")
    table(agreements, f"acuerdos_{code}", key="csv_acuerdos_ficha",
          empty="No hay acuerdos abiertos sobre este indicador.",
          context=page_context(f"Acuerdos abiertos sobre {code}", status, source=AGREEMENTS_SOURCE))


# --- page --------------------------------------------------------------------------------------
status = page_header("Ficha técnica", "Definición, metas, serie nacional y desglose municipal de un indicador")
viewer = current_viewer()
filters = filter_bar(status, viewer, show=("week", "intervention", "department"))
catalog = queries.indicators_catalog(viewer)
if catalog.is_empty():
    st.info("El almacén no tiene indicadores: cargue las matrices de marco lógico en «Cargar datos».")
    st.stop()
code = choose_indicator(catalog)
d = indicator_definition(code, viewer)
week_end = filters.week_end

st.header(f"{code} · {d['name']}")
if d["is_sample"]:
    st.caption("Ficha de muestra (definición ilustrativa, no oficial).")

st.subheader("Semáforo nacional")
nat = national_status(week_end, code, viewer) if status["as_of"] else None
if nat is None:
    st.info("El método aún no evalúa este indicador a nivel nacional: faltan mediciones o metas cargadas.")
else:
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Semáforo", semaforo_badge(nat["semaforo"]))
    c2.metric(f"Valor ({nat['latest_period'] or 'sin dato'})", fmt_value(nat["value"]))
    c3.metric(f"Meta {nat['target_kind'] or ''}".strip(), fmt_value(nat["target_value"]),
              help=f"Al {fmt_date(nat['target_date'])}" if nat["target_date"] else None)
    c4.metric("Avance / esperado", f"{fmt_percent(nat['percent'])}",
              f"esperado {fmt_percent(nat['expected_percent'])}" if nat["target_value"] is not None else None,
              delta_color="off", delta_arrow="off")
    c5.metric("Reporte", nat["reporting_status"],
              f"{int(nat['units_late'])} de {nat['units']} unidades atrasadas" if nat["units"] and nat["units"] > 1 else None,
              delta_color="off", delta_arrow="off")
    st.caption(f"Evaluado al {fmt_date(week_end)} (semana {filters.week}) con lo conocido a esa fecha.")

source = indicator_source(d["source"])
series = indicator_series(code, week_end, viewer)
plan = indicator_plan(code, week_end, viewer)
figure = indicator_series_figure(
    series, plan, dict(as_of=week_end, value=nat["value"], expected_value=nat["expected_value"],
                       semaforo=nat["semaforo"]) if nat else None,
    title="Serie nacional, trayectoria esperada y metas", unit=d["unit"],
    series_label="Serie nacional" if d["scope_level"] == "national" else "Agregado de los municipios (último reporte de cada uno)")
st.plotly_chart(figure, width="stretch", key="ficha_series")
chart_downloads(figure, f"serie_{code}_{filters.week}", page_context(
    f"{code} · {d['name']}: serie nacional, trayectoria esperada y metas", status, filters, source=source))
if d["scope_level"] == "municipal":
    st.caption("Cada punto agrega los municipios con reporte a esa fecha (un stock con su último "
               "valor; agregación: " + d["aggregation"]
               + ("; acumulado dentro de cada año" if d["accumulation"] == "flujo" else "")
               + ("; acumulado desde la línea base" if d["accumulation"] == "acumulado" and not d["reports_cumulative"] else "")
               + "). El punto de color es el valor del método a la semana.")

forecast_section(code, d, status, viewer)   # issue 13: ui/forecast.py

st.subheader("Línea base y metas")
table(plan.select(
    pl.col("target_kind").alias("Meta"), pl.col("baseline_date").alias("Fecha línea base"),
    pl.col("baseline_value").alias("Línea base"), pl.col("target_date").alias("Fecha meta"),
    pl.col("target_value").alias("Valor meta"),
    pl.when(pl.col("in_force")).then(pl.lit("sí")).otherwise(pl.lit("no")).alias("Vigente"),
    pl.col("origin").alias("Origen")), f"metas_{code}", key="csv_ficha_metas",
    empty="Indicador sin meta (contexto): el semáforo es «sin meta».",
    context=page_context(f"{code} · {d['name']}: línea base y metas", status, filters, source=source),
    column_config={"Línea base": st.column_config.NumberColumn(format="%,.2f"),
                   "Valor meta": st.column_config.NumberColumn(format="%,.2f"),
                   "Fecha línea base": st.column_config.DateColumn(format="DD/MM/YYYY"),
                   "Fecha meta": st.column_config.DateColumn(format="DD/MM/YYYY")})
st.caption("Metas a nivel nacional. El método aplica la meta futura más cercana (PQD-2014 durante 2014, "
           "luego ODM-2015).")

st.subheader("Definición")
fields = definition_rows(d)
st.markdown("| Campo | Valor |\n|---|---|\n" + "\n".join(
    f"| **{f}** | {v.replace('|', '/').replace(chr(10), ' ')} |" for f, v in fields.iter_rows()))
downloads(fields, f"ficha_{code}", key="csv_ficha_definicion",
          context=page_context(f"Ficha técnica de {code} · {d['name']}", status, source=source))

st.subheader("Desglose por municipio")
if d["scope_level"] != "municipal":
    st.info("Indicador nacional: se mide solo para el país, sin desglose municipal.")
else:
    breakdown = municipal_breakdown(week_end, code, viewer, intervention=filters.intervention,
                                    department=filters.department)
    st.caption(f"{breakdown.height} municipios · {filters.describe()}")
    table(breakdown.select(
        pl.col("municipality").alias("Municipio"), pl.col("department").alias("Departamento"),
        pl.col("intervention").alias("Intervención"), pl.col("value").alias("Valor"),
        pl.col("target_value").alias("Meta"), pl.col("percent").alias("Avance %"),
        pl.col("expected_percent").alias("Esperado %"),
        semaforo_badge_expr("semaforo").alias("Semáforo"),
        pl.col("reporting_status").alias("Reporte"), pl.col("latest_period").alias("Último período"),
        pl.col("code").alias("Código"),
        pl.col("code").map_elements(lambda c: url_state.href("municipios", filters, municipio=c),
                                    return_dtype=pl.String).alias("Perfil")),
        f"desglose_{code}_{filters.week}", key="csv_ficha_desglose", height=420,
        context=page_context(f"{code} · {d['name']}: desglose por municipio", status, filters, source=source),
        column_config={"Valor": st.column_config.NumberColumn(format="localized"),
                       "Meta": st.column_config.NumberColumn(format="localized"),
                       "Avance %": st.column_config.NumberColumn(format="%.1f %%"),
                       "Esperado %": st.column_config.NumberColumn(format="%.1f %%"),
                       "Perfil": st.column_config.LinkColumn(display_text="Ver municipio")})

open_agreements_section(viewer, code)
