"""Acuerdos: actions agreed in the weekly meeting on off-track indicators or municipalities."""
import datetime as dt

import polars as pl
import streamlit as st

from charts.style import SEMAFORO_COLOR, fmt_date, fmt_number, fmt_percent, semaforo_badge
from reports.context import AGREEMENTS_SOURCE, page_context
from ui import url_state
from ui.context import current_viewer, page_header
from ui.filters import week_options
from ui.tables import table
from warehouse import queries
from warehouse.agreements import STATUSES, AgreementError, create_agreement, update_status
from warehouse.asof import week_end_of
from warehouse.permissions import PermissionDenied, allowed
from warehouse.queries.agreements import all_agreements, open_agreements
from warehouse.queries.progress import progress

NATIONAL = "nacional"
OVERDUE_BADGE = "⚠ vencido"
DATE = st.column_config.DateColumn(format="DD/MM/YYYY")
WHEN = st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
COLUMNS = {"agreement_id": "n.º", "alerta": "alerta", "due_date": "fecha límite", "status": "estado",
           "action": "acción acordada", "responsible": "responsable", "scope_name": "ámbito",
           "indicator_code": "indicador", "indicator_name": "nombre del indicador", "week": "semana",
           "days_overdue": "días de atraso", "created_by": "registrado por", "created_at": "registrado el",
           "updated_by": "actualizado por", "updated_at": "actualizado el"}


def with_badge(frame: pl.DataFrame) -> pl.DataFrame:
    """Text badge for overdue agreements (the colour below is a second signal, never the only one)."""
    badge = pl.when(pl.col("overdue")).then(pl.lit(OVERDUE_BADGE)).otherwise(pl.lit(""))
    return (frame.with_columns(badge.alias("alerta"), pl.col("indicator_code", "indicator_name").fill_null("—"))
            .select(list(COLUMNS)).rename(COLUMNS))


def highlight_overdue(frame: pl.DataFrame):
    """A pandas Styler tinting overdue rows with the palette's red (small frame: one meeting's list)."""
    tint = f"background-color: {SEMAFORO_COLOR['rojo']}22"
    badge = f"color: {SEMAFORO_COLOR['rojo']}; font-weight: bold"

    def row_style(row):
        overdue = row["alerta"] == OVERDUE_BADGE
        return [(badge if col == "alerta" else tint) if overdue else "" for col in row.index]
    return frame.to_pandas().style.apply(row_style, axis=1)


status = page_header("Acuerdos", "acciones acordadas en la reunión semanal y su seguimiento")
viewer = current_viewer()
if status["as_of"] is None:
    st.info("El almacén aún no tiene mediciones: no hay semana en revisión para registrar acuerdos.")
    st.stop()
as_of = status["as_of"]
weeks = week_options(as_of)
catalog = queries.indicators_catalog(viewer)
munis = queries.municipalities(viewer).filter(pl.col("intervention").is_in(["CSU", "CSR"]))
ind_names = dict(zip(catalog["code"], catalog["name"]))
muni_names = {NATIONAL: "Nacional", **dict(zip(munis["code"], munis["municipality"]))}
wanted_indicator = url_state.read("indicador")
wanted_muni = url_state.read("municipio")

# --- Record an agreement (roles that may: warehouse/permissions.py) --------------------------------
may_write = allowed(viewer.role, "agreements")
st.subheader("Registrar un acuerdo")
if not may_write:
    st.info("Su rol permite consultar los acuerdos, no registrarlos ni cambiar su estado (rol Analista).",
            icon=":material/lock:")
indicator_options = [""] + catalog["code"].to_list()
muni_options = list(muni_names)
if wanted_muni and wanted_muni not in muni_names:       # a municipality outside CSU/CSR, linked from elsewhere
    extra = queries.municipalities(viewer).filter(pl.col("code") == wanted_muni)
    if extra.height:
        muni_names[wanted_muni] = extra["municipality"][0]
        muni_options.append(wanted_muni)
if done := st.session_state.pop("a_done", None):     # after a save: say so above the emptied form
    st.success(done)
