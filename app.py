"""Tablero SPSU: the one list of pages and the shared page configuration."""
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Tablero SPSU", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")


@st.cache_resource(show_spinner=False)
def start_server() -> bool:
    """Once per server process, before any page: import the heavy libraries (sessions that start together
    then wait here instead of importing them at the same time, which once left 'pandas' partially
    initialised in one of them), remove leftovers of killed loads and builds and bring a catalog
    written by older code to this code's SQL. Under the launcher (ui/serve.py) its preload has done
    this already: wait for it, then the imports are instant."""
    from ui import preload

    preloaded = preload.wait()
    import duckdb, pandas, plotly.graph_objects, polars, pyarrow  # noqa: E401, F401

    from warehouse.housekeeping import prepare_at_start
    from warehouse.paths import warehouse_path

    if not preloaded:
        prepare_at_start(warehouse_path())
    return True


start_server()

from ui.auth import demo_banner, demo_mode, sidebar_identity, sign_in_page, signed_in_viewer  # noqa: E402
from ui.context import current_viewer  # noqa: E402
from warehouse.permissions import allowed  # noqa: E402

HOME = st.Page("pages/resumen.py", title="Resumen ejecutivo", icon=":material/home:", url_path="resumen")


def _root() -> None:
    """The app's root (/) opens the home at its own path /resumen with the same query parameters, so
    both addresses work (a default page at / would leave /resumen as 'Page not found')."""
    st.switch_page(HOME, query_params=st.query_params.to_dict())


def pages_for(role: str) -> dict:
    """The navigation a role sees: «Cargar datos» for roles that may upload, «Usuarios» for admin."""
    management = [
        st.Page("pages/acuerdos.py", title="Acuerdos", icon=":material/handshake:", url_path="acuerdos"),
        st.Page("pages/calidad.py", title="Calidad de datos", icon=":material/fact_check:", url_path="calidad"),
    ]
    if allowed(role, "upload"):
        management.append(st.Page("pages/cargar.py", title="Cargar datos", icon=":material/upload_file:",
                                  url_path="cargar"))
    if allowed(role, "users"):
        management.append(st.Page("pages/usuarios.py", title="Usuarios", icon=":material/group:", url_path="usuarios"))
    management.append(st.Page(_root, title="Inicio", url_path="inicio", default=True, visibility="hidden"))
    return {
        "Seguimiento": [
            HOME,
            st.Page("pages/ejes.py", title="Ejes", icon=":material/view_column:", url_path="ejes"),
            st.Page("pages/municipios.py", title="Municipios", icon=":material/map:", url_path="municipios"),
            st.Page("pages/programas.py", title="Programas", icon=":material/account_tree:", url_path="programas"),
            st.Page("pages/ficha.py", title="Ficha técnica", icon=":material/description:", url_path="ficha"),
            st.Page("pages/cadena.py", title="Cadena de valor", icon=":material/trending_flat:", url_path="cadena"),
            st.Page("pages/focalizacion.py", title="Focalización", icon=":material/my_location:", url_path="focalizacion"),
        ],
        "Recursos y metas": [
            st.Page("pages/presupuesto.py", title="Presupuesto", icon=":material/payments:", url_path="presupuesto"),
            st.Page("pages/odm1.py", title="ODM 1", icon=":material/flag:", url_path="odm1"),
        ],
        "Gestión": management,
    }


# sign-in gate: with a users file, nothing but the sign-in form until someone signs in. Every page's URL
# shows the form, so a link (e.g. /municipios?municipio=0101) opens its page once signed in.
if not demo_mode() and signed_in_viewer() is None:
    urls = [page.url_path for section in pages_for("analista").values() for page in section
            if page.url_path not in ("", "inicio")] + ["usuarios"]
    st.navigation([st.Page(sign_in_page, title="Iniciar sesión", icon=":material/login:", url_path=url)
                   for url in urls]
                  + [st.Page(sign_in_page, title="Iniciar sesión", icon=":material/login:", url_path="inicio",
                             default=True)], position="hidden").run()
    st.stop()
viewer = current_viewer()
if viewer.role == "demo":
    demo_banner()
else:
    sidebar_identity(viewer)
st.navigation(pages_for(viewer.role)).run()
