"""Municipios (under construction)."""
import streamlit as st

from ui.context import page_header

page_header("Municipios")
st.info("Esta página está en construcción.")
