"""Tablero SPSU: the one list of pages and the shared page configuration."""
import streamlit as st

st.set_page_config(page_title="Tablero SPSU", page_icon="📊", layout="wide")

PAGES = {
    "Seguimiento": [
        st.Page("pages/resumen.py", title="Resumen ejecutivo", icon="🏠", default=True, url_path="resumen"),
        st.Page("pages/ejes.py", title="Ejes", icon="🧭", url_path="ejes"),
        st.Page("pages/municipios.py", title="Municipios", icon="🗺️", url_path="municipios"),
        st.Page("pages/programas.py", title="Programas", icon="📋", url_path="programas"),
        st.Page("pages/ficha.py", title="Ficha técnica", icon="📄", url_path="ficha"),
    ],
    "Recursos y metas": [
        st.Page("pages/presupuesto.py", title="Presupuesto", icon="💵", url_path="presupuesto"),
        st.Page("pages/odm1.py", title="ODM 1", icon="🎯", url_path="odm1"),
    ],
    "Gestión": [
        st.Page("pages/acuerdos.py", title="Acuerdos", icon="🤝", url_path="acuerdos"),
        st.Page("pages/calidad.py", title="Calidad de datos", icon="🔎", url_path="calidad"),
        st.Page("pages/cargar.py", title="Cargar datos", icon="⬆️", url_path="cargar"),
    ],
}

st.navigation(PAGES).run()
