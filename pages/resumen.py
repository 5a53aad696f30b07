"""Resumen ejecutivo (home): the week under review at a glance."""
import streamlit as st

from ui.context import current_viewer, page_header
from warehouse.info import warehouse_info
from warehouse.paths import warehouse_path

viewer = current_viewer()
status = page_header("Resumen ejecutivo", "Sistema de Protección Social Universal · Comunidades Solidarias")
info = warehouse_info(warehouse_path())
st.subheader("Contenido del almacén")
st.dataframe([{"tabla": t, "filas": n} for t, n in info["tables"].items()], hide_index=True)
