"""RUP coverage on the sample: the extract (about 100,000 households over the 125 municipalities) is
loaded through the loader, and the municipality profile shows coverage with small counts as "< 5"."""
from __future__ import annotations

import duckdb
import streamlit as st

from tests.conftest import open_page
from warehouse.queries import coverage
from warehouse.query import Viewer

VIEWER = Viewer(role="direccion", name="prueba")
WEEK = "2014-W20"


def test_sample_extract_is_loaded_through_the_loader(sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        households, munis, sample = con.execute(
            "SELECT count(*), count(DISTINCT municipality_code), bool_and(is_sample) FROM participants").fetchone()
        loaded = con.execute("SELECT sum(rows_loaded), sum(rows_quarantined) FROM load_log "
                             "WHERE kind = 'participants'").fetchone()
        cs = con.execute("SELECT count(*) FROM municipalities WHERE intervention <> 'none'").fetchone()[0]
    finally:
        con.close()
    assert 95_000 <= households <= 105_000 and munis == cs == 125 and sample
    assert loaded == (households, 0)


def test_municipality_profile_shows_coverage_with_small_cells_suppressed(sample_warehouse, monkeypatch):
    files = {}
    real = st.download_button

    def recording(label, data, *args, **kwargs):
        files[kwargs.get("file_name")] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    at = open_page("municipios", {"municipio": "0614", "semana": WEEK}, timeout=120)
    assert not at.exception, at.exception
    assert "Cobertura de los programas (RUP)" in [s.value for s in at.subheader]
    shown = next(d.value for d in at.dataframe if "Cobertura" in d.value.columns)
    expected = coverage.labelled(coverage.municipality_coverage("0614", VIEWER, "2014-Q2", sample_warehouse))
    assert list(shown["Programa"]) == expected["program_code"].to_list()
    assert list(shown["Atendidos"]) == expected["served"].to_list()
    empr = shown[shown["Programa"] == "CSU-EMPR"].iloc[0]
    assert (empr["Atendidos"], empr["Cobertura"]) == ("< 5", "reservado")
    data = files["cobertura_0614_2014-Q2.csv"]
    csv = (data() if callable(data) else data).decode("utf-8-sig")          # built on click
    assert "CSU-EMPR" in csv and "< 5" in csv.split("CSU-EMPR", 1)[1].splitlines()[0]
