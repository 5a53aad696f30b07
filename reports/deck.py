"""The leadership meeting's weekly deck ("Presentación semanal"): figures, images and assembly.

reports.deck_data.gather()  every number of the deck, once, from the query layer (WeeklyData);
figures()                   the charts, from those frames only;
render_images()             each chart annotated and rendered as a full-resolution PNG;
reports.deck_slides         one function per slide (title, KPIs, ejes, map, changes, budget,
                            agreements, data quality), drawn with reports.slide_parts.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import polars as pl

from charts.budget import program_execution as program_execution_figure
from charts.map_static import municipality_map_figure
from charts.progress import semaforo_distribution_figure
from reports import deck_slides as slides
from reports import slide_parts as parts
from reports.context import ExportContext, week_period
from reports.deck_analytics import add_analytics_slides
from reports.deck_charts import eje_progress_figure
from reports.deck_data import SOURCE, DeckError, WeeklyData, gather, municipal_counts, resolve_week
from reports.deck_slides import BOXES
from reports.images import annotate, ensure_server, render
from warehouse.query import Viewer

IMAGE_WIDTH = 3200       # every deck picture is 3200 px wide, whatever its place on the slide


# --- figures ---------------------------------------------------------------------------------------

def figures(data: WeeklyData) -> dict:
    """name -> (figure, title printed on the image, box in BOXES)."""
    f = data.frames
    counts = municipal_counts(f["off_municipal"])
    out = {"distribution": (semaforo_distribution_figure(
        f["distribution"], "Pares municipio–indicador por semáforo", "Pares municipio–indicador"),
        "Pares municipio–indicador por semáforo, por eje e intervención", "distribution")}
    for eje_id, name in f["eje_names"].iter_rows():
        rows = f["eje_indicators"].filter(pl.col("eje_id") == eje_id)
        if rows.is_empty():
            continue
        title = f"Eje {eje_id}: avance de sus indicadores ({data.where})"
        out[f"eje_{eje_id}"] = (eje_progress_figure(rows, counts, title), title, "eje")
    out["map"] = (municipality_map_figure(f["map"], data.rows["boundaries"]),
                  "Municipios por estado general", "map")
    out["programs"] = (program_execution_figure(f["programs"]), "Ejecución presupuestaria por programa",
                       "programs")
    return out


def render_images(data: WeeklyData, figs: dict) -> dict[str, bytes]:
    """Each figure annotated with the week, source and sample flag, as a full-resolution PNG."""
    period = week_period(data.week, data.week_end)
    images = {}
    for name, (fig, title, box) in figs.items():
        ctx = ExportContext(title=title, period=period, filters=data.describe(), source=SOURCE,
                            is_sample=data.is_sample)
        _, _, width_in, height_in, px_per_inch = BOXES[box]
        scale = IMAGE_WIDTH / (width_in * px_per_inch)
        images[name] = render(annotate(fig, ctx), "png", IMAGE_WIDTH, round(IMAGE_WIDTH * height_in / width_in),
                              scale=scale)
    return images


def compose(data: WeeklyData, images: dict[str, bytes]):
    """The Presentation object, slide by slide in meeting order."""
    prs = parts.new_presentation()
    slides.slide_title(prs, data)
    slides.slide_kpis(prs, data, images)
    for eje_id, name in data.frames["eje_names"].iter_rows():
        slides.slide_eje(prs, data, images, eje_id, name)
    slides.slide_map(prs, data, images)
    slides.slide_changes(prs, data)
    slides.slide_budget_chart(prs, data, images)
    slides.slide_budget_table(prs, data)
    slides.slide_agreements(prs, data)
    slides.slide_quality(prs, data)
    return prs


def build_weekly_deck(week: str | None, viewer: Viewer, path=None, *, warehouse=None,
                      timings: dict | None = None, intervention: str | None = None,
                      department: str | None = None) -> bytes:
    """The weekly deck as PPTX bytes (also written to `path`, the output file, when given).

    `week` defaults to the week under review; `warehouse` to $SPSU_WAREHOUSE; `intervention` and
    `department` are the filters the deck is made from (None: CSU y CSR, the whole country).
    `timings`, when a dict, receives seconds per step (queries, images, slides)."""
    timings = {} if timings is None else timings
    start = time.perf_counter()
    # a missing warehouse, an empty one without a week and a bad week fail before a browser is started
    # for nothing (a CLI run that raised while kaleido's browser was still starting once hung at exit
    # under load)
    _, week, _ = resolve_week(week, viewer, warehouse)
    ensure_server()                      # the browser starts while the queries run
    data = gather(week, viewer, warehouse, intervention=intervention, department=department)
    timings["queries"] = time.perf_counter() - start
    step = time.perf_counter()
    images = render_images(data, figures(data))
    timings["images"] = time.perf_counter() - step
    step = time.perf_counter()
    buffer = io.BytesIO()
    prs = compose(data, images)
    add_analytics_slides(prs, data, viewer, warehouse)      # issue 13: reports/deck_analytics.py
    prs.save(buffer)
    content = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(content)
    timings["slides"] = time.perf_counter() - step
    timings["total"] = time.perf_counter() - start
    return content


def convert_to_pdf(pptx_path: str | os.PathLike, outdir: str | os.PathLike | None = None,
                   timeout: int = 180) -> Path:
    """The deck as PDF through LibreOffice headless, with a private profile (so a running
    LibreOffice or a concurrent conversion never blocks it). Returns the PDF's path."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise DeckError("No se encontró LibreOffice (soffice) para convertir a PDF: instale "
                        "libreoffice-impress-nogui.")
    pptx_path = Path(pptx_path).resolve()
    outdir = Path(outdir or pptx_path.parent).resolve()
    with tempfile.TemporaryDirectory(prefix="spsu_lo_") as profile:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(pptx_path)],
            capture_output=True, text=True, timeout=timeout)
    pdf = outdir / (pptx_path.stem + ".pdf")
    if result.returncode != 0 or not pdf.exists():
        raise DeckError(f"LibreOffice no pudo convertir {pptx_path.name} a PDF: {result.stderr.strip() or result.stdout.strip()}")
    return pdf
