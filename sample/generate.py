"""Deterministic sample generator: write_sample(out_dir) writes the files a ministry would send,
in load order, and returns [(path, loader kind), ...]."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from sample import budget, catalog, odm, participants, series, story
from sample.reference import program
from sample.writers import CP1252, UTF8, UTF8_BOM, XLSX, Style, write

IND_COLUMNS = [
    ("code", "Código Indicador"), ("name", "Nombre"), ("objective_id", "Objetivo"),
    ("objective_parent", "Objetivo padre"), ("objective_level", "Nivel"),
    ("objective_text", "Resumen narrativo"), ("program_code", "Programa"), ("eje_id", "Eje"),
    ("intervention", "Intervención"), ("level", "Nivel indicador"), ("type", "Tipo"),
    ("dimension", "Dimensión"), ("unit", "Unidad"), ("scale", "Escala"), ("sentido", "Sentido"),
    ("accumulation", "Acumulación"), ("aggregation", "Agregación"), ("reports_cumulative", "Reporta acumulado"),
    ("frequency", "Frecuencia"), ("deadline_days", "Plazo (días)"), ("formula_numerator", "Numerador"),
    ("formula_denominator", "Denominador"), ("medio_verificacion", "Medio de verificación"),
    ("supuesto", "Supuesto"), ("source", "Fuente"), ("odm_indicator", "Indicador ODM"),
    ("scope_level", "Ámbito"), ("is_sample", "Muestra"),
]


def target_columns(scope_header: str = "Código Municipio"):
    return [("indicator_code", "Indicador"), ("scope_code", scope_header), ("target_kind", "Tipo de meta"),
            ("baseline_date", "Fecha línea base"), ("baseline_value", "Línea base"),
            ("target_date", "Fecha meta"), ("target_value", "Meta"), ("is_sample", "Muestra")]


def measurement_columns(rates: bool, scope_header: str = "Código Municipio"):
    cols = [("scope_code", scope_header), ("indicator_code", "Indicador"), ("period", "Período"),
            ("value", "Valor")]
    if rates:
        cols += [("numerator", "Numerador"), ("denominator", "Denominador")]
    return cols + [("reported_at", "Fecha de reporte"), ("is_sample", "Muestra")]


BUDGET_COLUMNS = [("program_code", "Programa"), ("scope_code", "Código Municipio"), ("month", "Mes"),
                  ("approved", "Aprobado"), ("modified", "Modificado"), ("scheduled", "Programado"),
                  ("committed", "Comprometido"), ("accrued", "Devengado"), ("paid", "Pagado"),
                  ("is_sample", "Muestra")]

# Measurement files: one per institution (FISDL split by intervention), each in its own style.
MEASUREMENT_FILES: list[tuple[str, Style, tuple[str, ...]]] = [
    # file stem, style, program codes
    ("FISDL_CSR_indicadores_2009-2014", UTF8_BOM, ("CSR-BONO", "CSR-NMD", "CSR-INFRA", "CSR-FINS")),
    ("FISDL_CSU_indicadores_2010-2014", XLSX, ("CSU-BONO", "CSU-NMD", "CSU-PATI", "CSU-OBRA")),
    ("MINED-MINSAL_oferta_rural", CP1252, ("CSR-OFER",)),
    ("MINSAL_salud_urbana", XLSX, ("CSU-SALUD",)),
    ("MAG-CENTA_PAF", CP1252, ("CSR-PROD",)),
    ("BFA_creditos", XLSX, ("CSR-CLOC",)),
    ("INSAFORP_capacitacion", UTF8, ("CSR-EMPL",)),
    ("STP_Comunidades_Solidarias", CP1252, ("CS", "CSR-PART")),
    ("VMVDU-FISDL_AUP", XLSX, ("CSU-AUP",)),
    # partner institutions of CSU report through the STP's urban coordination (one compiled file)
    ("STP_CSU_ISNA-MJSP-MTPS-CONAMYPE-MARN", UTF8,
     ("CSU-INFA", "CSU-PREV", "CSU-INTL", "CSU-EMPR", "CSU-FINS", "CSU-PART", "CSU-RIES")),
]
REVISION_FILE = ("FISDL_CSR_correccion_2014-W20", UTF8_BOM)


def build(seed: int = story.SEED) -> dict:
    """Everything in memory (canonical column names): indicators, pairs, targets, measurements,
    ODM series, budget and the revision row."""
    rng = np.random.default_rng(seed)
    pairs = series.generate(rng)
    odm_rows = odm.series(rng)
    budget_rows = budget.rows(rng)
    measurements = series.measurement_rows(pairs)
    rev = story.REVISION
    hit = [m for m in measurements if (m["indicator_code"], m["scope_code"], m["period"])
           == (rev["indicator"], rev["scope"], rev["period"])]
    assert len(hit) == 1 and hit[0]["value"] == rev["old"], (hit, rev)
    revision = dict(hit[0], value=rev["new"], reported_at=rev["reported_at"])
    return dict(indicators=catalog.indicator_rows() + odm.indicator_rows(), pairs=pairs,
                targets=series.target_rows(pairs) + odm.target_rows(), measurements=measurements,
                odm=odm_rows, budget=budget_rows, revision=[revision])


def _program_of(code: str) -> str:
    return "CS" if code.startswith("CS-") else code.rsplit("-", 1)[0]


def write_sample(out_dir: Path, on_file=None) -> list[tuple[Path, str]]:
    """Write the sample files in load order; `on_file(path, kind)` is called as each one is complete."""
    out_dir = Path(out_dir)
    data = build()
    files: list[tuple[Path, str]] = []

    def emit(sub: str, stem: str, style: Style, columns, rows, kind: str):
        files.append((write(out_dir / sub / (stem + style.suffix), columns, rows, style), kind))
        if on_file is not None:
            on_file(*files[-1])

    # 1. logframes
    ind = data["indicators"]
    emit("01_marco_logico", "STP_MML_Comunidades_Solidarias_y_ODM1", XLSX, IND_COLUMNS,
         [r for r in ind if r["program_code"] in ("CS", "ODM1")], "indicators")
    emit("01_marco_logico", "STP_MML_programas_CSR", XLSX, IND_COLUMNS,
         [r for r in ind if r["program_code"].startswith("CSR-")], "indicators")
    emit("01_marco_logico", "STP_MML_programas_CSU", UTF8_BOM, IND_COLUMNS,
         [r for r in ind if r["program_code"].startswith("CSU-")], "indicators")

    # 2. targets
    iv = {s.code: s.scope_intervention for s in catalog.SPECS}
    tg = data["targets"]
    emit("02_metas", "STP_metas_PQD2014_CS_y_CSR", CP1252, target_columns(),
         [r for r in tg if iv.get(r["indicator_code"]) in ("ambas", "CSR")], "targets")
    emit("02_metas", "STP_metas_PQD2014_CSU", XLSX, target_columns(),
         [r for r in tg if iv.get(r["indicator_code"]) == "CSU"], "targets")
    emit("02_metas", "STP_metas_ODM1", UTF8, target_columns("Ámbito"),
         [r for r in tg if r["indicator_code"].startswith("ODM-")], "targets")

    # 3. measurements, one file per institution
    rates = {s.code for s in catalog.SPECS if s.is_rate}
    by_prog: dict[str, list[dict]] = {}
    for m in data["measurements"]:
        by_prog.setdefault(_program_of(m["indicator_code"]), []).append(m)
    for stem, style, progs in MEASUREMENT_FILES:
        rows = [m for p in progs for m in by_prog.pop(p)]
        has_rates = any(r["indicator_code"] in rates for r in rows)
        emit("03_mediciones", stem, style, measurement_columns(has_rates), rows, "measurements")
    assert not by_prog, f"programs without a measurement file: {sorted(by_prog)}"
    emit("03_mediciones", "DIGESTYC_ODM1_nacional_1991-2013", XLSX, measurement_columns(False, "Ámbito"),
         data["odm"], "measurements")

    # 4. budget (SAFI extract), CSR and CSU
    bud = data["budget"]
    emit("04_presupuesto", "SAFI_presupuesto_CSR_2013-2014_al_2014-05-18", CP1252, BUDGET_COLUMNS,
         [r for r in bud if program(r["program_code"])["intervention"] == "CSR"], "budget")
    emit("04_presupuesto", "SAFI_presupuesto_CSU_2013-2014_al_2014-05-18", XLSX, BUDGET_COLUMNS,
         [r for r in bud if program(r["program_code"])["intervention"] == "CSU"], "budget")

    # 5. RUP extract (anonymized households, issue 14)
    emit("06_rup", "RUP_extracto_anonimizado_2014-05-18", UTF8, participants.COLUMNS, participants.rows(), "participants")

    # 6. revisions, loaded last
    stem, style = REVISION_FILE
    emit("05_revisiones", stem, style, measurement_columns(False), data["revision"], "measurements")
    return files


def write_sample_to_queue(out_dir: str, queue) -> None:
    """write_sample in a child process (warehouse/build.py): ("file", path, kind) per file as it is
    written, then None; ("error", text) if it fails."""
    try:
        write_sample(Path(out_dir), on_file=lambda path, kind: queue.put(("file", str(path), kind)))
        queue.put(None)
    except BaseException as exc:   # noqa: BLE001  reported to the building process, which raises
        queue.put(("error", f"{type(exc).__name__}: {exc}"))
