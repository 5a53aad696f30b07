"""The weekly deck's analytics slides (issue 13): the public value chain of each eje and the
forecast to target's alerts with the method's back-test. Same query layer and the same wording
(charts.value_chain.chain_lines, charts.forecast.forecast_sentence, ui text) as the pages."""
from __future__ import annotations

import polars as pl
from pptx.util import Inches

from charts.forecast import backtest_text, forecast_sentence
from charts.style import fmt_date, fmt_value, semaforo_badge
from charts.value_chain import chain_lines, value_chain_figure
from reports import slide_parts as parts
from reports.deck_data import WeeklyData
from reports.images import render
from warehouse.queries.analytics import (analytics_ready, analytics_week_end, backtest_summary, forecast_flags, value_chain,
                                         value_chain_items, value_chain_options)

CHAIN_BOX = (0.4, 12.5, 2.7)        # left, width, height (inches) of one eje's chain picture
LAYOUT_WIDTH = 1300                  # px the chart is laid out at (larger text on the slide)


def value_chain_slide_lines(chain_key: str, viewer, path=None) -> dict[str, list[str]]:
    """The texts of one chain as the deck prints them (the page's chain_lines)."""
    return chain_lines(value_chain(chain_key, viewer, path), value_chain_items(chain_key, viewer, path))


def _footer(data: WeeklyData) -> str:
    from reports.deck_slides import _footer as footer
    return footer(data)


def slides_value_chain(prs, data: WeeklyData, viewer, path=None) -> None:
    options = value_chain_options(viewer, path).filter(pl.col("chain_type") == "eje")
    week_end = analytics_week_end(viewer, path)
    if options.is_empty():
        return
    rows = list(options.iter_rows(named=True))
    for page, pair in enumerate([rows[i:i + 2] for i in range(0, len(rows), 2)], start=1):
        slide = parts.add_slide(prs, f"Cadena de valor público por eje ({page}/{(len(rows) + 1) // 2})", _footer(data),
                                f"Insumos → productos → resultados → impacto, al {fmt_date(week_end)}; cada eslabón con "
                                "el color de su indicador más rezagado")
        notes = []
        for k, row in enumerate(pair):
            links = value_chain(row["chain_key"], viewer, path)
            items = value_chain_items(row["chain_key"], viewer, path)
            fig = value_chain_figure(links, items, row["label"])
            left, width, height = CHAIN_BOX
            px_w = 3200
            png = render(fig, "png", px_w, round(px_w * height / width), scale=px_w / LAYOUT_WIDTH)
            parts.add_picture(slide, png, Inches(left), Inches(1.4 + k * (height + 0.1)), width=Inches(width))
            lines = chain_lines(links, items)
            notes.append(f"{row['label']}: " + " | ".join(" · ".join(v) for v in lines.values()))
        if data.is_sample:
            notes.append("Datos de muestra (ficticios).")
        parts.set_notes(slide, notes)


def slide_forecast(prs, data: WeeklyData, viewer, path=None) -> None:
    from ui.forecast import FLAG_TEXT
    flags = forecast_flags(viewer, path)
    summary = backtest_text(backtest_summary(viewer, path))
    slide = parts.add_slide(prs, "Pronóstico a la meta: alertas", _footer(data),
                            f"Tendencia robusta (Theil-Sen) de cada serie nacional al "
                            f"{fmt_date(analytics_week_end(viewer, path))}, proyectada a la fecha de su meta")
    rows = [[f"{r['indicator_code']} · {r['name'][:48]}", semaforo_badge(r["semaforo_now"]),
             f"{fmt_value(r['projected_value'])} ({fmt_value(r['projected_low'])} a {fmt_value(r['projected_high'])})",
             fmt_value(r["target_value"]), FLAG_TEXT[r["flag"]]] for r in flags.head(10).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["Indicador", "Hoy", "Proyección (80 %)", "Meta", "Alerta"], rows, parts.MARGIN,
                        Inches(1.45), parts.SLIDE_W - 2 * parts.MARGIN, [4.6, 1.3, 2.3, 1.1, 3.2], size=11,
                        semaforo_col=1, align_right=(2, 3))
    else:
        parts.add_text(slide, ["Ningún indicador cambia de color al ritmo actual."], parts.MARGIN, Inches(1.5),
                       Inches(11), Inches(0.5), size=16)
    parts.add_text(slide, [(summary, {"size": 12, "color": parts.MUTED})], parts.MARGIN, Inches(5.6),
                   parts.SLIDE_W - 2 * parts.MARGIN, Inches(1.3))
    parts.set_notes(slide, [f"{r['indicator_code']}: {forecast_sentence(r)}." for r in flags.iter_rows(named=True)]
                    + [summary])


def add_analytics_slides(prs, data: WeeklyData, viewer, path=None) -> None:
    """Appended after the meeting's slides (reports.deck.build_weekly_deck); none on a warehouse
    built before the analytics layer."""
    if not analytics_ready(viewer, path):
        return
    slides_value_chain(prs, data, viewer, path)
    slide_forecast(prs, data, viewer, path)
