"""The weekly deck: built by the command line on (a copy of) the sample warehouse, it opens with
python-pptx with the expected slides, native tables, full-resolution pictures and notes, and the
numbers in its tables equal the warehouse's (direct SQL)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from warehouse.query import SYSTEM

from charts.style import fmt_money, fmt_percent
from reports.images import browser_path
from warehouse.store import WarehouseMissing, clone_warehouse, read_connection

ROOT = Path(__file__).resolve().parent.parent
WEEK, WEEK_END = "2014-W20", dt.date(2014, 5, 18)
TITLES = ["Reunión semanal de seguimiento · Semana 2014-W20", "Resumen ejecutivo",
          "Eje 1 · Capital humano", "Eje 2 · Infraestructura social básica",
          "Eje 3 · Generación de ingreso", "Eje 4 · Gestión territorial",
          "Municipios por semáforo", "Qué cambió esta semana", "Ejecución presupuestaria",
          "Ejecución presupuestaria por programa", "Acuerdos abiertos y vencidos", "Notas de calidad de datos",
          # issue 13 (reports/deck_analytics.py), after the meeting's slides
          "Cadena de valor público por eje (1/2)", "Cadena de valor público por eje (2/2)",
          "Pronóstico a la meta: alertas"]

pytestmark = pytest.mark.skipif(browser_path() is None,
                                reason="no Chromium on this machine: the deck's charts cannot render")


@pytest.fixture(scope="module")
def warehouse(sample_warehouse, tmp_path_factory) -> Path:
    """A private copy of the sample with two open agreements (one overdue at the week's end)."""
    from warehouse.agreements import create_agreement
    path = tmp_path_factory.mktemp("deck") / "sample.duckdb"
    clone_warehouse(sample_warehouse, path)
    create_agreement(week="2014-W19", action="Visitar Meanguera y revisar obras de agua potable",
                     responsible="FISDL, gerencia de infraestructura", due_date=dt.date(2014, 5, 15),
                     created_by="prueba", role="analista", indicator_code="CSR-INFRA-01",
                     scope_code="1314", path=path)
    create_agreement(week="2014-W20", action="Solicitar a Nueva Trinidad los reportes atrasados",
                     responsible="STP, seguimiento", due_date=dt.date(2014, 5, 30), created_by="prueba",
                     role="analista", scope_code="0417", path=path)
    return path


@pytest.fixture(scope="module")
def deck_path(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deck_out") / "semanal.pptx"
    result = subprocess.run([sys.executable, "-m", "reports", "weekly", "--out", str(out), "--warehouse", str(warehouse)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Presentación escrita" in result.stdout
    return out


@pytest.fixture(scope="module")
def deck(deck_path):
    return Presentation(str(deck_path))


def sql(warehouse, query, params=()):
    with read_connection(warehouse) as con:
        return con.execute(query, list(params)).fetchall()


def tables(slide):
    return [shape.table for shape in slide.shapes if shape.has_table]


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_default_week_is_the_week_under_review(deck):
    assert deck.slides[0].shapes.title.text == TITLES[0]


def test_slides_in_meeting_order_16_9(deck):
    assert [s.shapes.title.text for s in deck.slides] == TITLES
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_title_slide_says_sample(deck):
    assert "DATOS DE MUESTRA" in slide_text(deck.slides[0])
    assert "12 al 18 de mayo de 2014" in slide_text(deck.slides[0])


def test_every_slide_has_speaker_notes(deck):
    for slide in deck.slides:
        assert slide.has_notes_slide and len(slide.notes_slide.notes_text_frame.text) > 20, slide.shapes.title.text


def test_pictures_are_full_resolution_pngs(deck):
    pictures = {i: [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
                for i, slide in enumerate(deck.slides)}
    for index in (1, 2, 3, 4, 5, 6, 8):          # KPIs, four ejes, map, budget
        assert len(pictures[index]) == 1, TITLES[index]
        image = pictures[index][0].image
        assert image.content_type == "image/png" and image.size[0] >= 3199, TITLES[index]


def test_kpi_table_equals_semaforo_counts(deck, warehouse):
    counts = dict(sql(warehouse, """SELECT semaforo, count(*) FROM mart_progress_asof(?::DATE)
                                    WHERE scope_type = 'nacional' GROUP BY 1""", [WEEK_END]))
    table = rows(tables(deck.slides[1])[0])
    assert table[0] == ["Semáforo", "Indicadores", "% con meta"]
    shown = {r[0].split(" ", 1)[1]: int(r[1]) for r in table[1:-1]}
    assert shown == counts
    assert table[-1][:2] == ["Total", str(sum(counts.values()))]
    # the KPI is the home page's tile: verde among indicators with a target ('sin meta' left out)
    verde, with_target = sql(warehouse, """SELECT count(*) FILTER (WHERE semaforo = 'verde'), count(*)
        FROM mart_progress_asof(?::DATE) WHERE scope_type = 'nacional' AND semaforo <> 'sin meta'""",
                             [WEEK_END])[0]
    assert fmt_percent(100 * verde / with_target) in slide_text(deck.slides[1])
    verde_row = next(r for r in table[1:-1] if r[0].endswith("verde"))
    assert verde_row[2] == fmt_percent(100 * verde / with_target)


def test_eje_slides_list_the_off_track_pairs(deck, warehouse):
    """Eje 2 (the lagging eje of the sample): the worst pairs are rojo, in the lagging municipalities."""
    slide = deck.slides[3]
    table = rows(tables(slide)[0])
    assert table[0] == ["Indicador", "Ámbito", "Avance", "Esperado", "Semáforo"]
    rojo = sql(warehouse, """SELECT count(*) FROM mart_progress_asof(?::DATE) p JOIN indicators i
        ON i.code = p.indicator_code WHERE p.scope_type = 'municipio' AND i.eje_id = 2 AND p.semaforo = 'rojo'""",
               [WEEK_END])[0][0]
    assert f"{rojo:,} pares en rojo" in slide_text(slide)
    national = [r for r in table[1:] if r[1] == "Nacional"]
    assert table[1:1 + len(national)] == national                 # the country's off-track indicators first
    assert all(r[4] in ("■ rojo", "▲ amarillo") for r in national)
    municipal = table[1 + len(national):]
    assert municipal and all(r[4] == "■ rojo" for r in municipal)
    worst = sql(warehouse, """SELECT p.indicator_code, m.municipality, p.percent FROM mart_progress_asof(?::DATE) p
        JOIN indicators i ON i.code = p.indicator_code JOIN municipalities m ON m.code = p.scope_code
        WHERE p.scope_type = 'municipio' AND i.eje_id = 2 AND p.semaforo = 'rojo'
        ORDER BY p.ratio, p.indicator_code, p.scope_code LIMIT 1""", [WEEK_END])[0]
    assert municipal[0][:3] == [worst[0], worst[1], fmt_percent(worst[2])]
    cell = tables(slide)[0].cell(1 + len(national), 4)
    assert str(cell.fill.fore_color.rgb) == "D7191C"          # the semáforo's colour


def test_budget_table_equals_the_budget_rows(deck, warehouse):
    # annual modified, accrued to the week (docs/method.md, Budget)
    expected = {code: (modified, accrued) for code, modified, accrued in sql(warehouse, """
        SELECT program_code, sum(modified), sum(accrued) FILTER (WHERE month <= ?::DATE) FROM stg_budget_current
        WHERE year(month) = 2014 GROUP BY 1""", [WEEK_END])}
    table = rows(tables(deck.slides[9])[0])
    assert table[0] == ["Programa", "Modificado", "Devengado", "Ejecución %", "Oportunidad %"]
    assert len(table) - 1 == len(expected)
    for program, modified, accrued, execution, _ in table[1:]:
        code = program.split(" · ")[0]
        assert modified == fmt_money(expected[code][0]) and accrued == fmt_money(expected[code][1])
        assert execution == fmt_percent(round(100 * expected[code][1] / expected[code][0], 1))
    assert table[1][0].startswith("CSR-INFRA")                  # the under-executing program comes first


def test_agreements_table_lists_open_ones_overdue_first(deck, warehouse):
    table = rows(tables(deck.slides[10])[0])
    assert table[0][:3] == ["N.º", "Acuerdo", "Responsable"]
    ids = [r[0] for r in sql(warehouse, "SELECT agreement_id FROM agreements WHERE status = 'abierto' ORDER BY due_date")]
    assert [r[0] for r in table[1:]] == [str(i) for i in ids]
    assert table[1][1].startswith("Visitar Meanguera") and table[1][7] == "3"     # due 15/05, week ends 18/05
    assert table[2][7] == "—"
    assert "1 vencidos" in slide_text(deck.slides[10])


def test_quality_slide_names_the_late_municipalities(deck):
    from sample.story import LATE_MUNICIPALITIES
    table = rows(tables(deck.slides[11])[0])
    # the story's late reporters (every indicator late) lead the ten most late municipalities
    assert len(table) - 1 == 10
    assert sorted(r[0] for r in table[1:4]) == sorted(LATE_MUNICIPALITIES)


def test_changes_slide_counts_match_snapshots(deck, warehouse):
    changed = sql(warehouse, """SELECT count(*) FROM mart_progress_weekly cur JOIN mart_progress_weekly prev
        ON prev.week = '2014-W19' AND prev.indicator_code = cur.indicator_code AND prev.scope_type = cur.scope_type
        AND prev.scope_code = cur.scope_code WHERE cur.week = '2014-W20' AND cur.semaforo <> prev.semaforo""")[0][0]
    assert f"Cambios de semáforo: {changed:,}" in slide_text(deck.slides[7])


def test_cli_rejects_a_bad_week(warehouse, tmp_path):
    result = subprocess.run([sys.executable, "-m", "reports", "weekly", "--week", "2014-20", "--out",
                             str(tmp_path / "x.pptx"), "--warehouse", str(warehouse)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Semana inválida" in result.stderr
    assert not (tmp_path / "x.pptx").exists()


def test_cli_on_a_missing_warehouse_fails_before_starting_a_browser(tmp_path, monkeypatch):
    import reports.deck as deck
    started = []
    monkeypatch.setattr(deck, "ensure_server", lambda: started.append(1))
    for week in (None, "2014-W20"):
        with pytest.raises(WarehouseMissing):
            deck.build_weekly_deck(week, SYSTEM, path=tmp_path / "x.pptx", warehouse=tmp_path / "no.duckdb")
    assert started == [] and not (tmp_path / "x.pptx").exists()


def test_build_weekly_deck_returns_bytes_for_a_past_week(warehouse, tmp_path):
    from reports.deck import build_weekly_deck
    timings = {}
    data = build_weekly_deck("2014-W19", SYSTEM, path=tmp_path / "w19.pptx", warehouse=warehouse, timings=timings)
    assert data[:2] == b"PK" and (tmp_path / "w19.pptx").read_bytes() == data
    deck = Presentation(str(tmp_path / "w19.pptx"))
    assert deck.slides[0].shapes.title.text == "Reunión semanal de seguimiento · Semana 2014-W19"
    assert set(timings) >= {"queries", "images", "slides", "total"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed: no PDF conversion")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdf_conversion(deck_path, tmp_path):
    from reports.deck import convert_to_pdf
    pdf = convert_to_pdf(deck_path, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{len(TITLES)}$", info, re.MULTILINE), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ejecución presupuestaria" in text and "Qué cambió esta semana" in text


def test_changes_slide_lists_worsenings_first(deck, warehouse):
    """The table of semáforo changes opens with what got worse (rojo below amarillo below verde)."""
    rank = {"rojo": 0, "amarillo": 1, "verde": 2}
    table = tables(deck.slides[7])[0]
    moves = []
    for row in rows(table)[1:]:
        states = re.findall(r"(rojo|amarillo|verde|en inicio|sin dato|sin meta)", row[2])
        moves.append((rank.get(states[0]), rank.get(states[-1])))
    worse = [after < before for before, after in moves if None not in (before, after)]
    assert worse and worse[0], rows(table)[:3]
    assert worse == sorted(worse, reverse=True)       # every worsening before any other change
    # the same rows, in the same order, as Resumen's list of semáforo changes (one order, in SQL)
    from warehouse.queries.home import week_semaforo_changes
    moved = week_semaforo_changes(WEEK, "2014-W19", SYSTEM, path=warehouse)
    assert [r[0] for r in rows(table)[1:]] == moved["indicator_code"].head(len(rows(table)) - 1).to_list()


def test_footer_says_the_data_date_and_the_filters(deck):
    text = slide_text(deck.slides[2])
    assert "datos al 18 de mayo de 2014" in text and "CSU y CSR · Nacional" in text


def test_deck_follows_the_filters_it_was_made_from(warehouse, tmp_path):
    """Made from Rurales (CSR) and San Salvador: every slide says so and the KPI counts are the
    department's, for CSR indicators only."""
    from reports.deck import build_weekly_deck
    from warehouse.queries.home import semaforo_counts
    out = tmp_path / "csr_06.pptx"
    build_weekly_deck(WEEK, SYSTEM, path=out, warehouse=warehouse, intervention="CSR", department="06")
    deck = Presentation(str(out))
    assert "Rurales (CSR) · Departamento de San Salvador" in slide_text(deck.slides[0])
    assert "Departamento de San Salvador" in slide_text(deck.slides[3])
    counts = semaforo_counts(WEEK_END, SYSTEM, intervention="CSR", department="06", path=warehouse)
    national = semaforo_counts(WEEK_END, SYSTEM, path=warehouse)
    assert counts["indicators"].sum() < national["indicators"].sum()
    kpi_notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "departamento de San Salvador" in kpi_notes
