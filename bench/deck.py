"""How long the weekly deck and the chart exports take on this machine.

Steps reported: queries (the query layer, concurrent), images (kaleido PNGs at 3200 px), slides
(python-pptx, save). The first build is the cold case of `python -m reports weekly` (the browser
starts while the queries run); the second has a warm browser but the query cache cleared, as after
a new load. The PDF conversion is timed apart.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 15.0


def _line(label: str, seconds: float) -> str:
    return f"  {label:<44} {seconds:6.2f} s"


def bench_images(repeat: int = 3) -> list[str]:
    """One chart (annotated) in each format; the first render of the process is timed apart."""
    import plotly.graph_objects as go

    from reports.context import ExportContext
    from reports.images import annotate, render

    fig = annotate(go.Figure(go.Bar(x=["Agua", "Caminos", "Electrificación"], y=[30.8, 68.5, 59.2])),
                   ExportContext("Ejecución presupuestaria · ñ", "Semana 2014-W20", is_sample=True))
    start = time.perf_counter()
    render(fig, "png")
    lines = [_line("primera imagen de este gráfico", time.perf_counter() - start)]
    for fmt in ("png", "svg", "pdf"):
        start = time.perf_counter()
        for _ in range(repeat):
            render(fig, fmt)
        lines.append(_line(f"imagen {fmt.upper()} 3200x1800 (media de {repeat})", (time.perf_counter() - start) / repeat))
    return lines


def bench_deck(warehouse: str | os.PathLike, pdf: bool = True) -> tuple[list[str], float]:
    """Two deck builds (see module doc) and the PDF conversion; returns the lines and the cold total."""
    from reports.deck import build_weekly_deck, convert_to_pdf
    from warehouse import query

    lines, totals = [], []
    with tempfile.TemporaryDirectory(prefix="spsu_bench_") as tmp:
        out = Path(tmp) / "semanal.pptx"
        for label in ("primera construcción (arranca el navegador)", "segunda construcción (navegador listo)"):
            query._cache.clear()          # every build asks the warehouse again
            timings: dict = {}
            build_weekly_deck(None, query.SYSTEM, path=out, warehouse=warehouse, timings=timings)
            totals.append(timings["total"])
            lines.append(f"  {label}:")
            for step, name in (("queries", "consultas"), ("images", "imágenes"), ("slides", "diapositivas y guardado"),
                               ("total", "TOTAL")):
                lines.append(_line(f"  {name}", timings[step]))
        lines.append(f"  tamaño del PPTX: {out.stat().st_size / 1e6:.1f} MB")
        if pdf and shutil.which("soffice"):
            start = time.perf_counter()
            convert_to_pdf(out, tmp)
            lines.append(_line("conversión a PDF (LibreOffice, aparte)", time.perf_counter() - start))
        elif pdf:
            lines.append("  conversión a PDF: omitida (no hay soffice)")
    return lines, totals[0]
