"""Focalización: the seed's geographic targeting, explorable. CSU: the analyst weighs the three
criteria and compares the resulting 25 with Cuadro 1, on the map and in a list; CSR: the order of
entry by the IIMM (severa first). Figures come from the analytics layer (50_analytics_targeting.sql)."""
import polars as pl
import streamlit as st

from charts.maps import MAP_HEIGHT_PX
from charts.targeting_map import CHANGE_LABEL, legend_html, targeting_deck
from reports.context import page_context
from ui.context import current_viewer, page_header
from ui.tables import table
from ui.forecast import NOT_READY
from warehouse.queries.analytics import CSU_SLOTS, analytics_ready, targeting_csr, targeting_csu

SOURCE = ("STP, «Avance hacia una gestión pública para resultados» (criterios, Cuadro 1); asentamientos, "
          "violencia, capacidad e IIMM: datos de muestra")

status = page_header("Focalización", "Priorización geográfica de Comunidades Solidarias")
viewer = current_viewer()
if not analytics_ready(viewer):
    st.info(NOT_READY)
    st.stop()
st.caption("Criterios del documento de la STP. **Cifras de muestra**: el número de asentamientos por "
           "precariedad, el índice de violencia, la capacidad institucional, el IIMM y los 25 candidatos "
           "urbanos fuera del Cuadro 1 no están en el documento; la lista y el orden del Cuadro 1 sí.")

urbano, rural = st.tabs(["CSU: ranking ponderado", "CSR: orden por IIMM"])

with urbano:
    st.markdown(f"Los **50 municipios urbanos** candidatos se ordenan por un puntaje ponderado de tres criterios "
                f"(cada uno escalado de 0 a 1 entre los candidatos); los primeros **{CSU_SLOTS}** entran.")
    c1, c2, c3 = st.columns(3)
    w_s = c1.slider("Peso: asentamientos de precariedad extrema y alta", 0, 10, 5, key="w_asentamientos")
    w_v = c2.slider("Peso: índice de violencia municipal", 0, 10, 5, key="w_violencia")
    w_c = c3.slider("Peso: recursos y capacidad institucional", 0, 10, 5, key="w_capacidad")
    if w_s + w_v + w_c == 0:
        st.warning("Asigne peso a al menos un criterio.")
    else:
        ranked = targeting_csu(w_s, w_v, w_c, viewer)
        counts = {k: ranked.filter(pl.col("change") == k).height for k in CHANGE_LABEL}
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Coinciden con el Cuadro 1", f"{ranked.filter(pl.col('enters') & pl.col('official_rank').is_not_null()).height} de {CSU_SLOTS}")
        m2.metric("Entran (no están en el Cuadro 1)", counts["entra"])
        m3.metric("Salen del Cuadro 1", counts["sale"])
        m4.metric("Mismo puesto", counts["igual"])
        st.pydeck_chart(targeting_deck(ranked), height=MAP_HEIGHT_PX, key="mapa_focalizacion")
        st.markdown(legend_html(), unsafe_allow_html=True)
        shown = ranked.select(
            pl.col("weighted_rank").alias("orden_ponderado"), pl.col("official_rank").alias("orden_cuadro_1"),
            pl.col("change").replace_strict(CHANGE_LABEL).alias("diferencia"), "code", "municipality", "department",
            "precarious_extreme", "precarious_high", "violence_index", "capacity", "score", "is_sample")
        weights = f"Pesos: asentamientos {w_s}, violencia {w_v}, capacidad {w_c}"
        table(shown, f"focalizacion_csu_{w_s}-{w_v}-{w_c}", key="csv_focalizacion_csu",
              context=page_context("Focalización CSU: orden ponderado y Cuadro 1", status, source=SOURCE, extra=weights),
              column_config={"orden_ponderado": "Orden ponderado", "orden_cuadro_1": "Orden Cuadro 1",
                             "diferencia": "Diferencia", "code": "Código", "municipality": "Municipio",
                             "department": "Departamento", "precarious_extreme": "AUP precariedad extrema (muestra)",
                             "precarious_high": "AUP precariedad alta (muestra)",
                             "violence_index": "Índice de violencia (muestra)",
                             "capacity": "Capacidad institucional 0-100 (muestra)", "score": "Puntaje",
                             "is_sample": "Muestra"})

with rural:
    st.markdown("Los **100 municipios rurales** (32 de pobreza extrema severa y 68 de alta) entran en el orden "
                "del **Índice Integrado de Marginalidad Municipal** (IIMM) del Mapa Nacional de Extrema Pobreza: "
                "primero los de pobreza severa, y dentro de cada grupo de mayor a menor IIMM.")
    csr = targeting_csr(viewer)
    same = csr.filter(pl.col("iimm_rank") == pl.col("official_rank")).height
    st.metric("Orden por IIMM igual al orden de entrada registrado", f"{same} de {csr.height}")
    csr_map = csr.with_columns(
        pl.col("iimm_rank").alias("weighted_rank"),
        pl.when(pl.col("iimm_rank") == pl.col("official_rank")).then(pl.lit("igual"))
          .when(pl.col("iimm_rank") < pl.col("official_rank")).then(pl.lit("sube"))
          .otherwise(pl.lit("baja")).alias("change"))
    st.pydeck_chart(targeting_deck(csr_map), height=MAP_HEIGHT_PX, key="mapa_csr")
    table(csr.select(pl.col("iimm_rank").alias("orden_iimm"), pl.col("official_rank").alias("orden_entrada"),
                     "code", "municipality", "department", "csr_group", "iimm", "is_sample"),
          "focalizacion_csr_iimm", key="csv_focalizacion_csr",
          context=page_context("Focalización CSR: orden por IIMM", status, source=SOURCE),
          column_config={"orden_iimm": "Orden por IIMM", "orden_entrada": "Orden de entrada registrado",
                         "code": "Código", "municipality": "Municipio", "department": "Departamento",
                         "csr_group": "Pobreza extrema", "iimm": "IIMM (muestra)", "is_sample": "Muestra"})
