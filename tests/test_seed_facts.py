"""The seed's facts, exactly (STP-CEPAL/ILPES, «Avance hacia una gestión pública para resultados»,
/work/shared/seed): the 25 CSU municipalities of Cuadro 1 in order, the four ejes, the 13 urban and
9 rural components per eje, the Comunidades Solidarias logframe and FISDL as CSR's executing body.

Every expectation here is typed from the seed, not derived from the code under test; the data
reaches the test through `python -m warehouse export` on the built sample warehouse.
"""
import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Cuadro 1. Municipios de intervención de CSU (municipality, department), in the seed's order.
# The seed writes 4 as "Colon, La Libertad"; the project's table spells it Colón (0503).
CSU_CUADRO_1 = [
    ("Ahuachapán", "Ahuachapán"), ("San Martín", "San Salvador"), ("Santa Ana", "Santa Ana"),
    ("Colón", "La Libertad"), ("San Miguel", "San Miguel"), ("San Vicente", "San Vicente"),
    ("San Marcos", "San Salvador"), ("Quezaltepeque", "La Libertad"), ("Apopa", "San Salvador"),
    ("Ilopango", "San Salvador"), ("Tonacatepeque", "San Salvador"), ("Cuscatancingo", "San Salvador"),
    ("Soyapango", "San Salvador"), ("San Salvador", "San Salvador"), ("Santa María", "Usulután"),
    ("Nahuizalco", "Sonsonate"), ("Ciudad Arce", "La Libertad"), ("Jiquilisco", "Usulután"),
    ("Izalco", "Sonsonate"), ("Zacatecoluca", "La Paz"), ("San Juan Opico", "La Libertad"),
    ("Panchimalco", "San Salvador"), ("Acajutla", "Sonsonate"), ("Sonsonate", "Sonsonate"),
    ("Mejicanos", "San Salvador"),
]

EJES = {"1": "Capital humano", "2": "Infraestructura social básica", "3": "Generación de ingreso",
        "4": "Gestión territorial"}

# Components per eje, as the seed's "Componente urbano" and "Componente rural" slides list them.
COMPONENTS = {
    ("CSU", "1"): {"Bonos a la educación", "Atención integral para la primera infancia",
                   "Nuestros Mayores Derechos", "Fortalecimiento de la oferta de salud y nutrición",
                   "Prevención social de la violencia"},
    ("CSU", "2"): {"Mejoramiento integral de asentamientos urbanos precarios"},
    ("CSU", "3"): {"Programa de Apoyo Temporal al Ingreso", "Intermediación laboral", "Emprendedurismo social",
                   "Generación de empleo intensivo en obra pública"},
    ("CSU", "4"): {"Fortalecimiento institucional para gestión de CSU", "Fomento a la participación ciudadana",
                   "Gestión comunitaria de riesgos ambientales"},
    ("CSR", "1"): {"Bonos de educación y salud", "Oferta de salud y de educación",
                   "Programa Nuestros Mayores Derechos"},
    ("CSR", "2"): {"Infraestructura social básica"},
    ("CSR", "3"): {"Fomento de las capacidades productivas de las familias", "Promoción de la empleabilidad",
                   "Fortalecimiento de capacidades locales para la producción"},
    ("CSR", "4"): {"Fortalecimiento institucional municipal para la gestión de CSR",
                   "Fomento de la participación ciudadana"},
}

CS_LOGFRAME = {
    "fin": ["Contribuir a la disminución de la pobreza de la población perteneciente a los 125 municipios "
            "priorizados"],
    "proposito": ["La población participante disminuyó sus niveles de desigualdad y exclusión social"],
    "componente": [
        # Componente 1 (CSR)
        "Familias participantes que habitan en municipios de extrema pobreza severa y alta en el sector rural "
        "han mejorado las condiciones de vida y sus niveles de participación ciudadana",
        # Componente 2 (CSU)
        "Personas habitantes en AUP han mejorado sus condiciones de vida y sus niveles de participación "
        "ciudadana",
    ],
}


