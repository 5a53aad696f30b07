"""Rendición de cuentas: the report a ministry publishes for one program and year, as a PDF with real,
selectable text (reportlab): a technical version (logframe with targets and results, semáforo,
budget, RUP coverage, agreements, data quality and sources, with charts) and a one-page citizen
version in plain language.

Accessibility: the document carries its title, subject, author and language (es-SV) and opens
showing the title; headings are PDF outline entries (bookmarks) in document order; the fonts
(DejaVu Sans) are embedded so accents and ñ extract as text; every chart is followed by a sentence
that says what it shows. reportlab does not write a tagged structure tree (PDF/UA tags): that is
the one accessibility feature these files lack.
"""
from __future__ import annotations

import io
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)
from xml.sax.saxutils import escape

from charts.style import MONTHS_ES, SEMAFORO_COLOR, SEMAFORO_LABEL, fmt_date, fmt_money, fmt_percent, fmt_value
from reports.accountability_data import VERSIONS, AccountabilityData, ReportError, gather  # noqa: F401
from reports.context import SAMPLE_NOTE

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LANG = "es-SV"
LEVEL_LABEL = {"fin": "Fin", "proposito": "Propósito", "componente": "Componente", "actividad": "Actividad"}
STATUS_ORDER = ("abierto", "en curso", "cumplido", "cancelado")


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (embedded; accents and ñ) when installed, else Helvetica."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


FONT, BOLD = _fonts()
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, alignment=TA_LEFT, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444"))
CELL = ParagraphStyle("cell", parent=BODY, fontSize=7.5, leading=9.5, spaceAfter=0)
CELL_BOLD = ParagraphStyle("cell_bold", parent=CELL, fontName=BOLD)
H1 = ParagraphStyle("h1", parent=BODY, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6)
H2 = ParagraphStyle("h2", parent=BODY, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                    textColor=colors.HexColor("#0b3d6b"))
SAMPLE = ParagraphStyle("sample", parent=BODY, fontName=BOLD, textColor=colors.HexColor("#b03a00"))


class Heading(Paragraph):
    """A heading that becomes a PDF outline entry (bookmark) at its level."""

    def __init__(self, text: str, level: int):
        super().__init__(escape(text), H1 if level == 0 else H2)
        self.outline_text, self.outline_level = text, level


