"""Tables with a CSV download (UTF-8 with BOM so Excel shows accents)."""
from __future__ import annotations

import polars as pl
import streamlit as st


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return "\ufeff".encode("utf-8") + frame.write_csv().encode("utf-8")


def table(frame: pl.DataFrame, name: str, *, key: str | None = None, column_config=None,
          height: int | None = None, empty: str = "No hay filas para mostrar con estos filtros.") -> None:
    """Show a table and its 'Descargar CSV' button; an empty frame gets a message instead."""
    if frame.is_empty():
        st.info(empty)
        return
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config,
                 height=height if height else "auto")
    st.download_button("Descargar CSV", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                       key=key or f"csv_{name}")
