"""The weekly deck's slides, one function each, in meeting order. They read WeeklyData and the
rendered images only: every number on a slide and in its notes comes from the query layer."""
from __future__ import annotations

import polars as pl
from pptx.util import Inches

from charts.style import SEMAFORO_ICON, SEMAFORO_ORDER, fmt_date, fmt_money, fmt_number, fmt_percent
from reports import slide_parts as parts
from reports.context import week_period
from reports.deck_data import WeeklyData

TABLE_ROWS = 12          # rows a slide table holds at a readable size
EJE_TABLE_ROWS = 12      # rows beside an eje's chart
# Where each picture sits (inches: left, top, width, height) and how densely its chart is laid out
# (px per slide inch: at 110, 13 px text reads as about 8.5 pt; crowded charts need more room).
BOXES = {"distribution": (5.3, 3.0, 7.63, 3.95, 135), "eje": (0.4, 1.25, 7.0, 5.65, 110),
         "map": (0.4, 1.3, 8.75, 5.6, 110), "programs": (0.4, 1.35, 7.75, 5.6, 130)}


def _footer(data: WeeklyData) -> str:
    sample = " · DATOS DE MUESTRA (cifras ficticias)" if data.is_sample else ""
    as_of = data.status.get("as_of")
    return (f"Tablero SPSU · Reunión semanal · {week_period(data.week, data.week_end)} · {data.describe()}"
            + (f" · datos al {fmt_date(as_of)}" if as_of else "") + sample)


def _picture(slide, png: bytes, box: str) -> None:
    left, top, width, _, _ = BOXES[box]
    parts.add_picture(slide, png, Inches(left), Inches(top), width=Inches(width))


def _count(frame: pl.DataFrame, state: str, column: str = "semaforo") -> int:
    return frame.filter(pl.col(column) == state).height


def slide_title(prs, data: WeeklyData) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = f"Reunión semanal de seguimiento · Semana {data.week}"
    for shape in slide.placeholders:
        if shape.placeholder_format.idx == 1:
            shape.element.getparent().remove(shape.element)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = parts.MARGIN, Inches(1.6), parts.SLIDE_W - 2 * parts.MARGIN, Inches(1.4)
    para = title.text_frame.paragraphs[0]
    parts._style_run(para.runs[0], 38, bold=True, color=parts.PRIMARY)
    lines = [("Sistema de Protección Social Universal · Comunidades Solidarias · " + data.describe(), {"size": 20}),
             (week_period(data.week, data.week_end), {"size": 18, "color": parts.MUTED}),
             (f"Datos al {fmt_date(data.status.get('as_of'))} · evaluados al cierre de la semana "
              f"({fmt_date(data.week_end)})", {"size": 14, "color": parts.MUTED})]
    if data.is_sample:
        lines.append(("DATOS DE MUESTRA: cifras ficticias generadas para demostración; no son estadísticas "
                      "oficiales.", {"size": 16, "bold": True, "color": parts.SAMPLE}))
    parts.add_text(slide, lines, parts.MARGIN, Inches(3.2), parts.SLIDE_W - 2 * parts.MARGIN, Inches(2.5))
    parts.add_text(slide, ["Secretaría Técnica de la Presidencia (STP) · Tablero SPSU"], parts.MARGIN, Inches(6.7),
                parts.SLIDE_W - 2 * parts.MARGIN, Inches(0.4), size=12, color=parts.MUTED)
    parts.set_notes(slide, [f"Semana en revisión {data.week}: del {fmt_date(data.week_start)} al {fmt_date(data.week_end)}.",
                         f"Fecha de corte de los datos: {fmt_date(data.status.get('as_of'))}.",
                         "Datos de muestra (ficticios)." if data.is_sample else "Datos cargados en el almacén."])


