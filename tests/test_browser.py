"""A person's view: every page in headless Chromium (Debian's), no error box, its chart or map drawn.

Screenshots land in tests/artifacts/screenshots/ (look at them).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PLOT = ".js-plotly-plot .main-svg"
MAP = '[data-testid="stDeckGlJsonChart"] canvas'
# url path -> what must be drawn on it. The first one is a deep link opened on a fresh server
# (it must still go through app.py's navigation); the home is served at "/".
PAGES = {
    "ejes?eje=2": PLOT, "": PLOT, "municipios": MAP, "programas": PLOT, "ficha": PLOT,
    "presupuesto": PLOT, "odm1": PLOT, "acuerdos": None, "calidad": PLOT,
    "cadena?cadena=CSU-BONO": PLOT, "focalizacion": MAP,          # issue 13
}   # «Cargar datos» is not offered in demonstration mode: test_link_sign_in_then_its_page_then_sign_out

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(warehouse: Path, users: Path):
    port = free_port()
    env = {**os.environ, "SPSU_WAREHOUSE": str(warehouse), "SPSU_USERS": str(users)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    return proc, url


@pytest.fixture(scope="module")
def server(sample_warehouse, tmp_path_factory):
    """The dashboard in demonstration mode (no users file)."""
    proc, url = start_server(sample_warehouse, tmp_path_factory.mktemp("demo") / "users.toml")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_server(sample_warehouse, tmp_path_factory):
    """The dashboard with a users file holding one analista, on a private copy of the sample
    (sign-in writes the audit trail)."""
    from tests.conftest import PASSWORD
    from warehouse.users import add_user
    folder = tmp_path_factory.mktemp("signed")
    warehouse = folder / "sample.duckdb"
    from warehouse.store import clone_warehouse
    clone_warehouse(sample_warehouse, warehouse)
    add_user("ana", "analista", PASSWORD, path=folder / "users.toml")
    proc, url = start_server(warehouse, folder / "users.toml")
    yield url, warehouse
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("page_path", list(PAGES))
def test_page_renders_without_error_and_draws(server, browser, page_path):
    page = browser.new_page(viewport={"width": 1440, "height": 2400})
    try:
        page.goto(f"{server}/{page_path}", wait_until="domcontentloaded")
        page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30_000)
        page.wait_for_selector('a[data-testid="stSidebarNavLink"]', timeout=30_000)
        if PAGES[page_path]:
            page.wait_for_selector(PAGES[page_path], timeout=45_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000)
        time.sleep(1.0)
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = page_path.split("?")[0] or "resumen"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        # the app's own navigation (titles), not the file names of a bare pages/ folder
        assert "Resumen ejecutivo" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Datos de muestra").count() > 0
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.first.inner_text()
    finally:
        page.close()


def test_municipios_map_fills_a_meeting_screen(server, browser):
    """At 1440 × 900 the map takes the page's width with the country filling it (look at the shot)."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{server}/municipios", wait_until="domcontentloaded")
        page.wait_for_selector(MAP, timeout=45_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000)
        chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
        chart.evaluate("e => e.scrollIntoView({block: 'center'})")
        time.sleep(1.5)
        box = chart.bounding_box()
        assert box["width"] > 900 and box["height"] >= 500
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "municipios_mapa_1440x900.png"))
        chart.screenshot(path=str(SHOTS / "municipios_mapa.png"))
    finally:
        page.close()


def _idle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000)


def test_demo_mode_banner_and_no_upload(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    try:
        page.goto(f"{server}/", wait_until="domcontentloaded")
        page.wait_for_selector('a[data-testid="stSidebarNavLink"]', timeout=30_000)
        page.get_by_text("Modo de demostración").first.wait_for(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Cargar datos" not in nav and "Acuerdos" in nav
    finally:
        page.close()


def test_link_sign_in_then_its_page_then_sign_out(signed_server, browser):
    from tests.conftest import PASSWORD
    url, warehouse = signed_server
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    try:
        page.goto(f"{url}/cargar", wait_until="domcontentloaded")      # a link, opened before signing in
        page.get_by_label("Usuario").wait_for(timeout=30_000)
        assert page.locator('a[data-testid="stSidebarNavLink"]').count() == 0      # nothing before sign-in
        page.get_by_label("Usuario").fill("ana")
        page.get_by_label("Contraseña").fill("no-es-la-clave")
        page.get_by_role("button", name="Entrar").click()
        page.get_by_text("Usuario o contraseña incorrectos.").wait_for(timeout=30_000)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_selector('a[data-testid="stSidebarNavLink"]', timeout=45_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Analista").first.wait_for(timeout=30_000)
        assert "ana" in sidebar.inner_text()
        page.wait_for_selector('[data-testid="stFileUploader"]', timeout=45_000)   # the link's page, once in
        assert page.url.split("?")[0].endswith("/cargar")
        _idle(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "cargar_analista.png"), full_page=True)
        page.get_by_role("button", name="Cerrar sesión").click()
        page.get_by_label("Usuario").wait_for(timeout=30_000)
        assert page.locator('a[data-testid="stSidebarNavLink"]').count() == 0
    finally:
        page.close()
    import duckdb
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT action, user_name, role FROM audit_log ORDER BY audit_id").fetchall()
    assert rows == [("sign_in_failed", "ana", ""), ("sign_in", "ana", "analista"), ("sign_out", "ana", "analista")]
