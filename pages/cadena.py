"""Cadena de valor público: for an eje or a program, insumos (budget accrued) -> productos ->
resultados -> impacto, each link with its semáforo and the costs per unit (analytics layer,
51_analytics_value_chain.sql)."""
import polars as pl
import streamlit as st

from charts.style import fmt_date, semaforo_badge_expr
from charts.value_chain import LINKS, value_chain_figure
from reports.context import BUDGET_SOURCE, page_context
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.tables import table
from ui.forecast import NOT_READY
from warehouse.queries.analytics import (analytics_ready, analytics_week_end, value_chain, value_chain_items,
                                         value_chain_options)

SOURCE = f"{BUDGET_SOURCE}; indicadores y semáforo: método del Tablero SPSU (STP)"

status = page_header("Cadena de valor público", "Insumos → productos → resultados → impacto")
viewer = current_viewer()
if not analytics_ready(viewer):
    st.info(NOT_READY)
    st.stop()
options = value_chain_options(viewer)
week_end = analytics_week_end(viewer)
if options.is_empty() or week_end is None:
    st.info("La cadena de valor se calcula al cargar datos: el almacén aún no tiene mediciones ni presupuesto.")
    st.stop()

labels = dict(zip(options["chain_key"].to_list(), options["label"].to_list()))
keys = list(labels)
default = st.query_params.get("cadena") if st.query_params.get("cadena") in labels else keys[0]
chain = st.selectbox("Eje o programa", keys, index=keys.index(default), format_func=labels.get, key="cadena")
if st.query_params.get("cadena") != chain:
    st.query_params["cadena"] = chain

links, items = value_chain(chain, viewer), value_chain_items(chain, viewer)
st.caption(f"Calculada al {fmt_date(week_end)} (semana en revisión de la última carga). Insumos: devengado del año "
           "a la fecha frente a lo programado (mismos umbrales del semáforo). Cada eslabón toma el color de su "
           "indicador más rezagado. Costo por unidad de producto (eficiencia, ILPES): devengado del año / unidades "
           "producidas en el año. Costo por unidad de resultado: solo donde el resultado pertenece al marco lógico "
           "del programa (atribuible), devengado desde el primer mes con presupuesto / mejora desde entonces.")
title = f"Cadena de valor público: {labels[chain]}"
fig = value_chain_figure(links, items, title)
st.plotly_chart(fig, width="stretch", key="cadena_valor")
extra = f"Calculada al {fmt_date(week_end)}"
chart_downloads(fig, f"cadena_valor_{chain}", page_context(title, status, source=SOURCE, extra=extra))

st.subheader("Detalle de cada eslabón")
detail = items.select(
    pl.col("link").replace_strict(LINKS).alias("eslabon"), "item_code", "item_name", "unit", "value",
    "target_value", semaforo_badge_expr("semaforo").alias("semaforo"), "units_ytd", "cost_per_unit",
    "result_gain", "cost_per_result")
table(detail, f"cadena_valor_{chain}_detalle", key="csv_cadena",
      context=page_context(f"{title}: detalle", status, source=SOURCE, extra=extra),
      column_config={"eslabon": "Eslabón", "item_code": "Código", "item_name": "Insumo o indicador",
                     "unit": "Unidad", "value": st.column_config.NumberColumn("Valor", format="%,.1f"),
                     "target_value": st.column_config.NumberColumn("Meta (insumos: programado)", format="%,.1f"),
                     "semaforo": "Semáforo",
                     "units_ytd": st.column_config.NumberColumn("Unidades producidas en el año", format="%,.0f"),
                     "cost_per_unit": st.column_config.NumberColumn("Costo por unidad de producto (US$)", format="%,.2f"),
                     "result_gain": st.column_config.NumberColumn("Mejora del resultado", format="%,.2f"),
                     "cost_per_result": st.column_config.NumberColumn("Costo por unidad de resultado, atribuible (US$)",
                                                                      format="%,.0f")})
