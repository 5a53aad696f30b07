"""The home's semáforo strip: the tiles' counts as one stacked bar, so proportions read at a glance."""
from __future__ import annotations

import plotly.graph_objects as go

from charts.style import FONT_FAMILY, SEMAFORO_COLOR, SEMAFORO_ICON, SEMAFORO_LABEL, SEMAFORO_ORDER


def semaforo_strip_figure(counts: dict[str, int], title: str) -> go.Figure:
    """One horizontal bar split by semáforo state (icon and count written on each segment);
    'sin meta' is left out: it is not part of the KPI denominator."""
    fig = go.Figure()
    for state in SEMAFORO_ORDER:
        n = counts.get(state, 0)
        if state == "sin meta" or not n:
            continue
        fig.add_bar(y=["Indicadores"], x=[n], orientation="h", name=f"{SEMAFORO_ICON[state]} {SEMAFORO_LABEL[state]}",
                    marker=dict(color=SEMAFORO_COLOR[state], line=dict(color="white", width=1)),
                    text=[f"{SEMAFORO_ICON[state]} {n:,}"], textposition="inside", insidetextanchor="middle",
                    textangle=0, textfont=dict(color="black" if state in ("amarillo", "en inicio") else "white"),
                    hovertemplate=f"{SEMAFORO_LABEL[state]}: %{{x:,}} indicadores<extra></extra>")
    fig.update_layout(barmode="stack", height=150, title=dict(text=title, x=0, xanchor="left", font=dict(size=14)),
                      font=dict(family=FONT_FAMILY, size=13), template="plotly_white", separators=".,",
                      margin=dict(l=10, r=10, t=40, b=10), showlegend=True,
                      legend=dict(orientation="h", yanchor="top", y=-0.05, xanchor="left", x=0),
                      uniformtext=dict(minsize=10, mode="hide"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
