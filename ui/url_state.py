"""The review context in the URL: one place that reads and writes `st.query_params`.

The context every link carries is the week under review, the intervention and the department
(`semana`, `intervencion`, `depto`); pages add their own keys (`indicador`, `municipio`, `color`,
`programa`, `agrupar`, `conteo`, `eje`). Pages never touch `st.query_params` themselves.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

CONTEXT_KEYS = ("semana", "intervencion", "depto")


def read(name: str, default: str | None = None) -> str | None:
    """The URL's value of `name`, or `default` when absent or empty."""
    value = st.query_params.get(name)
    return value if value not in (None, "") else default


def write(name: str, value: str | None, default: str | None = None) -> None:
    """Put `value` in the URL; drop the key when the value is None or the page's default."""
    if value is None or value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def context_params(filters) -> dict[str, str]:
    """The review context of `filters` (a ui.filters.Filters) as query parameters. A key the page's bar
    does not show (the department on Programas) travels on as the URL holds it."""
    params = {k: read(k) for k in CONTEXT_KEYS}
    shown = {"semana": filters.week, "intervencion": filters.intervention, "depto": filters.department}
    params.update({k: v for k, v in shown.items() if v and v != "—"})
    return {k: v for k, v in params.items() if v}


def link_params(filters, **extra) -> dict[str, str]:
    """What a link to another page carries: the review context plus that page's own keys."""
    return {**context_params(filters), **{k: str(v) for k, v in extra.items() if v not in (None, "")}}


def href(page: str, filters, **extra) -> str:
    """A relative link (`ficha?indicador=…&semana=…`) for HTML and table link columns."""
    return f"{page}?{urlencode(link_params(filters, **extra))}"


def seed_choice(key: str, param: str, options: list[str], default: str) -> None:
    """Seed a selectbox's state from the URL, so a link opens the same view: a URL value other than
    the one this page last wrote (a link from another page) wins over the remembered choice."""
    wanted = read(param)
    if wanted in options and wanted != st.session_state.get(f"{key}_shown"):
        st.session_state[key] = wanted
    elif st.session_state.get(key) not in options:
        st.session_state[key] = default


def arrived_with(key: str, param: str) -> bool:
    """True when the URL brings a value of `param` this page has not shown yet (a link just opened)."""
    wanted = read(param)
    return wanted is not None and wanted != st.session_state.get(f"{key}_shown")


def keep_choice(key: str, param: str, value: str, default: str | None) -> None:
    """Write a selectbox's choice to the URL (dropped when it is the default) and remember it was shown."""
    st.session_state[f"{key}_shown"] = value
    write(param, value, default)
