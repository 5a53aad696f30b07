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
    "cargar": '[data-testid="stFileUploader"]',
    "cadena?cadena=CSU-BONO": PLOT, "focalizacion": MAP,          # issue 13
}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_warehouse):
    port = free_port()
    env = {**os.environ, "SPSU_WAREHOUSE": str(sample_warehouse)}
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
    yield url
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
