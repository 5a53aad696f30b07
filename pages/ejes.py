"""Ejes: progress per eje and intervention, each eje's indicators and their trend against the plan."""
import polars as pl
import streamlit as st

from charts.progress import indicator_trend_figure, semaforo_distribution_figure
from charts.style import SEMAFORO_LABEL, SEMAFORO_ORDER, semaforo_badge, semaforo_badge_expr
from reports.context import INDICATORS_SOURCE, indicator_source, page_context
from ui import url_state
from ui.context import current_viewer, page_header, stop_without_measurements
from ui.downloads import chart_downloads
from ui.filters import Filters, filter_bar, scope_label
from ui.tables import table
from warehouse import queries
from warehouse.queries import ejes

COUNT_LABELS = {"indicadores": "Indicadores (nivel nacional o del departamento)",
                "municipios": "Municipio × indicador"}
PERCENT = st.column_config.NumberColumn(format="%.1f %%")
NUMBER = st.column_config.NumberColumn(format="localized")   # 8 not 8.0, 6,132, 57.9
INDICATOR_COLUMNS = {"semaforo": "Semáforo", "indicator_code": "Código", "indicator_name": "Indicador",
                     "intervention": "Intervención", "value": "Valor", "target_value": "Meta",
                     "target_kind": "Plan", "percent": "Avance (%)", "expected_percent": "Esperado (%)",
                     "latest_period": "Último período", "reporting_status": "Reporte"}


def filter_args(filters: Filters) -> dict:
    return dict(intervention=filters.intervention, eje=filters.eje, program=filters.program,
                department=filters.department)


def source_of(code: str) -> str | None:
    """The institution or survey that reports an indicator (the ficha's 'Fuente')."""
    catalog = queries.indicators_catalog(viewer).filter(pl.col("code") == code)
    return catalog["source"][0] if catalog.height else None


def count_unit() -> str:
    """What the distribution counts; kept in the URL (?conteo=) like the filter bar."""
    wanted = url_state.read("conteo", "municipios")
    unit = st.segmented_control("Contar", list(COUNT_LABELS), format_func=COUNT_LABELS.get, key="f_conteo",
                                default=wanted if wanted in COUNT_LABELS else "municipios") or "municipios"
    url_state.write("conteo", unit)
    return unit


def distribution(filters: Filters, where: str) -> None:
    st.subheader("Semáforo por eje e intervención")
    unit = count_unit()
    frame = ejes.eje_semaforo_distribution(filters.week_end, viewer, unit, **filter_args(filters))
    if frame.is_empty():
        st.info("No hay indicadores de CSU o CSR con estos filtros.")
        return
    label = "Indicadores" if unit == "indicadores" else "Pares municipio × indicador"
    title = (f"Indicadores por semáforo, {where} · {filters.week}" if unit == "indicadores"
             else f"Municipios × indicador por semáforo · {filters.week}")
    fig = semaforo_distribution_figure(frame, title, label)
    st.plotly_chart(fig, key="distribucion")
    export = page_context(f"{label} por semáforo, eje e intervención"
                          + (f" ({where})" if unit == "indicadores" else ""), status, filters, source=INDICATORS_SOURCE)
    chart_downloads(fig, f"semaforo_por_eje_{unit}_{filters.week}", export)
    with st.expander("Datos del gráfico"):
        order = {state: k for k, state in enumerate(SEMAFORO_ORDER)}
        wide = (frame.with_columns(pl.col("semaforo").replace_strict(order).alias("o")).sort("eje_id", "intervention", "o")
                .pivot("semaforo", index=["eje_id", "eje", "intervention"], values="count").fill_null(0))
        table(wide.rename({"eje_id": "Eje", "eje": "Nombre", "intervention": "Intervención"}
                          | {s: SEMAFORO_LABEL[s] for s in SEMAFORO_ORDER if s in wide.columns}),
              f"semaforo_por_eje_{unit}_{filters.week}", context=export)


