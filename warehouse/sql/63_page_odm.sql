-- Page model (ODM 1, Resumen's ODM headline, deck): every indicator with its objective's narrative
-- and its national ODM-2015 target (stg_targets_current), which the week's method rows
-- (progress_source) are joined to. The query functions (warehouse/queries/odm.py odm_indicators,
-- home.py odm_headline) add the week's values, the path to the target and the viewer's scope.
-- Key: code. Not null: code, name.
CREATE OR REPLACE VIEW page_odm_targets AS
SELECT i.code, i.odm_indicator, i.name, i.unit, i.sentido, i.source, i.medio_verificacion, i.program_code,
       o.narrative AS meta, t.baseline_date AS odm_baseline_date, t.baseline_value AS odm_baseline_value,
       t.target_date AS odm_target_date, t.target_value AS odm_target_value
FROM indicators i
LEFT JOIN objectives o ON o.objective_id = i.objective_id
LEFT JOIN stg_targets_current t ON t.indicator_code = i.code AND t.scope_code = 'national'
     AND t.target_kind = 'ODM-2015';
