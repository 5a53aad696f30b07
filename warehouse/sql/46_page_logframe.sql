-- Page model (Programas, `export logframe`): the logframe matrix of every program, one row per
-- objective it shows: its own objectives (role 'propio') and the objective(s) of another logframe its
-- top objectives hang from (role 'superior', what the program contributes to). `path` runs from the
-- root (sort order and id at each step) for the depth-first order; `level_order` is fin, propósito,
-- componente, actividad; medios and supuestos gather the objective's and its indicators' (own rows).
-- The query functions (warehouse/queries/logframe.py) pick one matrix and the viewer's visibility.
-- Key: matrix_program, objective_id. Not null: matrix_program, objective_id, role, path.
CREATE OR REPLACE VIEW page_logframe_objectives AS
WITH RECURSIVE tree AS (
    SELECT objective_id, parent_id, level, program_code, narrative, medio_verificacion, supuesto,
           [lpad(CAST(coalesce(sort_order, 0) AS VARCHAR), 4, '0') || objective_id] AS path
    FROM objectives WHERE parent_id IS NULL OR parent_id NOT IN (SELECT objective_id FROM objectives)
    UNION ALL
    SELECT o.objective_id, o.parent_id, o.level, o.program_code, o.narrative, o.medio_verificacion, o.supuesto,
           list_append(t.path, lpad(CAST(coalesce(o.sort_order, 0) AS VARCHAR), 4, '0') || o.objective_id)
    FROM objectives o JOIN tree t ON o.parent_id = t.objective_id),
matrix_rows AS (
    SELECT t.program_code AS matrix_program, t.*, 'propio' AS role FROM tree t
    UNION ALL
    SELECT DISTINCT o.program_code AS matrix_program, t.*, 'superior' AS role
    FROM tree t JOIN tree o ON o.parent_id = t.objective_id
    WHERE t.program_code <> o.program_code),
own_indicators AS (
    SELECT program_code, objective_id, count(*) AS indicators,
           list(medio_verificacion ORDER BY code) AS medios, list(supuesto ORDER BY code) AS supuestos
    FROM indicators GROUP BY program_code, objective_id)
SELECT r.matrix_program, r.objective_id, r.parent_id, r.level, r.program_code, r.role, r.narrative,
       list_distinct(list_filter(list_concat([r.medio_verificacion], coalesce(i.medios, [])),
                                 lambda x: x IS NOT NULL)) AS medios,
       list_distinct(list_filter(list_concat([r.supuesto], coalesce(i.supuestos, [])),
                                 lambda x: x IS NOT NULL)) AS supuestos,
       coalesce(i.indicators, 0) AS indicators, r.path,
       list_position(['fin', 'proposito', 'componente', 'actividad'], r.level) AS level_order
FROM matrix_rows r
LEFT JOIN own_indicators i ON i.program_code = r.matrix_program AND i.objective_id = r.objective_id
     AND r.role = 'propio';