def slide_kpis(prs, data: WeeklyData, images: dict) -> None:
    slide = parts.add_slide(prs, "Resumen ejecutivo", _footer(data),
                         f"Indicadores, {data.where}, con el método del tablero (meta en vigor: PQD-2014)")
    counts = data.frames["semaforo_counts"]
    tiles, track, odm, budget = data.rows["tiles"], data.rows["on_track"], data.rows["odm"], data.rows["budget"]
    changes = data.frames["changes"]
    better, worse = _count(changes, "mejora", "direction"), _count(changes, "empeora", "direction")
    width, gap, top = Inches(3.0), Inches(0.17), Inches(1.4)
    kpis = [
        # the same figure as the dashboard's home tile: verde among the indicators with a target
        ("Indicadores en verde", fmt_percent(tiles["percent_verde"]),
         f"{tiles['counts']['verde']:,} de {tiles['with_target']:,} con meta", parts.SEMAFORO_COLOR["verde"]),
        ("ODM 1.1 · pobreza extrema",
         f"{fmt_number(odm['value'])} %" if odm else "—",
         (f"{odm['latest_period']} · meta 2015: {fmt_number(odm['odm_target_value'])} % · "
          f"{parts.semaforo_text(odm['semaforo'])}") if odm else "sin dato", parts.PRIMARY),
        ("Ejecución presupuestaria", fmt_percent(budget["execution_percent"]),
         f"del modificado · {fmt_percent(budget['timeliness_percent'])} de lo programado", parts.PRIMARY),
        ("Cambios de semáforo", f"{better:,} ↑ · {worse:,} ↓",
         f"mejoran · empeoran frente a {data.previous}", parts.PRIMARY),
    ]
    for i, (label, value, detail, accent) in enumerate(kpis):
        parts.add_kpi(slide, parts.MARGIN + i * (width + gap), top, width, Inches(1.45), label, value, detail,
                   accent.lstrip("#"))
    ordered = [s for s in SEMAFORO_ORDER if counts.filter(pl.col("semaforo") == s).height]
    total, with_target = int(counts["indicators"].sum()), tiles["with_target"]
    # 'sin meta' stays outside the denominator, as on the home page (docs/method.md)
    rows = [[parts.semaforo_text(s), f"{_indicators(counts, s):,}",
             "—" if s == "sin meta" or not with_target else fmt_percent(100 * _indicators(counts, s) / with_target)]
            for s in ordered] + [["Total", f"{total:,}", ""]]
    parts.add_text(slide, [(f"Indicadores por semáforo ({data.where})", {"bold": True})], parts.MARGIN,
                Inches(3.05), Inches(4.6), Inches(0.35), size=13)
    parts.add_table(slide, ["Semáforo", "Indicadores", "% con meta"], rows, parts.MARGIN, Inches(3.45), Inches(4.6),
                 [2.2, 1.2, 1.2], size=12, semaforo_col=0, align_right=(1, 2), row_height=Inches(0.34))
    _picture(slide, images["distribution"], "distribution")
    odm_line = (f"ODM-1.1: {fmt_number(odm['value'])} % en {odm['latest_period']}; meta PQD-2014 "
                f"{fmt_number(odm['target_value'])} %, meta ODM-2015 {fmt_number(odm['odm_target_value'])} % "
                f"(línea de base {fmt_number(odm['odm_baseline_value'])} %); avance {fmt_percent(odm['percent'])} "
                f"frente a {fmt_percent(odm['expected_percent'])} esperado; semáforo {odm['semaforo']}.") if odm else \
        "ODM-1.1: sin dato."
    parts.set_notes(slide, [
        f"Indicadores por semáforo ({data.where}): " + ", ".join(f"{s} {_indicators(counts, s)}" for s in ordered)
        + f"; total {total}.",
        f"% verde entre indicadores con meta PQD-2014: {fmt_percent(track['percent_verde'])} "
        f"({track['verde']} de {track['with_target']}).",
        odm_line,
        f"Presupuesto {budget['first_month']:%Y-%m} a {budget['last_month']:%Y-%m}: modificado "
        f"{fmt_money(budget['modified'])}, programado {fmt_money(budget['scheduled'])}, devengado "
        f"{fmt_money(budget['accrued'])}; ejecución {fmt_percent(budget['execution_percent'])}, oportunidad "
        f"{fmt_percent(budget['timeliness_percent'])}." if budget["modified"] else "Presupuesto: sin datos del año.",
        f"Cambios de semáforo frente a {data.previous}: {better} mejoran, {worse} empeoran.",
        "Gráfico: pares municipio–indicador por semáforo, por eje e intervención: "
        + "; ".join(f"eje {r['eje_id']} {r['intervention']} {r['semaforo']} {r['count']}"
                    for r in data.frames["distribution"].iter_rows(named=True)) + ".",
    ])


def _indicators(counts: pl.DataFrame, state: str) -> int:
    part = counts.filter(pl.col("semaforo") == state)
    return int(part["indicators"].sum()) if part.height else 0


