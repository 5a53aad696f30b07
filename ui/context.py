"""Page context: the viewer, the warehouse status and the header every page shows."""
from __future__ import annotations

import sys

import streamlit as st

from charts.style import fmt_date
from warehouse import queries
from warehouse.query import Viewer
from warehouse.store import WarehouseMissing


def current_viewer() -> Viewer:
    """The viewer of this session, from the signed-in user (never from the server's environment):
    Viewer(name=..., role=..., municipality=...); the demo viewer without a users file; a session
    with nobody signed in stops here (ui/auth.py)."""
    from ui.auth import session_viewer
    return session_viewer()


def _leave_legacy_pages_mode() -> None:
    """Route a deep link opened on a fresh server through app.py's st.navigation.

    Streamlit treats a `pages/` folder beside the main script as a v1 multipage app until
    st.navigation has run once in the process; until then a first request to e.g. /ejes runs the
    page file alone (file-name sidebar, no page config). Clearing the flag and rerunning sends the
    request through app.py, which keeps the URL's page and query parameters. AppTest resets
    that flag before every run and runs the page directly, so under AppTest there is nothing
    to reroute (the browser tests cover the real server).
    """
    from streamlit.runtime.pages_manager import PagesManager

    under_apptest = "streamlit.testing.v1.app_test" in sys.modules
    if PagesManager.uses_pages_directory and not under_apptest:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str, subtitle: str | None = None) -> dict:
    """Title, sample banner and as-of date; stops the page with a clear message if no warehouse."""
    _leave_legacy_pages_mode()
    st.title(title)
    try:
        status = queries.status(current_viewer())
    except WarehouseMissing as exc:
        st.error(str(exc))
        st.stop()
    if status["is_sample"]:
        st.warning("**Datos de muestra**: las cifras de este tablero son ficticias, generadas para "
                   "demostración; no son estadísticas oficiales.", icon=":material/science:")
    caption = f"Datos al {fmt_date(status['as_of'])}" if status["as_of"] else "El almacén aún no tiene mediciones."
    st.caption(caption + (f" · {subtitle}" if subtitle else ""))
    return status


def stop_without_measurements(status: dict,
                              message: str = "El almacén no tiene mediciones todavía: cargue archivos en «Cargar datos».") -> None:
    """The empty state of a page that needs a week under review: say what is missing and stop."""
    if not status["as_of"]:
        st.info(message)
        st.stop()
