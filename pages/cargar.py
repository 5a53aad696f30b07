"""Cargar datos (under construction)."""
import streamlit as st

from ui.context import page_header

page_header("Cargar datos")
st.info("Esta página está en construcción.")
