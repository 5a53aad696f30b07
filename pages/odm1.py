"""ODM 1: the MDG 1 national indicators since 1991; the three halving targets (1.1, 1.8, 1.9) with
the path needed to reach them in 2015 and where the country stands; the other six as context."""
from dataclasses import replace

import polars as pl
import streamlit as st

from charts.logframe import semaforo_badge_html
from charts.odm import odm_context_chart, odm_target_chart
from charts.style import SEMAFORO_ICON, fmt_date, fmt_number, semaforo_badge_expr
from reports.context import indicator_source, page_context
from ui.context import current_viewer, page_header
from ui.downloads import chart_downloads
from ui.filters import filter_bar
from ui.tables import table
from warehouse.queries.odm import odm_indicators, odm_series

status = page_header("ODM 1: Erradicar la pobreza extrema y el hambre",
                     "Indicadores nacionales de la lista oficial 2008, desde 1991")
viewer = current_viewer()
filters = filter_bar(status, viewer, show=("week",))
indicators = odm_indicators(filters.week_end, viewer)
series = odm_series(filters.week_end, viewer)
if indicators.is_empty():
    st.info("El almacén no tiene los indicadores ODM 1 (programa ODM1): cargue el marco lógico ODM y la "
            "serie nacional (archivo de mediciones con ámbito nacional).")
    st.stop()


def points(value, unit) -> str:
    """A difference in the indicator's unit: percentage points for percentages."""
    return f"{fmt_number(abs(value))} {'p.p.' if unit == '%' else unit}"


def standing(ind: dict) -> str:
    """Where the country stands against the 2015 target and the path, in words."""
    if ind["value"] is None:
        return "Sin dato medido."
    lower_is_better = ind["sentido"] == "descendente"
    met = ind["gap_to_target"] <= 0 if lower_is_better else ind["gap_to_target"] >= 0
    ahead = ind["gap_to_path"] <= 0 if lower_is_better else ind["gap_to_path"] >= 0
    target = ("Meta 2015 ya alcanzada" if met else
              f"Faltan {points(ind['gap_to_target'], ind['unit'])} para la meta 2015")
    path = (f"{points(ind['gap_to_path'], ind['unit'])} {'mejor' if ahead else 'peor'} que la trayectoria "
            f"necesaria en {ind['latest_period']}")
    return f"{target}; {path}."


def export_context(title: str, source: str | None):
    """Export context: national series known at the week under review (no intervention filter applies)."""
    return replace(page_context(title, status, filters, source=indicator_source(source)), filters="Nacional")


def chart_with_download(fig, ind: dict, what: str) -> None:
    """The chart and its 'Descargar' control."""
    st.plotly_chart(fig, width="stretch", key=f"odm_{ind['code']}")
    chart_downloads(fig, f"odm_{ind['odm_indicator']}_{filters.week}",
                    export_context(f"ODM {ind['odm_indicator']} {ind['name']}: {what}", ind["source"]),
                    key=f"dl_odm_{ind['code']}")


def source_note(ind: dict) -> None:
    st.caption(f"**Fuente:** {ind['source']}. **Nota metodológica:** {ind['method_note'] or ''}")


# --- the three targets ---------------------------------------------------------------------------
targeted = indicators.filter(pl.col("has_target"))
context = indicators.filter(~pl.col("has_target"))
st.subheader(f"Metas de reducción a la mitad entre 1990 y 2015 ({targeted.height} indicadores)")
st.caption("Meta ODM 2015: la mitad del valor de línea base (1991, o el primer año medido). La trayectoria "
           "necesaria es la línea recta de la línea base a la meta. El semáforo es el del método del tablero, "
           "con la meta vigente a la fecha de la semana en revisión.")
