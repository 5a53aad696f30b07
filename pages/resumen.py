"""Resumen ejecutivo (home): the week under review at a glance."""
import datetime as dt

import polars as pl
import streamlit as st

from charts.style import (MONTHS_ES, SEMAFORO_ICON, SEMAFORO_LABEL, fmt_date, fmt_money, fmt_percent,
                          semaforo_badge, semaforo_badge_expr)
from charts.order import largest_moves
from charts.tiles import semaforo_strip_figure
from reports.context import AGREEMENTS_SOURCE, INDICATORS_SOURCE, page_context
from ui.context import current_viewer, page_header, stop_without_measurements
from ui.downloads import chart_downloads, weekly_deck_button
from ui.filters import Filters, filter_bar, scope_label
from ui.forecast import forecast_flags_section
from ui.tables import table
from ui.url_state import link_params
from warehouse.asof import week_label
from warehouse.queries import home

TOP_LINKS = 8
TILE_STATES = ["verde", "amarillo", "rojo", "en inicio", "sin dato"]
PERCENT = st.column_config.NumberColumn(format="%.1f %%")
NUMBER = st.column_config.NumberColumn(format="localized")   # 8 not 8.0, 6,132, 57.9


def badges(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Semáforo states as icon + label, so colour is never needed to read a table."""
    return frame.with_columns(semaforo_badge_expr(c) for c in columns)


def short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def filter_args(filters: Filters) -> dict:
    return dict(intervention=filters.intervention, eje=filters.eje, program=filters.program,
                department=filters.department)


def context(title: str, filters: Filters | None = None, source: str = INDICATORS_SOURCE):
    """What an exported chart or table of this page says about itself."""
    return page_context(title, status, filters, source=source)


def semaforo_tiles(filters: Filters, where: str) -> None:
    tiles = home.semaforo_tiles(filters.week_end, viewer, **filter_args(filters))
    st.subheader(f"Indicadores por semáforo · {where}")
    cols = st.container(key="headline_semaforo").columns(len(TILE_STATES) + 1)
    cols[0].metric("% en verde", fmt_percent(tiles["percent_verde"]),
                   help="Indicadores en verde sobre los indicadores con meta; los 'sin meta' no cuentan.")
    for col, state in zip(cols[1:], TILE_STATES):
        col.metric(f"{SEMAFORO_ICON[state]} {SEMAFORO_LABEL[state]}", f"{tiles['counts'][state]:,}")
    strip = semaforo_strip_figure(tiles["counts"], f"{tiles['with_target']:,} indicadores con meta")
    st.plotly_chart(strip, key="franja_semaforo")
    chart_downloads(strip, f"indicadores_por_semaforo_{filters.week}",
                    context(f"Indicadores por semáforo, {where}", filters))
    st.caption(f"{tiles['with_target']:,} indicadores con meta. Aparte, {SEMAFORO_ICON['sin meta']} "
               f"**{tiles['counts']['sin meta']:,} sin meta** (indicadores de contexto): fuera del denominador.")


def headline_tiles(filters: Filters, where: str) -> None:
    odm_col, pqd_col, exec_col, time_col = st.container(key="headline_figures").columns(4)
    odm = home.odm_headline(filters.week_end, viewer)
    with odm_col:
        if odm is None:
            st.info("Sin dato del indicador ODM-1.1 (pobreza extrema) en el almacén.")
        else:
            st.metric("ODM-1.1 · Pobreza extrema", fmt_percent(odm["value"]),
                      help=odm["indicator_name"])
            met = (f" · ✓ **meta ODM 2015 ya alcanzada** ({fmt_percent(odm['value'])} frente a "
                   f"{fmt_percent(odm['odm_target_value'])})") if odm["odm_target_met"] else ""
            st.caption(f"Nacional, dato {odm['latest_period']} · meta ODM 2015: **{fmt_percent(odm['odm_target_value'])}** · "
                       f"{semaforo_badge(odm['semaforo'])} frente a la meta {odm['target_kind']} "
                       f"({fmt_percent(odm['target_value'])}){met}")
    pqd = home.pqd_on_track(filters.week_end, viewer, **filter_args(filters))
    with pqd_col:
        st.metric("Metas PQD-2014 en verde", fmt_percent(pqd["percent_verde"]))
        st.caption(f"{pqd['verde']:,} de {pqd['with_target']:,} indicadores con meta PQD-2014 en verde, {where}.")
    budget = home.budget_execution(filters.week_end, viewer, **filter_args(filters))
    months = (f"{MONTHS_ES[budget['first_month'].month - 1]}–{MONTHS_ES[budget['last_month'].month - 1]} "
              f"{budget['last_month'].year}") if budget["months"] else "sin meses"
    with exec_col:
        st.metric("Ejecución presupuestaria", fmt_percent(budget["execution_percent"]),
                  help="Devengado del año hasta el mes de la semana / presupuesto modificado anual.")
        st.caption(f"Devengado {fmt_money(budget['accrued'])} ({months}) de {fmt_money(budget['modified'])} modificado en el año.")
    with time_col:
        st.metric("Oportunidad del gasto", fmt_percent(budget["timeliness_percent"]),
                  help="Devengado acumulado / programado acumulado: 100 % es ir al ritmo de la programación.")
        st.caption(f"Devengado frente a {fmt_money(budget['scheduled'])} programado ({months}).")


def what_changed(filters: Filters) -> None:
    previous = week_label(filters.week_end - dt.timedelta(days=7))
    start = filters.week_end - dt.timedelta(days=6)
    st.subheader(f"Qué cambió esta semana · {filters.week} frente a {previous}")
    args = filter_args(filters)
    moved = home.week_semaforo_changes(filters.week, previous, viewer, **args)    # worse first
    revisions = home.week_revisions(start, filters.week_end, viewer, **args)
    late = home.week_late_reports(start, filters.week_end, viewer, **args)
    count = moved["direction"].value_counts()
    by_direction = dict(zip(count["direction"].to_list(), count["count"].to_list()))
    cols = st.columns(3)
    cols[0].metric("Cambios de semáforo", f"{moved.height:,}",
                   help="Pares indicador × ámbito (municipio, departamento o país) cuyo semáforo cambió.")
    cols[0].caption(f"↑ {by_direction.get('mejora', 0):,} mejoran · ↓ {by_direction.get('empeora', 0):,} empeoran · "
                    f"↔ {by_direction.get('cambia', 0):,} otros cambios")
    cols[1].metric("Revisiones de datos", f"{revisions.height:,}",
                   help="Valores recibidos en la semana que corrigen un reporte anterior del mismo período.")
    cols[2].metric("Reportes tardíos recibidos", f"{late.height:,}",
                   help="Reportes recibidos en la semana después de su fecha límite.")
    if previous not in home.snapshot_weeks(viewer):
        st.info(f"No hay instantánea de la semana {previous} para comparar los semáforos: las instantáneas "
                "cubren las últimas 12 semanas.")
    tabs = st.tabs(["Cambios de semáforo", "Mayores movimientos", "Revisiones", "Reportes tardíos"])
    change_columns = {"indicator_code": "Código", "indicator_name": "Indicador", "scope_type": "Ámbito",
                      "scope_name": "Lugar", "semaforo_before": "Semáforo antes", "semaforo_now": "Semáforo ahora",
                      "direction": "Sentido", "percent_before": "Avance antes (%)", "percent_now": "Avance ahora (%)",
                      "percent_change": "Cambio (puntos)"}
    with tabs[0]:
        table(badges(moved.select(list(change_columns)), "semaforo_before", "semaforo_now").rename(change_columns),
              f"cambios_semaforo_{filters.week}", column_config={c: PERCENT for c in ("Avance antes (%)", "Avance ahora (%)")},
              empty="Ningún semáforo cambió esta semana con estos filtros.",
              context=context(f"Cambios de semáforo: {filters.week} frente a {previous}", filters))
    with tabs[1]:
        biggest = largest_moves(home.week_largest_moves(filters.week, previous, viewer, n=20, **args), 20)
        table(badges(biggest.select(list(change_columns)), "semaforo_before", "semaforo_now").rename(change_columns),
              f"mayores_movimientos_{filters.week}", column_config={"Cambio (puntos)": NUMBER},
              empty="Sin movimientos de avance esta semana con estos filtros.",
              context=context(f"Mayores movimientos de avance: {filters.week} frente a {previous}", filters))
    with tabs[2]:
        table(revisions.select("indicator_code", "indicator_name", "scope_code", "municipality", "period",
                               "previous_value", "new_value", "previous_reported_at", "reported_at").rename(
            {"indicator_code": "Código", "indicator_name": "Indicador", "scope_code": "Cód. municipio",
             "municipality": "Municipio", "period": "Periodo", "previous_value": "Valor anterior",
             "new_value": "Valor corregido", "previous_reported_at": "Reportado antes", "reported_at": "Corregido el"}),
              f"revisiones_{filters.week}", column_config={"Valor anterior": NUMBER, "Valor corregido": NUMBER},
              empty="No se recibieron revisiones esta semana.",
              context=context("Revisiones de datos recibidas en la semana", filters))
    with tabs[3]:
        table(late.rename({"indicator_code": "Código", "indicator_name": "Indicador", "scope_code": "Cód. municipio",
                           "municipality": "Municipio", "period": "Periodo", "deadline": "Fecha límite",
                           "reported_at": "Recibido el", "days_late": "Días de atraso"}),
              f"reportes_tardios_{filters.week}", empty="No se recibieron reportes tardíos esta semana.",
              context=context("Reportes tardíos recibidos en la semana", filters))


def off_track_indicators(filters: Filters, where: str) -> None:
    scope_type = "departamento" if filters.department else "nacional"
    st.subheader("Indicadores fuera de ruta")
    st.caption(f"En rojo (■) o amarillo (▲), {where}; el más rezagado primero: avance hacia la meta frente "
               "al avance esperado a la fecha.")
    frame = home.off_track(filters.week_end, viewer, scope_type, limit=1000, **filter_args(filters))
    if frame.is_empty():
        st.success(f"Ningún indicador en rojo o amarillo, {where}.")
        return
    for row in frame.head(TOP_LINKS).iter_rows(named=True):
        st.page_link("pages/ficha.py", query_params=link_params(filters, indicador=row["indicator_code"]),
                     label=f"{SEMAFORO_ICON.get(row['semaforo'], '')} **{fmt_percent(row['percent'])}** de "
                           f"{fmt_percent(row['expected_percent'])} esperado · {row['indicator_code']} "
                           f"{short(row['indicator_name'], 22)}",
                     help=row["indicator_name"])
    with st.expander(f"Lista completa ({frame.height:,})"):
        table(badges(frame, "semaforo").select(     # key columns first: the table is half the page wide
            "indicator_code", "semaforo", "percent", "expected_percent", "indicator_name", "scope_name", "value",
            "target_value", "reporting_status").rename(
            {"indicator_code": "Código", "indicator_name": "Indicador", "scope_name": "Ámbito", "semaforo": "Semáforo",
             "value": "Valor", "target_value": "Meta", "percent": "Avance (%)", "expected_percent": "Esperado (%)",
             "reporting_status": "Reporte"}),
              f"indicadores_fuera_de_ruta_{filters.week}",
              column_config={"Valor": NUMBER, "Meta": NUMBER, "Avance (%)": PERCENT, "Esperado (%)": PERCENT},
              context=context(f"Indicadores fuera de ruta (rojo o amarillo), {where}", filters))


def off_track_municipalities(filters: Filters) -> None:
    st.subheader("Municipios fuera de ruta")
    st.caption("Estado general de cada municipio: primero en rojo, luego atrasados, luego en amarillo; "
               "rojo y amarillo cuentan sus indicadores, «atrasados» los que tienen el reporte vencido.")
    frame = home.municipalities_off_track(filters.week_end, viewer, limit=1000, **filter_args(filters))
    if frame.is_empty():
        st.success("Ningún municipio está en rojo, atrasado o en amarillo con estos filtros.")
        return
    for row in frame.head(TOP_LINKS).iter_rows(named=True):
        st.page_link("pages/municipios.py", query_params=link_params(filters, municipio=row["code"]),
                     label=f"{SEMAFORO_ICON.get(row['state'], '')} **{row['municipality']}** ({row['department']}) · "
                           f"{row['rojo']} rojo · {row['amarillo']} amarillo · {row['late']}/{row['indicators']} atrasados",
                     help=f"{row['intervention']} · {row['with_target']} indicadores con meta")
    with st.expander(f"Lista completa ({frame.height:,})"):
        key_first = ["municipality", "state", "rojo", "amarillo", "late", "indicators", "department", "intervention"]
        table(frame.with_columns(semaforo_badge_expr("state")).select(
                  key_first + [c for c in frame.columns if c not in key_first]).rename({
                  "code": "Código", "municipality": "Municipio", "department": "Departamento",
                  "intervention": "Intervención", "state": "Estado general", "rojo": "■ Rojo",
                  "amarillo": "▲ Amarillo", "verde": "● Verde", "with_target": "Con meta",
                  "late": "Reportes atrasados", "indicators": "Indicadores"}),
              f"municipios_fuera_de_ruta_{filters.week}",
              context=context("Municipios en rojo, atrasados o en amarillo", filters))


def open_agreements(filters: Filters) -> None:
    """Acuerdos abiertos: shown once warehouse/queries/agreements.py exists (another module)."""
    try:
        from warehouse.queries.agreements import open_agreements as query
    except ImportError:
        return
    frame = query(viewer)
    st.subheader("Acuerdos abiertos")
    if frame.height:
        n, late = frame.height, int(frame["overdue"].sum())
        st.caption(f"{n:,} {'acuerdo abierto' if n == 1 else 'acuerdos abiertos'} o en curso, "
                   f"{late:,} {'vencido' if late == 1 else 'vencidos'}. Se registran en «Acuerdos».")
    columns = {"week": "Semana", "indicator_code": "Indicador", "scope_name": "Ámbito", "action": "Acción",
               "responsible": "Responsable", "due_date": "Fecha límite", "status": "Estado",
               "days_overdue": "Días de atraso"}
    table(frame.select([c for c in columns if c in frame.columns]).rename(columns), "acuerdos_abiertos",
          empty="No hay acuerdos abiertos.", context=context("Acuerdos abiertos", source=AGREEMENTS_SOURCE))
    st.page_link("pages/acuerdos.py", label="Registrar o actualizar acuerdos", icon=":material/handshake:",
                 query_params=link_params(filters))


viewer = current_viewer()
status = page_header("Resumen ejecutivo", "Sistema de Protección Social Universal · Comunidades Solidarias")
filters = filter_bar(status, viewer)
stop_without_measurements(status)
where = scope_label(filters, viewer)
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f"**Semana en revisión: {filters.week}**, del {fmt_date(filters.week_end - dt.timedelta(days=6))} "
                f"al {fmt_date(filters.week_end)} · " + " · ".join(filters.describe().split(" · ")[1:]))
    weekly_deck_button(filters.week, viewer, intervention=filters.intervention, department=filters.department)

semaforo_tiles(filters, where)
headline_tiles(filters, where)
st.divider()
what_changed(filters)
st.divider()
left, right = st.columns(2)
with left:
    off_track_indicators(filters, where)
with right:
    off_track_municipalities(filters)
forecast_flags_section(status, viewer, filters)   # issue 13: ui/forecast.py
open_agreements(filters)
