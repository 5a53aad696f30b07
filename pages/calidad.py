"""Calidad de datos: completeness of the week's reports, load history, validations, quarantine and (for
analista, direccion and admin) the audit trail."""
import polars as pl
import streamlit as st

from charts.quality import MATRIX_MAX_CELLS, completeness_matrix
from charts.style import fmt_number
from reports.context import QUALITY_SOURCE, page_context
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.filters import filter_bar
from ui.quality_text import SUITE_NAMES, spanish_quarantine, spanish_validation
from ui.tables import table
from warehouse.audit import ACTIONS as AUDIT_ACTIONS
from warehouse.audit import trail as audit_trail
from warehouse.permissions import ROLE_LABELS, allowed
from warehouse.queries.quality import (QUARANTINE_SHOWN, completeness_by_municipality, completeness_cell_count,
                                       completeness_cells, load_history, load_totals, quarantine_rows, validation_failures, validation_summary)

LOAD_STATUS = {"ok": "completa", "partial": "parcial (filas en cuarentena)", "reverted": "revertida"}
WHEN = st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")

status = page_header("Calidad de datos", "cargas, validaciones, cuarentena y completitud del reporte")
viewer = current_viewer()

totals = load_totals(viewer)
cols = st.columns(4)
cols[0].metric("Cargas registradas", fmt_number(totals["loads"], 0))
cols[1].metric("Cargas parciales", fmt_number(totals["partial_loads"], 0))
cols[2].metric("Filas en cuarentena", fmt_number(totals["quarantined_rows"], 0))
cols[3].metric("Validaciones fallidas", fmt_number(totals["failed_checks"], 0))

# --- Completeness of the week under review ----------------------------------------------------------
st.subheader("Completitud del reporte de la semana")
filters = filter_bar(status, viewer, show=("week", "intervention", "department", "eje"))
st.caption("Cada celda es un indicador municipal que el municipio debe reportar según su intervención. "
           "**■ Reportado**: el último período vencido está recibido. **▲ Atrasado**: venció el plazo del "
           "último período y no ha llegado (estado de reporte del método). **✕ Sin medición**: no se conoce "
           f"ninguna medición. {filters.describe()}.")
n_cells = completeness_cell_count(filters.week_end, viewer, filters.intervention, filters.department, filters.eje)
if not n_cells:
    st.info("No hay indicadores municipales esperados con estos filtros (revise intervención, departamento y eje).")
else:
    if n_cells > MATRIX_MAX_CELLS:
        st.info(f"Con estos filtros la matriz tendría {fmt_number(n_cells, 0)} celdas: demasiadas para leerlas en "
                f"una gráfica (se dibuja hasta {fmt_number(MATRIX_MAX_CELLS, 0)}). Elija un departamento o un eje "
                "para ver cada indicador; el resumen por municipio sigue abajo.")
    else:
        cells = completeness_cells(filters.week_end, viewer, filters.intervention, filters.department, filters.eje)
        matrix = completeness_matrix(cells)
        st.plotly_chart(matrix, width="stretch", key="completeness_matrix")
        chart_downloads(matrix, f"completitud_{filters.week}", page_context(
            "Completitud del reporte por municipio e indicador", status, filters, source=QUALITY_SOURCE))
    st.markdown("**Resumen por municipio** (los menos completos primero)")
    summary = completeness_by_municipality(filters.week_end, viewer, filters.intervention, filters.department,
                                           filters.eje)
    table(summary.rename({"code": "código", "municipality": "municipio", "department": "departamento",
                          "intervention": "intervención", "expected": "esperados", "reported": "reportados",
                          "late": "atrasados", "missing": "sin medición", "percent_complete": "% completo"}),
          f"completitud_por_municipio_{filters.week}", key="csv_completitud",
          context=page_context("Completitud del reporte por municipio", status, filters, source=QUALITY_SOURCE),
          column_config={"% completo": st.column_config.ProgressColumn(format="%.1f %%", min_value=0,
                                                                        max_value=100)})