for ind in targeted.iter_rows(named=True):
    with st.container(border=True):
        chart, facts = st.columns([3, 2])
        with chart:
            chart_with_download(odm_target_chart(series.filter(pl.col("code") == ind["code"]), ind), ind,
                  "serie, trayectoria necesaria y meta 2015")
        with facts:
            st.markdown(f"**{ind['odm_indicator']} {ind['name']}**")
            st.markdown(f"_{ind['meta']}_")
            unit = ind["unit"]
            suffix = " %" if unit == "%" else f" {unit}"
            a, b, c = st.columns(3)
            a.metric(f"Último dato ({ind['latest_period'] or '—'})", f"{fmt_number(ind['value'])}{suffix}")
            b.metric("Meta 2015", f"{fmt_number(ind['target_value'])}{suffix}",
                     help=f"Línea base {fmt_number(ind['baseline_value'])}{suffix} "
                          f"({ind['baseline_date'].year}); meta = la mitad.")
            c.metric("Trayectoria", f"{fmt_number(ind['path_value'])}{suffix}",
                     help=f"Valor que correspondía en {ind['latest_period']} a la línea recta de la línea base "
                          "a la meta 2015.")
            st.markdown(f"{standing(ind)} Avance hacia la meta 2015: {fmt_number(ind['odm_percent'])} %.")
            kind = ind["method_target_kind"]
            note = ("" if kind in (None, "ODM-2015") else
                    f" (evaluado contra la meta {kind} de {fmt_number(ind['method_target_value'])}{suffix} "
                    f"al {fmt_date(ind['method_target_date'])}, la meta vigente a esta fecha)")
            st.markdown(f"Semáforo: {semaforo_badge_html(ind['semaforo'])}{note}", unsafe_allow_html=True)
            source_note(ind)

# --- the six context indicators ------------------------------------------------------------------
st.subheader(f"Indicadores de contexto ({context.height} indicadores, sin meta)")
st.caption("La lista oficial no fija meta numérica para estos indicadores: se siguen como contexto de "
           "las metas 1A, 1B y 1C y quedan fuera de los conteos del semáforo.")
rows = [context.slice(k, 3) for k in range(0, context.height, 3)]
for chunk in rows:
    for col, ind in zip(st.columns(3), chunk.iter_rows(named=True)):
        with col, st.container(border=True):
            chart_with_download(odm_context_chart(series.filter(pl.col("code") == ind["code"]), ind), ind,
                  "serie nacional (contexto, sin meta)")
            st.markdown(f"{SEMAFORO_ICON['sin meta']} **sin meta: indicador de contexto**")
            source_note(ind)

# --- all nine, as a table ------------------------------------------------------------------------
st.subheader("Resumen de los indicadores ODM 1")
table(indicators.with_columns(semaforo_badge_expr("semaforo")).select(
    "odm_indicator", "name", "latest_period", "value", "baseline_value", "target_value", "path_value",
    "gap_to_target", "odm_percent", "semaforo", "method_target_kind", "source"),
    f"odm1_indicadores_{filters.week}", key="csv_odm1",
    context=export_context("Indicadores ODM 1: último dato, meta 2015 y semáforo",
                    "; ".join(sorted(set(indicators["source"].drop_nulls().to_list()))) or None),
    column_config={"odm_indicator": "ODM", "name": "Indicador", "latest_period": "Año",
                   "value": st.column_config.NumberColumn("Valor", format="%.1f"),
                   "baseline_value": st.column_config.NumberColumn("Línea base", format="%.1f"),
                   "target_value": st.column_config.NumberColumn("Meta 2015", format="%.1f"),
                   "path_value": st.column_config.NumberColumn("Trayectoria", format="%.1f"),
                   "gap_to_target": st.column_config.NumberColumn("Brecha a la meta", format="%.1f"),
                   "odm_percent": st.column_config.NumberColumn("Avance a la meta 2015", format="%.1f %%"),
                   "semaforo": "Semáforo", "method_target_kind": "Meta del semáforo", "source": "Fuente"})
