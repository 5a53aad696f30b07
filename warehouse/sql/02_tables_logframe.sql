-- Logframe (Matriz de Marco Lógico): objectives tree and their indicators.
CREATE TABLE IF NOT EXISTS objectives (
    objective_id VARCHAR PRIMARY KEY,
    parent_id VARCHAR,
    level VARCHAR NOT NULL,                -- fin, proposito, componente, actividad
    program_code VARCHAR NOT NULL,
    narrative VARCHAR NOT NULL,            -- resumen narrativo
    medio_verificacion VARCHAR,
    supuesto VARCHAR,
    sort_order INTEGER,
    load_id BIGINT
);

CREATE TABLE IF NOT EXISTS indicators (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    objective_id VARCHAR,
    program_code VARCHAR,
    eje_id INTEGER,
    intervention VARCHAR,                  -- CSU, CSR, ambas, or NULL (national)
    level VARCHAR,                         -- fin, proposito, componente, actividad
    type VARCHAR,                          -- impacto, resultado, producto, proceso
    dimension VARCHAR,                     -- eficacia, eficiencia, economia, calidad
    unit VARCHAR,
    scale DOUBLE NOT NULL DEFAULT 1,       -- rates: value = scale * numerator / denominator
    aggregation VARCHAR,                   -- suma, razón, no agregable (NULL: razón if a rate, else suma)
    sentido VARCHAR NOT NULL DEFAULT 'ascendente',      -- ascendente / descendente
    accumulation VARCHAR NOT NULL DEFAULT 'stock',      -- stock, flujo, acumulado
    reports_cumulative BOOLEAN NOT NULL DEFAULT FALSE,
    frequency VARCHAR NOT NULL,            -- semanal, mensual, trimestral, anual
    deadline_days INTEGER NOT NULL DEFAULT 15,
    formula_numerator VARCHAR,
    formula_denominator VARCHAR,           -- non-NULL means a rate
    medio_verificacion VARCHAR,
    supuesto VARCHAR,
    source VARCHAR,
    odm_indicator VARCHAR,                 -- e.g. '1.1'
    scope_level VARCHAR NOT NULL DEFAULT 'municipal',   -- municipal or national
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    load_id BIGINT
);

-- Warehouses created before the column existed (schema applied on open).
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS aggregation VARCHAR;

-- How an indicator adds up from municipalities to a department and the country: the declared
-- aggregation, else razón for a rate (a formula denominator) and suma otherwise.
CREATE OR REPLACE VIEW stg_indicators AS
SELECT *, coalesce(aggregation, CASE WHEN formula_denominator IS NOT NULL THEN 'razón' ELSE 'suma' END)
              AS aggregation_rule
FROM indicators;

-- Semáforo thresholds: indicator_code '*' is the default, other rows override per indicator.
CREATE TABLE IF NOT EXISTS semaforo_thresholds (
    indicator_code VARCHAR PRIMARY KEY,
    verde_min DOUBLE NOT NULL,             -- r = p / e at or above: verde
    amarillo_min DOUBLE NOT NULL,          -- at or above: amarillo, below: rojo
    inicio_max_expected DOUBLE NOT NULL    -- e below this: en inicio
);
