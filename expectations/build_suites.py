"""Write the Great Expectations suites (GX 1.24 JSON) used by the loaders, one file per kind.

Run `python -m expectations.build_suites` after editing; the JSON files are the contract the
loaders read. Value sets that depend on the warehouse are suite parameters ({"$PARAMETER": ...})
filled at run time. `meta.rule` is the rule name reported to the user, `meta.message` the Spanish
explanation; `severity: warning` marks checks that report but do not quarantine.
"""
from __future__ import annotations

import json
from pathlib import Path

from loaders.kinds import ENUMS  # one list of allowed values, shared with the loaders

HERE = Path(__file__).resolve().parent


def e(type_, rule, message, severity="critical", **kwargs):
    return {"type": type_, "kwargs": kwargs, "meta": {"rule": rule, "message": message}, "severity": severity}


def not_null(*cols):
    return [e("expect_column_values_to_not_be_null", "campo_obligatorio", "el campo es obligatorio y está vacío",
              column=c) for c in cols]


def in_set(col, values, rule, message, **kw):
    return e("expect_column_values_to_be_in_set", rule, message, column=col, value_set=values, **kw)


def param(name):
    return {"$PARAMETER": name}


def unique(cols):
    message = "la clave (" + ", ".join(cols) + ") se repite dentro del archivo; se rechazan todas las filas repetidas"
    if len(cols) == 1:
        return e("expect_column_values_to_be_unique", "clave_duplicada", message, column=cols[0])
    return e("expect_compound_columns_to_be_unique", "clave_duplicada", message, column_list=list(cols))


def between(col, lo, hi, rule, message, **kw):
    return e("expect_column_values_to_be_between", rule, message, column=col, min_value=lo, max_value=hi, **kw)


def a_ge_b(a, b, rule, message):
    return e("expect_column_pair_values_a_to_be_greater_than_b", rule, message, column_A=a, column_B=b,
             or_equal=True, ignore_row_if="either_value_is_missing")


def flag(col, rule, message, severity="critical"):
    """A derived boolean column computed by the loader (null = not applicable)."""
    return e("expect_column_values_to_be_in_set", rule, message, severity, column=col, value_set=[True])


PERIOD_YEAR = lambda col: between(col, 1990, param("max_year"), "periodo_implausible",  # noqa: E731
                                  "el año del período debe estar entre 1990 y el año de los datos + 1 (fecha de "
                                  "corte del almacén o, sin datos, la última fecha de reporte del archivo)")
INDICATOR = in_set("indicator_code", param("indicator_codes"), "indicador_desconocido",
                   "el indicador no existe en el catálogo de indicadores")
SCOPE = in_set("scope_code", param("scope_codes"), "municipio_desconocido",
               "el código de municipio no existe (use el código DIGESTYC de 4 dígitos o 'nacional')")
PROGRAM = in_set("program_code", param("program_codes"), "programa_desconocido", "el programa no existe en el catálogo")

