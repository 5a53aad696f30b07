"""The logframe (Matriz de Marco Lógico) as an HTML table: rows Fin, Propósito, Componentes,
Actividades; columns Resumen narrativo, Indicadores, Medios de verificación, Supuestos.

A pure function of query-layer frames, so pages and exports draw the same matrix. Every text
from the data is escaped; colours come from charts/style.py and every badge carries its label.
"""
from __future__ import annotations

import html
from urllib.parse import quote

import polars as pl

from charts.style import SEMAFORO_COLOR, SEMAFORO_ICON, SEMAFORO_LABEL, fmt_number

LEVEL_TITLES = {"fin": "Fin", "proposito": "Propósito", "componente": "Componentes", "actividad": "Actividades"}
LEVEL_NAMES = {"fin": "fin", "proposito": "propósito", "componente": "componente", "actividad": "actividad"}
COLUMNS = ("Nivel", "Resumen narrativo", "Indicadores", "Medios de verificación", "Supuestos")
COLUMN_WIDTHS = (12, 23, 31, 17, 17)

CSS = """<style>
table.mml {width: 100%; border-collapse: collapse; font-size: 0.88rem; line-height: 1.35; table-layout: fixed;}
table.mml th {background: #1f4e79; color: #ffffff; text-align: left; padding: 6px 8px; font-weight: 600;}
table.mml td {border: 1px solid #d0d4da; padding: 6px 8px; vertical-align: top;}
table.mml td.mml-level {font-weight: 700; background: #f0f2f6; overflow-wrap: normal; hyphens: none;}
table.mml td.mml-missing {color: #6b6b6b; font-style: italic;}
table.mml ul {margin: 0; padding-left: 1.1em;}
table.mml .mml-ind {margin-bottom: 6px;}
table.mml .mml-ind:last-child {margin-bottom: 0;}
table.mml .mml-facts {color: #444444; font-size: 0.82rem;}
table.mml .mml-note {color: #555555; font-size: 0.8rem; display: block; margin-top: 2px;}
table.mml .mml-badge {font-size: 0.78rem;}
</style>"""


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _text_colour(background: str) -> str:
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def semaforo_badge_html(state: str | None) -> str:
    """A coloured pill with the state's icon and name (colour is never the only signal)."""
    state = state or "sin dato"
    colour = SEMAFORO_COLOR.get(state, SEMAFORO_COLOR["sin dato"])
    return (f'<span class="mml-badge" title="{_e(SEMAFORO_LABEL.get(state, state))}" '
            f'style="background:{colour};color:{_text_colour(colour)};display:inline-block;border-radius:0.6em;'
            f'padding:0 0.5em;font-weight:600;white-space:nowrap">'
            f'{_e(SEMAFORO_ICON.get(state, "?"))} {_e(state)}</span>')


def format_value(value, unit: str | None) -> str:
    if value is None:
        return "—"
    decimals = 0 if float(value).is_integer() or abs(value) >= 1000 else 1
    text = fmt_number(value, 1 if unit and unit.startswith("%") else decimals)
    return f"{text} %" if unit == "%" else f"{text} {unit}" if unit else text


def _indicator_html(ind: dict, ficha_href) -> str:
    facts = [f"Valor: {_e(format_value(ind['value'], ind['unit']))}"
             + (f" ({_e(ind['latest_period'])})" if ind.get("latest_period") else "")]
    if ind.get("target_value") is not None:
        kind = f" {ind['target_kind']}" if ind.get("target_kind") else ""
        facts.append(f"Meta{_e(kind)}: {_e(format_value(ind['target_value'], ind['unit']))}")
    if ind.get("percent") is not None:
        facts.append(f"Avance: {_e(fmt_number(ind['percent']))} %")
    code = ind["code"]
    return (f'<div class="mml-ind" data-indicator="{_e(code)}">'
            f'<a href="{_e(ficha_href(code))}" target="_self" title="Abrir la ficha técnica"><b>{_e(code)}</b></a> '
            f'{_e(ind["name"])}<br><span class="mml-facts">{" · ".join(facts)}</span> '
            f'{semaforo_badge_html(ind.get("semaforo"))}</div>')


def _list_html(items) -> str:
    items = [i for i in (items or []) if i]
    if not items:
        return "—"
    if len(items) == 1:
        return _e(items[0])
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _labels(objectives: pl.DataFrame) -> dict[str, str]:
    """'Componente 1', 'Actividad 1.2' ... numbered along the matrix order."""
    labels, component_no, activity_no = {}, {}, {}
    for row in objectives.iter_rows(named=True):
        oid, level = row["objective_id"], row["level"]
        if level == "componente":
            component_no[oid] = len(component_no) + 1
            labels[oid] = f"Componente {component_no[oid]}"
        elif level == "actividad":
            parent = component_no.get(row["parent_id"])
            key = parent or 0
            activity_no[key] = activity_no.get(key, 0) + 1
            labels[oid] = f"Actividad {parent}.{activity_no[key]}" if parent else f"Actividad {activity_no[key]}"
        else:
            labels[oid] = LEVEL_TITLES[level]
    return labels


