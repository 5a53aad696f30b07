"""Each page's queries and render times, through the app as a user opens it.

A page is opened under Streamlit's AppTest (app.py's navigation, as tests/conftest.open_page) with
`warehouse.query.fetch` wrapped to record every (sql, params) it asks and the time spent in it:
the first render, with the query cache and st.cache_data empty, gives the page's *cold* query time
and first render; a second render (caches warm) gives the warm render. The recorded queries are then
replayed N times with the result cache bypassed (through `warehouse.query.run`, the read path
`fetch` uses) for p50 and p95 of the page's total. Cold is the first time the process asks (file pages may
already be in the OS cache); on a machine shared with other work a warm p50 can exceed it.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.paths import ROOT

PAGE_RE = re.compile(r'st\.Page\("pages/(\w+)\.py",\s*title="([^"]+)"')


def app_pages() -> list[tuple[str, str]]:
    """(page file stem, title) in the app's navigation order, read from app.py."""
    return PAGE_RE.findall((ROOT / "app.py").read_text(encoding="utf-8"))


@dataclass
class PageRun:
    page: str
    title: str
    queries: list = field(default_factory=list)   # distinct (sql, params), in first-asked order
    cold_s: float = 0.0                           # time inside fetch on the first render
    render_first_s: float = 0.0
    render_warm_s: float = 0.0
    errors: list = field(default_factory=list)    # exceptions the page showed
    warm_runs: list = field(default_factory=list)


class _Recorder:
    """Wraps warehouse.query.fetch everywhere it was imported; records calls while `page` is set."""

    def __init__(self):
        import importlib
        import pkgutil

        import warehouse.queries as queries
        from warehouse import query

        for mod in pkgutil.iter_modules(queries.__path__):
            importlib.import_module(f"warehouse.queries.{mod.name}")
        self.original = query.fetch
        self.current: PageRun | None = None
        self.seen: set = set()
        recorder = self

        def fetch(sql, params=(), path=None):
            t0 = time.perf_counter()
            try:
                return recorder.original(sql, params, path)
            finally:
                run = recorder.current
                if run is not None:
                    run.cold_s += time.perf_counter() - t0
                    key = (sql, tuple(params))
                    if key not in recorder.seen:
                        recorder.seen.add(key)
                        run.queries.append(key)

        self.wrapper = fetch
        self.patched = [m for m in list(sys.modules.values())
                        if getattr(m, "fetch", None) is self.original]
        for m in self.patched:
            m.fetch = fetch

    def close(self) -> None:
        for m in self.patched:
            m.fetch = self.original


def _quiet_streamlit() -> None:
    """Streamlit warns about the missing runtime when caches are cleared outside a script run."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _clear_caches() -> None:
    import streamlit as st

    _quiet_streamlit()
    from warehouse import query

    query._cache.clear()
    query._catalogs.clear()
    query._readiness.clear()
    st.cache_data.clear()


def _render(page: str, timeout: int) -> tuple[float, list[str]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.switch_page(f"pages/{page}.py")
    t0 = time.perf_counter()
    at.run()
    took = time.perf_counter() - t0
    return took, [e.value if hasattr(e, "value") else str(e) for e in at.exception]


def record_pages(timeout: int = 1800, log=print) -> list[PageRun]:
    """Open every page twice under AppTest (cold, then warm), recording its queries."""
    import duckdb, pandas, plotly.graph_objects, polars, pyarrow  # noqa: E401, F401  (as app.start_server)

    recorder = _Recorder()
    runs = []
    try:
        for page, title in app_pages():
            run = PageRun(page, title)
            recorder.seen = set()
            _clear_caches()
            recorder.current = run
            run.render_first_s, run.errors = _render(page, timeout)
            recorder.current = None
            run.render_warm_s, _ = _render(page, timeout)
            log(f"  {title:<22} {len(run.queries):>3} consultas, 1.ª {run.render_first_s:6.2f} s, "
                f"después {run.render_warm_s:5.2f} s")
            runs.append(run)
    finally:
        recorder.close()
    return runs


def replay(path: Path, queries: list, runs: int, budget_s: float) -> list[float]:
    """Seconds per run of all `queries` through the product's read path (`warehouse.query.run`: the
    cached catalog attachment, side files per query) with the result cache bypassed; fewer runs (at
    least 3) if one run is long."""
    from warehouse.query import run

    def once() -> float:
        t0 = time.perf_counter()
        for sql, params in queries:
            run(sql, params, path)
        return time.perf_counter() - t0

    first = once()
    n = runs if first * runs <= budget_s else max(3, int(budget_s / max(first, 1e-9)))
    return [first] + [once() for _ in range(n - 1)]
