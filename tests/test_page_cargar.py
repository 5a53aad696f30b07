"""Cargar datos: validation report before committing, commit through the loader, nothing written otherwise."""
from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import warehouse.store as store
from ui.upload import can_commit, preview, problems_frame, save_upload, template_bytes, verdict
from warehouse.store import clone_warehouse, read_connection, version_token, write_lock
from tests.conftest import open_page

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "loaders"
USER = "ana.analista"          # signed in with the analista role (the one that may upload)

# three new weekly values for existing CSR municipalities and one row with an unknown municipality
GOOD = ("Indicador,Código Municipio,Período,Valor\n"
        "CSR-BONO-04,0106,2014-W21,5\nCSR-BONO-04,0107,2014-W21,6\nCSR-BONO-04,0108,2014-W21,7\n").encode()
MIXED = GOOD + b"CSR-BONO-04,9999,2014-W21,8\n"


@pytest.fixture()
def wh(sample_warehouse, tmp_path, monkeypatch, signed_in) -> Path:
    """A private copy of the sample warehouse, used by the page through SPSU_WAREHOUSE."""
    path = tmp_path / "copy.duckdb"
    clone_warehouse(sample_warehouse, path)
    assert counts(path)["measurements"] > 100_000, f"{sample_warehouse} is not the full sample: rebuild it"
    monkeypatch.setenv("SPSU_WAREHOUSE", str(path))
    signed_in("analista", name=USER)
    return path


def counts(path: Path) -> dict:
    with read_connection(path) as con:
        row = con.execute("SELECT (SELECT count(*) FROM load_log), (SELECT count(*) FROM measurements), "
                          "(SELECT count(*) FROM quarantine)").fetchone()
    return dict(zip(("load_log", "measurements", "quarantine"), row))


def page() -> AppTest:
    return open_page("cargar", user=USER)


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    return at.file_uploader(key="u_file").set_value((name, content, "text/csv")).run()


def metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def test_page_renders_with_limit_types_and_templates(wh):
    at = page()
    assert not at.exception
    uploader = at.file_uploader(key="u_file")
    assert {"csv", "xlsx", "parquet"} <= {t.lstrip(".") for t in uploader.allowed_type}
    text = " ".join(m.value for m in at.markdown)
    assert "20 MB" in text and "Windows-1252" in text and "2014-W20" in text and "12/05/2014" in text
    assert any(b.label == "Descargar plantilla XLSX" for b in at.get("download_button"))
    assert "Suba un archivo" in at.info[0].value
    assert not [b for b in at.button if b.label == "Confirmar carga"]


def test_good_file_previews_then_commits(wh):
    before, token = counts(wh), version_token(wh)
    at = upload(page(), "mediciones_semana21.csv", GOOD)
    assert not at.exception
    got = metrics(at)
    assert (got["Filas leídas"], got["Filas que se cargarían"], got["Filas a cuarentena"]) == ("3", "3", "0")
    assert "Sin errores" in at.success[0].value
    assert version_token(wh) == token and counts(wh) == before          # the preview wrote nothing

    at.button(key="u_confirm").click().run()
    assert not at.exception
    after = counts(wh)
    assert after["load_log"] == before["load_log"] + 1
    assert after["measurements"] == before["measurements"] + 3
    with read_connection(wh) as con:
        load_id, by, name, loaded = con.execute(
            "SELECT load_id, loaded_by, file_name, rows_loaded FROM load_log ORDER BY load_id DESC LIMIT 1").fetchone()
    assert (by, name, loaded) == (USER, "mediciones_semana21.csv", 3)   # viewer's name, original file name
    assert any(f"Carga n.º {load_id}" in s.value and "carga completa" in s.value for s in at.success)
    assert not [b for b in at.button if b.label == "Confirmar carga"]  # one click, one load
    at.run()
    assert counts(wh) == after


