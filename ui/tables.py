"""Tables with their downloads: CSV (UTF-8 with BOM so Excel shows accents) and XLSX (formatted).

Both files hold the rows shown on screen as shown: the column headers the screen shows (a
column_config label wins over the frame's column name) and numbers rounded to the decimals of the
column's display format (`as_shown`); text a spreadsheet could run as a formula gets a leading `'`
(warehouse/cell_safety.py). The XLSX is built only when its button is
clicked (deferred download data), so a page pays nothing for it on a rerun.
"""
from __future__ import annotations

import re

import polars as pl
import streamlit as st

from reports.context import ExportContext
from warehouse.cell_safety import csv_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FLOAT_NOISE_DIGITS = 6      # an unformatted float column: 16.700000000000003 -> 16.7


def _decimals(fmt: str | None) -> int | None:
    """Decimals of a printf-style display format ('%.1f %%' -> 1, 'US$ %,.0f' -> 0), None if none."""
    match = re.search(r"%,?\.(\d+)f", fmt or "")
    return int(match.group(1)) if match else None


def tidy_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts stored as floats (every value whole) become integers, so no table shows '12.0'."""
    whole = [name for name, dtype in frame.schema.items() if dtype.is_float()
             and frame[name].drop_nulls().len() > 0
             and bool((frame[name].drop_nulls() == frame[name].drop_nulls().round(0)).all())
             and frame[name].drop_nulls().abs().max() < 2 ** 53]
    return frame.with_columns(pl.col(whole).cast(pl.Int64)) if whole else frame


def as_shown(frame: pl.DataFrame, column_config: dict | None = None) -> pl.DataFrame:
    """The frame as the screen shows it: configured labels as headers, numbers rounded to their
    display format's decimals (0 decimals: integers), other floats without binary noise."""
    config = column_config or {}
    out, renames = [], {}
    for name, dtype in frame.schema.items():
        cfg = config.get(name)
        label = cfg if isinstance(cfg, str) else (cfg or {}).get("label") if isinstance(cfg, dict) else None
        fmt = ((cfg or {}).get("type_config") or {}).get("format") if isinstance(cfg, dict) else None
        col = pl.col(name)
        if dtype.is_float():
            digits = _decimals(fmt)
            col = col.round(FLOAT_NOISE_DIGITS if digits is None else digits)
            if digits == 0:
                col = col.cast(pl.Int64)
        out.append(col)
        if label and label != name:
            renames[name] = label
    return frame.select(out).rename(renames)


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
    frame = tidy_numbers(frame)
    if display is None:
        display = frame
    elif isinstance(display, pl.DataFrame):
        display = tidy_numbers(display)
    st.dataframe(display, hide_index=True, width="stretch",
                 column_config=_with_date_formats(frame, column_config), height=height if height else "auto")
    downloads(frame, name, key=key, context=context, column_config=column_config)


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
              context: ExportContext | None = None, column_config: dict | None = None) -> None:
    """The CSV and XLSX buttons alone, for a table the page draws another way (e.g. as markdown)."""
    from ui.downloads import audited        # each file is built on click, and the export is audited
    key = key or f"csv_{name}"
    context = context or _default_context(name)    # now: the click runs outside the page's session
    frame = as_shown(frame, column_config)
    with st.container(horizontal=True, gap="small"):
        st.download_button("Descargar CSV", data=audited(lambda: csv_bytes(frame), f"{name}.csv"),
                           file_name=f"{name}.csv", mime="text/csv",
                           key=key, on_click="ignore", icon=":material/download:")
        st.download_button("Descargar XLSX", data=audited(lambda: xlsx_file(frame, context),
                                                          f"{name}.xlsx"),
                           file_name=f"{name}.xlsx", mime=XLSX_MIME, key=f"{key}_xlsx", on_click="ignore",
                           icon=":material/table_view:")
