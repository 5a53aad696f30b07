"""Presupuesto: approved and modified (annual), scheduled, committed, accrued and paid (year to date);
execution against the annual modified budget and against the monthly schedule; cost per unit."""
import streamlit as st

from charts.budget import cumulative_execution, month_label, program_execution
from charts.style import fmt_money, fmt_percent
from reports.context import BUDGET_SOURCE, INDICATORS_SOURCE, page_context
from ui import url_state
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.filters import filter_bar
from ui.tables import table
from warehouse.queries.budget import (budget_by, budget_monthly_cumulative, budget_totals, cost_per_unit,
                                      program_execution as program_execution_frame)

GROUPINGS = {"eje": "Eje", "programa": "Programa", "institucion": "Institución", "municipio": "Municipio",
             "mes": "Mes"}
MONEY = st.column_config.NumberColumn
AMOUNT_COLUMNS = {"approved": "Aprobado", "modified": "Modificado", "scheduled": "Programado",
                  "committed": "Comprometido", "accrued": "Devengado", "paid": "Pagado"}

status = page_header("Presupuesto", "Ejecución presupuestaria de los programas, en US$")
viewer = current_viewer()
f = filter_bar(status, viewer)
scope = dict(intervention=f.intervention, department=f.department, eje=f.eje, program=f.program)

totals = budget_totals(f.week_end, viewer, **scope)
if totals["modified"] is None:
    st.info(f"No hay presupuesto cargado para {f.week_end.year} hasta la semana {f.week} con estos filtros "
            "(archivo de presupuesto SAFI: aprobado, modificado, programado, comprometido, devengado y pagado).")
    st.stop()

period = f"{month_label(totals['first_month'])} a {month_label(totals['last_month'])}"


def context(title: str, source: str = BUDGET_SOURCE):
    """What an exported chart or table of this page says about itself (the months it covers too)."""
    return page_context(title, status, f, source=source, extra=f"Meses: {period}")


st.caption(f"Aprobado y modificado: montos anuales {f.week_end.year}. Programado, comprometido, devengado y "
           f"pagado: año a la fecha, {period} (meses hasta la semana en revisión) · {totals['programs']} programas"
           + (" · solo presupuesto ejecutado en municipios del departamento (sin nivel central)" if f.department else ""))

# --- totals --------------------------------------------------------------------------------------
first, second = st.columns(4), st.columns(4)
for col, key in zip([*first, *second[:2]], ("approved", "modified", "accrued", "paid", "scheduled", "committed")):
    col.metric(AMOUNT_COLUMNS[key], f"{fmt_money(totals[key] / 1e6, 1)} M", help=fmt_money(totals[key]))
second[2].metric("Ejecución", fmt_percent(totals["execution_percent"]), help="Devengado del año a la fecha / presupuesto modificado anual (la cifra que publica un ministerio).")
second[3].metric("Ejecución vs. programado", fmt_percent(totals["timeliness_percent"]),
                 help="Devengado / programado: compara con el calendario de ejecución, que es bajo en el "
                      "primer trimestre, para no leer marzo como subejecución.")

# --- charts --------------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    cumulative = cumulative_execution(budget_monthly_cumulative(f.week_end, viewer, **scope))
    st.plotly_chart(cumulative, width="stretch")
    chart_downloads(cumulative, f"devengado_programado_acumulado_{f.week}",
                    context(f"Devengado y programado acumulados por mes, {f.week_end.year}"))
with right:
    by_program = program_execution(program_execution_frame(f.week_end, viewer, **scope))
    st.plotly_chart(by_program, width="stretch")
    chart_downloads(by_program, f"ejecucion_por_programa_{f.week}",
                    context(f"Ejecución presupuestaria por programa, {f.week_end.year}"))

# --- table by a chosen grouping (kept in the URL as ?agrupar=) -----------------------------------
st.subheader("Presupuesto por agrupación")
keys = list(GROUPINGS)
grouping = st.segmented_control("Agrupar por", keys, format_func=GROUPINGS.get, key="agrupar",
                                default=url_state.read("agrupar") if url_state.read("agrupar") in keys
                                else "programa") or "programa"
url_state.write("agrupar", grouping)
grouped = budget_by(grouping, f.week_end, viewer, **scope)
table(grouped.rename({"group_code": "codigo", "group_name": GROUPINGS[grouping].lower()}),
      f"presupuesto_por_{grouping}_{f.week}", key="csv_presupuesto",
      context=context(f"Presupuesto por {GROUPINGS[grouping].lower()}, {f.week_end.year}"),
      column_config={**{k: MONEY(v, format="US$ %,.0f") for k, v in AMOUNT_COLUMNS.items()},
                     "codigo": "Código", GROUPINGS[grouping].lower(): GROUPINGS[grouping],
                     "execution_percent": MONEY("Ejecución (dev./mod.)", format="%.1f %%"),
                     "timeliness_percent": MONEY("Dev. / programado", format="%.1f %%")})

# --- cost per unit (ILPES: eficiencia) -----------------------------------------------------------
st.subheader("Costo por unidad de producto")
st.caption("Eficiencia (ILPES): devengado del programa en el año a la fecha, en todos los niveles, entre el "
           "valor nacional de sus indicadores de producto que cuentan unidades (familias, personas, créditos...). "
           "Indicadores de stock: unidades atendidas hoy; de flujo: entregadas este año; acumulados: solo las "
           "unidades sumadas este año (no las acumuladas desde la línea base). Es la misma cifra de la página "
           "Cadena de valor.")
costs = cost_per_unit(f.week_end, viewer, f.intervention, f.eje, f.program)
table(costs.select("program_code", "indicator_code", "indicator_name", "unit", "units", "accrued", "cost_per_unit"),
      f"costo_por_unidad_{f.week}", key="csv_costo_unidad",
      context=context(f"Costo por unidad de producto, {f.week_end.year}",
                      f"{BUDGET_SOURCE} (devengado); {INDICATORS_SOURCE} (unidades)"),
      empty="Ningún programa de estos filtros tiene indicadores de producto que cuenten unidades.",
      column_config={"program_code": "Programa", "indicator_code": "Indicador", "indicator_name": "Nombre",
                     "unit": "Unidad", "units": MONEY("Unidades (nacional)", format="%,.0f"),
                     "accrued": MONEY("Devengado", format="US$ %,.0f"),
                     "cost_per_unit": MONEY("US$ por unidad", format="US$ %,.2f")})