def slide_eje(prs, data: WeeklyData, images: dict, eje_id: int, name: str) -> None:
    slide = parts.add_slide(prs, f"Eje {eje_id} · {name}", _footer(data))
    indicators = data.frames["eje_indicators"].filter(pl.col("eje_id") == eje_id)
    national = data.frames["off_national"].filter(pl.col("eje_id") == eje_id)
    municipal = data.frames["off_municipal"].filter(pl.col("eje_id") == eje_id)
    off = pl.concat([national, municipal], how="vertical_relaxed")
    if f"eje_{eje_id}" in images:
        _picture(slide, images[f"eje_{eje_id}"], "eje")
    left, width = Inches(7.55), Inches(5.38)
    rojo, amarillo = _count(municipal, "rojo"), _count(municipal, "amarillo")
    parts.add_text(slide, [("Fuera de ruta", {"bold": True, "size": 14}),
                        (f"{data.department_name or 'Nacional'}: {national.height:,} indicadores · municipios: {rojo:,} pares en rojo, "
                         f"{amarillo:,} en amarillo", {"size": 11, "color": parts.MUTED})],
                left, parts.CONTENT_TOP, width, Inches(0.6))
    rows = [[r["indicator_code"], r["scope_name"] or r["scope_code"], fmt_percent(r["percent"]),
             fmt_percent(r["expected_percent"]), parts.semaforo_text(r["semaforo"])]
            for r in off.head(EJE_TABLE_ROWS).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["Indicador", "Ámbito", "Avance", "Esperado", "Semáforo"], rows, left,
                     parts.CONTENT_TOP + Inches(0.75), width, [1.2, 1.6, 0.72, 0.8, 1.06], size=10,
                     semaforo_col=4, align_right=(2, 3), row_height=Inches(0.32))
        if off.height > EJE_TABLE_ROWS:
            parts.add_text(slide, [f"… y {off.height - EJE_TABLE_ROWS:,} pares más (tabla completa en la página Ejes)."],
                        left, Inches(6.4), width, Inches(0.3), size=10, color=parts.MUTED)
    else:
        parts.add_text(slide, ["Ningún indicador del eje está en rojo o amarillo esta semana."], left,
                    parts.CONTENT_TOP + Inches(0.75), width, Inches(0.5), size=13)
    with_target = indicators.filter(pl.col("semaforo") != "sin meta")
    parts.set_notes(slide, [
        f"Eje {eje_id} ({name}): {indicators.height} indicadores a {data.where}; "
        + ", ".join(f"{s} {_count(indicators, s)}" for s in SEMAFORO_ORDER if _count(indicators, s)) + ".",
        f"Fuera de ruta: {national.height} indicadores a {data.where}; {rojo} pares municipio–indicador en rojo "
        f"y {amarillo} en amarillo.",
        "Avance por indicador (nacional, % de la meta en vigor; esperado): "
        + "; ".join(f"{r['indicator_code']} {fmt_percent(r['percent'])} (esperado {fmt_percent(r['expected_percent'])}, "
                    f"{r['semaforo']})" for r in with_target.iter_rows(named=True)) + ".",
    ])


def slide_map(prs, data: WeeklyData, images: dict) -> None:
    slide = parts.add_slide(prs, "Municipios por semáforo", _footer(data),
                         "Estado general de cada municipio: rojo si algún indicador está en rojo; amarillo si "
                         "más de la décima parte está en amarillo")
    _picture(slide, images["map"], "map")
    frame = data.frames["map"].filter(pl.col("in_filter"))
    flagged = frame.filter(pl.col("rojo") > 0).sort(["rojo", "code"], descending=[True, False])
    left, width = Inches(9.3), Inches(3.65)
    parts.add_text(slide, [("Con indicadores en rojo", {"bold": True, "size": 14})], left, Inches(1.35),
                width, Inches(0.4))
    rows = [[r["municipality"], r["department"], f"{r['rojo']:,}", f"{r['late']:,}"]
            for r in flagged.head(TABLE_ROWS).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["Municipio", "Depto.", "Rojo", "Atrasados"], rows, left, Inches(1.8), width,
                     [1.25, 1.1, 0.5, 0.85], size=10, align_right=(2, 3))
    else:
        parts.add_text(slide, ["Ningún municipio tiene indicadores en rojo."], left, Inches(1.8), width, Inches(0.4))
    dominant = frame.group_by("semaforo").len().sort("semaforo")
    parts.set_notes(slide, [
        f"{frame.height} municipios con intervención (CSU y CSR); estado general: "
        + ", ".join(f"{r['semaforo']} {r['len']}" for r in dominant.iter_rows(named=True)) + ".",
        f"{flagged.height} municipios tienen al menos un indicador en rojo: "
        + "; ".join(f"{r['municipality']} ({r['department']}) {r['rojo']} en rojo, {r['late']} atrasados"
                    for r in flagged.iter_rows(named=True)) + ".",
        "Límites municipales cargados: sí." if data.rows["boundaries"] is not None else
        "Límites municipales no cargados: el mapa muestra las cabeceras municipales.",
    ])


