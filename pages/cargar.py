"""Cargar datos: upload a file, read its validation report, then confirm the load."""
import streamlit as st

from charts.style import fmt_count, fmt_number
from reports.context import ExportContext
from ui.context import current_viewer, page_header
from ui.downloads import audited
from ui.tables import table
from warehouse.permissions import allowed
from ui.upload import (COMMIT_TEXT, FILE_TYPES, KIND_LABELS, TEMPLATE_KINDS, UPLOAD_KINDS, can_commit, commit,
                       discard_upload, preview, problems_frame, save_upload, template_bytes, verdict)

page_header("Cargar datos", "validar un archivo y cargarlo al almacén")
viewer = current_viewer()
if not allowed(viewer.role, "upload"):
    st.info("Su rol no permite cargar datos: solo el rol Analista carga archivos al almacén.",
            icon=":material/lock:")
    st.stop()
limit_mb = st.get_option("server.maxUploadSize")

st.markdown(
    f"""Suba un archivo **CSV, XLSX o Parquet** (GeoJSON para límites municipales) de hasta **{limit_mb} MB**.
Primero verá el informe de validación —nada se escribe todavía—; la carga ocurre solo al pulsar
**Confirmar carga**, con el mismo cargador que la línea de comandos.""")
with st.expander("Formatos aceptados", expanded=True):
    st.markdown(
        """- **Codificación CSV**: UTF-8 (con o sin BOM) o Windows-1252; separador coma o punto y coma;
  se admite coma decimal (con separador punto y coma).
- **Encabezados** en español o inglés, en cualquier orden, con o sin tildes (p. ej. *Indicador*,
  *Código Municipio*, *Período*, *Valor*).
- **Períodos**: `2014-W20` (semana ISO), `2014-05` (mes), `2014-Q2` (trimestre), `2014` (año),
  `2014-05-12` o `12/05/2014` (día, dd/mm/aaaa). Un período cuenta en su fecha de cierre.
- **Códigos de municipio**: `0101`, `101` o `101.0`; `nacional` para series nacionales.
- XLSX: se lee la primera hoja, o la hoja que indique abajo.
- Detalle completo: `docs/data-contract.md`.""")

