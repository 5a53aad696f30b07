-- Page model (Ficha técnica): each indicator's logframe row with its program, eje and objective
-- names. The query function (warehouse/queries/ficha.py indicator_definition) picks one indicator
-- and the viewer's visibility. Key: code. Not null: code, name.
CREATE OR REPLACE VIEW page_indicator_definition AS
SELECT i.code, i.name, i.level, i.type, i.dimension, i.unit, i.scale, i.sentido, i.accumulation,
       i.reports_cumulative, i.frequency, i.deadline_days, i.formula_numerator,
       i.formula_denominator, i.formula_denominator IS NOT NULL AS is_rate,
       i.aggregation_rule AS aggregation,
       i.medio_verificacion, i.supuesto, i.source, i.odm_indicator, i.program_code,
       p.name AS program_name, p.institution, i.eje_id, e.name AS eje_name, i.intervention,
       i.scope_level, i.objective_id, o.narrative AS objective, o.level AS objective_level,
       o.medio_verificacion AS objective_medio_verificacion, o.supuesto AS objective_supuesto,
       i.is_sample
FROM stg_indicators i
LEFT JOIN programs p ON p.program_code = i.program_code
LEFT JOIN ejes e ON e.eje_id = i.eje_id
LEFT JOIN objectives o ON o.objective_id = i.objective_id;