def slide_changes(prs, data: WeeklyData) -> None:
    slide = parts.add_slide(prs, "Qué cambió esta semana", _footer(data),
                         f"Semana {data.week} frente a {data.previous}: cambios de semáforo, revisiones y "
                         "reportes tardíos")
    changes = data.frames["changes"]
    moved = data.frames["semaforo_changes"]            # worse news first: the order Resumen shows (SQL)
    revisions, late = data.frames["revisions"], data.frames["late_reports"]
    better, worse = _count(moved, "mejora", "direction"), _count(moved, "empeora", "direction")
    parts.add_text(slide, [(f"Cambios de semáforo: {moved.height:,} ({better:,} mejoran, {worse:,} empeoran)",
                         {"bold": True, "size": 14})], parts.MARGIN, Inches(1.4), Inches(7.6), Inches(0.4))
    rows = [[r["indicator_code"], r["scope_name"] or r["scope_code"],
             f"{SEMAFORO_ICON.get(r['semaforo_before'], '?')} {r['semaforo_before']} → "
             f"{SEMAFORO_ICON.get(r['semaforo_now'], '?')} {r['semaforo_now']}",
             f"{fmt_percent(r['percent_before'])} → {fmt_percent(r['percent_now'])}"]
            for r in moved.head(TABLE_ROWS).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["Indicador", "Ámbito", "Semáforo", "Avance"], rows, parts.MARGIN, Inches(1.85),
                     Inches(7.6), [1.5, 1.8, 2.4, 1.9], size=10, align_right=(3,))
    else:
        parts.add_text(slide, ["Ningún semáforo cambió esta semana."], parts.MARGIN, Inches(1.85), Inches(7.6), Inches(0.4))
    left, width = Inches(8.3), Inches(4.65)
    parts.add_text(slide, [(f"Revisiones de datos: {revisions.height:,}", {"bold": True, "size": 14})], left,
                Inches(1.4), width, Inches(0.4))
    rev_rows = [[r["indicator_code"], r["municipality"] or r["scope_code"], r["period"],
                 f"{fmt_number(r['previous_value'])} → {fmt_number(r['new_value'])}"]
                for r in revisions.head(4).iter_rows(named=True)]
    top = Inches(1.85)
    if rev_rows:
        parts.add_table(slide, ["Indicador", "Municipio", "Período", "Valor"], rev_rows, left, top, width,
                     [1.3, 1.3, 0.8, 1.25], size=10, align_right=(3,))
        top += Inches(0.3) * (len(rev_rows) + 1) + Inches(0.2)
    else:
        top += Inches(0.4)
    parts.add_text(slide, [(f"Reportes tardíos recibidos: {late.height:,}", {"bold": True, "size": 14})], left, top,
                width, Inches(0.4))
    late_rows = [[r["indicator_code"], r["municipality"] or r["scope_code"], r["period"], f"{r['days_late']:,}"]
                 for r in late.head(6).iter_rows(named=True)]
    if late_rows:
        parts.add_table(slide, ["Indicador", "Municipio", "Período", "Días tarde"], late_rows, left,
                     top + Inches(0.45), width, [1.3, 1.3, 0.8, 0.8], size=10, align_right=(3,))
    parts.set_notes(slide, [
        f"Pares indicador–ámbito que cambiaron de semáforo: {moved.height} ({better} mejoran, {worse} empeoran, "
        f"{_count(moved, 'cambia', 'direction')} otros cambios); con movimiento de avance o valor: {changes.height}.",
        f"Revisiones recibidas en la semana: {revisions.height}: "
        + "; ".join(f"{r['indicator_code']} {r['municipality'] or r['scope_code']} {r['period']} "
                    f"{fmt_number(r['previous_value'])} → {fmt_number(r['new_value'])}"
                    for r in revisions.iter_rows(named=True)) + ".",
        f"Reportes recibidos después del plazo: {late.height}"
        + (f"; el mayor atraso {late['days_late'].max()} días." if late.height else "."),
    ])


