"""Municipios: map and ranking of the municipalities by semáforo, and one municipality's profile
(opened by the selectbox, a click on the map, or ?municipio=CODE in the URL)."""
from __future__ import annotations

import polars as pl
import streamlit as st

from charts.map_static import municipality_map_figure
from charts.maps import LAYER_POINTS, LAYER_POLYGONS, MAP_HEIGHT_PX, legend_html, municipality_deck
from charts.series import indicator_series_figure, percent_comparison_figure
from charts.style import (INTERVENTION_LABEL, MONTHS_ES, STATE_ORDER, fmt_money, fmt_number, fmt_percent,
                          semaforo_badge, semaforo_badge_expr)
from reports.context import BUDGET_SOURCE, INDICATORS_SOURCE, indicator_source, page_context
from ui import url_state
from ui.context import current_viewer, page_header
from ui.coverage import coverage_section
from ui.downloads import chart_downloads
from ui.filters import Filters, filter_bar
from ui.tables import table
from warehouse import queries
from warehouse.queries.ficha import indicator_plan, indicator_series
from warehouse.queries.municipal import (municipality_attributes, municipality_boundaries, municipality_budget,
                                         municipality_budget_totals, municipality_indicator_options,
                                         municipality_indicators, municipality_map, municipality_ranking)

OVERALL = "semaforo"       # colour by the dominant semáforo (no single indicator)
NONE = ""                  # no municipality chosen
TREND = "Tendencia (avance %, 12 semanas)"
PERCENT = st.column_config.NumberColumn(format="%.1f %%")
NUMBER = st.column_config.NumberColumn(format="localized")   # 8 not 8.0, 6,132, 57.9
MONEY = st.column_config.NumberColumn(format="US$ %,.0f")


def context(title: str, filters: Filters, source: str = INDICATORS_SOURCE):
    """What an exported chart or table of this page says about itself."""
    return page_context(title, status, filters, source=source)


def badge(column: str) -> pl.Expr:
    return semaforo_badge_expr(column)


def map_and_ranking(filters: Filters, viewer):
    """The colour-by choice, the map, then the ranking; returns the map's selection event."""
    scope = dict(intervention=filters.intervention, eje=filters.eje, program=filters.program)
    options = municipality_indicator_options(filters.week_end, viewer, **scope)
    names = dict(zip(options["code"], options["name"]))
    codes = [OVERALL, *options["code"].to_list()]
    url_state.seed_choice("m_color", "color", codes, OVERALL)
    color_by = st.selectbox(
        "Colorear el mapa por", codes, key="m_color",
        format_func=lambda c: "Estado general de sus indicadores" if c == OVERALL else f"{c} · {names.get(c, '')}",
        help="Estado general: rojo si algún indicador del municipio está en rojo; amarillo si más de la décima "
             "parte está en amarillo; verde en otro caso (con los filtros elegidos).")
    url_state.keep_choice("m_color", "color", color_by, OVERALL)
    indicator = None if color_by == OVERALL else color_by
    frame = municipality_map(filters.week_end, viewer, department=filters.department, indicator=indicator, **scope)
    polygons = municipality_boundaries(viewer)

    # the map takes the page's width: the country is about 1.8 times wider than high
    st.subheader("Mapa" if indicator is None else f"Mapa: {indicator}")
    event = st.pydeck_chart(municipality_deck(frame, polygons, indicator_label=indicator), height=MAP_HEIGHT_PX,
                            on_select="rerun", selection_mode="single-object", key="m_map")
    present = set(frame["semaforo"].to_list())
    st.markdown(legend_html([s for s in STATE_ORDER if s in present]), unsafe_allow_html=True)
    st.caption(("Puntos en la cabecera municipal (sin límites municipales cargados). " if polygons is None else "")
               + "Municipios vecinos que se taparían se separan un poco alrededor de su centro. "
               + "Clic en un municipio para abrir su perfil. Departamentos: Natural Earth (dominio público).")
    # the image is a plain Plotly drawing of the same map: it renders offline, without map tiles
    title = ("Municipios por estado general de sus indicadores" if indicator is None
             else f"Municipios por semáforo de {indicator} · {names.get(indicator, '')}")
    chart_downloads(municipality_map_figure(frame, polygons, title=title),
                    f"mapa_municipios_{indicator or 'semaforo'}_{filters.week}", context(title, filters),
                    key="dl_mapa_municipios")

    st.subheader("Ranking de municipios")
    ranking = municipality_ranking(frame)
    st.caption(f"{ranking.height} municipios con intervención, ordenados por indicadores en rojo, luego "
               "por reportes atrasados y, a igualdad, por menor porcentaje en verde.")
    table(ranking.select(
        pl.col("municipality").alias("Municipio"), pl.col("department").alias("Departamento"),
        pl.col("intervention").alias("Intervención"), badge("dominant").alias("Estado general"),
        pl.col("rojo").alias("Rojo"), pl.col("amarillo").alias("Amarillo"), pl.col("verde").alias("Verde"),
        pl.col("pct_verde").alias("% verde"), pl.col("late").alias("Atrasados"), pl.col("code").alias("Código")),
        "ranking_municipios", height=420 if ranking.height > 12 else None, column_config={"% verde": PERCENT},
        context=context("Ranking de municipios por indicadores en rojo"
                         + ("" if indicator is None else f" (coloreado por {indicator})"), filters))
    return event