st.subheader("1. Plantillas")
cols = st.columns([2, 1])
template_kind = cols[0].selectbox("Plantilla para", TEMPLATE_KINDS, format_func=KIND_LABELS.get, key="u_template")
with cols[1]:
    st.write("")
    st.download_button("Descargar plantilla XLSX",
                       data=audited(lambda: template_bytes(template_kind), f"plantilla_{template_kind}.xlsx", viewer),
                       file_name=f"plantilla_{template_kind}.xlsx", key="u_template_download",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
st.caption("La hoja «datos» trae solo los encabezados (obligatorios en color; cada uno con su ejemplo como "
           "nota): escriba sus filas debajo. La hoja «ejemplo» muestra una fila de ejemplo, que nunca se carga; "
           "la hoja «codigos» lista los códigos válidos de municipios, indicadores y programas.")

st.subheader("2. Archivo")
cols = st.columns([2, 1])
kind = cols[0].selectbox("Tipo de datos", UPLOAD_KINDS, format_func=KIND_LABELS.get, key="u_kind")
sheet = cols[1].text_input("Hoja de XLSX (opcional)", key="u_sheet", placeholder="primera hoja").strip()
upload = st.file_uploader(f"Archivo (máximo {limit_mb} MB)", type=FILE_TYPES, key="u_file",
                          help="Arrastre el archivo al recuadro o pulse «Browse files» para elegirlo.")
# Streamlit's own uploader text is in English ("Drag and drop file here", "Browse files"): said in Spanish
st.caption(f"Arrastre y suelte aquí el archivo (*Drag and drop file here*) o pulse **Browse files** para "
           f"buscarlo en su equipo · CSV, XLSX o Parquet, hasta {limit_mb} MB.")

if upload is None:
    st.info("Suba un archivo para ver su informe de validación antes de cargarlo.")
else:
    # validate once per (file, kind, sheet); a new choice discards the previous preview
    wanted = (upload.file_id, kind, sheet)
    if st.session_state.get("u_preview_key") != wanted:
        discard_upload(st.session_state.get("u_path"))
        path = save_upload(upload.name, upload.getvalue())
        with st.spinner("Validando el archivo…"):
            st.session_state.update(u_preview_key=wanted, u_path=str(path), u_preview=preview(path, kind, sheet),
                                    u_result=None)
    report = st.session_state["u_preview"]

    st.subheader("3. Informe de validación")
    result = st.session_state.get("u_result")
    done = result is not None and result.load_id is not None
    st.caption(f"Archivo **{report.file_name}** como «{KIND_LABELS[kind]}». "
               + (f"Validación previa a la carga n.º {result.load_id}." if done else "Nada se ha escrito todavía."))
    cols = st.columns(4)
    cols[0].metric("Filas leídas", fmt_number(report.rows_read, 0))
    cols[1].metric("Filas que se cargarían", fmt_number(report.rows_loaded, 0))
    cols[2].metric("Filas a cuarentena", fmt_number(report.rows_quarantined, 0))
    cols[3].metric("Problemas", fmt_number(len(report.problems), 0))
    level, text = verdict(report)
    getattr(st, level)(text)
    if report.status == "busy" and st.button("Validar de nuevo", key="u_revalidate"):
        st.session_state["u_preview_key"] = None
        st.rerun()
    # about the uploaded file, not the warehouse: no sample flag even on the sample warehouse
    table(problems_frame(report), f"validacion_{report.file_name}", key="csv_problemas",
          empty="No se encontraron problemas.",
          context=ExportContext(f"Informe de validación de {report.file_name}", filters=KIND_LABELS[kind],
                                source=f"Archivo {report.file_name}, validado con las reglas de carga del Tablero SPSU"))

    if can_commit(report) and not done:   # after a busy warehouse the same file may be retried
        st.subheader("4. Confirmar")
        if report.rows_quarantined:
            st.caption(f"Al confirmar, {fmt_count(report.rows_quarantined, 'fila')} "
                       f"{'quedará' if report.rows_quarantined == 1 else 'quedarán'} en cuarentena "
                       "(visibles en «Calidad de datos») y el resto se cargará.")
        if st.button("Confirmar carga", type="primary", key="u_confirm"):
            with st.spinner("Cargando…"):
                result = commit(st.session_state["u_path"], kind, viewer, sheet)
            st.session_state["u_result"] = result
            st.rerun()   # redraw without the button: one click, one load
    if result is not None:
        st.subheader("Resultado de la carga")
        text = COMMIT_TEXT.get(result.status, result.status)
        if result.status == "busy":
            st.error("El almacén está ocupado con otra carga: no se cambió nada. Espere unos minutos y pulse "
                     "de nuevo «Confirmar carga».")
        elif result.status == "sin cambios":
            st.info(result.note or "El archivo ya se había cargado: no se cambió nada.")
        elif result.load_id is None:
            st.error(f"No se cargó el archivo: {text}. Revise el informe de validación.")
        else:
            (st.success if result.status == "ok" else st.warning)(
                f"Carga n.º {result.load_id} registrada por {viewer.name}: {text} — código de salida "
                f"{result.exit_code}.")
            cols = st.columns(4)
            cols[0].metric("Filas leídas", fmt_number(result.rows_read, 0))
            cols[1].metric("Filas cargadas (nuevas o revisadas)", fmt_number(result.rows_loaded, 0))
            cols[2].metric("Filas sin cambios", fmt_number(result.rows_unchanged, 0))
            cols[3].metric("Filas en cuarentena", fmt_number(result.rows_quarantined, 0))
            st.page_link("pages/calidad.py", label="Ver el historial de cargas y la cuarentena", icon=":material/fact_check:")
