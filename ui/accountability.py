"""The Programas page's "Rendición de cuentas" buttons: one click downloads the program's report of a
year as PDF, technical or citizen version (built only when clicked: reports/accountability.py)."""
from __future__ import annotations

import datetime as dt

import streamlit as st

PDF_MIME = "application/pdf"
FIRST_YEAR = 2009          # the seed's quinquenio 2009-2014


def report_bytes(program: str, year: int, version: str, viewer) -> bytes:
    from reports.accountability import build_pdf, gather
    return build_pdf(gather(program, year, viewer), version)


def accountability_section(program: str, name: str, as_of: dt.date | None, viewer) -> None:
    st.subheader("Rendición de cuentas")
    last = (as_of or dt.date.today()).year
    years = list(range(last, FIRST_YEAR - 1, -1))
    cols = st.columns([1, 2, 2])
    year = cols[0].selectbox("Año", years, key="rc_year")
    st.caption(f"Informe que publica el ministerio sobre {name} en {year}: matriz de marco lógico con metas y "
               "resultados, presupuesto ejecutado, cobertura del RUP, semáforo, acuerdos y notas de calidad de "
               "datos, en PDF. La versión ciudadana resume lo mismo en una página, en lenguaje sencillo.")
    for col, version, label in ((cols[1], "tecnica", "Informe técnico (PDF)"),
                                (cols[2], "ciudadana", "Versión ciudadana (PDF)")):
        with col:
            st.download_button(label, data=lambda v=version: report_bytes(program, year, v, viewer),
                               file_name=f"rendicion_de_cuentas_{program}_{year}_{version}.pdf", mime=PDF_MIME,
                               key=f"rc_{version}", on_click="ignore", icon=":material/picture_as_pdf:")