# --- Load history -----------------------------------------------------------------------------------
st.subheader("Historial de cargas")
history = load_history(viewer).with_columns(pl.col("status").replace(LOAD_STATUS), pl.col("kind").replace(SUITE_NAMES))
table(history.rename({"load_id": "carga", "loaded_at": "fecha", "loaded_by": "cargada por", "kind": "tipo",
                      "file_name": "archivo", "rows_read": "filas leídas", "rows_loaded": "cargadas",
                      "rows_unchanged": "sin cambios", "rows_quarantined": "en cuarentena", "status": "estado",
                      "reverted_at": "revertida el", "note": "nota"}),
      "historial_cargas", key="csv_cargas", empty="Aún no se ha registrado ninguna carga.",
      context=page_context("Historial de cargas", status, source=QUALITY_SOURCE),
      column_config={"fecha": WHEN, "revertida el": WHEN})

# --- Validation results -----------------------------------------------------------------------------
st.subheader("Resultados de validación")
st.caption("Cada carga se valida con la suite de expectativas (Great Expectations) de su tipo de archivo.")
table(spanish_validation(validation_summary(viewer)).rename({
          "suite": "tipo de archivo", "expectation": "expectativa", "column_name": "columna", "rule": "motivo",
          "checks": "validaciones", "passed": "exitosas", "failed": "fallidas", "unexpected_rows": "filas señaladas"}),
      "validaciones_por_expectativa", key="csv_validaciones", empty="Aún no hay resultados de validación.",
      context=page_context("Resultados de validación por expectativa", status, source=QUALITY_SOURCE))
failures = spanish_validation(validation_failures(viewer))
st.markdown(f"**Expectativas fallidas** ({fmt_number(failures.height, 0)})")
table(failures.rename({"load_id": "carga", "loaded_at": "fecha", "file_name": "archivo", "suite": "tipo de archivo",
                       "expectation": "expectativa", "column_name": "columna", "rule": "motivo",
                       "unexpected_count": "filas señaladas", "rows_sample": "filas (muestra)",
                       "details": "detalle"}),
      "validaciones_fallidas", key="csv_fallidas", column_config={"fecha": WHEN},
      context=page_context("Expectativas fallidas", status, source=QUALITY_SOURCE),
      empty="Ninguna expectativa ha fallado en las cargas registradas.")

# --- Quarantine -------------------------------------------------------------------------------------
st.subheader("Filas en cuarentena")
st.caption("Filas rechazadas por una regla: no entraron al almacén. Corríjalas en el archivo de origen y "
           "vuelva a cargarlo en «Cargar datos».")
quarantined = quarantine_rows(viewer, limit=QUARANTINE_SHOWN)
if totals["quarantined_rows"] > quarantined.height:
    st.caption(f"Se muestran {fmt_number(quarantined.height, 0)} de {fmt_number(totals['quarantined_rows'], 0)} "
               "filas: las de las cargas más recientes. Todas, en CSV: "
               "`python -m warehouse export quarantine --out cuarentena.csv`.")
table(spanish_quarantine(quarantined).rename({
          "load_id": "carga", "loaded_at": "fecha", "kind": "tipo", "file_name": "archivo",
          "row_number": "fila", "column_name": "columna", "value": "valor", "rule": "motivo",
          "message": "mensaje", "raw_row": "fila original"}),
      "cuarentena", key="csv_cuarentena", column_config={"fecha": WHEN},
      context=page_context("Filas en cuarentena", status, source=QUALITY_SOURCE),
      empty="No hay filas en cuarentena.")

# --- Audit trail (analista, direccion, admin: warehouse/permissions.py) -------------------------------
if allowed(viewer.role, "audit"):
    st.subheader("Registro de auditoría")
    st.caption("Inicios de sesión (también los fallidos), cargas, reversiones, descargas y cambios de acuerdos: "
               "quién, cuándo (hora UTC), con qué rol y qué hizo. Los últimos 1000 eventos, el más reciente primero.")
    trail = audit_trail(viewer).with_columns(pl.col("action").replace(AUDIT_ACTIONS),
                                             pl.col("role").replace(ROLE_LABELS))
    table(trail.rename({"recorded_at": "fecha (UTC)", "user_name": "usuario", "role": "rol", "action": "acción",
                        "detail": "detalle"}),
          "registro_auditoria", key="csv_auditoria", column_config={"fecha (UTC)": WHEN},
          context=page_context("Registro de auditoría", status, source="Tabla audit_log del almacén del Tablero SPSU"),
          empty="El registro de auditoría aún no tiene eventos.")