def slide_budget_chart(prs, data: WeeklyData, images: dict) -> None:
    budget, programs = data.rows["budget"], data.frames["programs"]
    slide = parts.add_slide(prs, "Ejecución presupuestaria", _footer(data),
                         f"Año {data.week_end.year}, de enero al mes de la semana · ejecución = devengado / modificado; "
                         "oportunidad = devengado / programado")
    _picture(slide, images["programs"], "programs")
    left, width = Inches(8.4), Inches(4.55)
    parts.add_kpi(slide, left, Inches(1.4), width, Inches(1.35), "Ejecución (devengado / modificado)",
               fmt_percent(budget["execution_percent"]),
               f"{fmt_money(budget['accrued'])} de {fmt_money(budget['modified'])}")
    parts.add_kpi(slide, left, Inches(2.9), width, Inches(1.35), "Oportunidad (devengado / programado)",
               fmt_percent(budget["timeliness_percent"]), f"programado: {fmt_money(budget['scheduled'])}")
    lowest = programs.sort("execution_percent", nulls_last=True).head(3)
    parts.add_text(slide, [("Menor ejecución", {"bold": True, "size": 14})]
                + [(f"{r['program_code']} · {r['program_name']}: {fmt_percent(r['execution_percent'])} "
                    f"(oportunidad {fmt_percent(r['timeliness_percent'])})", {"size": 12})
                   for r in lowest.iter_rows(named=True)],
                left, Inches(4.45), width, Inches(2.4))
    parts.set_notes(slide, [
        f"Total {budget['first_month']:%Y-%m} a {budget['last_month']:%Y-%m} ({budget['months']} meses): modificado "
        f"{fmt_money(budget['modified'])}, programado {fmt_money(budget['scheduled'])}, devengado "
        f"{fmt_money(budget['accrued'])}; ejecución {fmt_percent(budget['execution_percent'])}; oportunidad "
        f"{fmt_percent(budget['timeliness_percent'])}." if budget["modified"] else "Sin presupuesto del año.",
        "Por programa (ejecución; oportunidad): " + "; ".join(
            f"{r['program_code']} {fmt_percent(r['execution_percent'])}; {fmt_percent(r['timeliness_percent'])}"
            for r in programs.iter_rows(named=True)) + ".",
    ])


def slide_budget_table(prs, data: WeeklyData) -> None:
    programs = data.frames["programs"].sort("execution_percent", nulls_last=True)
    slide = parts.add_slide(prs, "Ejecución presupuestaria por programa", _footer(data),
                         "Menor ejecución primero · montos en US$ del año a la fecha")
    rows = [[f"{r['program_code']} · {r['program_name']}", fmt_money(r["modified"]), fmt_money(r["accrued"]),
             fmt_percent(r["execution_percent"]), fmt_percent(r["timeliness_percent"])]
            for r in programs.iter_rows(named=True)]
    n = len(rows) + 1
    row_height = min(Inches(0.32), int((parts.CONTENT_BOTTOM - Inches(1.4)) / max(n, 1)))
    size = 11 if n <= 16 else 9
    parts.add_table(slide, ["Programa", "Modificado", "Devengado", "Ejecución %", "Oportunidad %"], rows, parts.MARGIN,
                 Inches(1.4), parts.SLIDE_W - 2 * parts.MARGIN, [5.6, 1.7, 1.7, 1.2, 1.3], size=size,
                 align_right=(1, 2, 3, 4), row_height=row_height)
    parts.set_notes(slide, [f"{programs.height} programas con presupuesto en el año."] + [
        f"{r['program_code']}: modificado {fmt_money(r['modified'])}, devengado {fmt_money(r['accrued'])}, "
        f"ejecución {fmt_percent(r['execution_percent'])}, oportunidad {fmt_percent(r['timeliness_percent'])}."
        for r in programs.iter_rows(named=True)])


