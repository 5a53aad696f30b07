"""Rendición de cuentas: `python -m reports accountability` and the Programas page's buttons make a PDF with
real text whose figures are the warehouse's (read back with pypdf), in a technical and a one-page
citizen version, marked as sample data, with small counts shown as "< 5"."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from pypdf import PdfReader

from charts.style import fmt_money, fmt_percent
from reports.accountability import count_text, title_of
from reports.accountability_data import gather
from tests.conftest import open_page
from warehouse.queries import coverage
from warehouse.queries.budget import budget_totals
from warehouse.queries.logframe import logframe_indicators
from warehouse.query import Viewer

ROOT = Path(__file__).resolve().parent.parent
VIEWER = Viewer(role="direccion", name="prueba")
PROGRAM, YEAR = "CSR-BONO", 2014


def cli(*args):
    return subprocess.run([sys.executable, "-m", "reports", "accountability", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def technical(sample_warehouse, tmp_path_factory) -> tuple[PdfReader, str]:
    out = tmp_path_factory.mktemp("rc") / "tecnico.pdf"
    p = cli("--program", PROGRAM, "--year", YEAR, "--out", out, "--warehouse", sample_warehouse)
    assert p.returncode == 0, p.stdout + p.stderr
    return text_of(out.read_bytes())


@pytest.fixture(scope="module")
def citizen(sample_warehouse, tmp_path_factory) -> tuple[PdfReader, str]:
    out = tmp_path_factory.mktemp("rc") / "ciudadano.pdf"
    p = cli("--program", PROGRAM, "--year", YEAR, "--out", out, "--version", "ciudadana",
            "--warehouse", sample_warehouse)
    assert p.returncode == 0, p.stdout + p.stderr
    return text_of(out.read_bytes())


def test_accessible_document_properties(technical, sample_warehouse):
    reader, _ = technical
    data = gather(PROGRAM, YEAR, VIEWER, sample_warehouse)
    assert reader.metadata.title == title_of(data, "tecnica")
    assert reader.trailer["/Root"]["/Lang"] == "es-SV"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == title_of(data, "tecnica")
    flat = [i.title for group in reader.outline if isinstance(group, list) for i in group]
    assert flat[:7] == ["1. Resumen", "2. Matriz de marco lógico: metas y resultados", "3. Resumen del semáforo",
                        "4. Presupuesto ejecutado", "5. Cobertura de hogares (RUP)", "6. Acuerdos de seguimiento",
                        "7. Calidad de los datos y fuentes"]


def test_technical_figures_match_the_warehouse(technical, sample_warehouse):
    _, text = technical
    data = gather(PROGRAM, YEAR, VIEWER, sample_warehouse)
    # budget: the year's totals up to the report date
    b = budget_totals(data.as_of, viewer=VIEWER, program=PROGRAM, path=sample_warehouse)
    for amount in ("approved", "modified", "accrued", "paid"):
        assert fmt_money(b[amount]) in text, amount
    assert fmt_percent(b["execution_percent"]) in text
    # logframe: every indicator with its code; semáforo counts
    ind = logframe_indicators(PROGRAM, data.as_of, viewer=VIEWER, path=sample_warehouse)
    assert ind.height > 0 and all(code in text for code in ind["code"])
    green = int((ind["semaforo"] == "verde").sum())
    assert f"{green} de {ind.height} indicadores en verde" in text
    # coverage: the national row of the year's last quarter
    quarter = coverage.latest_quarter(VIEWER, YEAR, sample_warehouse)
    nat = coverage.program_coverage(PROGRAM, VIEWER, quarter, sample_warehouse).row(0, named=True)
    assert nat["level"] == "nacional" and not nat["served_suppressed"]
    assert f"{count_text(nat['served'])} hogares atendidos de {count_text(nat['eligible'])} elegibles ({quarter})" in text
    assert f"{100 * nat['coverage']:.1f} %" in text
    assert "DATOS DE MUESTRA" in text and "Fuentes:" in text


def test_citizen_version_is_one_plain_page(citizen, sample_warehouse):
    reader, text = citizen
    data = gather(PROGRAM, YEAR, VIEWER, sample_warehouse)
    assert len(reader.pages) == 1
    assert reader.metadata.title == title_of(data, "ciudadana")
    assert "DATOS DE MUESTRA" in text and "¿A cuántos hogares llegó?" in text
    nat = data.national
    assert f"{count_text(nat['served'])} hogares recibieron el programa, de {count_text(nat['eligible'])}" in text
    assert fmt_money(data.budget["modified"]) in text and fmt_money(data.budget["accrued"]) in text


def test_small_counts_are_not_published_in_the_report(sample_warehouse, tmp_path):
    """CSU-EMPR is rare in the sample: some departments have fewer than 5 households served."""
    quarter = coverage.latest_quarter(VIEWER, YEAR, sample_warehouse)
    rows = coverage.program_coverage("CSU-EMPR", VIEWER, quarter, sample_warehouse)
    hidden = rows.filter(rows["served_suppressed"])
    assert hidden.height >= 2          # primary and complementary
    out = tmp_path / "empr.pdf"
    assert cli("--program", "CSU-EMPR", "--year", YEAR, "--out", out, "--warehouse", sample_warehouse).returncode == 0
    _, text = text_of(out.read_bytes())
    for name in hidden["scope_name"]:
        after = text.split(name, 2)[-1][:40]          # the department's row in the coverage table
        assert "< 5" in after, (name, after)


def test_cli_refusals(sample_warehouse, tmp_path):
    p = cli("--program", "NO-EXISTE", "--year", YEAR, "--out", tmp_path / "x.pdf", "--warehouse", sample_warehouse)
    assert p.returncode == 1 and "NO-EXISTE" in p.stderr and not (tmp_path / "x.pdf").exists()
    p = cli("--program", PROGRAM, "--year", YEAR, "--out", tmp_path / "x.docx", "--warehouse", sample_warehouse)
    assert p.returncode == 2 and ".pdf" in p.stderr
    p = cli("--program", PROGRAM, "--year", 2031, "--out", tmp_path / "x.pdf", "--warehouse", sample_warehouse)
    assert p.returncode == 1 and "2031" in p.stderr


def test_programas_page_buttons_make_the_reports(sample_warehouse, monkeypatch):
    calls = {}
    real = st.download_button

    def recording(label, data, *args, **kwargs):
        calls[label] = (data, kwargs.get("file_name"))
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = open_page("programas", {"programa": PROGRAM})
    assert not at.exception, at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    for label, version in (("Informe técnico (PDF)", "tecnica"), ("Versión ciudadana (PDF)", "ciudadana")):
        assert buttons[label].deferred_file_id            # built on the click, not on every run
        make, name = calls[label]
        assert name == f"rendicion_de_cuentas_{PROGRAM}_{YEAR}_{version}.pdf"
        reader, text = text_of(make())
        assert reader.metadata.title == title_of(gather(PROGRAM, YEAR, VIEWER, sample_warehouse), version)
        assert "DATOS DE MUESTRA" in text
