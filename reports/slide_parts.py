"""Drawing helpers for the weekly deck (python-pptx): 16:9 slides with a title, native tables,
full-resolution pictures, KPI boxes and speaker notes. No data access here."""
from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from charts.style import SEMAFORO_COLOR, semaforo_badge
from warehouse.cell_safety import neutralise

SLIDE_W, SLIDE_H = Emu(12_192_000), Emu(6_858_000)     # 13.333 × 7.5 in: PowerPoint's 16:9
MARGIN = Inches(0.4)
CONTENT_TOP = Inches(1.25)
CONTENT_BOTTOM = Inches(6.95)
PRIMARY = "1F4E79"
DARK = "1B1B1B"
MUTED = "555555"
SAMPLE = "B03A00"
FONT = "DejaVu Sans"
TITLE_ONLY_LAYOUT = 5     # "Title Only" in python-pptx's default template


def rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _text_on(hex_color: str) -> str:
    r, g, b = (int(hex_color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "FFFFFF"


def new_presentation() -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    return prs


def _style_run(run, size: float, bold: bool = False, color: str = DARK, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = rgb(color)


def add_slide(prs, title: str, footer: str, subtitle: str | None = None):
    """A slide with its title in the title placeholder (so outlines and tests read it), a thin
    rule under it, an optional subtitle line and the footer with the page number."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), SLIDE_W - 2 * MARGIN, Inches(0.7)
    frame = shape.text_frame
    frame.text = title
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    _style_run(para.runs[0], 26, bold=True, color=PRIMARY)
    rule = slide.shapes.add_connector(1, MARGIN, Inches(0.98), SLIDE_W - MARGIN, Inches(0.98))
    rule.line.color.rgb = rgb(PRIMARY)
    rule.line.width = Pt(1.5)
    if subtitle:
        add_text(slide, [subtitle], MARGIN, Inches(1.0), SLIDE_W - 2 * MARGIN, Inches(0.3), size=12, color=MUTED)
    number = len(prs.slides)
    add_text(slide, [footer], MARGIN, Inches(7.05), SLIDE_W - 2 * MARGIN - Inches(0.8), Inches(0.3),
             size=9, color=MUTED)
    add_text(slide, [str(number)], SLIDE_W - MARGIN - Inches(0.8), Inches(7.05), Inches(0.8), Inches(0.3),
             size=9, color=MUTED, align=PP_ALIGN.RIGHT)
    return slide


def add_text(slide, lines: Sequence[str | tuple], left, top, width, height, size: float = 14,
             color: str = DARK, bold: bool = False, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    """A text box; each line a paragraph. A line may be (text, {size, bold, color, italic}) to style it."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, line in enumerate(lines):
        text, style = (line, {}) if isinstance(line, str) else line
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = text
        _style_run(run, style.get("size", size), style.get("bold", bold), style.get("color", color),
                   style.get("italic", False))
    return box


def add_table(slide, header: Sequence[str], rows: Sequence[Sequence[str]], left, top, width,
              col_widths: Sequence[float] | None = None, size: float = 11, semaforo_col: int | None = None,
              align_right: Sequence[int] = (), row_height=Inches(0.3), header_size: float | None = None):
    """A native (editable) table: bold white header on the primary colour, alternate row shading,
    the semáforo column's cells filled with the semáforo colour. Returns the table."""
    n_rows = len(rows) + 1
    shape = slide.shapes.add_table(n_rows, len(header), left, top, width, row_height * n_rows)
    table = shape.table
    weights = col_widths or [1.0] * len(header)
    total = sum(weights)
    for i, w in enumerate(weights):
        table.columns[i].width = Emu(int(width * w / total))
    for r in range(n_rows):
        table.rows[r].height = row_height
    for c, name in enumerate(header):
        _cell(table.cell(0, c), name, header_size or size - 1, bold=True, color="FFFFFF", fill=PRIMARY,
              align=PP_ALIGN.RIGHT if c in align_right else PP_ALIGN.LEFT)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            fill = "F2F5F9" if r % 2 == 0 else "FFFFFF"
            color, bold = DARK, False
            if c == semaforo_col:
                state = str(value).split(" ", 1)[-1]
                if state in SEMAFORO_COLOR:
                    fill, color, bold = SEMAFORO_COLOR[state].lstrip("#"), _text_on(SEMAFORO_COLOR[state]), True
            _cell(table.cell(r, c), neutralise(str(value)), size, bold=bold, color=color, fill=fill,
                  align=PP_ALIGN.RIGHT if c in align_right else PP_ALIGN.LEFT)
    return table


def _cell(cell, text: str, size: float, bold: bool, color: str, fill: str, align) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(fill)
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    frame.text = text
    para = frame.paragraphs[0]
    para.alignment = align
    for run in para.runs:
        _style_run(run, size, bold=bold, color=color)


def add_picture(slide, png: bytes, left, top, width=None, height=None):
    """The PNG as is (full resolution), scaled on the slide by width or height."""
    return slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)


def add_kpi(slide, left, top, width, height, label: str, value: str, detail: str, accent: str = PRIMARY):
    """A KPI box: a coloured band on the left, the label, the value large and one line of detail."""
    band = slide.shapes.add_shape(1, left, top, Inches(0.12), height)
    band.fill.solid()
    band.fill.fore_color.rgb = rgb(accent)
    band.line.fill.background()
    box = slide.shapes.add_shape(1, left + Inches(0.12), top, width - Inches(0.12), height)
    box.fill.solid()
    box.fill.fore_color.rgb = rgb("F2F5F9")
    box.line.fill.background()
    add_text(slide, [(label, {"size": 11, "color": MUTED, "bold": True}),
                     (value, {"size": 28, "bold": True, "color": DARK}),
                     (detail, {"size": 11, "color": MUTED})],
             left + Inches(0.25), top + Inches(0.08), width - Inches(0.35), height - Inches(0.16))


def set_notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: the numbers behind what the slide shows."""
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def semaforo_text(state: str | None) -> str:
    """Icon and state, the form the semáforo column of deck tables uses (and add_table colours)."""
    return semaforo_badge(state)