def municipality_picker(event, viewer) -> tuple[str, bool]:
    """The profile's selectbox; a click on the map chooses too. Kept in the URL as ?municipio=CODE.
    Returns the code and whether it just arrived (a link or a click: the page then scrolls to it)."""
    arrived = url_state.arrived_with("m_municipio", "municipio")
    catalog = queries.municipalities(viewer).sort(["intervention", "department_code", "municipality"])
    codes = [NONE, *catalog["code"].to_list()]
    labels = dict(zip(catalog["code"], catalog["municipality"] + " (" + catalog["department"] + ") · "
                      + catalog["intervention"].replace("none", "sin intervención")))
    objects = (event.selection.get("objects", {}) if event and event.selection else {})
    picked = objects.get(LAYER_POINTS) or objects.get(LAYER_POLYGONS)
    if picked:
        clicked = picked[0].get("code") or picked[0].get("properties", {}).get("code")
        if clicked and clicked != st.session_state.get("m_map_applied"):   # a new click, not a rerun
            st.session_state["m_municipio"] = st.session_state["m_map_applied"] = clicked
            arrived = True
    url_state.seed_choice("m_municipio", "municipio", codes, NONE)
    code = st.selectbox("Perfil municipal", codes, key="m_municipio",
                        format_func=lambda c: "— elija un municipio (o haga clic en el mapa) —" if c == NONE
                        else labels.get(c, c))
    url_state.keep_choice("m_municipio", "municipio", code, NONE)
    return code, arrived and code != NONE


def scroll_to_profile(code: str) -> None:
    """Bring the profile's heading to the top of the screen (a link opens at the profile, not at the map)."""
    st.html(f"""<script>/* {code} {st.session_state.get("m_scrolls", 0)} */
      [300, 1200, 2500].forEach(ms => setTimeout(() => {{
        const h = document.getElementById("perfil");
        if (h) h.scrollIntoView({{block: "start"}});
      }}, ms));</script>""", unsafe_allow_javascript=True)
    st.session_state["m_scrolls"] = st.session_state.get("m_scrolls", 0) + 1


def attributes_section(attrs: dict) -> None:
    """Intervention and targeting attributes; sample values are marked as such."""
    sample = " (muestra)" if attrs["is_sample"] else ""
    a1, a2, a3, a4, a5 = st.columns(5)
    a1.metric("Intervención", attrs["intervention"], f"pobreza {attrs['csr_group']}" if attrs["csr_group"] else None,
              delta_color="off", delta_arrow="off", help=INTERVENTION_LABEL.get(attrs["intervention"]))
    a2.metric(f"Orden / año de entrada{sample}", f"{attrs['entry_order'] or '—'} / {attrs['entry_year'] or '—'}")
    a3.metric(f"IIMM{sample}", fmt_number(attrs["iimm"]),
              help="Índice Integrado de Marginalidad Municipal (focalización CSR).")
    a4.metric(f"Asentamientos (AUP){sample}",
              fmt_number(attrs["settlements"], 0) if attrs["settlements"] is not None else "—",
              help="Asentamientos urbanos precarios (AUP) del municipio (focalización CSU).")
    a5.metric(f"Índice de violencia{sample}", fmt_number(attrs["violence_index"]),
              help="Homicidios por 100,000 habitantes.")
    if attrs["is_sample"] and attrs["source_note"]:
        st.caption(f"Atributos de muestra, no oficiales. Fuente: {attrs['source_note']}.")


