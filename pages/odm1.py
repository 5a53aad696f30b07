"""ODM 1 (under construction)."""
import streamlit as st

from ui.context import page_header

page_header("ODM 1")
st.info("Esta página está en construcción.")
