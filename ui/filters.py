"""The filter bar, kept in the URL (st.query_params) so a link opens the same view."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

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

    @property
    def week_end(self) -> dt.date:
        return week_end_of(self.week)

    def describe(self) -> str:
        parts = [f"Semana {self.week}", INTERVENTIONS[self.intervention]]
        if self.department:
            parts.append(f"Depto. {self.department}")
        if self.eje:
            parts.append(f"Eje {self.eje}")
        if self.program:
            parts.append(f"Programa {self.program}")
        return " · ".join(parts)


def _param(name: str, default=None):
    value = st.query_params.get(name)
    return value if value not in (None, "") else default


def _index(options: list, value) -> int:
    return options.index(value) if value in options else 0


def _code_choice(label: str, frame, code_col: str, name_col: str, param: str) -> str | None:
    """A 'Todos' + one-code-per-row selectbox, preselected from the URL parameter `param`."""
    codes = [ALL] + frame[code_col].to_list()
    names = dict(zip(frame[code_col], frame[name_col]))
    choice = st.selectbox(label, codes, format_func=lambda c: names.get(c, "Todos"),
                          index=_index(codes, _param(param)), key=f"f_{param}")
    return None if choice == ALL else choice


def week_options(as_of: dt.date, count: int = 12) -> list[str]:
    last = last_complete_week_end(as_of)
    return [week_label(last - dt.timedelta(days=7 * k)) for k in range(count)]


def filter_bar(status: dict, viewer, show=("week", "intervention", "department", "eje", "program")) -> Filters:
    """Draw the bar (only the filters that apply to the page) and sync it with the URL."""
    weeks = week_options(status["as_of"]) if status["as_of"] else ["—"]
    cols = st.columns(len(show))
    values = {}
    for col, name in zip(cols, show):
        with col:
            if name == "week":
                values["week"] = st.selectbox("Semana en revisión", weeks, index=_index(weeks, _param("semana")),
                                              key="f_semana")
            elif name == "intervention":
                keys = list(INTERVENTIONS)
                values["intervention"] = st.selectbox("Intervención", keys, format_func=INTERVENTIONS.get,
                                                      index=_index(keys, _param("intervencion")), key="f_intervencion")
            elif name == "department":
                values["department"] = _code_choice("Departamento", queries.departments(viewer),
                                                    "department_code", "department", "depto")
            elif name == "eje":
                options = [ALL, "1", "2", "3", "4"]
                labels = {ALL: "Todos", "1": "1 Capital humano", "2": "2 Infraestructura social",
                          "3": "3 Generación de ingreso", "4": "4 Gestión territorial"}
                choice = st.selectbox("Eje", options, format_func=labels.get,
                                      index=_index(options, _param("eje")), key="f_eje")
                values["eje"] = None if choice == ALL else int(choice)
            elif name == "program":
                values["program"] = _code_choice("Programa", queries.programs(viewer),
                                                 "program_code", "name", "programa")
    filters = Filters(week=values.get("week", weeks[0]), intervention=values.get("intervention", "ambas"),
                      department=values.get("department"), eje=values.get("eje"), program=values.get("program"))
    sync_url(filters, show)
    return filters


def sync_url(filters: Filters, show) -> None:
    """Write the filters in force to the URL (only those the page shows, only when they changed)."""
    wanted = {"semana": filters.week, "intervencion": filters.intervention,
              "depto": filters.department, "eje": None if filters.eje is None else str(filters.eje),
              "programa": filters.program}
    names = {"week": "semana", "intervention": "intervencion", "department": "depto", "eje": "eje",
             "program": "programa"}
    for field in show:
        key = names[field]
        value = wanted[key]
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def scope_label(filters: Filters, viewer) -> str:
    """'nivel nacional' or 'departamento de X': the level the page's figures are at."""
    if not filters.department:
        return "nivel nacional"
    deps = queries.departments(viewer)
    names = dict(zip(deps["department_code"].to_list(), deps["department"].to_list()))
    return f"departamento de {names.get(filters.department, filters.department)}"
