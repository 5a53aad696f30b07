"""The app's cold start to a drawn home page, and the server's peak RSS.

`python -m ui.serve` (what `make run` starts: `streamlit run app.py` plus the preload) is started headless on a free port; with Debian's chromium (playwright, via
executable_path, launched before the clock starts: a user's browser is already open) the clock stops
when the home page shows its navigation and semáforo chart and the app is idle. Without a browser it stops at the HTTP health check plus an AppTest render of the home
page, and the method says so. Peak RSS is the server's VmHWM (/proc) after the home page is drawn.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from warehouse.paths import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _wait_health(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError("streamlit did not answer its health check")


def _draw(page, url: str, timeout_ms: int) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    page.wait_for_selector('a[data-testid="stSidebarNavLink"]', timeout=timeout_ms)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout_ms)


def _browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def cold_start(warehouse: Path, timeout: float = 900) -> dict:
    """Seconds from `python -m ui.serve` to a drawn home page, how it was observed, and server peak RSS.

    The browser is launched (and a blank page opened) before the clock starts: a user's browser is
    already running, so its launch is not the app's cold start (it was, until 2026-12-02: about 1.5 s
    of the 6.5 s then reported)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, SPSU_WAREHOUSE=str(warehouse), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "ui.serve", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with contextlib.ExitStack() as stack:
        page = None
        if _browser_available():
            from playwright.sync_api import sync_playwright

            p = stack.enter_context(sync_playwright())
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            stack.callback(browser.close)
            page = browser.new_page(viewport={"width": 1440, "height": 1200})
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_health(url, proc, timeout)
            health = time.perf_counter() - t0
            if page is not None:
                _draw(page, url, int(timeout * 1000))
                method = ("chromium (playwright, abierto antes del reloj): navegación, gráfico del semáforo "
                          "y app inactiva")
            else:
                from streamlit.testing.v1 import AppTest
                AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
                method = "sin navegador: salud HTTP + render AppTest de la página de inicio"
            took = time.perf_counter() - t0
            rss = _peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return dict(seconds=took, health_seconds=health, method=method, app_peak_rss_mb=rss)
