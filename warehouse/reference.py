"""Seeds the product's own reference data (warehouse/reference/*.csv) into a fresh warehouse."""
from __future__ import annotations

import duckdb

from warehouse.paths import REFERENCE_DIR

UMBRELLA_PROGRAMS = [
    # program_code, eje_id, intervention, name, institution, institution_is_sample, description
    ("CS", None, None, "Comunidades Solidarias", "STP", False,
     "Programa insignia del Sistema de Protección Social Universal: intervenciones urbanas (CSU) y rurales (CSR)"),
    ("ODM1", None, None, "ODM 1: Erradicar la pobreza extrema y el hambre", "STP", False,
     "Primer Objetivo de Desarrollo del Milenio: reducir a la mitad, entre 1990 y 2015, la pobreza extrema y el hambre"),
]


def _csv(name: str) -> str:
    return str(REFERENCE_DIR / name)


def seed_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Replace departments, municipalities (with targeting attributes), ejes and programs."""
    for table in ("municipalities", "departments", "programs", "ejes"):
        con.execute(f"DELETE FROM {table}")
    con.execute(f"""
        INSERT INTO departments
        SELECT DISTINCT department_code, department
        FROM read_csv('{_csv("municipalities.csv")}', all_varchar = true)""")
    con.execute(f"""
        INSERT INTO municipalities BY NAME
        SELECT m.code, m.department_code, m.department, m.municipality,
               m.lat::DOUBLE AS lat, m.lon::DOUBLE AS lon, m.coord_source,
               coalesce(i.intervention, 'none') AS intervention,
               nullif(i.csr_group, '') AS csr_group,
               i.entry_order::INTEGER AS entry_order, i.entry_year::INTEGER AS entry_year,
               i.iimm::DOUBLE AS iimm, i.settlements::INTEGER AS settlements,
               i.violence_index::DOUBLE AS violence_index,
               coalesce(i.is_sample::BOOLEAN, false) AS is_sample, i.source_note
        FROM read_csv('{_csv("municipalities.csv")}', all_varchar = true) m
        LEFT JOIN read_csv('{_csv("interventions.csv")}', all_varchar = true) i USING (code)""")
    con.execute(f"""
        INSERT INTO ejes SELECT eje_id::INTEGER, name, description
        FROM read_csv('{_csv("ejes.csv")}', all_varchar = true)""")
    con.execute(f"""
        INSERT INTO programs BY NAME
        SELECT program_code, eje_id::INTEGER AS eje_id, intervention, name, institution,
               institution_is_sample::BOOLEAN AS institution_is_sample, description
        FROM read_csv('{_csv("programs.csv")}', all_varchar = true)""")
    con.executemany("INSERT INTO programs VALUES (?, ?, ?, ?, ?, ?, ?)", UMBRELLA_PROGRAMS)