def test_mixed_file_commits_valid_rows_and_quarantines_the_rest(wh):
    before = counts(wh)
    at = upload(page(), "mixto.csv", MIXED)
    assert any("cuarentena" in w.value for w in at.warning), [e.value for e in at.error] + [m.value for m in at.metric]
    problems = next(d.value for d in at.dataframe if "motivo" in d.value.columns)
    assert list(problems.columns[:6]) == ["archivo", "fila", "columna", "valor", "motivo", "mensaje"]
    assert problems.iloc[0][["fila", "columna", "valor", "motivo"]].tolist() == [5, "Código Municipio", "9999",
                                                                                "Municipio desconocido"]
    at.button(key="u_confirm").click().run()
    after = counts(wh)
    assert (after["measurements"] - before["measurements"], after["quarantine"] - before["quarantine"]) == (3, 1)
    assert any("código de salida 1" in w.value for w in at.warning)


@pytest.mark.parametrize("name, rule", [("measurements_bad.csv", "Indicador desconocido"),
                                        ("measurements_missing_cols.csv", "Faltan columnas")])
def test_bad_file_shows_report_and_changes_nothing(wh, name, rule):
    before, token = counts(wh), version_token(wh)
    at = upload(page(), name, (DATA / name).read_bytes())
    assert not at.exception
    assert at.error, "a bad file gets an error verdict"
    problems = next(d.value for d in at.dataframe if "motivo" in d.value.columns)
    assert rule in set(problems["motivo"]) and (problems["archivo"] == name).all()
    assert not [b for b in at.button if b.label == "Confirmar carga"]
    assert version_token(wh) == token and counts(wh) == before


def test_busy_warehouse_says_so_and_changes_nothing(wh, monkeypatch):
    monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.3)
    at = upload(page(), "mediciones.csv", GOOD)
    before, token = counts(wh), version_token(wh)
    held, release = threading.Event(), threading.Event()

    def other_load():
        with write_lock(wh):
            held.set()
            release.wait(30)
    worker = threading.Thread(target=other_load)
    worker.start()
    try:
        held.wait(10)
        at.button(key="u_confirm").click().run()
    finally:
        release.set()
        worker.join()
    assert any("ocupado" in e.value and "no se cambió nada" in e.value for e in at.error)
    assert version_token(wh) == token and counts(wh) == before
    at.button(key="u_confirm").click().run()             # the lock is free again: the same file loads
    assert counts(wh)["measurements"] == before["measurements"] + 3


def test_handlers_directly(wh):
    path = save_upload("../../etc/Mediciones mayo.csv", MIXED)
    assert path.name == "Mediciones mayo.csv" and path.read_bytes() == MIXED
    report = preview(path, "measurements")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (4, 3, 1) and can_commit(report)
    assert verdict(report)[0] == "warning"
    assert problems_frame(report).select("fila", "motivo").row(0) == (5, "Municipio desconocido")
    bad = preview(DATA / "measurements_bad.csv", "measurements")
    assert bad.rows_loaded == 0 and not can_commit(bad) and verdict(bad)[0] == "error"


def test_template_is_an_xlsx_with_data_and_codes_sheets(wh):
    data = template_bytes("measurements")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = z.read("xl/workbook.xml").decode()
    assert 'name="datos"' in workbook and 'name="codigos"' in workbook


def test_validation_report_downloads(wh):
    from tests.conftest import assert_exports
    at = upload(page(), "mixto.csv", MIXED)
    assert not at.exception
    assert_exports(at, images=0)


def test_same_file_twice_says_nothing_changed(wh):
    at = upload(page(), "mediciones_semana21.csv", GOOD)
    at.button(key="u_confirm").click().run()
    first = counts(wh)
    at = upload(page(), "mediciones_semana21.csv", GOOD)
    at.button(key="u_confirm").click().run()
    assert not at.exception and not at.error
    assert any("ya se cargó" in i.value or "ya se había cargado" in i.value for i in at.info)
    assert counts(wh) == first


def test_unchanged_template_is_refused_in_spanish(wh):
    """The template as downloaded has no data rows: its example (sheet 'ejemplo') is never loaded."""
    from ui.upload import template_bytes
    before = counts(wh)
    at = upload(page(), "plantilla_measurements.xlsx", template_bytes("measurements", wh))
    assert not at.exception
    assert at.error, "an empty template gets an error verdict"
    problems = next(d.value for d in at.dataframe if "motivo" in d.value.columns)
    assert set(problems["motivo"]) == {"Archivo vacío"}
    assert any("no tiene filas de datos" in m for m in problems["mensaje"])
    assert not [b for b in at.button if b.label == "Confirmar carga"]
    assert counts(wh) == before
