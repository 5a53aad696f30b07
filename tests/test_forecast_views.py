"""The forecast to target where leadership sees it: the ficha (method named, fit drawn, figures of
analytics_forecast), the home list (exactly the flagged indicators) and the deck (same rows and the
back-test), and `python -m warehouse backtest` prints the same precision, recall and coverage."""
from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from charts.forecast import backtest_text, forecast_sentence
from charts.style import fmt_value, semaforo_badge
from tests.conftest import ROOT, open_page
from warehouse.queries.analytics import backtest_summary, forecast, forecast_flags
from warehouse.query import Viewer
from warehouse.store import read_connection

VIEWER = Viewer(name="prueba", role="analista", municipality=None)


def test_ficha_names_the_method_and_draws_the_fit(sample_warehouse):
    at = open_page("ficha", {"indicador": "CSU-BONO-01"})
    assert not at.exception, at.exception
    fc = forecast("CSU-BONO-01", VIEWER)
    assert [s.value for s in at.subheader].count("Pronóstico a la meta") == 1
    assert any("Theil-Sen" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Proyección al {fc['target_date']:%d/%m/%Y}"] == fmt_value(fc["projected_value"])
    assert metrics["Semáforo proyectado"] == semaforo_badge(fc["semaforo_projected"])
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    forecast_chart = next(c for c in charts if "pronóstico" in c["layout"]["title"]["text"])
    names = [t.get("name") for t in forecast_chart["data"]]
    assert "Tendencia robusta (Theil-Sen)" in names and "Meta" in names
    with read_connection(sample_warehouse) as con:
        direct = con.execute("""SELECT projected_value FROM analytics_forecast_runs
                                WHERE run = 'actual' AND indicator_code = 'CSU-BONO-01'""").fetchone()[0]
    assert fc["projected_value"] == pytest.approx(direct)


def test_home_lists_exactly_the_flagged_indicators(sample_warehouse):
    at = open_page(None)
    assert not at.exception, at.exception
    flags = forecast_flags(VIEWER)
    with read_connection(sample_warehouse) as con:
        direct = {r[0] for r in con.execute("SELECT indicator_code FROM analytics_forecast WHERE flag IS NOT NULL").fetchall()}
    assert set(flags["indicator_code"]) == direct and direct
    assert "Alertas del pronóstico a la meta" in [s.value for s in at.subheader]
    labels = [l.proto.label for l in at.get("page_link")]
    for row in flags.iter_rows(named=True):
        assert any(row["indicator_code"] in label and fmt_value(row["projected_value"]) in label for label in labels)


def test_backtest_cli_prints_the_summary(sample_warehouse):
    out = subprocess.run([sys.executable, "-m", "warehouse", "backtest", "--warehouse", str(sample_warehouse)],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    summary = backtest_summary(VIEWER)
    assert backtest_text(summary) in out
    assert summary["forecasts"][0] > 20
    assert 0 <= summary["coverage"][0] <= 1


def test_deck_carries_the_same_alerts_and_value_chain(sample_warehouse, tmp_path):
    from pptx import Presentation

    from reports.deck import build_weekly_deck
    from reports.deck_analytics import value_chain_slide_lines
    path = tmp_path / "deck.pptx"
    build_weekly_deck(None, VIEWER, path, warehouse=sample_warehouse)
    prs = Presentation(str(path))
    by_title = {s.shapes.title.text: s for s in prs.slides if s.shapes.title is not None}
    alerts = by_title["Pronóstico a la meta: alertas"]
    notes = alerts.notes_slide.notes_text_frame.text
    for row in forecast_flags(VIEWER).iter_rows(named=True):
        assert forecast_sentence(row) in notes
    assert backtest_text(backtest_summary(VIEWER)) in notes
    chain_notes = " ".join(s.notes_slide.notes_text_frame.text for t, s in by_title.items()
                           if t.startswith("Cadena de valor público por eje"))
    for link_lines in value_chain_slide_lines("eje-2", VIEWER).values():
        assert " · ".join(link_lines) in chain_notes
