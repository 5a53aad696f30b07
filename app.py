"""Tablero SPSU: the one list of pages and the shared page configuration."""
import streamlit as st

st.set_page_config(page_title="Tablero SPSU", page_icon="🇸🇻", layout="wide")

PAGES = {
    "Seguimiento": [
        st.Page("pages/resumen.py", title="Resumen ejecutivo", icon="🏠", default=True),
    ],
}

st.navigation(PAGES).run()