class _Doc(BaseDocTemplate):
    def __init__(self, target, **kw):
        super().__init__(target, pagesize=A4, leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.6 * cm,
                         bottomMargin=1.6 * cm, lang=LANG, displayDocTitle=1, **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._footer)])
        self._headings = 0

    def _footer(self, canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        text = f"{self.footer_text} · página {doc.page}" + (" · DATOS DE MUESTRA: cifras ficticias" if self.is_sample
                                                            else "")
        canvas.drawString(self.leftMargin, 0.9 * cm, text)
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self._headings += 1
            key = f"h{self._headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level, closed=False)


def _p(text: str, style=BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(header: list[str], rows: list[list], widths: list[float], bold_rows: set[int] = frozenset()) -> Table:
    data = [[_p(h, CELL_BOLD) for h in header]]
    data += [[_p(v, CELL_BOLD if i in bold_rows else CELL) for v in row] for i, row in enumerate(rows)]
    t = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef5")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _bars(items: list[tuple[str, float, str]], width: float = 16 * cm, unit=lambda v: f"{v:,.0f}") -> Drawing:
    """Horizontal bars (label, value, colour), labels and values drawn as text."""
    row, label_w = 16, 5.2 * cm
    d = Drawing(width, row * len(items) + 6)
    top = max([v for _, v, _ in items] + [1])
    for i, (label, value, color) in enumerate(items):
        y = d.height - (i + 1) * row
        d.add(String(0, y + 4, label[:40], fontName=FONT, fontSize=8))
        bar = (width - label_w - 2.6 * cm) * (value or 0) / top
        d.add(Rect(label_w, y + 1, bar, row - 5, fillColor=colors.HexColor(color), strokeColor=None))
        d.add(String(label_w + bar + 4, y + 4, unit(value), fontName=FONT, fontSize=8))
    return d


def _columns(series: list[tuple[str, float | None, float | None]], height: float = 4.2 * cm) -> Drawing:
    """Paired columns per quarter: eligible (light) and served (dark); a suppressed value is not drawn."""
    width = 16 * cm
    d = Drawing(width, height + 1.2 * cm)
    top = max([v or 0 for _, a, b in series for v in (a, b)] + [1])
    slot = width / max(len(series), 1)
    for i, (label, eligible, served) in enumerate(series):
        x = i * slot + slot * 0.15
        for k, (value, color) in enumerate(((eligible, "#9ecae1"), (served, "#08519c"))):
            if value is not None:
                h = height * float(value) / float(top)
                d.add(Rect(x + k * slot * 0.35, 0.9 * cm, slot * 0.33, h, fillColor=colors.HexColor(color),
                           strokeColor=None))
        d.add(String(x, 0.3 * cm, label, fontName=FONT, fontSize=8))
    d.add(Rect(width - 5.6 * cm, height + 0.8 * cm, 8, 8, fillColor=colors.HexColor("#9ecae1"), strokeColor=None))
    d.add(String(width - 5.2 * cm, height + 0.8 * cm, "Elegibles", fontName=FONT, fontSize=8))
    d.add(Rect(width - 3.0 * cm, height + 0.8 * cm, 8, 8, fillColor=colors.HexColor("#08519c"), strokeColor=None))
    d.add(String(width - 2.6 * cm, height + 0.8 * cm, "Atendidos", fontName=FONT, fontSize=8))
    return d


# --- figures as the report writes them (the tests read them back) --------------------------------
def count_text(value, suppressed: bool = False) -> str:
    return "< 5" if suppressed or value is None else f"{int(value):,}"


def title_of(data: AccountabilityData, version: str) -> str:
    kind = "versión ciudadana" if version == "ciudadana" else "informe técnico"
    return f"Rendición de cuentas {data.year}: {data.program['name']} ({data.program['program_code']}), {kind}"


def _header(data: AccountabilityData, version: str) -> list:
    p = data.program
    out = [Heading(title_of(data, version), 0)]
    facts = [f"Institución ejecutora: {p['institution'] or 'STP'}"
             + (" (asignada en los datos de muestra)" if p.get("institution_is_sample") else ""),
             f"Eje {p['eje_id']}: {p['eje']}" if p.get("eje_id") else "Matriz general",
             f"Intervención: {p['intervention']}" if p.get("intervention") else None,
             f"Cifras al {fmt_date(data.as_of)}"]
    out.append(_p(" · ".join(f for f in facts if f), SMALL))
    if data.is_sample:
        out.append(_p(f"DATOS DE MUESTRA: {SAMPLE_NOTE.split(': ', 1)[-1]}. Este informe muestra el formato "
                      "de la rendición de cuentas; sus cifras no son oficiales.", SAMPLE))
    return out


def _logframe(data: AccountabilityData) -> list:
    out = [Heading("2. Matriz de marco lógico: metas y resultados", 1)]
    if data.objectives.is_empty():
        return out + [_p("El programa no tiene matriz de marco lógico cargada.")]
    rows, bold = [], set()
    by_objective = {}
    for ind in data.indicators.iter_rows(named=True):
        by_objective.setdefault(ind["objective_id"], []).append(ind)
    for obj in data.objectives.filter(data.objectives["role"] == "propio").iter_rows(named=True):
        bold.add(len(rows))
        rows.append([LEVEL_LABEL.get(obj["level"], obj["level"]), obj["narrative"], "", "", "", "", ""])
        for ind in by_objective.get(obj["objective_id"], []):
            rows.append([ind["code"], f"{ind['name']} ({ind['unit']})", fmt_value(ind["baseline_value"]),
                         fmt_value(ind["target_value"]), fmt_value(ind["value"]), fmt_percent(ind["percent"]),
                         ind["semaforo"]])
    out.append(_table(["Nivel / código", "Objetivo / indicador (unidad)", "Base", "Meta", "Valor", "Avance",
                       "Semáforo"], rows, [2.4, 5.9, 1.7, 1.7, 1.7, 1.7, 1.9], bold))
    out.append(_p("Base: línea base; valor: último resultado nacional conocido a la fecha del informe; avance: "
                  "progreso desde la línea base hacia la meta según el método del Tablero SPSU.", SMALL))
    return out


def _semaforo(data: AccountabilityData) -> list:
    out = [Heading("3. Resumen del semáforo", 1)]
    if not data.semaforo:
        return out + [_p("El programa no tiene indicadores evaluados.")]
    items = [(SEMAFORO_LABEL.get(s, s), n, SEMAFORO_COLOR.get(s, "#999999")) for s, n in data.semaforo.items()]
    out.append(_bars(items))
    out.append(_p("Gráfico: indicadores del programa por estado del semáforo: "
                  + "; ".join(f"{label}: {n}" for label, n, _ in items) + ".", SMALL))
    return out


def _budget(data: AccountabilityData) -> list:
    b = data.budget
    out = [Heading("4. Presupuesto ejecutado", 1)]
    if not b or b.get("modified") is None:
        return out + [_p(f"No hay presupuesto cargado del programa para {data.year}.")]
    last = b.get("last_month")
    months = f"enero a {MONTHS_ES[last.month - 1]} de {last.year}" if last else str(data.year)
    out.append(_table(["Aprobado", "Modificado", "Devengado", "Pagado", "Ejecución"],
                      [[fmt_money(b["approved"]), fmt_money(b["modified"]), fmt_money(b["accrued"]),
                        fmt_money(b["paid"]), fmt_percent(b["execution_percent"])]], [3.3, 3.3, 3.3, 3.3, 2.6]))
    items = [("Modificado (anual)", b["modified"], "#9ecae1"), ("Devengado", b["accrued"], "#3182bd"),
             ("Pagado", b["paid"], "#08519c")]
    out += [Spacer(1, 4), _bars(items, unit=fmt_money),
            _p(f"Gráfico: presupuesto modificado del año, devengado y pagado acumulados ({months}). Ejecución = "
               "devengado / modificado.", SMALL)]
    return out


def _coverage(data: AccountabilityData) -> list:
    out = [Heading("5. Cobertura de hogares (RUP)", 1)]
    if data.coverage_quarter is None or data.coverage.is_empty():
        return out + [_p("No hay extracto del RUP con hogares de este programa para el año.")]
    rows = [[r["scope_name"], r["registered"], r["eligible"], r["served"], r["coverage"]]
            for r in data.coverage.iter_rows(named=True)]
    out.append(_p(f"Hogares registrados en el RUP, elegibles para el programa y atendidos, al cierre de "
                  f"{data.coverage_quarter}; cobertura = atendidos / elegibles.", BODY))
    out.append(_table(["Ámbito", "Registrados", "Elegibles", "Atendidos", "Cobertura"], rows,
                      [5.4, 2.6, 2.6, 2.6, 2.6], {0}))
    out.append(_p("«< 5»: menos de 5 hogares, o una cifra que permitiría deducir otra menor que 5 por diferencia "
                  "(supresión complementaria); no se publica. «reservado»: la cobertura revelaría una de ellas.",
                  SMALL))
    series = [(r["quarter"], r["eligible"], r["served"]) for r in data.coverage_series.iter_rows(named=True)]
    if series:
        out += [_columns(series), _p("Gráfico: hogares elegibles y atendidos a nivel nacional al cierre de cada "
                                     f"trimestre de {data.year}: " + "; ".join(
                                         f"{q}: {count_text(e)} elegibles, {count_text(s)} atendidos"
                                         for q, e, s in series) + ".", SMALL)]
    return out


def _agreements(data: AccountabilityData) -> list:
    out = [Heading("6. Acuerdos de seguimiento", 1)]
    a = data.agreements
    if a.is_empty():
        return out + [_p(f"No hubo acuerdos sobre los indicadores del programa en las reuniones de {data.year}.")]
    counts = dict(a.group_by("status").len().iter_rows())
    out.append(_p("Estado: " + "; ".join(f"{s}: {counts[s]}" for s in STATUS_ORDER if counts.get(s))
                  + f". Vencidos: {int(a['overdue'].sum())}.", BODY))
    rows = [[r["week"], r["indicator_code"], r["scope_name"] or "Nacional", r["action"], r["responsible"],
             fmt_date(r["due_date"]), r["status"] + (" (vencido)" if r["overdue"] else "")]
            for r in a.sort("week").iter_rows(named=True)]
    out.append(_table(["Semana", "Indicador", "Ámbito", "Acción", "Responsable", "Plazo", "Estado"], rows,
                      [1.6, 1.5, 2.0, 4.6, 2.3, 2.3, 2.0]))
    return out


def _quality(data: AccountabilityData) -> list:
    q = data.quality
    out = [Heading("7. Calidad de los datos y fuentes", 1)]
    notes = [f"{q['indicators']} indicadores en la matriz; {q['without_data']} sin dato y {q['without_target']} "
             "sin meta a la fecha del informe.",
             f"El almacén registra {q['loads']} cargas de archivos; {q['quarantined_rows']} filas quedaron en "
             f"cuarentena y {q['failed_checks']} validaciones fallaron (detalle en la página Calidad de datos).",
             "Los conteos de hogares menores que 5 no se publican (supresión de celdas pequeñas y complementaria)."]
    if data.is_sample:
        notes.append("Todas las cifras provienen de datos de muestra generados para demostración.")
    out += [_p(f"• {n}") for n in notes]
    out.append(_p("Fuentes:", CELL_BOLD))
    out += [_p(f"• {s}", SMALL) for s in data.sources]
    return out


def _summary(data: AccountabilityData) -> list:
    n = sum(data.semaforo.values())
    green = data.semaforo.get("verde", 0)
    nat = data.national
    parts = [f"{green} de {n} indicadores en verde" if n else "sin indicadores evaluados",
             f"ejecución presupuestaria {fmt_percent(data.budget.get('execution_percent'))}"
             if data.budget and data.budget.get("modified") is not None else "sin presupuesto cargado"]
    if nat:
        parts.append(f"{count_text(nat['served'], nat['served_suppressed'])} hogares atendidos de "
                     f"{count_text(nat['eligible'], nat['eligible_suppressed'])} elegibles ({data.coverage_quarter})")
    return [Heading("1. Resumen", 1), _p("En " + str(data.year) + ": " + "; ".join(parts) + ".")]


def _technical(data: AccountabilityData) -> list:
    desc = [_p(data.program["description"])] if data.program.get("description") else []
    return (_header(data, "tecnica") + desc + _summary(data) + _logframe(data) + _semaforo(data) + _budget(data)
            + _coverage(data) + _agreements(data) + _quality(data))


def _citizen(data: AccountabilityData) -> list:
    """One page, plain language."""
    p, b, nat = data.program, data.budget, data.national
    out = _header(data, "ciudadana")
    out += [Heading("¿Qué hace este programa?", 1), _p(p.get("description") or p["name"])]
    out.append(Heading("¿A cuántos hogares llegó?", 1))
    if nat:
        cov = fmt_percent(100 * nat["coverage"]) if nat["coverage"] is not None else "una parte"
        out.append(_p(f"Hasta {data.coverage_quarter}, {count_text(nat['served'], nat['served_suppressed'])} hogares "
                      f"recibieron el programa, de {count_text(nat['eligible'], nat['eligible_suppressed'])} hogares "
                      f"que cumplían los requisitos según el Registro Único de Participantes (RUP): {cov}."))
    else:
        out.append(_p("Aún no hay datos del Registro Único de Participantes para este programa."))
    out.append(Heading("¿Cuánto dinero se usó?", 1))
    if b and b.get("modified") is not None:
        out.append(_p(f"En {data.year} el programa tenía {fmt_money(b['modified'])} y usó (devengó) "
                      f"{fmt_money(b['accrued'])}: {fmt_percent(b['execution_percent'])} de lo asignado, hasta "
                      f"el {fmt_date(data.as_of)}."))
    else:
        out.append(_p("No hay datos de presupuesto cargados para este año."))
    out.append(Heading("¿Se cumplen las metas?", 1))
    s = data.semaforo
    n = sum(s.values())
    out.append(_p(f"El programa se mide con {n} indicadores: {s.get('verde', 0)} van bien (verde), "
                  f"{s.get('amarillo', 0)} están en riesgo (amarillo) y {s.get('rojo', 0)} van atrasados (rojo); "
                  f"los demás aún no tienen datos o meta para evaluarse."))
    if s:
        out.append(KeepTogether([_bars([(SEMAFORO_LABEL.get(k, k), v, SEMAFORO_COLOR.get(k, "#999999"))
                                        for k, v in s.items()], width=15 * cm)]))
    a = data.agreements
    done = int((a["status"] == "cumplido").sum()) if a.height else 0
    out.append(Heading("¿Qué se acordó para mejorar?", 1))
    out.append(_p(f"En las reuniones de seguimiento de {data.year} se tomaron {a.height} acuerdos sobre este "
                  f"programa; {done} ya se cumplieron."))
    out.append(_p("Los datos vienen de las instituciones que ejecutan el programa, del Ministerio de Hacienda "
                  "(presupuesto) y del RUP. Para proteger la privacidad, no se publican grupos de menos de 5 "
                  "hogares.", SMALL))
    return out


def build_pdf(data: AccountabilityData, version: str = "tecnica") -> bytes:
    """The report as PDF bytes."""
    if version not in VERSIONS:
        raise ReportError(f"Versión desconocida: {version} (use tecnica o ciudadana).")
    buf = io.BytesIO()
    doc = _Doc(buf, title=title_of(data, version), author="Secretaría Técnica de la Presidencia (Tablero SPSU)",
               subject=f"Rendición de cuentas {data.year} del programa {data.program['program_code']}"
                       + (" (datos de muestra)" if data.is_sample else ""),
               creator="Tablero SPSU", keywords=["rendición de cuentas", "SPSU", data.program["program_code"]])
    doc.is_sample = data.is_sample
    doc.footer_text = f"Rendición de cuentas {data.year} · {data.program['program_code']}"
    doc.build(_citizen(data) if version == "ciudadana" else _technical(data))
    return buf.getvalue()


def write_report(program: str, year: int, out: Path, viewer, version: str = "tecnica", path=None) -> Path:
    data = gather(program, year, viewer, path)
    Path(out).write_bytes(build_pdf(data, version))
    return Path(out)
