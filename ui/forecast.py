"""The forecast to target as the ficha and the home page show it (warehouse.queries.analytics)."""
from __future__ import annotations

import polars as pl
import streamlit as st

from charts.forecast import backtest_text, forecast_figure, forecast_sentence  # noqa: F401
from charts.style import fmt_date, fmt_percent, fmt_value, semaforo_badge, semaforo_badge_expr
from reports.context import page_context
from ui.downloads import chart_downloads
from ui.url_state import link_params
from ui.tables import table
from warehouse.queries.analytics import analytics_ready, analytics_week_end, backtest_summary, forecast, forecast_flags
from warehouse.queries.ficha import indicator_series

NOT_READY = ("Los análisis (cadena de valor, pronóstico y focalización) se calculan al construir el almacén o al cargar datos; este almacén aún no los tiene.")
FLAG_TEXT = {"se desvía": "⚠ en verde hoy, no llega a la meta al ritmo actual",
             "se recupera": "↗ en rojo hoy, llega a la meta al ritmo actual"}


def forecast_section(code: str, definition: dict, status: dict, viewer) -> None:
    """Ficha: the projection to the target date with its interval, the fit drawn on the series and
    the back-test of the method."""
    st.subheader("Pronóstico a la meta")
    if not analytics_ready(viewer):
        st.info(NOT_READY)
        return
    fc = forecast(code, viewer)
    if fc is None:
        st.info("Sin pronóstico: el indicador no tiene meta nacional o su serie tiene menos de 3 puntos.")
        return
    st.caption(f"Método: {fc['method']}, ajustado con {fc['n_points']} puntos de la serie nacional conocida al "
               f"{fmt_date(fc['fit_date'])}.")
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Proyección al {fc['target_date']:%d/%m/%Y}", fmt_value(fc["projected_value"]),
              f"80 %: {fmt_value(fc['projected_low'])} a {fmt_value(fc['projected_high'])}",
              delta_color="off", delta_arrow="off")
    c2.metric("Semáforo proyectado", semaforo_badge(fc["semaforo_projected"]),
              f"avance proyectado {fmt_percent(100 * fc['projected_progress'])}" if fc["projected_progress"] is not None else None,
              delta_color="off", delta_arrow="off")
    c3.metric("Hoy", semaforo_badge(fc["semaforo_now"]), FLAG_TEXT.get(fc["flag"]), delta_color="off", delta_arrow="off")
    series = indicator_series(code, fc["fit_date"], viewer)
    title = f"{code}: pronóstico a la meta ({fc['target_kind']})"
    fig = forecast_figure(series, fc, title=title, accumulation=definition["accumulation"], unit=definition["unit"])
    st.plotly_chart(fig, width="stretch", key="ficha_pronostico")
    chart_downloads(fig, f"pronostico_{code}", page_context(title, status, extra=forecast_sentence(fc)))
    if definition["accumulation"] == "flujo":
        st.caption("Indicador de flujo: la tendencia se ajusta al valor de cada período; la proyección es lo "
                   "acumulado en el año más la tendencia de los períodos que faltan. " + forecast_sentence(fc))
    with st.expander("¿Qué tan bien acierta este método?"):
        st.markdown(backtest_text(backtest_summary(viewer)))


def forecast_flags_section(status: dict, viewer, filters=None) -> None:
    """Home: the indicators whose pace changes their colour by the target date (links keep the
    review context `filters`)."""
    st.subheader("Alertas del pronóstico a la meta")
    if not analytics_ready(viewer):
        st.info(NOT_READY)
        return
    week_end = analytics_week_end(viewer)
    flags = forecast_flags(viewer)
    st.caption(f"Tendencia robusta de cada serie nacional al {fmt_date(week_end)}, proyectada a la fecha de su meta.")
    if flags.is_empty():
        st.success("Ningún indicador cambia de color al ritmo actual.")
        return
    for row in flags.iter_rows(named=True):
        st.page_link("pages/ficha.py", query_params=link_params(filters, indicador=row["indicator_code"])
                     if filters is not None else {"indicador": row["indicator_code"]},
                     label=f"{FLAG_TEXT[row['flag']]} · {row['indicator_code']} · proyección "
                           f"{fmt_value(row['projected_value'])} de meta {fmt_value(row['target_value'])}",
                     help=row["name"])
    with st.expander(f"Lista ({flags.height})"):
        table(flags.select("indicator_code", "name", semaforo_badge_expr("semaforo_now"), "value_now",
                           "target_date", "target_value", "projected_value", "projected_low", "projected_high",
                           semaforo_badge_expr("semaforo_projected"), "flag").rename(
                  {"indicator_code": "Código", "name": "Indicador", "semaforo_now": "Semáforo hoy", "value_now": "Valor hoy",
                   "target_date": "Fecha meta", "target_value": "Meta", "projected_value": "Proyección",
                   "projected_low": "Mínimo (80 %)", "projected_high": "Máximo (80 %)",
                   "semaforo_projected": "Semáforo proyectado", "flag": "Alerta"}),
              "alertas_pronostico", key="csv_alertas_pronostico",
              context=page_context("Alertas del pronóstico a la meta", status))
