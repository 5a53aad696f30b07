"""Calidad de datos (under construction)."""
import streamlit as st

from ui.context import page_header

page_header("Calidad de datos")
st.info("Esta página está en construcción.")