def indicator_list(rows: pl.DataFrame, eje_id: int, filters: Filters) -> None:
    shown = rows.select(list(INDICATOR_COLUMNS)).with_columns(
        semaforo_badge_expr("semaforo"))
    table(shown.rename(INDICATOR_COLUMNS), f"eje_{eje_id}_indicadores_{filters.week}", key=f"csv_eje_{eje_id}",
          column_config={"Valor": NUMBER, "Meta": NUMBER, "Avance (%)": PERCENT, "Esperado (%)": PERCENT},
          context=page_context(f"Indicadores del eje {eje_id}, {scope_label(filters, viewer)}", status, filters,
                               source=INDICATORS_SOURCE))


def trend(rows: pl.DataFrame, eje_id: int, filters: Filters, where: str) -> None:
    codes = rows["indicator_code"].to_list()
    names = dict(zip(codes, rows["indicator_name"].to_list()))
    lagging = rows.filter(pl.col("semaforo").is_in(["rojo", "amarillo"]))["indicator_code"].to_list()
    code = st.selectbox("Indicador para ver su tendencia", codes, key=f"tendencia_eje_{eje_id}",
                        index=codes.index(lagging[0]) if lagging else 0,
                        format_func=lambda c: f"{c} · {names[c]}")
    plan = rows.filter(pl.col("indicator_code") == code).row(0, named=True)
    series = ejes.indicator_series(code, filters.week_end, viewer, filters.department)
    if series.is_empty():
        st.info(f"{code} no tiene mediciones {where} hasta la semana {filters.week}.")
    else:
        title = f"{code} · {names[code]} ({where})"
        fig = indicator_trend_figure(series, plan, title, plan["unit"])
        st.plotly_chart(fig, key=f"tendencia_{eje_id}")
        chart_downloads(fig, f"tendencia_{code}_{filters.week}", page_context(
            f"Tendencia de {title}", status, filters, source=indicator_source(source_of(code))),
            key=f"dl_tendencia_eje_{eje_id}")
    st.page_link("pages/ficha.py", label=f"Ver ficha técnica de {code}", icon=":material/description:",
                 query_params=url_state.link_params(filters, indicador=code))


def eje_section(eje_id: int, eje_name: str, rows: pl.DataFrame, filters: Filters, where: str) -> None:
    with st.container(border=True):
        st.subheader(f"Eje {eje_id} · {eje_name}")
        if rows.is_empty():
            st.info("Este eje no tiene indicadores con estos filtros.")
            return
        counts = rows["semaforo"].value_counts()
        summary = dict(zip(counts["semaforo"].to_list(), counts["count"].to_list()))
        st.caption(f"{rows.height} indicadores, {where}: " + " · ".join(
            f"{semaforo_badge(s)} {summary[s]}" for s in SEMAFORO_ORDER if s in summary))
        indicator_list(rows, eje_id, filters)
        trend(rows, eje_id, filters, where)


viewer = current_viewer()
status = page_header("Ejes", "Avance por eje del programa e intervención (CSU urbana, CSR rural)")
filters = filter_bar(status, viewer)
stop_without_measurements(status)
where = scope_label(filters, viewer)

distribution(filters, where)
st.caption("Tendencias: la línea azul agrega los reportes recibidos hasta la semana (tasas como Σ numerador / "
           "Σ denominador; 'flujo' acumulado en el año, 'acumulado' desde la línea base); la línea discontinua es la "
           "trayectoria esperada de la línea base a la meta; el rombo es el valor que usa el método para el semáforo.")
indicators = ejes.eje_indicators(filters.week_end, viewer, **filter_args(filters))
for eje in ejes.ejes_catalog(viewer).iter_rows(named=True):
    rows = indicators.filter(pl.col("eje_id") == eje["eje_id"])
    # a chosen program belongs to one eje: the others would only say they are empty
    if filters.eje in (None, eje["eje_id"]) and not (filters.program and rows.is_empty()):
        eje_section(eje["eje_id"], eje["eje"], rows, filters, where)
