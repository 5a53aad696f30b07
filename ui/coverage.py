"""The RUP coverage section of the municipality profile: households registered, eligible and served
per program at the quarter of the week under review, small counts shown as "< 5"."""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from reports.context import ExportContext
from ui.tables import table
from warehouse.queries import coverage

RUP_SOURCE = coverage.RUP_SOURCE
SUPPRESSION_NOTE = ("«< 5»: menos de 5 hogares, o una cifra que permitiría calcular otra menor que 5 por diferencia "
                    "(supresión complementaria); no se publica. «reservado»: la cobertura revelaría una de ellas.")


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def shown_quarter(quarters: list[str], day: dt.date) -> str | None:
    """The quarter holding `day`, or the last one before it that has figures."""
    wanted = quarter_of(day)
    before = [q for q in quarters if q <= wanted]
    return before[-1] if before else None


def coverage_section(attrs: dict, week_end: dt.date, viewer, is_sample: bool) -> None:
    st.subheader("Cobertura de los programas (RUP)")
    quarter = shown_quarter(coverage.quarters(viewer), week_end)
    if quarter is None:
        st.info("No hay extracto del RUP cargado para calcular la cobertura.")
        return
    rows = coverage.labelled(coverage.municipality_coverage(attrs["code"], viewer, quarter))
    st.caption(f"Hogares del RUP en {attrs['municipality']} al cierre del trimestre {quarter}: registrados, "
               "elegibles (puntaje de vulnerabilidad mínimo del programa) y atendidos; cobertura = atendidos / "
               f"elegibles. {SUPPRESSION_NOTE}" + (" Datos de muestra." if is_sample else ""))
    shown = rows.select(pl.col("program_code").alias("Programa"), pl.col("program_name").alias("Nombre"),
                        pl.col("registered").alias("Registrados"), pl.col("eligible").alias("Elegibles"),
                        pl.col("served").alias("Atendidos"), pl.col("coverage").alias("Cobertura"))
    table(shown, f"cobertura_{attrs['code']}_{quarter}", key="csv_cobertura_municipio",
          empty="El RUP no tiene hogares de este municipio.",
          context=ExportContext(title=f"Cobertura de los programas en {attrs['municipality']}, {quarter}",
                                period=f"Trimestre {quarter}", source=RUP_SOURCE, is_sample=is_sample))