def indicators_section(indicators: pl.DataFrame, attrs: dict, filters: Filters) -> None:
    """Counts by semáforo and reporting status, then every indicator with its trend and ficha link."""
    st.subheader("Indicadores")
    states = indicators["semaforo"].value_counts()
    count_of = dict(zip(states["semaforo"], states["count"]))
    late = indicators.filter(pl.col("reporting_status") == "atrasado").height
    s1, s2, s3, s4 = st.columns(4)
    for col, state in zip((s1, s2, s3), ("rojo", "amarillo", "verde")):
        col.metric(semaforo_badge(state), count_of.get(state, 0))
    s4.metric("Reporte atrasado", f"{late} de {indicators.height}",
              help="Atrasado: el último período vencido (fin del período + plazo de entrega) no se ha recibido.")
    shown = indicators.select(
        pl.col("indicator_code").alias("Código"), pl.col("indicator_name").alias("Indicador"),
        pl.col("eje_id").alias("Eje"), badge("semaforo").alias("Semáforo"),
        pl.col("value").alias("Valor"), pl.col("target_value").alias("Meta"), pl.col("percent").alias("Avance %"),
        pl.col("expected_percent").alias("Esperado %"), pl.col("trend").alias(TREND),
        pl.col("reporting_status").alias("Reporte"), pl.col("latest_period").alias("Último período"),
        pl.col("indicator_code").map_elements(lambda c: url_state.href("ficha", filters, indicador=c),
                                              return_dtype=pl.String).alias("Ficha"))
    # on screen a sparkline and a link to the ficha; the files hold the indicators' values only
    table(shown.drop(TREND, "Ficha"), f"indicadores_{attrs['code']}_{filters.week}", display=shown,
          key="csv_indicadores_municipio", context=context(f"Indicadores de {attrs['municipality']}", filters),
          column_config={"Valor": NUMBER, "Meta": NUMBER, "Avance %": PERCENT, "Esperado %": PERCENT,
                         TREND: st.column_config.LineChartColumn(width="small"),
                         "Ficha": st.column_config.LinkColumn(display_text="Ver ficha")})


def trend_section(indicators: pl.DataFrame, attrs: dict, filters: Filters, viewer) -> None:
    """One indicator's series in the municipality against its trajectory, with a link to its ficha."""
    st.subheader("Tendencia de un indicador")
    names = dict(zip(indicators["indicator_code"], indicators["indicator_name"]))
    chosen = st.selectbox("Indicador", list(names), key="m_trend", format_func=lambda c: f"{c} · {names[c]}")
    row = indicators.filter(pl.col("indicator_code") == chosen).row(0, named=True)
    code, week_end = attrs["code"], filters.week_end
    title = f"{names[chosen]}: {attrs['municipality']}"
    fig = indicator_series_figure(
        indicator_series(chosen, week_end, viewer, scope_code=code),
        indicator_plan(chosen, week_end, viewer, scope_code=code),
        dict(as_of=week_end, value=row["value"], expected_value=row["expected_value"], semaforo=row["semaforo"]),
        title=title, unit=row["unit"], series_label="Serie del municipio")
    st.plotly_chart(fig, width="stretch", key="m_trend_chart")
    source = queries.indicators_catalog(viewer).filter(pl.col("code") == chosen)["source"]
    chart_downloads(fig, f"tendencia_{chosen}_{code}_{filters.week}",
                    context(f"{chosen} · {title}", filters, indicator_source(source[0] if source.len() else None)),
                    key="dl_tendencia_municipio")
    st.page_link("pages/ficha.py", label=f"Ficha técnica de {chosen}", icon=":material/description:", query_params=url_state.link_params(filters, indicador=chosen))


