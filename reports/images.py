"""Chart images for presentations: annotate a Plotly figure with its context and render it with
kaleido through one long-lived browser per process.

`annotate` adds the title, a subtitle (period, filters, "DATOS DE MUESTRA") and a footer
("Fuente: ..."). The footer is the only entry of a second legend anchored to the bottom of the
image (`yref="container"`): legends push the margins, annotations do not, so the footer never
overlaps the axis labels however tall they are.
"""
from __future__ import annotations

import os
import shutil
import textwrap
import threading

import plotly.graph_objects as go

from charts.style import FONT_FAMILY
from reports.context import ExportContext

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
WIDTH, HEIGHT = 3200, 1800     # PNG pixels; the layout is drawn at half that size with scale 2
SCALE = 2
FOOTER_LEGEND = "legend99"
TITLE_LINE = 115               # characters of the 20 px bold title that fit the 1600 px layout

_start_lock = threading.Lock()
_render_lock = threading.Lock()   # kaleido's sync server handles one call at a time


class ExportUnavailable(RuntimeError):
    """No browser to render with: install Debian's chromium (or set BROWSER_PATH)."""


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido will use, or None when the machine has none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit and os.path.exists(explicit):
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _shows_legend(fig: go.Figure) -> bool:
    """Whether Plotly would draw the figure's legend (explicit setting, else more than one entry)."""
    if fig.layout.showlegend is not None:
        return bool(fig.layout.showlegend)
    entries = [t for t in fig.data if t.showlegend is not False]
    return len(entries) > 1 or any(t.type == "pie" for t in entries)


def _export_template(fig: go.Figure) -> None:
    """Importing streamlit makes its own template Plotly's default: placeholder colours the browser
    app replaces with the theme's, and no axis automargin. Outside the app that template draws
    near-black marks and clips long axis labels, so exports use plotly_white instead."""
    import plotly.io as pio
    if "streamlit" in pio.templates and fig.layout.template == pio.templates["streamlit"]:
        fig.update_layout(template="plotly_white")


def annotate(fig: go.Figure, ctx: ExportContext) -> go.Figure:
    """A copy of `fig` carrying ctx's title, subtitle and footer, in DejaVu Sans (accents and ñ)."""
    out = go.Figure(fig)
    _export_template(out)
    if not _shows_legend(out):
        out.update_traces(showlegend=False)
    title = ctx.title or (out.layout.title.text or "")
    if "<br>" not in title:      # Plotly does not wrap titles: a long indicator name would run off the image
        title = "<br>".join(textwrap.wrap(title, TITLE_LINE)) or title
    # Plotly draws a multi-line title upwards from its anchor: place its first line where a
    # one-line title sits (baseline 27.5 px from the top), in pixels whatever the export height
    lines = title.count("<br>") + 1
    place = ({"y": 0.985} if lines == 1 else
             {"y": 1.0, "pad": {"t": 27.5 + 20 * (0.35 + 1.3 * (lines - 1))}})
    out.update_layout(
        showlegend=True,
        font={"family": FONT_FAMILY},
        title={"text": f"<b>{title}</b>", "xref": "container", "x": 0.012, "xanchor": "left",
               "yref": "container", "yanchor": "top", "automargin": True, **place,
               "font": {"family": FONT_FAMILY, "size": 20, "color": "#1b1b1b"},
               "subtitle": {"text": ctx.subtitle(), "font": {"family": FONT_FAMILY, "size": 13,
                                                            "color": "#b03a00" if ctx.is_sample else "#444444"}}},
        paper_bgcolor="white",
    )
    if out.layout.margin.t is not None:       # room for the two-line title above a top legend
        out.update_layout(margin={"t": out.layout.margin.t + 40})
    out.add_trace(go.Scatter(
        x=[None], y=[None], mode="lines", line={"width": 0, "color": "rgba(0,0,0,0)"},
        name=ctx.footer(), legend=FOOTER_LEGEND, showlegend=True, hoverinfo="skip"))
    out.update_layout({FOOTER_LEGEND: {
        "xref": "container", "yref": "container", "x": 0.0, "y": 0.0, "xanchor": "left",
        "yanchor": "bottom", "orientation": "h", "itemwidth": 30, "indentation": -15,
        "bgcolor": "rgba(0,0,0,0)", "itemclick": False, "itemdoubleclick": False,
        "font": {"family": FONT_FAMILY, "size": 11, "color": "#444444"}}})
    return out


def ensure_server() -> None:
    """Start kaleido's browser once per process (later calls return at once)."""
    import kaleido
    with _start_lock:
        if browser_path() is None:
            raise ExportUnavailable("No se encontró Chromium para exportar imágenes: instale el paquete "
                                    "'chromium' (Debian) o defina BROWSER_PATH.")
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def render(fig: go.Figure, fmt: str = "png", width: int = WIDTH, height: int = HEIGHT,
           scale: float = SCALE) -> bytes:
    """PNG, SVG or PDF bytes of `fig`: a PNG of width x height pixels (SVG and PDF the same
    drawing, vector). The layout is drawn at (width, height) / scale: a larger scale gives larger
    text relative to the picture."""
    import kaleido
    if fmt not in FORMATS:
        raise ValueError(f"Formato no soportado: {fmt!r}; use uno de {', '.join(FORMATS)}.")
    ensure_server()
    layout_width = round(width / scale)
    scale = width / layout_width          # exact: the PNG is `width` pixels wide
    opts = {"format": fmt, "width": layout_width, "height": round(height / scale), "scale": scale}
    fig = go.Figure(fig).update_layout(width=None, height=None)   # the export size wins
    with _render_lock:
        data = kaleido.calc_fig_sync(fig, opts=opts)
    return data.encode("utf-8") if isinstance(data, str) else data
