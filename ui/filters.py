"""The filter bar, kept in the URL (through ui.url_state) so a link opens the same view."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ui import url_state
from ui.layout import phone_css
from warehouse import queries
from warehouse.asof import last_complete_week_end, week_end_of, week_label

INTERVENTIONS = {"ambas": "CSU y CSR", "CSU": "Urbanas (CSU)", "CSR": "Rurales (CSR)"}
ALL = "todos"


@dataclass(frozen=True)
class Filters:
    week: str
    intervention: str = "ambas"
    department: str | None = None     # department code
    eje: int | None = None
    program: str | None = None
    department_name: str | None = None    # the department's name, for headers and captions
    program_name: str | None = None

    @property
    def week_end(self) -> dt.date:
        return week_end_of(self.week)

    def describe(self) -> str:
        parts = [f"Semana {self.week}", INTERVENTIONS[self.intervention]]
        if self.department:
            parts.append(f"Departamento de {self.department_name or self.department}")
        if self.eje:
            parts.append(f"Eje {self.eje}")
        if self.program:
            parts.append(f"Programa {self.program}" + (f" ({self.program_name})" if self.program_name else ""))
        return " · ".join(parts)


def _param(name: str, default=None):
    return url_state.read(name, default)


def _index(options: list, value) -> int:
    return options.index(value) if value in options else 0


def _code_choice(label: str, frame, code_col: str, name_col: str, param: str) -> tuple[str | None, str | None]:
    """A 'Todos' + one-code-per-row selectbox, preselected from the URL parameter `param`;
    returns (code, name), both None for 'Todos'."""
    codes = [ALL] + frame[code_col].to_list()
    names = dict(zip(frame[code_col], frame[name_col]))
    _follow_url(f"f_{param}", param, codes)
    choice = st.selectbox(label, codes, format_func=lambda c: names.get(c, "Todos"),
                          index=_index(codes, _param(param)), key=f"f_{param}")
    return (None, None) if choice == ALL else (choice, names.get(choice))


def _follow_url(key: str, param: str, options: list[str]) -> None:
    """A link that brings another value than the widget holds wins (the widget keeps no stale state
    from an earlier page); an absent parameter leaves the widget as it is."""
    wanted = _param(param)
    if wanted in options and key in st.session_state and st.session_state[key] != wanted \
            and st.session_state.get(f"{key}_shown") != wanted:
        st.session_state[key] = wanted


def week_options(as_of: dt.date, count: int = 12) -> list[str]:
    last = last_complete_week_end(as_of)
    return [week_label(last - dt.timedelta(days=7 * k)) for k in range(count)]


def filter_bar(status: dict, viewer, show=("week", "intervention", "department", "eje", "program")) -> Filters:
    """Draw the bar (only the filters that apply to the page) and sync it with the URL. A week or
    intervention in the URL that the warehouse does not have is said in Spanish, not silently replaced."""
    weeks = week_options(status["as_of"]) if status["as_of"] else ["—"]
    _warn_unknown(weeks, show)
    phone_css()
    week = _param("semana") if _param("semana") in weeks else weeks[0]
    summary = f"Semana {week} · {INTERVENTIONS.get(_param('intervencion'), INTERVENTIONS['ambas'])}"
    with st.container(key="filter_bar"), st.expander(f"Filtros · {summary}", icon=":material/tune:",
                                                      key="filter_fold"):
        cols = st.columns(len(show))
        values = {}
        for col, name in zip(cols, show):
            with col:
                values.update(_one_filter(name, weeks, viewer))
    filters = Filters(week=values.get("week", weeks[0]), intervention=values.get("intervention", "ambas"),
                      department=values.get("department"), eje=values.get("eje"), program=values.get("program"),
                      department_name=values.get("department_name"), program_name=values.get("program_name"))
    sync_url(filters, show)
    return filters


def _one_filter(name: str, weeks: list[str], viewer) -> dict:
    if name == "week":
        _follow_url("f_semana", "semana", weeks)
        return {"week": st.selectbox("Semana en revisión", weeks, index=_index(weeks, _param("semana")),
                                     key="f_semana")}
    if name == "intervention":
        keys = list(INTERVENTIONS)
        _follow_url("f_intervencion", "intervencion", keys)
        return {"intervention": st.selectbox("Intervención", keys, format_func=INTERVENTIONS.get,
                                             index=_index(keys, _param("intervencion")), key="f_intervencion")}
    if name == "department":
        code, dep_name = _code_choice("Departamento", queries.departments(viewer), "department_code",
                                      "department", "depto")
        return {"department": code, "department_name": dep_name}
    if name == "eje":
        options = [ALL, "1", "2", "3", "4"]
        labels = {ALL: "Todos", "1": "1 Capital humano", "2": "2 Infraestructura social",
                  "3": "3 Generación de ingreso", "4": "4 Gestión territorial"}
        _follow_url("f_eje", "eje", options)
        choice = st.selectbox("Eje", options, format_func=labels.get,
                              index=_index(options, _param("eje")), key="f_eje")
        return {"eje": None if choice == ALL else int(choice)}
    if name == "program":
        code, prog_name = _code_choice("Programa", queries.programs(viewer), "program_code", "name", "programa")
        return {"program": code, "program_name": prog_name}
    raise ValueError(name)


def _warn_unknown(weeks: list[str], show) -> None:
    """A requested week (or intervention) the warehouse does not offer: say which one is shown instead."""
    wanted = _param("semana")
    if "week" in show and wanted and wanted not in weeks and weeks != ["—"] \
            and st.session_state.get("f_semana_shown") != wanted:
        st.warning(f"La semana **{wanted}** del enlace no está disponible: se muestra la semana **{weeks[0]}**, "
                   f"la última completa. Las semanas disponibles van de {weeks[-1]} a {weeks[0]}.",
                   icon=":material/event_busy:")
    wanted = _param("intervencion")
    if "intervention" in show and wanted and wanted not in INTERVENTIONS:
        st.warning(f"La intervención «{wanted}» del enlace no existe: se muestran CSU y CSR "
                   "(use CSU, CSR o ambas).", icon=":material/warning:")


def sync_url(filters: Filters, show) -> None:
    """Write the filters in force to the URL (only those the page shows, only when they changed)."""
    wanted = {"semana": filters.week, "intervencion": filters.intervention,
              "depto": filters.department, "eje": None if filters.eje is None else str(filters.eje),
              "programa": filters.program}
    names = {"week": "semana", "intervention": "intervencion", "department": "depto", "eje": "eje",
             "program": "programa"}
    for field in show:
        key = names[field]
        st.session_state[f"f_{key}_shown"] = wanted[key]
        url_state.write(key, wanted[key])


def scope_label(filters: Filters, viewer) -> str:
    """'nivel nacional' or 'departamento de X': the level the page's figures are at."""
    if not filters.department:
        return "nivel nacional"
    deps = queries.departments(viewer)
    names = dict(zip(deps["department_code"].to_list(), deps["department"].to_list()))
    return f"departamento de {names.get(filters.department, filters.department)}"
