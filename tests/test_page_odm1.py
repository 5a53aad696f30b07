"""ODM 1 page: three halving targets with their path and six context indicators without target."""
from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from sample import story
from warehouse.queries.odm import METHOD_NOTES, odm_indicators, odm_series
from warehouse.queries.progress import progress
from tests.conftest import open_page
from warehouse.query import SYSTEM

WEEK_END = dt.date(2014, 5, 18)


def run(**params) -> AppTest:
    at = open_page("odm1", params, timeout=60)
    assert not at.exception, at.exception
    return at


def test_page_shows_three_targets_and_six_context_indicators(sample_warehouse):
    at = run()
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 9
    with_target = [c for c in charts if any(t.get("name") == "Meta ODM 2015" for t in c["data"])]
    assert len(with_target) == 3
    titles = [c["layout"]["title"]["text"] for c in with_target]
    assert [t.split()[0] for t in titles] == ["1.1", "1.8", "1.9"]
    context = [m.value for m in at.markdown if "sin meta: indicador de contexto" in m.value]
    assert len(context) == 6
    # each indicator has its source and method note; 1.1 says how El Salvador measures it
    notes = [c.value for c in at.caption if "Nota metodológica" in c.value]
    assert len(notes) == 9
    assert any("línea nacional de pobreza extrema de la EHPM" in n for n in notes)
    assert len(at.dataframe[0].value) == 9


def test_semaforo_comes_from_the_method(sample_warehouse):
    frame = odm_indicators(WEEK_END, viewer=SYSTEM)
    method = progress(WEEK_END, scope_type="nacional", viewer=SYSTEM).filter(pl.col("program_code") == "ODM1")
    joined = frame.join(method.select(pl.col("indicator_code").alias("code"), pl.col("semaforo").alias("m")), on="code")
    assert (joined["semaforo"] == joined["m"]).all()
    assert dict(frame.filter(pl.col("has_target")).select("code", "semaforo").iter_rows()) == story.ODM_SEMAFORO
    assert set(frame.filter(~pl.col("has_target"))["code"]) == set(story.ODM_WITHOUT_TARGET)
    assert set(frame.filter(~pl.col("has_target"))["semaforo"]) == {"sin meta"}
    # the page shows the badges with their labels
    html = " ".join(m.value for m in run().markdown)
    assert "▲ amarillo" in html and "● verde" in html and "■ rojo" in html and "PQD-2014" in html


def test_target_path_and_gap_hand_computed(sample_warehouse):
    row = odm_indicators(WEEK_END, viewer=SYSTEM).filter(pl.col("code") == "ODM-1.9").row(0, named=True)
    # 1.9: baseline 16.2 (1991), target 8.1 (2015, half), latest 11.6 (2013)
    assert (row["baseline_value"], row["target_value"], row["value"]) == (16.2, 8.1, 11.6)
    share = (dt.date(2013, 12, 31) - dt.date(1991, 12, 31)).days / (dt.date(2015, 12, 31) - dt.date(1991, 12, 31)).days
    assert row["path_value"] == pytest.approx(16.2 + (8.1 - 16.2) * share)
    assert row["gap_to_target"] == pytest.approx(3.5)
    assert row["gap_to_path"] == pytest.approx(11.6 - row["path_value"])
    assert row["odm_percent"] == pytest.approx(round(100 * (11.6 - 16.2) / (8.1 - 16.2), 1))
    assert set(METHOD_NOTES) == set(odm_indicators(WEEK_END, viewer=SYSTEM)["odm_indicator"])
    # before any measurement (1990) there is a target but no latest period: no path, not the target
    early = odm_indicators(dt.date(1990, 6, 3), viewer=SYSTEM).filter(pl.col("code") == "ODM-1.9").row(0, named=True)
    assert early["latest_end"] is None and early["target_value"] == 8.1 and early["path_value"] is None


def test_series_from_1991_and_known_at_the_week(sample_warehouse):
    series = odm_series(WEEK_END, viewer=SYSTEM)
    first = series.group_by("code").agg(pl.col("period").min()).sort("code")
    assert dict(first.iter_rows())["ODM-1.1"] == "1991"
    assert series["period"].max() == "2013"
    # a week before the 2013 figures were reported, the latest year is 2012
    early = odm_series(dt.date(2014, 1, 5), viewer=SYSTEM)
    assert early["period"].max() == "2012"


def test_all_nine_charts_and_the_table_download(sample_warehouse):
    from tests.conftest import assert_exports
    at = run()
    assert len(at.get("plotly_chart")) == 9
    assert_exports(at)
