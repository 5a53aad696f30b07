"""What each kind accepts: canonical columns, their type, whether required, and header aliases.

Types: text, scope (municipality code or 'national'), muni (municipality code), float, int,
bool, period, date, month, and enum:<domain>. Aliases are compared after headers.normalize().
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENUMS = {
    "level": ["fin", "proposito", "componente", "actividad"],
    "type": ["impacto", "resultado", "producto", "proceso"],
    "dimension": ["eficacia", "eficiencia", "economia", "calidad"],
    "sentido": ["ascendente", "descendente"],
    "accumulation": ["stock", "flujo", "acumulado"],
    "aggregation": ["suma", "razón", "no agregable"],
    "frequency": ["semanal", "mensual", "trimestral", "anual"],
    "scope_level": ["municipal", "national"],
    "ind_intervention": ["CSU", "CSR", "ambas"],
    "mun_intervention": ["CSU", "CSR", "none"],
    "target_kind": ["PQD-2014", "ODM-2015"],
    "area": ["urbana", "rural"],
    "participant_intervention": ["CSU", "CSR"],
}


@dataclass(frozen=True)
class Col:
    name: str
    type: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    spanish: str = ""          # header written in templates
    example: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    key: tuple[str, ...]
    columns: tuple[Col, ...]
    is_fact: bool = False
    compare: tuple[str, ...] = field(default=())   # columns that define "unchanged"
    required_any: tuple[tuple[str, ...], ...] = ()  # one of these column sets must be present

    @property
    def required(self):
        return [c.name for c in self.columns if c.required]

    def col(self, name):
        return next(c for c in self.columns if c.name == name)


SAMPLE = Col("is_sample", "bool", False, ("muestra", "es_muestra", "sample"), "Muestra", "no")
SCOPE_ALIASES = ("codigo_municipio", "cod_municipio", "codigo_mun", "cod_mun", "cod_mun4", "municipio_codigo",
                 "codigo_ambito", "ambito", "scope", "scope_code", "municipality_code", "codigo_de_municipio")

MUNICIPALITIES = Kind("municipalities", "municipalities", ("code",), (
    Col("code", "muni", True, ("codigo_municipio", "cod_municipio", "codigo", "cod_mun", "cod_mun4", "codmuni",
                                "municipality_code"), "Código Municipio", "0101"),
    Col("department", "text", False, ("departamento",), "Departamento", "Ahuachapán"),
    Col("municipality", "text", False, ("municipio", "nombre_municipio", "municipality_name"), "Municipio", "Ahuachapán"),
    Col("lat", "float", False, ("latitud", "latitude"), "Latitud", "13.92"),
    Col("lon", "float", False, ("longitud", "longitude", "lng"), "Longitud", "-89.84"),
    Col("coord_source", "text", False, ("fuente_coordenadas", "fuente_de_coordenadas"), "Fuente coordenadas", ""),
    Col("intervention", "enum:mun_intervention", False, ("intervencion",), "Intervención", "CSU"),
    Col("csr_group", "text", False, ("grupo_csr",), "Grupo CSR", ""),
    Col("entry_order", "int", False, ("orden_de_entrada", "orden_entrada", "orden"), "Orden de entrada", "1"),
    Col("entry_year", "int", False, ("ano_de_entrada", "ano_entrada", "anio_entrada", "anio_de_entrada"),
        "Año de entrada", "2010"),
    Col("iimm", "float", False, ("iimm",), "IIMM", ""),
    Col("settlements", "int", False, ("asentamientos",), "Asentamientos", "23"),
    Col("violence_index", "float", False, ("indice_de_violencia", "indice_violencia"), "Índice de violencia", "48.1"),
    SAMPLE,
), compare=("department", "municipality", "lat", "lon", "coord_source", "intervention", "csr_group", "entry_order",
            "entry_year", "iimm", "settlements", "violence_index", "is_sample"))

INDICATORS = Kind("indicators", "indicators", ("code",), (
    Col("code", "text", True, ("codigo_indicador", "cod_indicador", "codigo", "indicator_code"), "Código Indicador", "CSU-01"),
    Col("name", "text", True, ("nombre", "nombre_indicador", "indicator_name"), "Nombre", "Hogares con agua potable"),
    Col("objective_id", "text", True, ("objetivo", "id_objetivo", "codigo_objetivo", "objective"), "Objetivo", "CSU-P1"),
    Col("objective_parent", "text", False, ("objetivo_padre", "parent", "parent_id"), "Objetivo padre", "CSU-F"),
    Col("objective_level", "enum:level", True, ("nivel", "nivel_objetivo"), "Nivel", "proposito"),
    Col("objective_text", "text", True, ("resumen_narrativo", "narrativa", "texto_objetivo", "narrative"),
        "Resumen narrativo", "Mejorar el acceso a servicios básicos"),
    Col("program_code", "text", True, ("programa", "codigo_programa", "program"), "Programa", "CSU-AGUA"),
    Col("eje_id", "int", False, ("eje",), "Eje", "2"),
    Col("intervention", "enum:ind_intervention", False, ("intervencion",), "Intervención", "CSU"),
    Col("level", "enum:level", False, ("nivel_indicador",), "Nivel indicador", ""),
    Col("type", "enum:type", True, ("tipo", "tipo_indicador"), "Tipo", "resultado"),
    Col("dimension", "enum:dimension", True, ("dimension",), "Dimensión", "eficacia"),
    Col("unit", "text", True, ("unidad", "unidad_de_medida"), "Unidad", "%"),
    Col("scale", "float", False, ("escala",), "Escala", "100"),
    Col("sentido", "enum:sentido", True, ("sentido", "direction"), "Sentido", "ascendente"),
    Col("accumulation", "enum:accumulation", True, ("acumulacion",), "Acumulación", "stock"),
    Col("aggregation", "enum:aggregation", False, ("agregacion", "forma_de_agregacion"), "Agregación", "suma"),
    Col("reports_cumulative", "bool", False, ("reporta_acumulado", "reporte_acumulado"), "Reporta acumulado", "no"),
    Col("frequency", "enum:frequency", True, ("frecuencia",), "Frecuencia", "trimestral"),
    Col("deadline_days", "int", False, ("plazo_dias", "plazo", "plazo_en_dias"), "Plazo (días)", "15"),
    Col("formula_numerator", "text", False, ("numerador", "formula_numerador"), "Numerador", "Hogares con agua"),
    Col("formula_denominator", "text", False, ("denominador", "formula_denominador"), "Denominador", "Hogares"),
    Col("medio_verificacion", "text", False, ("medio_de_verificacion", "medios_de_verificacion", "medio_verificacion"),
        "Medio de verificación", "Informe FISDL"),
    Col("supuesto", "text", False, ("supuestos",), "Supuesto", ""),
    Col("source", "text", False, ("fuente",), "Fuente", "FISDL"),
    Col("odm_indicator", "text", False, ("indicador_odm",), "Indicador ODM", ""),
    Col("scope_level", "enum:scope_level", False, ("ambito", "nivel_ambito", "alcance"), "Ámbito", "municipal"),
    Col("verde_min", "float", False, ("umbral_verde",), "Umbral verde", ""),
    Col("amarillo_min", "float", False, ("umbral_amarillo",), "Umbral amarillo", ""),
    SAMPLE,
), compare=("name", "objective_id", "program_code", "eje_id", "intervention", "level", "type", "dimension", "unit",
            "scale", "sentido", "accumulation", "aggregation", "reports_cumulative", "frequency", "deadline_days",
            "formula_numerator", "formula_denominator", "medio_verificacion", "supuesto", "source",
            "odm_indicator", "scope_level", "is_sample"))

TARGETS = Kind("targets", "targets", ("indicator_code", "scope_code", "target_kind"), (
    Col("indicator_code", "text", True, ("indicador", "codigo_indicador", "indicator"), "Indicador", "CSU-01"),
    Col("scope_code", "scope", True, SCOPE_ALIASES, "Código Municipio", "0101"),
    Col("target_kind", "enum:target_kind", True, ("tipo_de_meta", "tipo_meta"), "Tipo de meta", "PQD-2014"),
    Col("baseline_date", "date", True, ("fecha_linea_base", "fecha_de_linea_base"), "Fecha línea base", "31/12/2009"),
    Col("baseline_value", "float", True, ("linea_base", "valor_linea_base", "baseline"), "Línea base", "40"),
    Col("target_date", "date", True, ("fecha_meta", "fecha_de_meta", "fecha_de_la_meta"), "Fecha meta", "31/12/2014"),
    Col("target_value", "float", True, ("meta", "valor_meta", "target"), "Meta", "80"),
    SAMPLE,
), is_fact=True, compare=("baseline_date", "baseline_value", "target_date", "target_value", "is_sample"))

MEASUREMENTS = Kind("measurements", "measurements", ("indicator_code", "scope_code", "period"), (
    Col("indicator_code", "text", True, ("indicador", "codigo_indicador", "indicator"), "Indicador", "CSU-01"),
    Col("scope_code", "scope", True, SCOPE_ALIASES, "Código Municipio", "0101"),
    Col("period", "period", True, ("periodo",), "Período", "2014-Q2"),
    Col("value", "float", False, ("valor",), "Valor", "55,5"),
    Col("numerator", "float", False, ("numerador",), "Numerador", ""),
    Col("denominator", "float", False, ("denominador",), "Denominador", ""),
    Col("reported_at", "date", False, ("fecha_de_reporte", "fecha_reporte", "reportado"), "Fecha de reporte", "15/07/2014"),
    SAMPLE,
), is_fact=True, compare=("value", "numerator", "denominator", "reported_at", "is_sample"),
   required_any=(("value",), ("numerator", "denominator")))

AMOUNTS = ("approved", "modified", "scheduled", "committed", "accrued", "paid")
BUDGET = Kind("budget", "budget", ("program_code", "scope_code", "month"), (
    Col("program_code", "text", True, ("programa", "codigo_programa", "program"), "Programa", "CSU-AGUA"),
    Col("scope_code", "scope", True, SCOPE_ALIASES, "Código Municipio", "0101"),
    Col("month", "month", True, ("mes", "periodo"), "Mes", "2014-05"),
    Col("approved", "float", True, ("aprobado",), "Aprobado", "1000"),
    Col("modified", "float", True, ("modificado",), "Modificado", "1000"),
    Col("scheduled", "float", True, ("programado",), "Programado", "500"),
    Col("committed", "float", True, ("comprometido",), "Comprometido", "400"),
    Col("accrued", "float", True, ("devengado",), "Devengado", "300"),
    Col("paid", "float", True, ("pagado",), "Pagado", "200"),
    SAMPLE,
), is_fact=True, compare=AMOUNTS + ("is_sample",))

BOUNDARIES = Kind("boundaries", "boundaries", ("code",), (
    Col("code", "muni", True, ("codigo", "cod_mun4", "codmuni", "cod_mun", "codigo_municipio"), "code", "0101"),
    Col("geometry_json", "text", True, (), "geometry", ""),
), compare=("geometry_json",))

# An anonymized RUP extract (Registro Único de Participantes): one row per household; `programs` is
# `CODE:YYYY-MM-DD|CODE:YYYY-MM-DD` (loaders/participants.py). Files with personal data are refused
# before anything is read into the warehouse (loaders/pii.py).
PARTICIPANTS = Kind("participants", "participants", ("household_id",), (
    Col("household_id", "text", True, ("id_hogar", "hogar", "codigo_hogar", "hogar_id", "id_seudonimo",
                                       "household"), "ID hogar", "h3fa9c2e1b0d4"),
    Col("municipality_code", "muni", True, SCOPE_ALIASES, "Código Municipio", "0614"),
    Col("intervention", "enum:participant_intervention", True, ("intervencion",), "Intervención", "CSU"),
    Col("area", "enum:area", True, ("area_urbana_rural", "zona"), "Área", "urbana"),
    Col("territory", "text", False, ("aup_o_canton", "aup_canton", "aup", "canton", "territorio"),
        "AUP o cantón", "AUP 0614-07"),
    Col("vulnerability_score", "float", True, ("puntaje_de_vulnerabilidad", "puntaje_vulnerabilidad",
                                               "indice_de_vulnerabilidad", "vulnerabilidad", "puntaje"),
        "Puntaje de vulnerabilidad", "62,5"),
    Col("registered_at", "date", True, ("fecha_de_registro", "fecha_registro", "registro"), "Fecha de registro",
        "15/03/2011"),
    Col("programs", "text", False, ("programas", "programas_recibidos", "programas_y_fechas"),
        "Programas recibidos", "CSU-BONO:2012-02-01|CSU-PATI:2013-06-15"),
    SAMPLE,
), compare=("municipality_code", "intervention", "area", "territory", "vulnerability_score", "registered_at",
            "programs", "is_sample"))

KIND_SPECS = {k.name: k for k in (MUNICIPALITIES, INDICATORS, TARGETS, MEASUREMENTS, BUDGET, BOUNDARIES,
                                  PARTICIPANTS)}
KINDS = tuple(KIND_SPECS)
