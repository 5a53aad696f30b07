"""Programas: the logframe (Matriz de Marco Lógico) of one program with the week's national
progress of every indicator, and physical progress next to budget execution per program."""
import streamlit as st

from charts.budget import physical_vs_financial
from charts.logframe import logframe_html, logframe_rows
from reports.context import BUDGET_SOURCE, INDICATORS_SOURCE, page_context
from ui import url_state
from ui.accountability import accountability_section
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.filters import filter_bar
from ui.tables import table
from warehouse.queries.logframe import (child_programs, logframe_indicators, logframe_objectives,
                                        physical_financial, program_list)

DEFAULT_PROGRAM = "CS"   # the umbrella logframe of Comunidades Solidarias
PHYSICAL_FINANCIAL_SOURCE = f"{INDICATORS_SOURCE} (avance físico); {BUDGET_SOURCE} (ejecución)"

status = page_header("Programas", "Matriz de marco lógico por programa")
viewer = current_viewer()
filters = filter_bar(status, viewer, show=("week", "intervention", "eje"))

# --- program choice (kept in the URL as ?programa=) ---------------------------------------------
programs = program_list(viewer, filters.intervention, filters.eje)
if programs.is_empty():
    st.info("El almacén aún no tiene programas: cargue la referencia de programas y sus marcos lógicos.")
    st.stop()
codes = programs["program_code"].to_list()
names = dict(zip(codes, programs["name"]))
wanted = url_state.read("programa", DEFAULT_PROGRAM)
current = wanted if wanted in codes else DEFAULT_PROGRAM if DEFAULT_PROGRAM in codes else codes[0]
if st.session_state.get("mml_programa") not in codes:   # the filters dropped the previous choice
    st.session_state.pop("mml_programa", None)
program = st.selectbox("Programa", codes, index=codes.index(current), key="mml_programa",
                       format_func=lambda c: f"{c} · {names[c]}",
                       help="Los programas de la intervención y el eje elegidos; CS es la matriz "
                            "general de Comunidades Solidarias.")
url_state.write("programa", program)

# --- the matrix ----------------------------------------------------------------------------------
info = programs.row(codes.index(program), named=True)
st.subheader(f"Matriz de marco lógico: {info['name']}")
st.caption(" · ".join(filter(None, [
    f"Institución: {info['institution']}" if info["institution"] else None,
    f"Eje {info['eje_id']}" if info["eje_id"] else "Matriz general",
    f"Valores, metas y semáforo a nivel nacional, {filters.describe()}"])))
objectives = logframe_objectives(program, viewer)
indicators = logframe_indicators(program, filters.week_end, viewer)
if objectives.is_empty():
    st.info(f"El programa {program} aún no tiene matriz de marco lógico cargada "
            "(archivo de indicadores con objetivos).")
else:
    st.markdown(logframe_html(objectives, indicators, child_programs(program, viewer),
                              ficha_href=lambda code: url_state.href("ficha", filters, indicador=code),
                              program_href=lambda code: url_state.href("programas", filters, programa=code)),
                unsafe_allow_html=True)
    if not indicators.is_empty():
        st.markdown("**Fichas técnicas de los indicadores**")
        cols = st.columns(4)
        for k, (code, name) in enumerate(zip(indicators["code"], indicators["name"])):
            with cols[k % 4]:
                st.page_link("pages/ficha.py", label=f"Ficha {code}", icon=":material/description:", help=name,
                             query_params=url_state.link_params(filters, indicador=code))
    with st.expander("Matriz en tabla (descargar CSV)"):
        table(logframe_rows(objectives, indicators), f"matriz_{program}_{filters.week}", key="csv_matriz",
              context=page_context(f"Matriz de marco lógico: {info['name']}", status, filters,
                                   source=f"{info['institution'] or 'STP'} (matriz de marco lógico); "
                                          f"{INDICATORS_SOURCE}"))

accountability_section(program, info["name"], status["as_of"], viewer)

# --- physical progress next to financial progress ------------------------------------------------
st.subheader("Avance físico y financiero por programa")
st.caption("Avance físico: promedio del avance hacia la meta de los indicadores del programa a nivel "
           "nacional (la marca negra es el avance esperado a la fecha). Ejecución: devengado / "
           "modificado del año hasta el mes de la semana en revisión.")
progress = physical_financial(filters.week_end, viewer, filters.intervention, filters.eje)
if progress.is_empty():
    st.info("No hay programas con indicadores y presupuesto para estos filtros.")
else:
    fig = physical_vs_financial(progress, highlight=program)
    st.plotly_chart(fig, width="stretch")
    export = page_context("Avance físico y ejecución presupuestaria por programa", status, filters,
                          source=PHYSICAL_FINANCIAL_SOURCE)
    chart_downloads(fig, f"avance_fisico_financiero_{filters.week}", export)
    table(progress.select("program_code", "program_name", "indicators", "verde", "verde_percent",
                          "physical_percent", "expected_percent", "modified", "accrued", "execution_percent"),
          f"avance_fisico_financiero_{filters.week}", key="csv_fisico_financiero", context=export,
          column_config={"program_code": "Programa", "program_name": "Nombre", "indicators": "Indicadores",
                         "verde": "En verde", "verde_percent": st.column_config.NumberColumn("% en verde", format="%.1f %%"),
                         "physical_percent": st.column_config.NumberColumn("Avance físico", format="%.1f %%"),
                         "expected_percent": st.column_config.NumberColumn("Avance esperado", format="%.1f %%"),
                         "modified": st.column_config.NumberColumn("Modificado", format="US$ %,.0f"),
                         "accrued": st.column_config.NumberColumn("Devengado", format="US$ %,.0f"),
                         "execution_percent": st.column_config.NumberColumn("Ejecución", format="%.1f %%")})
