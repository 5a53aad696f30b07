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
        [sys.executable, "-m", "ui.serve", "--server.headless", "true",
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


# --- issue 12: meeting-ready ---------------------------------------------------------------------

def _open(browser, url: str, width: int = 1440, height: int = 900, wait_for: str | None = None):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30_000)
    page.wait_for_selector('a[data-testid="stSidebarNavLink"]', state="attached", timeout=30_000)
    if wait_for:
        page.wait_for_selector(wait_for, timeout=45_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000)
    time.sleep(1.0)
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_resumen_path_opens_the_home_and_an_unknown_week_is_said(server, browser):
    page = _open(browser, f"{server}/resumen?semana=2013-W05&intervencion=CSR", wait_for=PLOT)
    try:
        _shot(page, "resumen_semana_inexistente")
        assert "/resumen" in page.url
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text("no está disponible").count() > 0
        assert page.get_by_text("Rurales (CSR)").count() > 0               # the intervention was kept
    finally:
        page.close()


def test_home_links_keep_the_context_and_open_the_municipality_at_its_profile(server, browser):
    page = _open(browser, f"{server}/?semana=2014-W19&intervencion=CSR", wait_for=PLOT)
    try:
        links = page.locator('[data-testid="stMain"] a[href*="municipios?"]')
        links.first.wait_for(timeout=30_000)
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs and all("semana=2014-W19" in h and "intervencion=CSR" in h for h in hrefs)
        fichas = page.locator('[data-testid="stMain"] a[href*="ficha?"]')
        assert fichas.count() and all("semana=2014-W19" in fichas.nth(i).get_attribute("href")
                                      for i in range(fichas.count()))
        links.first.click()
        page.wait_for_url("**/municipios?**", timeout=30_000)
        page.wait_for_selector("#perfil", timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        time.sleep(3.5)                                                   # the page scrolls once drawn
        _shot(page, "municipio_desde_resumen")
        assert "semana=2014-W19" in page.url and "intervencion=CSR" in page.url and "municipio=" in page.url
        top = page.locator("#perfil").bounding_box()["y"]
        assert 0 <= top < 300, f"the profile's heading is {top:.0f} px down the screen"
        # the filter bar's summary line names the week and intervention in force
        summary = page.locator(".st-key-filter_bar summary").first.text_content()
        assert "Semana 2014-W19" in summary and "Rurales (CSR)" in summary
    finally:
        page.close()


def test_a_department_travels_with_the_links(server, browser):
    page = _open(browser, f"{server}/?depto=06", wait_for=PLOT)
    try:
        assert page.get_by_text("Departamento de San Salvador").count() > 0   # not "Depto. 06"
        assert page.get_by_text("Depto. 06").count() == 0
        fichas = page.locator('[data-testid="stMain"] a[href*="ficha?"]')
        fichas.first.wait_for(timeout=30_000)
        assert all("depto=06" in fichas.nth(i).get_attribute("href") for i in range(fichas.count()))
    finally:
        page.close()


def test_off_track_links_show_avance_and_esperado_unclipped(server, browser):
    page = _open(browser, f"{server}/", wait_for=PLOT)
    try:
        links = page.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
        links.first.wait_for(timeout=30_000)
        texts = links.all_inner_texts()
        assert any("esperado" in t for t in texts)
        clipped = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPageLink"] p')]
            .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)""")
        assert clipped == []
    finally:
        page.close()


def test_budget_values_never_sit_under_the_programado_markers(server, browser):
    page = _open(browser, f"{server}/presupuesto", wait_for=PLOT)
    try:
        chart = page.locator(".js-plotly-plot").filter(has_text="Ejecución por programa").first
        chart.scroll_into_view_if_needed()
        time.sleep(1.0)
        chart.screenshot(path=str(SHOTS / "presupuesto_ejecucion_por_programa.png"))
        boxes = chart.evaluate("""c => {
            const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            return {labels: [...c.querySelectorAll('.scatterlayer .textpoint text')].map(r),
                    markers: [...c.querySelectorAll('.scatterlayer .points path.point')].map(r)}; }""")
        assert boxes["labels"] and boxes["markers"]
        overlaps = [(t, m) for t in boxes["labels"] for m in boxes["markers"]
                    if t[0] < m[2] and m[0] < t[2] and t[1] < m[3] and m[1] < t[3]]
        assert overlaps == []
    finally:
        page.close()


def test_uploader_is_explained_in_spanish(signed_server, browser):
    from tests.conftest import PASSWORD
    url, _ = signed_server                       # «Cargar datos» is for a signed-in analista
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{url}/cargar", wait_until="domcontentloaded")
        page.get_by_label("Usuario").wait_for(timeout=30_000)
        page.get_by_label("Usuario").fill("ana")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_selector('[data-testid="stFileUploader"]', timeout=45_000)
        _idle(page)
        uploader = page.locator('[data-testid="stFileUploader"]').first.bounding_box()
        note = page.get_by_text("Arrastre y suelte aquí el archivo").first
        box = note.bounding_box()
        assert box["y"] >= uploader["y"] + uploader["height"] - 2 and box["y"] - (uploader["y"] + uploader["height"]) < 60
    finally:
        page.close()


def test_phone_first_screen_shows_the_week_and_the_headline(server, browser):
    page = _open(browser, f"{server}/", 390, 844, wait_for=PLOT)
    try:
        page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
        time.sleep(0.5)
        _shot(page, "resumen_telefono_390x844")
        week = page.get_by_text("Semana en revisión: 2014-W").first.bounding_box()
        headline = page.locator('[data-testid="stMetric"]').filter(has_text="% en verde").first.bounding_box()
        assert week["y"] + week["height"] <= 844 and headline["y"] + headline["height"] <= 844
        # the filters are folded: their selectboxes are not on the screen, their summary line is
        assert not page.locator('[data-testid="stSelectbox"]').filter(has_text="Intervención").first.is_visible()
        assert page.get_by_text("Filtros · Semana").first.is_visible()
    finally:
        page.close()


# --- issue 11: sign-in ---------------------------------------------------------------------------

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
    from warehouse.store import read_connection
    with read_connection(warehouse) as con:               # other tests on this server signed in before
        before = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
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
    from warehouse.store import read_connection
    with read_connection(warehouse) as con:
        rows = con.execute("SELECT action, user_name, role FROM audit_log ORDER BY audit_id").fetchall()
    assert rows[before:] == [("sign_in_failed", "ana", ""), ("sign_in", "ana", "analista"),
                             ("sign_out", "ana", "analista")]
