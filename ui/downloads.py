"""Download buttons for exports: a chart as PNG / SVG / PDF, and the weekly deck as PPTX.

Nothing renders while the page runs: each button gets a callable that Streamlit runs only when
that button is clicked (st.download_button's deferred data). Results are cached with
st.cache_data (charts by figure JSON + format; the deck by week, viewer and warehouse version).

In a page:
    from reports.context import page_context
    from ui.downloads import chart_downloads
    st.plotly_chart(fig, ...)
    chart_downloads(fig, "ejecucion_por_programa", page_context("Ejecución por programa", status, filters))
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from functools import partial

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from reports.context import ExportContext
from reports.images import FORMATS, HEIGHT, SCALE, WIDTH, browser_path
from warehouse.query import Viewer

LABELS = {"png": "Imagen PNG (3200 × 1800)", "svg": "Vector SVG", "pdf": "Documento PDF"}
MAX_HEIGHT = 8000
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def file_stem(name: str) -> str:
    """A safe file name: letters (accents kept), digits, dash and underscore."""
    return re.sub(r"[^\w\-]+", "_", name).strip("_") or "grafico"


def export_size(fig: go.Figure) -> tuple[int, int]:
    """3200 × 1800 px, taller for figures designed taller than 16:9 (a long matrix keeps its rows)."""
    designed = fig.layout.height
    if designed and designed * SCALE > HEIGHT:
        return WIDTH, min(MAX_HEIGHT, int(designed * SCALE))
    return WIDTH, HEIGHT


@st.cache_data(show_spinner=False, max_entries=64)
def _render_cached(figure_json: str, fmt: str, width: int, height: int) -> bytes:
    from reports.images import render
    return render(pio.from_json(figure_json), fmt, width, height)


def audited(make: Callable[[], bytes], file_name: str, viewer: Viewer | None = None) -> Callable[[], bytes]:
    """A deferred download's data: builds the file when its button is clicked and records the export
    (who, which file) in the audit trail. The viewer is taken now, at render time: Streamlit runs the
    callable outside the page's run."""
    if viewer is None:
        from ui.context import current_viewer
        viewer = current_viewer()

    def data() -> bytes:
        payload = make()
        from warehouse.audit import try_record
        try_record("export", user=viewer.name, role=viewer.role, detail=file_name)
        return payload
    return data


def chart_file(fig: go.Figure, fmt: str, context: ExportContext) -> bytes:
    """The annotated chart in one format (what a download button hands the browser)."""
    from reports.images import annotate
    width, height = export_size(fig)
    return _render_cached(annotate(fig, context).to_json(), fmt, width, height)


def chart_downloads(fig: go.Figure, name: str, context: ExportContext, *, key: str | None = None) -> None:
    """A 'Descargar' popover under a chart with PNG, SVG and PDF buttons; a file is rendered only
    when its button is clicked."""
    stem, key = file_stem(name), key or f"dl_{file_stem(name)}"
    unavailable = browser_path() is None
    # a small button at the chart's bottom-right corner, out of the way of the reading
    row = st.container(horizontal=True, horizontal_alignment="right")
    with row.popover("Descargar", icon=":material/download:"):
        st.caption(f"«{context.title}» con período, filtros y fuente"
                   + (" (marcado como datos de muestra)." if context.is_sample else "."))
        if unavailable:
            st.caption("Este servidor no tiene Chromium instalado: no puede generar imágenes.")
        for fmt, mime in FORMATS.items():
            st.download_button(LABELS[fmt], data=audited(partial(chart_file, fig, fmt, context), f"{stem}.{fmt}"),
                               file_name=f"{stem}.{fmt}", mime=mime, key=f"{key}_{fmt}", on_click="ignore",
                               width="stretch", disabled=unavailable)


@st.cache_data(show_spinner=False, max_entries=8)
def _deck_cached(week: str | None, viewer: dict, warehouse: str, version: str,
                 intervention: str | None = None, department: str | None = None) -> bytes:
    from reports.deck import build_weekly_deck
    return build_weekly_deck(week, Viewer(**viewer), warehouse=warehouse, intervention=intervention,
                             department=department)


def weekly_deck_bytes(week: str | None, viewer: Viewer, intervention: str | None = None,
                      department: str | None = None) -> bytes:
    """The weekly deck for the filters it is made from, rebuilt when a load lands (the warehouse
    version is part of the cache key)."""
    from warehouse.paths import warehouse_path
    from warehouse.store import version_token
    path = warehouse_path()
    return _deck_cached(week, asdict(viewer), str(path), version_token(path), intervention, department)


def weekly_deck_button(week: str | None, viewer: Viewer, *, intervention: str | None = None,
                       department: str | None = None, key: str = "weekly_deck") -> None:
    """'Presentación semanal (PPTX)': builds the leadership meeting's deck, for the page's intervention
    and department, when clicked."""
    suffix = "_".join(p for p in (week or "semana", intervention if intervention not in (None, "ambas") else None,
                                  department and f"depto{department}") if p)
    file_name = f"presentacion_semanal_{suffix}.pptx"
    st.download_button("Presentación semanal (PPTX)",
                       data=audited(lambda: weekly_deck_bytes(week, viewer, intervention, department), file_name, viewer),
                       file_name=file_name, mime=PPTX_MIME, key=key,
                       on_click="ignore", icon=":material/slideshow:", disabled=browser_path() is None,
                       help="Diapositivas de la reunión semanal: KPIs, ejes, mapa, cambios, presupuesto, "
                            "acuerdos y calidad de datos (tarda unos segundos).")