SUITES = {
    "measurements": [
        *not_null("indicator_code", "scope_code", "period"), INDICATOR, SCOPE,
        unique(["indicator_code", "scope_code", "period"]), PERIOD_YEAR("_period_year"),
        flag("_freq_ok", "periodo_no_coincide_con_frecuencia",
             "el período no corresponde a la frecuencia del indicador (semanal: 2014-W20, mensual: 2014-05, "
             "trimestral: 2014-Q2, anual: 2014; una fecha se asigna al período que la contiene)"),
        flag("_before_report", "periodo_posterior_al_reporte",
             "el período termina después de su fecha de reporte: un reporte no puede describir un período "
             "que aún no termina"),
        flag("_has_value", "valor_faltante", "la fila no trae valor ni numerador y denominador"),
        flag("_rate_parts", "razon_sin_partes", "el indicador es una razón (se agrega como Σ numerador / Σ "
             "denominador): la fila debe traer numerador y denominador, no solo el valor"),
        flag("_pct_ok", "porcentaje_fuera_de_rango", "un porcentaje debe estar entre 0 y 100 (valor / escala entre 0 y 1)"),
        flag("_num_le_den", "numerador_mayor_que_denominador", "en una tasa el numerador no puede superar al denominador"),
        flag("_value_nonneg", "valor_negativo", "el valor no puede ser negativo (solo se admiten negativos en "
             "indicadores cuya unidad es una variación o un crecimiento, p. ej. '% de variación anual')"),
        flag("_num_nonneg", "valor_negativo", "el numerador no puede ser negativo (solo se admiten negativos en "
             "indicadores cuya unidad es una variación o un crecimiento)"),
        between("denominator", 0, None, "denominador_no_positivo", "el denominador debe ser mayor que cero",
                strict_min=True),
    ],
    "targets": [
        *not_null("indicator_code", "scope_code", "target_kind", "baseline_date", "baseline_value", "target_date",
                  "target_value"), INDICATOR, SCOPE,
        in_set("target_kind", ["PQD-2014", "ODM-2015"], "valor_no_permitido", "tipo de meta no permitido (PQD-2014 u ODM-2015)"),
        unique(["indicator_code", "scope_code", "target_kind"]),
        between("_baseline_year", 1990, param("max_year"), "periodo_implausible",
                "el año de la línea base debe estar entre 1990 y el año de los datos + 1"),
        between("_target_year", 1990, 2050, "periodo_implausible", "el año de la meta debe estar entre 1990 y 2050"),
        flag("_dates_ok", "fechas_invertidas", "la fecha de la meta debe ser posterior a la de la línea base"),
        flag("_pct_ok", "porcentaje_fuera_de_rango", "un porcentaje debe estar entre 0 y 100 (valor / escala entre 0 y 1)"),
    ],
    "budget": [
        *not_null("program_code", "scope_code", "month", "approved", "modified", "scheduled", "committed", "accrued",
                  "paid"), PROGRAM, SCOPE, unique(["program_code", "scope_code", "month"]),
        PERIOD_YEAR("_period_year"),
        *[between(c, 0, None, "monto_negativo", "los montos no pueden ser negativos")
          for c in ("approved", "modified", "scheduled", "committed", "accrued", "paid")],
        a_ge_b("modified", "committed", "orden_de_ejecucion", "lo comprometido no puede superar lo modificado"),
        a_ge_b("committed", "accrued", "orden_de_ejecucion", "lo devengado no puede superar lo comprometido"),
        a_ge_b("accrued", "paid", "orden_de_ejecucion", "lo pagado no puede superar lo devengado"),
    ],
    "indicators": [
        *not_null("code", "name", "objective_id", "objective_level", "objective_text", "program_code", "type",
                  "dimension", "unit", "sentido", "accumulation", "frequency"),
        PROGRAM, unique(["code"]),
        *[in_set(c, ENUMS[d], "valor_no_permitido", "valor no permitido; use: " + ", ".join(ENUMS[d]))
          for c, d in (("objective_level", "level"), ("level", "level"), ("type", "type"), ("dimension", "dimension"),
                       ("sentido", "sentido"), ("accumulation", "accumulation"), ("frequency", "frequency"),
                       ("scope_level", "scope_level"), ("aggregation", "aggregation"))],
        in_set("intervention", ["CSU", "CSR", "ambas"], "valor_no_permitido", "valor no permitido; use: CSU, CSR, ambas"),
        between("scale", 0, None, "valor_negativo", "la escala debe ser mayor que cero", strict_min=True),
        between("deadline_days", 0, 366, "valor_fuera_de_rango", "el plazo debe estar entre 0 y 366 días"),
        between("verde_min", 0, 2, "valor_fuera_de_rango", "el umbral verde debe estar entre 0 y 2"),
        between("amarillo_min", 0, 2, "valor_fuera_de_rango", "el umbral amarillo debe estar entre 0 y 2"),
        a_ge_b("verde_min", "amarillo_min", "umbrales_invertidos", "el umbral verde debe ser mayor o igual que el amarillo"),
        flag("_aggregation_ok", "agregacion_incoherente",
             "una razón necesita un denominador (columna Denominador); sin él, use 'suma' o 'no agregable'"),
        flag("_type_level_ok", "tipo_nivel_incoherente",
             "el tipo no corresponde al nivel (fin: impacto; propósito: resultado o impacto; componente: producto; "
             "actividad: proceso)", severity="warning"),
    ],
    "municipalities": [
        *not_null("code"), in_set("code", param("municipality_codes"), "municipio_desconocido",
                                  "el municipio no existe en el catálogo (solo se actualizan municipios existentes)"),
        unique(["code"]),
        in_set("intervention", ["CSU", "CSR", "none"], "valor_no_permitido", "valor no permitido; use: CSU, CSR, none"),
        between("lat", 13.0, 14.6, "coordenada_fuera_de_rango", "la latitud está fuera de El Salvador"),
        between("lon", -90.3, -87.5, "coordenada_fuera_de_rango", "la longitud está fuera de El Salvador"),
        between("entry_year", 1990, param("max_year"), "periodo_implausible",
                "el año de entrada debe estar entre 1990 y el año de los datos + 1"),
        between("entry_order", 1, None, "valor_fuera_de_rango", "el orden de entrada debe ser 1 o mayor"),
        between("settlements", 0, None, "valor_negativo", "no puede ser negativo"),
    ],
    "participants": [
        *not_null("household_id", "municipality_code", "intervention", "area", "vulnerability_score",
                  "registered_at"),
        in_set("municipality_code", param("municipality_codes"), "municipio_desconocido",
               "el código de municipio no existe (use el código DIGESTYC de 4 dígitos)"),
        unique(["household_id"]),
        between("vulnerability_score", 0, 100, "valor_fuera_de_rango",
                "el puntaje de vulnerabilidad debe estar entre 0 y 100"),
        between("_registration_year", 2000, param("max_year"), "periodo_implausible",
                "el año de registro debe estar entre 2000 y el año de los datos + 1"),
        flag("_programs_ok", "programas_invalidos",
             "la lista de programas no se entiende o nombra un programa que no existe: use "
             "CÓDIGO:AAAA-MM-DD separados por | (p. ej. CSU-BONO:2012-02-01|CSU-PATI:2013-06-15)"),
    ],
    "boundaries": [
        *not_null("code", "geometry_json"),
        in_set("code", param("municipality_codes"), "municipio_desconocido", "el municipio no existe en el catálogo"),
        unique(["code"]),
    ],
}


def main() -> None:
    import great_expectations as gx

    for kind, expectations in SUITES.items():
        suite = gx.ExpectationSuite(name=kind, expectations=expectations)
        data = suite.to_json_dict()
        (HERE / f"{kind}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(kind, len(data["expectations"]))


if __name__ == "__main__":
    main()