def slide_agreements(prs, data: WeeklyData) -> None:
    agreements = data.frames["agreements"]
    overdue = agreements.filter(pl.col("overdue"))
    slide = parts.add_slide(prs, "Acuerdos abiertos y vencidos", _footer(data),
                         f"{agreements.height:,} abiertos o en curso · {overdue.height:,} vencidos al "
                         f"{fmt_date(data.week_end)}")
    rows = [[str(r["agreement_id"]), r["action"], r["responsible"], r["indicator_code"] or "—",
             r["scope_name"] or r["scope_code"], r["due_date"].strftime("%d/%m/%Y"), r["status"],
             f"{r['days_overdue']:,}" if r["days_overdue"] is not None else "—"]
            for r in agreements.head(TABLE_ROWS).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["N.º", "Acuerdo", "Responsable", "Indicador", "Ámbito", "Vence", "Estado",
                             "Días vencido"], rows, parts.MARGIN, Inches(1.45), parts.SLIDE_W - 2 * parts.MARGIN,
                     [0.5, 4.6, 1.8, 1.3, 1.4, 1.0, 0.9, 0.9], size=10, align_right=(0, 7))
        if agreements.height > TABLE_ROWS:
            parts.add_text(slide, [f"… y {agreements.height - TABLE_ROWS:,} acuerdos más (página Acuerdos)."],
                        parts.MARGIN, Inches(1.45) + Inches(0.3) * (len(rows) + 1) + Inches(0.1), Inches(8),
                        Inches(0.3), size=10, color=parts.MUTED)
    else:
        parts.add_text(slide, ["No hay acuerdos abiertos registrados. Los acuerdos de esta reunión se registran en "
                            "la página Acuerdos del tablero."], parts.MARGIN, Inches(1.6), Inches(10), Inches(0.6),
                    size=16)
    parts.set_notes(slide, [f"Acuerdos abiertos o en curso: {agreements.height}; vencidos: {overdue.height}."] + [
        f"N.º {r['agreement_id']} ({r['status']}, vence {r['due_date']:%d/%m/%Y}"
        + (f", {r['days_overdue']} días vencido" if r["days_overdue"] is not None else "") + f"): {r['action']} — "
        f"{r['responsible']}." for r in agreements.iter_rows(named=True)])


def slide_quality(prs, data: WeeklyData) -> None:
    totals, loads = data.rows["load_totals"], data.frames["loads"]
    late = data.frames["completeness"].filter(pl.col("late") > 0).sort(["late", "code"], descending=[True, False])
    week_loads = loads.filter(pl.col("loaded_at").cast(pl.Date).is_between(data.week_start, data.week_end))
    slide = parts.add_slide(prs, "Notas de calidad de datos", _footer(data))
    last = totals["last_loaded_at"]
    lines = [
        (f"Cargas registradas: {totals['loads']:,} (parciales: {totals['partial_loads']:,}); última carga: "
         f"{fmt_date(last.date()) if last else '—'}; registradas durante la semana en revisión: "
         f"{week_loads.height:,}.", {}),
        (f"Filas en cuarentena: {totals['quarantined_rows']:,} · validaciones fallidas: {totals['failed_checks']:,}.",
         {}),
        (f"Revisiones de datos recibidas en la semana: {data.frames['revisions'].height:,}; reportes fuera de plazo: "
         f"{data.frames['late_reports'].height:,}.", {}),
        (f"Municipios con reportes atrasados: {late.height:,}.", {"bold": True}),
    ]
    if data.is_sample:
        lines.append(("Datos de muestra: las cifras son ficticias y sirven para demostrar el tablero.",
                      {"color": parts.SAMPLE, "bold": True}))
    parts.add_text(slide, lines, parts.MARGIN, Inches(1.35), parts.SLIDE_W - 2 * parts.MARGIN, Inches(1.9), size=15)
    rows = [[r["code"], r["municipality"], r["department"], r["intervention"], f"{r['expected']:,}",
             f"{r['late']:,}", f"{r['missing']:,}", fmt_percent(r["percent_complete"])]
            for r in late.head(10).iter_rows(named=True)]
    if rows:
        parts.add_table(slide, ["Código", "Municipio", "Departamento", "Interv.", "Esperados", "Atrasados",
                             "Sin medición", "% completo"], rows, parts.MARGIN, Inches(3.45), Inches(11.5),
                     [0.8, 2.4, 1.8, 0.8, 1.0, 1.0, 1.1, 1.1], size=11, align_right=(4, 5, 6, 7))
    parts.set_notes(slide, [
        f"Cargas: {totals['loads']}; parciales {totals['partial_loads']}; cuarentena {totals['quarantined_rows']} filas; "
        f"validaciones fallidas {totals['failed_checks']}.",
        "Municipios con reportes atrasados: " + "; ".join(
            f"{r['code']} {r['municipality']} ({r['intervention']}): {r['late']} de {r['expected']} atrasados"
            for r in late.iter_rows(named=True)) + ".",
    ])
