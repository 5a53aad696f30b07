"""Charts speak Spanish: month names on every date axis (in the app and in static exports alike),
no English month, no '12.0' count and no None / nan in any chart text a page draws."""
from __future__ import annotations

import datetime as dt
import json
import re

import plotly.graph_objects as go
import pytest

from charts.style import fmt_value, month_label, spanish_date_axis
from tests.conftest import open_page

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
MISSING = re.compile(r"\b(None|nan|NaN|null|undefined)\b")
WHOLE_WITH_ZERO = re.compile(r"(?<![\d.,])\d{1,3}(,\d{3})*\.0(?!\d)(?! ?%)")   # '12.0', '101,218.0'
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d")
PAGES = [(None, {}), ("ejes", {"eje": "2"}), ("municipios", {"municipio": "1314"}), ("ficha", {}),
         ("presupuesto", {}), ("odm1", {}), ("programas", {}), ("calidad", {})]


def test_month_ticks_follow_the_span():
    fig = go.Figure(go.Scatter(x=[dt.date(2011, 12, 31), dt.date(2014, 5, 18)], y=[1, 2]))
    spanish_date_axis(fig)
    assert fig.layout.xaxis.ticktext == ("ene 2012", "jul 2012", "ene 2013", "jul 2013", "ene 2014")
    assert fig.layout.xaxis.tickvals[0] == dt.date(2012, 1, 1)
    short = spanish_date_axis(go.Figure(go.Scatter(x=[dt.date(2014, 1, 31), dt.date(2014, 5, 31)], y=[1, 2])))
    assert short.layout.xaxis.ticktext == ("feb 2014", "mar 2014", "abr 2014", "may 2014")
    long = spanish_date_axis(go.Figure(), dt.date(1991, 1, 1), dt.date(2014, 12, 31))
    assert long.layout.xaxis.ticktext == ("1995", "2000", "2005", "2010")
    assert spanish_date_axis(go.Figure()).layout.xaxis.tickvals is None       # no dates: left alone
    assert month_label(dt.date(2014, 9, 30)) == "sep 2014"


def test_values_never_show_a_trailing_zero():
    assert (fmt_value(101218.0), fmt_value(65.96), fmt_value(12.34), fmt_value(None)) == ("101,218", "66", "12.3", "—")


def _strings(obj, path=""):
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key not in ("template", "bdata", "dtype"):
                yield from _strings(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _strings(value, f"{path}[{i}]")
    elif isinstance(obj, str):
        yield path, obj


@pytest.mark.parametrize("page,query", PAGES, ids=[p or "resumen" for p, _ in PAGES])
def test_page_charts_are_in_spanish_and_clean(sample_warehouse, page, query):
    at = open_page(page, query)
    assert not at.exception
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"].get("title", {}).get("text", "")
        for trace in spec["data"]:
            xs = trace.get("x")
            if isinstance(xs, list) and xs and isinstance(xs[0], str) and ISO_DATE.match(xs[0]):
                axis = spec["layout"].get("xaxis" + trace.get("xaxis", "x")[1:], {})
                assert axis.get("ticktext"), f"{title}: a date axis without Spanish ticks"
        for path, text in _strings(spec):
            if "range[" in path:                         # axis ranges: dates as data, never shown
                continue
            for bad in (ENGLISH_MONTH, MISSING, WHOLE_WITH_ZERO):
                assert not bad.search(text), f"{title}: {path} = {text!r}"
