"""Work a fresh dashboard server does before its first page, started by the launcher (ui/serve.py).

Streamlit runs app.py only when a browser connects, so without it the first visitor waits while the
server imports its heavy libraries and opens the warehouse. `start()` does that in a background thread
while the server starts and the browser loads Streamlit's own files; app.py calls `wait()` before its
first import, so two threads never import the same module at once (that once left pandas half
initialised). The work: the heavy imports, `prepare_at_start` (sweep, an older catalog's SQL brought up
to date), the catalog attached. Without the launcher (`streamlit run app.py`, AppTest) `wait()` returns at once.
"""
from __future__ import annotations

import threading

WAIT_SECONDS = 120
_done = threading.Event()
_started = False
_ok = False


def _work() -> None:
    global _ok
    try:
        import duckdb, pandas, plotly.graph_objects, polars, pyarrow  # noqa: E401, F401

        from warehouse import query
        from warehouse.housekeeping import prepare_at_start
        from warehouse.paths import warehouse_path

        path = warehouse_path()
        prepare_at_start(path)
        query.warm(path)
        _ok = True
    except Exception:      # noqa: BLE001  the first page meets the same error and says it in Spanish
        pass
    finally:
        _done.set()


def start() -> None:
    global _started
    _started = True
    threading.Thread(target=_work, name="spsu-preload", daemon=True).start()


def wait() -> bool:
    """Block until the preload has finished (at most WAIT_SECONDS); True if it ran to the end."""
    return _started and _done.wait(WAIT_SECONDS) and _ok
