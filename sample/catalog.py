"""The indicator catalogue: umbrella logframe (CS), one small logframe per program, and ODM1.

Each indicator row carries its objective (id, parent, level, narrative), as the `indicators`
loader expects. `Spec.params` drives the value series in sample.series:
  rates     b=(lo, hi) baseline %, gain=(lo, hi) points toward the target, den=(lo, hi) persons
  stocks    b, gain (counts scale with the municipality's size; dec = decimals for non-counts)
  flujo     annual=(lo, hi) 2014 target flow per municipality
  acumulado total=(lo, hi) cumulative target from the baseline to 2014-12-31
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sample.reference import program

LEVEL_TYPE = {"fin": "impacto", "proposito": "resultado", "componente": "producto",
              "actividad": "proceso"}
DEADLINE = {"semanal": 7, "mensual": 15, "trimestral": 30, "anual": 90}


@dataclass(frozen=True)
class Spec:
    code: str
    program: str
    level: str
    name: str
    unit: str
    frequency: str
    accumulation: str = "stock"
    sentido: str = "ascendente"
    dimension: str = "eficacia"
    numerator: str | None = None
    denominator: str | None = None      # set: a rate (scale 100, unit %)
    reports_cumulative: bool = False
    medio: str = ""
    supuesto: str = ""
    intervention: str | None = None      # default: the program's
    aggregation: str | None = None       # suma / razón / no agregable; default razón for a rate, else suma
    params: dict = field(default_factory=dict)

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def eje(self) -> int | None:
        return None if self.program == "CS" else int(program(self.program)["eje_id"])

    @property
    def scope_intervention(self) -> str:
        return self.intervention or program(self.program)["intervention"]

    @property
    def source(self) -> str:
        if self.program == "CS":
            return {"CS-01": "DIGESTYC, EHPM (estimación municipal de muestra)",
                    "CS-03": "MINSAL, SIMMOW"}.get(self.code, "STP, Registro Único de Participantes")
        return program(self.program)["institution"]


def _r(code, program_, level, name, num, den, freq, **kw):
    return Spec(code, program_, level, name, "%", freq, numerator=num, denominator=den, **kw)


SUP_FIN = "Estabilidad macroeconómica y ausencia de desastres naturales de gran escala"
SUP_OPS = "Los fondos se transfieren a tiempo y las municipalidades mantienen su contrapartida"
SUP_FAM = "Las familias cumplen sus corresponsabilidades y permanecen en el municipio"

SPECS: list[Spec] = [
    # --- Umbrella logframe: Comunidades Solidarias (Fin, Propósito, Componentes CSR y CSU)
    _r("CS-01", "CS", "fin", "Hogares en pobreza extrema en los municipios de Comunidades Solidarias",
       "Hogares con ingreso per cápita bajo la canasta básica alimentaria", "Hogares del municipio",
       "anual", sentido="descendente", intervention="ambas",
       medio="EHPM (DIGESTYC), estimación municipal", supuesto=SUP_FIN,
       params=dict(b=(22, 38), gain=(4, 8), den=(1500, 9000))),
    _r("CS-02", "CS", "proposito", "Familias participantes con acceso al paquete básico de servicios",
       "Familias participantes con al menos cuatro servicios del paquete básico",
       "Familias participantes", "anual", intervention="ambas",
       medio="Registro Único de Participantes (RUP), STP", supuesto=SUP_FAM,
       params=dict(b=(35, 55), gain=(15, 25), den=(400, 3000))),
    _r("CS-03", "CS", "proposito", "Desnutrición crónica en niñas y niños menores de 5 años",
       "Menores de 5 años con talla baja para la edad", "Menores de 5 años evaluados",
       "anual", sentido="descendente", intervention="ambas",
       medio="Censo de talla y registros de control infantil, MINSAL", supuesto=SUP_FAM,
       params=dict(b=(18, 32), gain=(3, 6), den=(300, 2500))),
    Spec("CS-04", "CS", "componente", "Familias rurales atendidas por la intervención CSR",
         "familias", "trimestral", intervention="CSR",
         medio="RUP y padrón de participantes, FISDL", supuesto=SUP_OPS,
         params=dict(b=(500, 1200), gain=(150, 350))),
    Spec("CS-05", "CS", "componente", "Asentamientos urbanos precarios intervenidos", "asentamientos",
         "trimestral", accumulation="acumulado", reports_cumulative=True, intervention="CSU",
         medio="Informes de avance VMVDU-FISDL", supuesto=SUP_OPS,
         params=dict(b=(0, 0), gain=(6, 18))),

    # --- Eje 1: Capital humano
    Spec("CSR-BONO-01", "CSR-BONO", "componente", "Familias con bono de salud y educación pagado",
         "familias", "mensual", medio="Planillas de pago del bono, FISDL", supuesto=SUP_OPS,
         params=dict(b=(400, 1100), gain=(80, 220))),
    _r("CSR-BONO-02", "CSR-BONO", "actividad", "Controles de salud cumplidos por familias con bono",
       "Controles de salud realizados según protocolo", "Controles de salud programados",
       "mensual", medio="Formularios de verificación de corresponsabilidad, FISDL-MINSAL",
       supuesto=SUP_FAM, params=dict(b=(70, 82), gain=(8, 12), den=(500, 2400))),
    _r("CSR-BONO-03", "CSR-BONO", "proposito", "Asistencia escolar de niñas y niños con bono",
       "Niñas y niños con bono que asisten al menos 80 % de los días",
       "Niñas y niños con bono matriculados", "anual",
       medio="Registro de asistencia escolar, MINED", supuesto=SUP_FAM,
       params=dict(b=(78, 86), gain=(5, 9), den=(300, 2200))),
    Spec("CSR-BONO-04", "CSR-BONO", "actividad", "Visitas de verificación de corresponsabilidades",
         "visitas", "semanal", accumulation="flujo", medio="Bitácora de promotores, FISDL",
         supuesto=SUP_OPS, params=dict(annual=(300, 900))),
    Spec("CSR-NMD-01", "CSR-NMD", "componente", "Personas adultas mayores con pensión básica pagada",
         "personas", "mensual", medio="Planillas de pago PBU, FISDL", supuesto=SUP_OPS,
         params=dict(b=(120, 380), gain=(30, 80))),
    _r("CSR-OFER-01", "CSR-OFER", "proposito", "Deserción escolar en centros escolares de tiempo pleno",
       "Estudiantes que abandonan durante el año", "Matrícula inicial", "anual",
       sentido="descendente", medio="Censo escolar, MINED", supuesto=SUP_FAM,
       params=dict(b=(8, 12), gain=(2.5, 4), den=(400, 2600))),
    Spec("CSR-OFER-02", "CSR-OFER", "componente", "Centros escolares con jornada extendida",
         "centros escolares", "trimestral", medio="Registro de centros escolares, MINED",
         supuesto=SUP_OPS, params=dict(b=(2, 6), gain=(8, 16))),
    _r("CSR-OFER-03", "CSR-OFER", "actividad", "Días-centro lectivos con refrigerio escolar servido",
       "Días-centro con refrigerio servido", "Días-centro lectivos", "mensual", dimension="calidad",
       medio="Informes mensuales de directores, MINED", supuesto="Proveedores entregan a tiempo",
       params=dict(b=(72, 84), gain=(8, 12), den=(150, 900))),
    _r("CSR-OFER-04", "CSR-OFER", "componente", "Niñas y niños menores de 5 años con control de crecimiento al día",
       "Menores de 5 años con control al día", "Menores de 5 años registrados", "mensual",
       medio="SIMMOW, MINSAL", supuesto=SUP_FAM,
       params=dict(b=(60, 74), gain=(12, 18), den=(300, 2400))),
    Spec("CSR-OFER-05", "CSR-OFER", "actividad", "Visitas domiciliares de Equipos Comunitarios de Salud",
         "visitas", "semanal", accumulation="flujo", medio="Fichas familiares, MINSAL",
         supuesto=SUP_OPS, params=dict(annual=(600, 2000))),
    Spec("CSU-BONO-01", "CSU-BONO", "componente", "Estudiantes con bono de educación urbano pagado",
         "estudiantes", "mensual", medio="Planillas de pago, FISDL", supuesto=SUP_OPS,
         params=dict(b=(150, 600), gain=(80, 260))),
    _r("CSU-BONO-02", "CSU-BONO", "proposito", "Asistencia escolar de estudiantes con bono urbano",
       "Estudiantes con bono que asisten al menos 80 % de los días", "Estudiantes con bono",
       "anual", medio="Registro de asistencia escolar, MINED", supuesto=SUP_FAM,
       params=dict(b=(80, 87), gain=(4, 8), den=(150, 900))),
    Spec("CSU-NMD-01", "CSU-NMD", "componente", "Personas adultas mayores con pensión básica urbana pagada",
         "personas", "trimestral", medio="Planillas de pago PBU, FISDL", supuesto=SUP_OPS,
         params=dict(b=(40, 160), gain=(30, 90))),
    Spec("CSU-PREV-01", "CSU-PREV", "actividad", "Jóvenes participantes en actividades de prevención de violencia",
         "jóvenes", "mensual", accumulation="flujo", medio="Listas de asistencia, MJSP",
         supuesto="Condiciones de seguridad permiten las actividades", params=dict(annual=(200, 900))),
    Spec("CSU-PREV-02", "CSU-PREV", "actividad", "Sesiones del comité municipal de prevención de la violencia",
         "sesiones", "mensual", accumulation="flujo", medio="Actas del comité, municipalidad",
         supuesto="Condiciones de seguridad permiten sesionar", params=dict(annual=(10, 24))),
    Spec("CSU-INFA-01", "CSU-INFA", "componente", "Niñas y niños de 0 a 6 años con atención integral en centros de desarrollo infantil",
         "niñas y niños", "trimestral", medio="Registros de asistencia de los centros, ISNA", supuesto=SUP_FAM,
         params=dict(b=(30, 120), gain=(40, 140))),
    _r("CSU-SALUD-01", "CSU-SALUD", "componente", "Embarazadas con control prenatal precoz",
       "Embarazadas inscritas antes de las 12 semanas", "Embarazadas inscritas", "mensual",
       medio="SIMMOW, MINSAL", supuesto=SUP_FAM,
       params=dict(b=(55, 68), gain=(10, 16), den=(40, 400))),

    # --- Eje 2: Infraestructura social básica
    _r("CSR-INFRA-01", "CSR-INFRA", "proposito", "Cobertura de agua potable en hogares rurales",
       "Hogares con acceso a agua potable", "Hogares del municipio", "anual",
       medio="EHPM y catastro de sistemas, FISDL-ANDA", supuesto=SUP_OPS,
       params=dict(b=(38, 60), gain=(15, 25), den=(1200, 8000))),
    Spec("CSR-INFRA-02", "CSR-INFRA", "componente", "Sistemas de agua potable terminados", "sistemas",
         "trimestral", accumulation="acumulado", reports_cumulative=True,
         medio="Actas de recepción de obra, FISDL", supuesto=SUP_OPS, params=dict(b=(0, 0), gain=(12, 30))),
    Spec("CSR-INFRA-03", "CSR-INFRA", "componente", "Letrinas y soluciones sanitarias construidas", "letrinas",
         "mensual", accumulation="acumulado", medio="Informes de supervisión, FISDL",
         supuesto=SUP_OPS, params=dict(total=(150, 600))),
    Spec("CSR-INFRA-04", "CSR-INFRA", "componente", "Viviendas conectadas a la red eléctrica", "viviendas",
         "mensual", accumulation="acumulado", medio="Actas de conexión de la distribuidora, FISDL",
         supuesto=SUP_OPS, params=dict(total=(200, 900))),
    _r("CSR-INFRA-05", "CSR-INFRA", "proposito", "Cobertura de electrificación en hogares rurales",
       "Hogares con servicio de energía eléctrica", "Hogares del municipio", "anual",
       medio="EHPM y SIGET", supuesto=SUP_OPS,
       params=dict(b=(55, 72), gain=(12, 20), den=(1200, 8000))),
    Spec("CSR-INFRA-06", "CSR-INFRA", "componente", "Kilómetros de caminos rurales mejorados", "km",
         "mensual", accumulation="acumulado", reports_cumulative=True,
         medio="Informes de supervisión de obra, FISDL", supuesto="Estación lluviosa sin daños mayores",
         params=dict(b=(0, 0), gain=(60, 140), dec=1)),
    Spec("CSR-INFRA-07", "CSR-INFRA", "actividad", "Jornales generados en obras de caminos", "jornales",
         "semanal", accumulation="flujo", dimension="eficiencia",
         medio="Planillas de mano de obra, FISDL", supuesto=SUP_OPS, params=dict(annual=(1500, 5000))),
    Spec("CSU-AUP-01", "CSU-AUP", "componente", "Viviendas mejoradas en asentamientos urbanos precarios",
         "viviendas", "mensual", accumulation="acumulado", medio="Actas de entrega, VMVDU-FISDL",
         supuesto=SUP_OPS, params=dict(total=(120, 500))),
    _r("CSU-AUP-02", "CSU-AUP", "proposito", "Hogares de asentamientos precarios con agua por cañería",
       "Hogares con conexión domiciliar de agua", "Hogares de los asentamientos intervenidos", "anual",
       medio="Línea de base y monitoreo de AUP, VMVDU", supuesto=SUP_OPS,
       params=dict(b=(50, 66), gain=(14, 22), den=(300, 3000))),
    Spec("CSU-AUP-03", "CSU-AUP", "componente", "Lotes legalizados en asentamientos urbanos precarios",
         "lotes", "trimestral", accumulation="acumulado", reports_cumulative=True,
         medio="Escrituras inscritas, ILP-CNR", supuesto="Propietarios de terrenos acceden a vender",
         params=dict(b=(0, 0), gain=(80, 400))),
    Spec("CSU-AUP-04", "CSU-AUP", "componente", "Casas comunales y espacios públicos terminados", "obras",
         "trimestral", accumulation="acumulado", medio="Actas de recepción, FISDL",
         supuesto=SUP_OPS, params=dict(total=(10, 24))),

    # --- Eje 3: Generación de ingreso
    Spec("CSR-PROD-01", "CSR-PROD", "componente", "Productores con paquete agrícola entregado", "productores",
         "trimestral", accumulation="flujo", medio="Listados de entrega, MAG-CENTA",
         supuesto="Lluvias normales en la siembra de primera", params=dict(annual=(300, 1200))),
    Spec("CSR-PROD-02", "CSR-PROD", "proposito", "Rendimiento de maíz de productores del PAF", "qq/mz",
         "anual", aggregation="no agregable", medio="Encuesta de cosecha, MAG-DGEA", supuesto="Lluvias normales",
         params=dict(b=(28, 36), gain=(6, 10), dec=1)),
    Spec("CSR-CLOC-01", "CSR-CLOC", "componente", "Créditos productivos otorgados", "créditos",
         "mensual", accumulation="flujo", medio="Cartera de créditos, BFA", supuesto=SUP_OPS,
         params=dict(annual=(40, 160))),
    _r("CSR-CLOC-02", "CSR-CLOC", "actividad", "Cartera de créditos en mora", "Saldo en mora mayor de 30 días",
       "Saldo total de la cartera", "mensual", sentido="descendente", dimension="calidad",
       medio="Estados de cartera, BFA", supuesto="Precios agrícolas estables",
       params=dict(b=(9, 14), gain=(3, 5), den=(40000, 300000))),
    Spec("CSR-EMPL-01", "CSR-EMPL", "componente", "Personas capacitadas en oficios rurales", "personas",
         "trimestral", accumulation="flujo", medio="Registros de egreso, INSAFORP",
         supuesto=SUP_OPS, params=dict(annual=(60, 240))),
    Spec("CSU-PATI-01", "CSU-PATI", "componente", "Participantes del PATI con apoyo temporal al ingreso",
         "participantes", "mensual", medio="Planillas de pago PATI, FISDL", supuesto=SUP_OPS,
         params=dict(b=(150, 500), gain=(80, 250))),
    _r("CSU-PATI-02", "CSU-PATI", "actividad", "Asistencia a capacitaciones del PATI",
       "Participantes que asistieron a la capacitación de la semana", "Participantes convocados",
       "semanal", medio="Listas de asistencia, FISDL-INSAFORP", supuesto=SUP_FAM,
       params=dict(b=(68, 78), gain=(10, 14), den=(80, 450))),
    _r("CSU-PATI-03", "CSU-PATI", "proposito", "Egresados del PATI con empleo o emprendimiento",
       "Egresados con empleo o emprendimiento a los seis meses", "Egresados del PATI", "anual",
       medio="Encuesta de seguimiento a egresados, FISDL", supuesto="Demanda laboral local estable",
       params=dict(b=(18, 28), gain=(10, 16), den=(100, 600))),
    Spec("CSU-PATI-04", "CSU-PATI", "componente", "Costo mensual por participante del PATI", "US$",
         "trimestral", sentido="descendente", dimension="economia", aggregation="no agregable",
         medio="Ejecución presupuestaria y planillas, FISDL", supuesto=SUP_OPS,
         params=dict(b=(112, 128), gain=(8, 14), dec=2)),
    Spec("CSU-INTL-01", "CSU-INTL", "componente", "Personas colocadas en un empleo por la intermediación laboral",
         "personas", "trimestral", accumulation="flujo", medio="Registros de la bolsa de empleo, MTPS",
         supuesto=SUP_OPS, params=dict(annual=(60, 300))),
    Spec("CSU-EMPR-01", "CSU-EMPR", "componente", "Emprendimientos urbanos apoyados", "emprendimientos",
         "trimestral", accumulation="acumulado", reports_cumulative=True,
         medio="Registros de asesoría, CONAMYPE", supuesto=SUP_OPS, params=dict(b=(0, 0), gain=(30, 140))),
    Spec("CSU-OBRA-01", "CSU-OBRA", "componente", "Jornales de mano de obra local contratados en obra pública",
         "jornales", "mensual", accumulation="flujo", dimension="eficiencia",
         medio="Planillas de mano de obra de las obras, FISDL", supuesto=SUP_OPS, params=dict(annual=(800, 3000))),

    # --- Eje 4: Gestión territorial
    Spec("CSR-FINS-01", "CSR-FINS", "componente", "Sesiones de planificación participativa realizadas",
         "sesiones", "trimestral", accumulation="flujo", medio="Actas de sesión, FISDL",
         supuesto="Voluntad política del concejo municipal", params=dict(annual=(8, 16))),
    _r("CSR-FINS-02", "CSR-FINS", "actividad", "Ejecución de fondos municipales asignados a CSR",
       "Monto ejecutado", "Monto asignado", "mensual", dimension="eficiencia",
       medio="Liquidaciones municipales, FISDL-ISDEM", supuesto=SUP_OPS,
       params=dict(b=(45, 60), gain=(18, 26), den=(20000, 250000))),
    Spec("CSR-PART-01", "CSR-PART", "actividad", "Reuniones del comité municipal de Comunidades Solidarias",
         "reuniones", "mensual", accumulation="flujo", medio="Actas del comité, STP",
         supuesto="Instituciones participan en el comité", params=dict(annual=(10, 24))),
    Spec("CSR-PART-02", "CSR-PART", "actividad", "Consultas atendidas por la contraloría social comunitaria",
         "consultas", "semanal", accumulation="flujo", medio="Libro de consultas del comité, STP",
         supuesto="Comunidad conoce el mecanismo", params=dict(annual=(80, 400))),
    Spec("CSU-FINS-01", "CSU-FINS", "componente", "Mesas territoriales de coordinación activas", "mesas",
         "trimestral", medio="Actas de mesas territoriales, FISDL", supuesto=SUP_OPS,
         params=dict(b=(1, 3), gain=(12, 20))),
    Spec("CSU-PART-01", "CSU-PART", "actividad", "Asambleas comunitarias realizadas en los asentamientos",
         "asambleas", "trimestral", accumulation="flujo", medio="Actas de asamblea, STP",
         supuesto="Comunidad organizada participa en las asambleas", params=dict(annual=(6, 18))),
    Spec("CSU-RIES-01", "CSU-RIES", "componente", "Comisiones comunales de protección civil organizadas",
         "comisiones", "trimestral", accumulation="acumulado", reports_cumulative=True,
         medio="Registro de comisiones, Dirección de Protección Civil-MARN", supuesto=SUP_OPS,
         params=dict(b=(0, 0), gain=(4, 14))),
]

# ---- Objectives -----------------------------------------------------------------------------
# The Comunidades Solidarias logframe (MML) in the seed's words (real, not sample): Fin, Propósito,
# Componente 1 (CSR) and Componente 2 (CSU). The programs' own logframes below them are sample.
CS_OBJECTIVES = {
    "fin": ("CS-FIN", None, "Contribuir a la disminución de la pobreza de la población perteneciente a "
            "los 125 municipios priorizados"),
    "proposito": ("CS-PROP", "CS-FIN", "La población participante disminuyó sus niveles de desigualdad y "
                  "exclusión social"),
    "CSR": ("CS-C1", "CS-PROP", "Familias participantes que habitan en municipios de extrema pobreza severa "
            "y alta en el sector rural han mejorado las condiciones de vida y sus niveles de participación "
            "ciudadana"),
    "CSU": ("CS-C2", "CS-PROP", "Personas habitantes en AUP han mejorado sus condiciones de vida y sus "
            "niveles de participación ciudadana"),
}


def objective(spec: Spec, specs: list[Spec] | None = None) -> tuple[str, str | None, str]:
    """(objective_id, parent_id, narrative) of an indicator; parents always exist in the file."""
    if spec.program == "CS":
        key = spec.level if spec.level in ("fin", "proposito") else spec.scope_intervention
        return CS_OBJECTIVES[key]
    specs = specs or SPECS
    prog = program(spec.program)
    levels = {s.level for s in specs if s.program == spec.program}
    top = CS_OBJECTIVES[prog["intervention"]][0]
    pid = {"proposito": f"{spec.program}-P", "componente": f"{spec.program}-C1",
           "actividad": f"{spec.program}-A1"}
    where = "rurales" if prog["intervention"] == "CSR" else "urbanos"
    name = f"«{prog['name']}»"
    if spec.level == "proposito":
        return pid["proposito"], top, (f"Las familias participantes de los municipios {where} mejoran sus "
                                       f"condiciones de vida con el componente {name}: "
                                       f"{prog['description'][0].lower()}{prog['description'][1:]}")
    parent_p = pid["proposito"] if "proposito" in levels else top
    if spec.level == "componente":
        return pid["componente"], parent_p, (f"Bienes y servicios del componente {name} entregados en los "
                                             f"municipios {where} priorizados")
    parent_c = pid["componente"] if "componente" in levels else parent_p
    return pid["actividad"], parent_c, f"Gestión, seguimiento y verificación operativa del componente {name}"


def indicator_rows() -> list[dict]:
    """Program indicators (CS umbrella and the programs), canonical column names."""
    rows = []
    for s in SPECS:
        oid, parent, text = objective(s)
        rows.append(dict(
            code=s.code, name=s.name, objective_id=oid, objective_parent=parent,
            objective_level=s.level, objective_text=text, program_code=s.program,
            eje_id=s.eje, intervention=s.scope_intervention, level=s.level,
            type=LEVEL_TYPE[s.level], dimension=s.dimension, unit=s.unit,
            scale=100 if s.is_rate else 1, sentido=s.sentido, accumulation=s.accumulation,
            aggregation=s.aggregation or ("razón" if s.is_rate else "suma"),
            reports_cumulative=s.reports_cumulative, frequency=s.frequency,
            deadline_days=DEADLINE[s.frequency], formula_numerator=s.numerator,
            formula_denominator=s.denominator, medio_verificacion=s.medio, supuesto=s.supuesto,
            source=s.source, odm_indicator=None, scope_level="municipal", is_sample=True))
    return rows


def spec(code: str) -> Spec:
    return next(s for s in SPECS if s.code == code)
