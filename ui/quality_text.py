"""Calidad de datos in Spanish: Great Expectations rule names as sentences, and one Spanish name per
rule (the same in the validation table, the failures and the quarantine)."""
from __future__ import annotations

import polars as pl

from loaders.kinds import KIND_SPECS

# one name per rule code (the loaders' `rule`), used in every table of the page
RULE_NAMES = {
    "campo_obligatorio": "Campo obligatorio vacío",
    "clave_duplicada": "Fila repetida (misma clave)",
    "municipio_desconocido": "Municipio desconocido",
    "indicador_desconocido": "Indicador desconocido",
    "programa_desconocido": "Programa desconocido",
    "monto_negativo": "Monto negativo",
    "valor_negativo": "Valor negativo",
    "valor_faltante": "Falta el valor (o numerador y denominador)",
    "valor_fuera_de_rango": "Valor fuera de rango",
    "valor_no_permitido": "Valor no permitido",
    "numero_fuera_de_rango": "Número fuera de rango",
    "numero_invalido": "Número ilegible",
    "entero_invalido": "Entero ilegible",
    "booleano_invalido": "Sí/no ilegible",
    "fecha_invalida": "Fecha ilegible",
    "fecha_mes_primero": "Fecha con el mes primero",
    "fechas_invertidas": "Fecha de meta anterior a la línea base",
    "mes_invalido": "Mes ilegible",
    "periodo_invalido": "Período ilegible",
    "periodo_implausible": "Año fuera de lo plausible",
    "periodo_no_coincide_con_frecuencia": "Período de otra frecuencia que la del indicador",
    "periodo_posterior_al_reporte": "Período posterior a la fecha de reporte",
    "porcentaje_fuera_de_rango": "Porcentaje fuera de 0–100",
    "denominador_no_positivo": "Denominador cero o negativo",
    "numerador_mayor_que_denominador": "Numerador mayor que el denominador",
    "razon_sin_partes": "Razón sin numerador y denominador",
    "orden_de_ejecucion": "Etapas del gasto en desorden",
    "umbrales_invertidos": "Umbral verde por debajo del amarillo",
    "agregacion_incoherente": "Regla de agregación incoherente",
    "tipo_nivel_incoherente": "Tipo incoherente con el nivel",
    "codigo_invalido": "Código ilegible",
    "coordenada_fuera_de_rango": "Coordenada fuera de El Salvador",
    "geometria_no_poligono": "Geometría que no es polígono",
    "columna_desconocida": "Columna desconocida",
    "columna_duplicada": "Columna repetida",
    "columnas_faltantes": "Faltan columnas",
    "fila_irregular": "Fila con otro número de columnas",
    "comillas_sin_cerrar": "Comillas sin cerrar",
    "codificacion_invalida": "Codificación ilegible",
    "archivo_vacio": "Archivo vacío",
    "archivo_ilegible": "Archivo ilegible",
    "archivo_protegido": "Archivo protegido",
    "archivo_rechazado": "Archivo rechazado",
    "hoja_inexistente": "Hoja inexistente",
}

SUITE_NAMES = {"measurements": "Mediciones", "targets": "Metas", "budget": "Presupuesto",
               "indicators": "Indicadores", "municipalities": "Municipios", "boundaries": "Límites municipales"}

# Great Expectations rule -> a sentence about the named columns ({cols}, {a}, {b})
EXPECTATION_SENTENCES = {
    "expect_column_values_to_not_be_null": "{cols}: no puede estar vacío",
    "expect_column_values_to_be_between": "{cols}: dentro del rango permitido",
    "expect_column_values_to_be_in_set": "{cols}: solo valores o códigos conocidos",
    "expect_column_values_to_be_unique": "{cols}: sin valores repetidos",
    "expect_compound_columns_to_be_unique": "Una sola fila por {cols}",
    "expect_column_pair_values_a_to_be_greater_than_b": "{a} mayor o igual que {b}",
}


def column_label(name: str | None, suite: str | None = None) -> str:
    """A column's Spanish header from the file kind's specification (as templates write it)."""
    if not name:
        return ""
    specs = [KIND_SPECS[suite]] if suite in KIND_SPECS else list(KIND_SPECS.values())
    for spec in specs:
        for col in spec.columns:
            if col.name == name and col.spanish:
                return col.spanish
    return name


def rule_name(rule: str | None) -> str:
    return RULE_NAMES.get(rule or "", (rule or "").replace("_", " ").capitalize())


def expectation_sentence(expectation: str | None, columns: str | None, rule: str | None, suite: str | None) -> str:
    """'Código Municipio: solo valores o códigos conocidos'. A derived check (a column whose name starts
    with '_', computed by the loader) is named by its rule instead of its column."""
    names = [c.strip() for c in (columns or "").split(",") if c.strip()]
    if any(n.startswith("_") for n in names) or expectation not in EXPECTATION_SENTENCES:
        return f"Regla: {rule_name(rule).lower()}" if rule else (expectation or "")
    labels = [column_label(n, suite) for n in names]
    return EXPECTATION_SENTENCES[expectation].format(
        cols=" + ".join(labels), a=labels[0], b=labels[-1])


def spanish_validation(frame: pl.DataFrame) -> pl.DataFrame:
    """validation_summary / validation_failures rows with the suite, the expectation as a sentence,
    the columns and the rule in Spanish."""
    if frame.is_empty():
        return frame
    sentences = [expectation_sentence(e, c, r, s) for e, c, r, s in
                 zip(frame["expectation"], frame["column_name"], frame["rule"], frame["suite"])]
    columns = [", ".join(column_label(n.strip(), s) for n in (c or "").split(",") if n.strip() and not n.strip().startswith("_"))
               for c, s in zip(frame["column_name"], frame["suite"])]
    return frame.with_columns(pl.Series("expectation", sentences), pl.Series("column_name", columns),
                              pl.col("rule").map_elements(rule_name, return_dtype=pl.String),
                              pl.col("suite").replace(SUITE_NAMES))


def spanish_quarantine(frame: pl.DataFrame) -> pl.DataFrame:
    """quarantine_rows with the rule's one Spanish name and the file kind in Spanish."""
    if frame.is_empty():
        return frame
    return frame.with_columns(pl.col("rule").map_elements(rule_name, return_dtype=pl.String),
                              pl.col("kind").replace(SUITE_NAMES),
                              pl.struct("column_name", "kind").map_elements(
                                  lambda r: column_label(r["column_name"], r["kind"]), return_dtype=pl.String)
                              .alias("column_name"))