def logframe_html(objectives: pl.DataFrame, indicators: pl.DataFrame, children: pl.DataFrame | None = None,
                  ficha_href=lambda code: f"ficha?indicador={quote(code)}",
                  program_href=lambda code: f"programas?programa={quote(code)}") -> str:
    """The matrix of one program. `objectives` and `indicators` as returned by
    warehouse.queries.logframe; `children`: programs executing this program's objectives."""
    own = objectives.filter(pl.col("role") == "propio")
    superior = objectives.filter(pl.col("role") == "superior")
    by_objective: dict[str, list[dict]] = {}
    for ind in indicators.iter_rows(named=True):
        by_objective.setdefault(ind["objective_id"], []).append(ind)
    labels = _labels(own)
    body = []
    for level, title in LEVEL_TITLES.items():
        rows = own.filter(pl.col("level") == level)
        if rows.is_empty() and level == "fin" and not superior.is_empty():
            for sup in superior.iter_rows(named=True):
                body.append(
                    f'<tr data-level="fin"><td class="mml-level">Fin</td>'
                    f'<td class="mml-narrative">{_e(sup["narrative"])}'
                    f'<span class="mml-note">Objetivo superior al que contribuye el programa '
                    f'(matriz <a href="{_e(program_href(sup["program_code"]))}" target="_self">{_e(sup["program_code"])}</a>, '
                    f'{_e(LEVEL_NAMES.get(sup["level"], sup["level"]))}).</span></td>'
                    f'<td class="mml-indicators mml-missing">Se miden en la matriz {_e(sup["program_code"])}.</td>'
                    f'<td>{_list_html(sup["medios"])}</td><td>{_list_html(sup["supuestos"])}</td></tr>')
            continue
        if rows.is_empty() and level == "actividad" and children is not None and not children.is_empty():
            parts = []
            for parent, group in children.group_by("parent_objective", maintain_order=True):
                links = ", ".join(f'<a href="{_e(program_href(c))}" target="_self">{_e(c)}</a> {_e(n)}'
                                  for c, n in zip(group["program_code"], group["name"]))
                parts.append(f"<li><b>{_e(labels.get(parent[0], parent[0]))}</b>: {links}</li>")
            body.append(f'<tr data-level="actividad"><td class="mml-level">Actividades</td>'
                        f'<td colspan="4">Las ejecutan los programas de cada componente (cada uno con su '
                        f'propia matriz):<ul>{"".join(parts)}</ul></td></tr>')
            continue
        if rows.is_empty():
            body.append(f'<tr data-level="{level}"><td class="mml-level">{title}</td>'
                        f'<td colspan="4" class="mml-missing">Sin objetivos de este nivel en la matriz cargada.</td></tr>')
            continue
        for row in rows.iter_rows(named=True):
            inds = by_objective.get(row["objective_id"], [])
            ind_html = "".join(_indicator_html(i, ficha_href) for i in inds) or \
                '<span class="mml-missing">Sin indicadores.</span>'
            body.append(
                f'<tr data-level="{level}" data-objective="{_e(row["objective_id"])}">'
                f'<td class="mml-level">{_e(labels[row["objective_id"]])}</td>'
                f'<td class="mml-narrative">{_e(row["narrative"])}</td>'
                f'<td class="mml-indicators">{ind_html}</td>'
                f'<td>{_list_html(row["medios"])}</td><td>{_list_html(row["supuestos"])}</td></tr>')
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    cols = "".join(f'<col style="width:{w}%">' for w in COLUMN_WIDTHS)
    return (f'{CSS}<table class="mml"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def logframe_rows(objectives: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """The matrix flattened to one row per indicator (objectives without one keep a row): for CSV."""
    own = objectives.filter(pl.col("role") == "propio").with_row_index("order")
    labels = _labels(own.drop("order"))
    flat = own.select(
        "order", pl.col("objective_id"),
        pl.col("objective_id").replace_strict(labels, default=None).alias("nivel"),
        pl.col("narrative").alias("resumen_narrativo"),
        pl.col("medios").list.join("; ").alias("medios_verificacion"),
        pl.col("supuestos").list.join("; ").alias("supuestos"))
    inds = indicators.select(
        "objective_id", pl.col("code").alias("indicador"), pl.col("name").alias("nombre_indicador"),
        pl.col("unit").alias("unidad"), pl.col("value").alias("valor"), pl.col("latest_period").alias("periodo"),
        pl.col("target_value").alias("meta"), pl.col("target_kind").alias("tipo_meta"),
        pl.col("percent").alias("avance_pct"), "semaforo")
    return (flat.join(inds, on="objective_id", how="left").sort("order", "indicador").drop("order")
            .with_columns(pl.col("avance_pct").round(1), pl.col("semaforo").fill_null(""))
            .rename(ROW_HEADERS))


# the CSV's headers, as a reader of the matrix names its columns
ROW_HEADERS = {"objective_id": "Objetivo (código)", "nivel": "Nivel", "resumen_narrativo": "Resumen narrativo",
               "medios_verificacion": "Medios de verificación", "supuestos": "Supuestos", "indicador": "Indicador",
               "nombre_indicador": "Nombre del indicador", "unidad": "Unidad", "valor": "Valor", "periodo": "Período",
               "meta": "Meta", "tipo_meta": "Tipo de meta", "avance_pct": "Avance (%)", "semaforo": "Semáforo"}
