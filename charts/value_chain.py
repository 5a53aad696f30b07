"""The public value chain in one picture: insumos -> productos -> resultados -> impacto, each link
a box in its semáforo colour (with icon and label) and its figures. Pure: frames in, Plotly out.
`chain_lines` is the one wording of the figures, shared by the page, the export and the deck."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from charts.style import SEMAFORO_COLOR, base_layout, fmt_money, fmt_percent, semaforo_badge

LINKS = {"insumos": "Insumos", "productos": "Productos", "resultados": "Resultados",
         "impacto": "Impacto (Fin y ODM 1)"}
TEXT_ON = {"verde": "white", "rojo": "white", "en inicio": "#111111"}


def _money(value) -> str:
    if value is None:
        return "—"
    return f"US$ {value / 1e6:,.2f} M" if abs(value) >= 1e6 else fmt_money(value)


def _counts(row: dict) -> str:
    graded = [f"{row[s]} {s}" for s in ("verde", "amarillo", "rojo") if row.get(s)]
    n = row["items"]
    return f"{n} indicador{'es' if n != 1 else ''}" + (f": {', '.join(graded)}" if graded else "")


def chain_lines(links: pl.DataFrame, items: pl.DataFrame) -> dict[str, list[str]]:
    """The text of each link: its semáforo, counts and money figures (for a program: the cost per unit
    of its first product with a cost, and the cost per unit of result where attributable)."""
    out = {}
    by_link = {r["link"]: r for r in links.iter_rows(named=True)}
    # costs per unit belong to one program: an eje's units do not add up across its programs
    per_program = links.height > 0 and links["chain_type"][0] == "programa"
    for link, label in LINKS.items():
        row = by_link.get(link)
        if row is None:
            out[link] = [label, "sin indicadores"]
            continue
        lines = [label, semaforo_badge(row["semaforo"])]
        if link == "insumos":
            lines.append(f"{_money(row['accrued_ytd'])} devengado")
            if row["scheduled_ytd"]:
                lines.append(f"{fmt_percent(100 * row['accrued_ytd'] / row['scheduled_ytd'])} del programado")
        else:
            lines.append(_counts(row))
        if link == "productos" and per_program:
            costed = items.filter((pl.col("link") == "productos") & pl.col("cost_per_unit").is_not_null())
            if costed.height:
                c = costed.row(0, named=True)
                lines.append(f"{fmt_money(c['cost_per_unit'])} por unidad de producto ({c['unit']}), año a la fecha")
        if link == "resultados" and per_program:
            costed = items.filter((pl.col("link") == "resultados") & pl.col("cost_per_result").is_not_null())
            if costed.height:
                c = costed.row(0, named=True)
                per = "punto porcentual" if c["unit"] == "%" else f"unidad ({c['unit']})"
                lines.append(f"{_money(c['cost_per_result'])} por {per} de resultado (atribuible)")
        out[link] = lines
    return out


def _wrap(line: str, width: int = 24) -> str:
    """A line broken at spaces so it fits its box (Plotly annotations do not wrap)."""
    return "<br>".join(textwrap.wrap(line, width, break_long_words=False)) or line


def value_chain_figure(links: pl.DataFrame, items: pl.DataFrame, title: str) -> go.Figure:
    """Four boxes left to right joined by arrows; the box colour is the link's semáforo."""
    lines = chain_lines(links, items)
    states = {r["link"]: r["semaforo"] for r in links.iter_rows(named=True)}
    fig = go.Figure()
    width = 0.76                          # each link takes one unit of x; boxes leave room for the arrows
    for k, link in enumerate(LINKS):
        x0 = k + 0.02
        state = states.get(link, "sin dato")
        fig.add_shape(type="rect", x0=x0, x1=x0 + width, y0=0.05, y1=0.95, xref="x", yref="y",
                      fillcolor=SEMAFORO_COLOR.get(state, "#cfcfcf"), line=dict(color="#333333", width=1),
                      layer="below")
        text = "<b>" + lines[link][0] + "</b><br>" + "<br>".join(_wrap(line) for line in lines[link][1:])
        fig.add_annotation(x=x0 + width / 2, y=0.5, xref="x", yref="y", text=text, showarrow=False,
                           font=dict(size=13, color=TEXT_ON.get(state, "#111111")), align="center")
        if k < len(LINKS) - 1:
            fig.add_annotation(x=k + 1.01, y=0.5, ax=x0 + width + 0.01, ay=0.5, xref="x", yref="y", axref="x",
                               ayref="y", showarrow=True, arrowhead=2, arrowsize=1.4, arrowwidth=2,
                               arrowcolor="#333333", text="")
    # an invisible trace keeps the figure a chart (axes hidden)
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(opacity=0), hoverinfo="skip",
                             showlegend=False))
    base_layout(fig, title, 360, margin=dict(l=10, r=10, t=60, b=10))
    fig.update_xaxes(visible=False, range=[0, len(LINKS)], fixedrange=True)
    fig.update_yaxes(visible=False, range=[0, 1], fixedrange=True)
    return fig
