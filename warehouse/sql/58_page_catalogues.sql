-- Page model (the filter bar's program selector, Rendición de cuentas, `export programs`): every
-- program with its eje's name. The query functions (warehouse/queries/reference.py programs,
-- programs_export) add the viewer's visibility, their column names and order.
-- Key: program_code. Not null: program_code, name.
CREATE OR REPLACE VIEW page_program_catalog AS
SELECT p.program_code, p.eje_id, e.name AS eje, p.intervention, p.name, p.institution,
       p.institution_is_sample, p.description
FROM programs p LEFT JOIN ejes e ON e.eje_id = p.eje_id;

-- The ejes with their names (Ejes, the deck). Key: eje_id. Not null: eje_id, eje.
CREATE OR REPLACE VIEW page_ejes AS
SELECT eje_id, name AS eje FROM ejes;

-- The indicator catalogue as `export indicators` and the pages' catalogue lists name it (staging's
-- current indicators, aggregation_rule as aggregation). Key: code. Not null: code, name.
CREATE OR REPLACE VIEW page_indicators_catalog AS
SELECT i.code, i.name, i.level, i.type, i.dimension, i.unit, i.sentido, i.accumulation,
       i.aggregation_rule AS aggregation, i.reports_cumulative, i.frequency, i.deadline_days, i.formula_numerator,
       i.formula_denominator, i.medio_verificacion, i.supuesto, i.source, i.odm_indicator,
       i.program_code, i.eje_id, i.intervention, i.objective_id, i.scope_level, i.scale,
       i.is_sample
FROM stg_indicators i;

-- The targets in force as `export targets` names them (staging's current targets).
-- Key: indicator, scope, target_kind. Not null: indicator, scope, target_kind.
CREATE OR REPLACE VIEW page_targets AS
SELECT indicator_code AS indicator, scope_code AS scope, target_kind, baseline_date,
       baseline_value, target_date, target_value, is_sample, load_id
FROM stg_targets_current;