# the form keeps what was typed when the agreement is refused, so nothing has to be typed twice
if may_write:
    with st.form("nuevo_acuerdo", clear_on_submit=False):
        cols = st.columns(2)
        indicator = cols[0].selectbox(
            "Indicador", indicator_options, key="a_indicador",
            index=indicator_options.index(wanted_indicator) if wanted_indicator in indicator_options else 0,
            format_func=lambda c: f"{c} — {ind_names[c]}" if c else "(ninguno: acuerdo sobre el municipio)")
        scope = cols[1].selectbox(
            "Municipio", muni_options, key="a_municipio",
            index=muni_options.index(wanted_muni) if wanted_muni in muni_options else 0,
            format_func=lambda c: "Nacional (todo el país)" if c == NATIONAL else f"{c} {muni_names[c]}")
        action = st.text_area("Acción acordada", key="a_accion",
                              placeholder="Qué se hará para corregir el rezago o el atraso del reporte")
        cols = st.columns(3)
        responsible = cols[0].text_input("Responsable", key="a_responsable", placeholder="Institución o persona")
        due = cols[1].date_input("Fecha límite", value=week_end_of(weeks[0]) + dt.timedelta(days=14),
                                 format="DD/MM/YYYY", key="a_fecha")
        week = cols[2].selectbox("Semana de la reunión", weeks, key="a_semana")
        submitted = st.form_submit_button("Registrar acuerdo", type="primary")
    if submitted:
        try:
            new_id = create_agreement(week=week, indicator_code=indicator or None, scope_code=scope, action=action,
                                      responsible=responsible, due_date=due, created_by=viewer.name,
                                      role=viewer.role)
        except (AgreementError, PermissionDenied) as exc:
            st.error(f"No se registró el acuerdo: {exc}")
        else:
            st.session_state["a_done"] = f"Acuerdo n.º {new_id} registrado: vence el {fmt_date(due)}."
            for key in ("a_accion", "a_responsable"):
                st.session_state.pop(key, None)
            st.rerun()

if wanted_indicator in ind_names:   # context for an agreement reached from an off-track indicator
    scope_type = "nacional" if wanted_muni in (None, NATIONAL) else "municipio"
    rows = progress(week_end_of(weeks[0]), viewer, scope_type, wanted_indicator).filter(
        pl.col("scope_code") == ("national" if scope_type == "nacional" else wanted_muni))
    if rows.height:
        r = rows.row(0, named=True)
        st.caption(f"Situación de {wanted_indicator} en {r['scope_name']} (semana {weeks[0]}): "
                   f"{semaforo_badge(r['semaforo'])}, avance {fmt_percent(r['percent'])}, "
                   f"reporte {r['reporting_status'] or '—'}.")

# --- Open agreements --------------------------------------------------------------------------------
st.subheader("Acuerdos abiertos")
opened = open_agreements(viewer)
overdue = opened.filter(pl.col("overdue"))
cols = st.columns(3)
cols[0].metric("Abiertos", fmt_number(opened.filter(pl.col("status") == "abierto").height, 0))
cols[1].metric("En curso", fmt_number(opened.filter(pl.col("status") == "en curso").height, 0))
cols[2].metric(f"{OVERDUE_BADGE}s", fmt_number(overdue.height, 0))
st.caption(f"Un acuerdo está vencido si su fecha límite es anterior al {fmt_date(as_of)}, la fecha de los datos.")
if opened.is_empty():
    st.info("No hay acuerdos abiertos. Registre arriba las acciones acordadas en la reunión semanal.")
else:
    if overdue.height:
        many = overdue.height > 1
        st.error(f"**{OVERDUE_BADGE}**: {fmt_number(overdue.height, 0)} "
                 f"{'acuerdos pasaron' if many else 'acuerdo pasó'} su fecha límite sin cumplirse; revise su "
                 "estado o acuerde una nueva fecha.")
    shown = with_badge(opened)
    table(shown, "acuerdos_abiertos", key="csv_acuerdos_abiertos", display=highlight_overdue(shown),
          column_config={"fecha límite": DATE, "registrado el": WHEN, "actualizado el": WHEN},
          context=page_context("Acuerdos abiertos", status, source=AGREEMENTS_SOURCE,
                               extra=f"Vencidos: fecha límite anterior al {fmt_date(as_of)}"))

    if may_write:
        st.markdown("**Cambiar el estado de un acuerdo**")
        labels = {r["agreement_id"]: f"n.º {r['agreement_id']} · {r['action'][:70]} ({r['responsible']})"
                  + (f" · {OVERDUE_BADGE}" if r["overdue"] else "") for r in opened.iter_rows(named=True)}
        cols = st.columns([3, 1, 1])
        chosen = cols[0].selectbox("Acuerdo", list(labels), format_func=labels.get, key="a_cambiar")
        new_status = cols[1].selectbox("Nuevo estado", STATUSES, key="a_estado",
                                       index=STATUSES.index("en curso"))
        with cols[2]:
            st.write("")
            if st.button("Actualizar estado", key="a_actualizar"):
                try:
                    before = update_status(chosen, new_status, viewer.name, viewer.role)
                    st.session_state["a_mensaje"] = f"Acuerdo n.º {chosen}: «{before}» → «{new_status}»."
                    st.rerun()
                except (AgreementError, PermissionDenied) as exc:
                    st.error(str(exc))
if "a_mensaje" in st.session_state:
    st.success(st.session_state.pop("a_mensaje"))

# --- History ----------------------------------------------------------------------------------------
st.subheader("Todos los acuerdos")
table(with_badge(all_agreements(viewer)), "acuerdos", key="csv_acuerdos",
      column_config={"fecha límite": DATE, "registrado el": WHEN, "actualizado el": WHEN},
      empty="Aún no se ha registrado ningún acuerdo.",
      context=page_context("Todos los acuerdos", status, source=AGREEMENTS_SOURCE))