@pytest.fixture(scope="module")
def export(sample_warehouse, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("seed_exports")

    def run(table):
        out = out_dir / f"{table}.csv"
        proc = subprocess.run([sys.executable, "-m", "warehouse", "export", table, "--out", str(out),
                               "--warehouse", str(sample_warehouse)], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        with open(out, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    return run


def test_csu_municipalities_are_cuadro_1_in_order(export):
    csu = sorted((r for r in export("municipalities") if r["intervention"] == "CSU"),
                 key=lambda r: int(r["entry_order"]))
    assert [(r["municipality"], r["department"]) for r in csu] == CSU_CUADRO_1
    assert [int(r["entry_order"]) for r in csu] == list(range(1, 26))
    # 1 Ahuachapán and 2 San Martín are the 2010 pilots
    assert [(r["municipality"], r["entry_year"]) for r in csu[:2]] == [("Ahuachapán", "2010"), ("San Martín", "2010")]
    assert next(r["code"] for r in csu if r["municipality"] == "Colón") == "0503"


def test_csr_is_100_municipalities_32_severa_68_alta_and_never_csu(export):
    rows = export("municipalities")
    csr = [r for r in rows if r["intervention"] == "CSR"]
    assert Counter(r["csr_group"] for r in csr) == {"severa": 32, "alta": 68}
    assert not {(r["municipality"], r["department"]) for r in csr} & set(CSU_CUADRO_1)


def test_source_notes_say_what_is_real():
    with open(ROOT / "warehouse/reference/interventions.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["intervention"] == "CSU":
            assert "Cuadro 1" in r["source_note"] and "lista y orden reales" in r["source_note"]
            assert r["is_sample"] == "true" and "de muestra" in r["source_note"]   # AUP counts, later entry years
        else:
            assert r["is_sample"] == "true" and "de muestra" in r["source_note"]


def test_four_ejes(export):
    names = {(r["eje_id"], r["eje"]) for r in export("programs") if r["eje_id"]}
    assert names == set(EJES.items())
    with open(ROOT / "warehouse/reference/ejes.csv", encoding="utf-8", newline="") as fh:
        ejes = list(csv.DictReader(fh))
    assert {r["eje_id"]: r["name"] for r in ejes} == EJES
    assert "Servicios básicos" in next(r["description"] for r in ejes if r["eje_id"] == "2")


def test_components_per_eje_and_intervention(export):
    got = {}
    for r in export("programs"):
        if r["intervention"]:
            got.setdefault((r["intervention"], r["eje_id"]), []).append(r["name"])
    assert {k: set(v) for k, v in got.items()} == COMPONENTS
    assert sum(len(v) for k, v in got.items() if k[0] == "CSU") == 13
    assert sum(len(v) for k, v in got.items() if k[0] == "CSR") == 9


def test_fisdl_executes_csr(export):
    csr = [r for r in export("programs") if r["intervention"] == "CSR"]
    assert len(csr) == 9
    assert {(r["institution"], r["institution_is_sample"]) for r in csr} == {("FISDL", "false")}
    # the seed names no institution for CSU's components: they are marked as sample
    assert {r["institution_is_sample"] for r in export("programs") if r["intervention"] == "CSU"} == {"true"}


def test_every_component_has_indicators_and_budget(export, sample_warehouse):
    from warehouse.store import read_connection
    codes = {r["code"] for r in export("programs") if r["intervention"]}
    indicator_programs = {r["program_code"] for r in export("indicators")}
    assert codes <= indicator_programs
    with read_connection(sample_warehouse) as con:
        budget = {r[0] for r in con.execute("SELECT DISTINCT program_code FROM budget").fetchall()}
    assert codes <= budget


def test_comunidades_solidarias_logframe_in_the_seeds_words(export):
    cs = [r for r in export("logframe") if r["program"] == "CS"]
    assert {level: [r["text"] for r in cs if r["level"] == level] for level in CS_LOGFRAME} == CS_LOGFRAME
    assert {r["level"] for r in cs} == set(CS_LOGFRAME)
    assert all(r["indicators"] for r in cs)