def comparison_section(indicators: pl.DataFrame, attrs: dict, filters: Filters) -> None:
    """The municipality's percent of progress beside its department's and its intervention's median."""
    st.subheader("Comparación con su departamento y su intervención")
    iv, dep = attrs["intervention"], attrs["department"]
    title = f"Avance hacia la meta: {attrs['municipality']}, {dep} y {iv}"
    fig = percent_comparison_figure(indicators, title=title, intervention_label=iv)
    st.plotly_chart(fig, width="stretch", key="m_compare_chart")
    chart_downloads(fig, f"comparacion_{attrs['code']}_{filters.week}", context(title, filters),
                    key="dl_comparacion_municipio")
    st.caption(f"Departamento: valor agregado del método (tasas como Σ numerador / Σ denominador). "
               f"Mediana {iv}: mediana del avance de los municipios de {INTERVENTION_LABEL.get(iv, iv)}.")
    table(indicators.select(
        pl.col("indicator_code").alias("Código"), pl.col("percent").alias("Municipio %"),
        pl.col("department_percent").alias(f"{dep} %"),
        pl.col("intervention_median_percent").alias(f"Mediana {iv} %"),
        pl.col("expected_percent").alias("Esperado %")), f"comparacion_{attrs['code']}", key="csv_comparacion",
        context=context(title, filters))


def budget_section(attrs: dict, filters: Filters, viewer) -> None:
    """Modified, accrued and paid in the municipality this year, in total and by program."""
    st.subheader("Presupuesto ejecutado en el municipio")
    year = filters.week_end.year
    totals = municipality_budget_totals(filters.week_end, attrs["code"], viewer)
    if totals is None:
        st.info(f"No hay presupuesto cargado para {attrs['municipality']} en {year}.")
        return
    b1, b2, b3 = st.columns(3)
    b1.metric("Modificado", fmt_money(totals["modified"]))
    b2.metric("Devengado", fmt_money(totals["accrued"]), f"{fmt_percent(totals['execution_percent'])} ejecutado",
              delta_color="off", delta_arrow="off")
    b3.metric("Pagado", fmt_money(totals["paid"]))
    st.caption(f"Acumulado de {MONTHS_ES[totals['first_month'].month - 1]} a "
               f"{MONTHS_ES[totals['last_month'].month - 1]} de {year} (meses cargados hasta la semana en "
               "revisión); ejecución = devengado / modificado." + (" Montos de muestra." if totals["is_sample"] else ""))
    table(municipality_budget(filters.week_end, attrs["code"], viewer).select(
        pl.col("program_code").alias("Programa"), pl.col("program_name").alias("Nombre"), pl.col("eje_id").alias("Eje"),
        pl.col("modified").alias("Modificado"), pl.col("accrued").alias("Devengado"), pl.col("paid").alias("Pagado"),
        pl.col("execution_percent").alias("Ejecución %")), f"presupuesto_{attrs['code']}",
        key="csv_presupuesto_municipio",
        column_config={"Modificado": MONEY, "Devengado": MONEY, "Pagado": MONEY, "Ejecución %": PERCENT},
        context=context(f"Presupuesto ejecutado en {attrs['municipality']} por programa, {year}", filters,
                        BUDGET_SOURCE))


# --- page --------------------------------------------------------------------------------------
status = page_header("Municipios", "Semáforo por municipio, ranking y perfil municipal")
viewer = current_viewer()
filters = filter_bar(status, viewer)
if status["as_of"] is None:
    st.info("El almacén aún no tiene mediciones: cargue mediciones en «Cargar datos» para ver el mapa.")
    st.stop()

event = map_and_ranking(filters, viewer)

st.divider()
code, arrived = municipality_picker(event, viewer)
attrs = municipality_attributes(code, viewer) if code != NONE else None
if code == NONE:
    st.info("Elija un municipio para ver su perfil: indicadores, reporte, presupuesto y comparación.")
elif attrs is None:
    st.info(f"No hay datos del municipio {code} para su perfil de acceso.")
else:
    st.header(f"{attrs['municipality']} ({attrs['department']})", anchor="perfil")
    if arrived:
        scroll_to_profile(code)
    if attrs["intervention"] == "none":
        st.info("Municipio sin intervención de Comunidades Solidarias: no tiene indicadores ni presupuesto asignado.")
        st.stop()
    attributes_section(attrs)
    indicators = municipality_indicators(filters.week_end, code, viewer, eje=filters.eje, program=filters.program)
    if indicators.is_empty():
        st.info("El método no tiene indicadores para este municipio con los filtros elegidos (eje, programa).")
    else:
        indicators_section(indicators, attrs, filters)
        trend_section(indicators, attrs, filters, viewer)
        comparison_section(indicators, attrs, filters)
    budget_section(attrs, filters, viewer)
    coverage_section(attrs, filters.week_end, viewer, bool(status["is_sample"]))
