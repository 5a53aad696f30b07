"""Tables with their downloads: CSV (UTF-8 with BOM so Excel shows accents) and XLSX (formatted).

Both files hold exactly the frame shown on screen (text a spreadsheet could run as a formula gets a
leading `'`: warehouse/cell_safety.py). The XLSX is built only when its button is
clicked (deferred download data), so a page pays nothing for it on a rerun.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from reports.context import ExportContext
from warehouse.cell_safety import csv_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return "\ufeff".encode("utf-8") + csv_text(frame).encode("utf-8")


def xlsx_file(frame: pl.DataFrame, context: ExportContext) -> bytes:
    from reports.xlsx import xlsx_bytes
    return xlsx_bytes(frame, context)


def _default_context(name: str) -> ExportContext:
    """Title from the file name; the sample flag from the warehouse (so the workbook says so)."""
    try:
        from ui.context import current_viewer
        from warehouse import queries
        is_sample = bool(queries.status(current_viewer())["is_sample"])
    except Exception:  # noqa: BLE001 - a missing warehouse must not break a table's download
        is_sample = False
    return ExportContext(title=name.replace("_", " ").capitalize(), is_sample=is_sample)


def table(frame: pl.DataFrame, name: str, *, key: str | None = None, column_config=None,
          height: int | None = None, empty: str = "No hay filas para mostrar con estos filtros.",
          context: ExportContext | None = None, display=None) -> None:
    """Show a table with 'Descargar CSV' and 'Descargar XLSX' buttons; an empty frame gets a message
    instead. `context` (title, period, filters, source) goes into the workbook's 'Información' sheet.
    `display` shows something richer than the files hold (a pandas Styler of the same rows, or the
    same rows plus a sparkline column); the downloads always hold `frame`."""
    if frame.is_empty():
        st.info(empty)
        return
    st.dataframe(frame if display is None else display, hide_index=True, width="stretch",
                 column_config=_with_date_formats(frame, column_config), height=height if height else "auto")
    downloads(frame, name, key=key, context=context)


def _with_date_formats(frame: pl.DataFrame, column_config: dict | None) -> dict:
    """Dates as 15/04/2014 (the Salvadoran convention) unless the page configured the column."""
    config = dict(column_config or {})
    for name, dtype in frame.schema.items():
        if name not in config and dtype == pl.Date:
            config[name] = st.column_config.DateColumn(format="DD/MM/YYYY")
        elif name not in config and isinstance(dtype, pl.Datetime):
            config[name] = st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")
    return config


def downloads(frame: pl.DataFrame, name: str, *, key: str | None = None,
              context: ExportContext | None = None) -> None:
    """The CSV and XLSX buttons alone, for a table the page draws another way (e.g. as markdown)."""
    from ui.downloads import audited        # each file is built on click, and the export is audited
    key = key or f"csv_{name}"
    context = context or _default_context(name)    # now: the click runs outside the page's session
    with st.container(horizontal=True, gap="small"):
        st.download_button("Descargar CSV", data=audited(lambda: csv_bytes(frame), f"{name}.csv"),
                           file_name=f"{name}.csv", mime="text/csv",
                           key=key, on_click="ignore", icon=":material/download:")
        st.download_button("Descargar XLSX", data=audited(lambda: xlsx_file(frame, context),
                                                          f"{name}.xlsx"),
                           file_name=f"{name}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx", on_click="ignore",
                           icon=":material/table_view:")
