-- Page model (`export logframe`, Programas' download): every program's own logframe objectives
-- (page_logframe_objectives, role 'propio') with the codes of the indicators hanging from each one,
-- space separated in code order ('' when none). `level_order` and `path` give the matrix order; the
-- query function (warehouse/queries/logframe.py logframe_export) adds the viewer's visibility and the order.
-- Key: objective_id. Not null: program, objective_id, level_order, path, indicators.
CREATE OR REPLACE VIEW page_logframe_export AS
SELECT t.program_code AS program, t.level, t.narrative AS text, coalesce(i.codes, '') AS indicators,
       t.objective_id, t.parent_id, t.level_order, t.path
FROM page_logframe_objectives t
LEFT JOIN (SELECT objective_id, string_agg(code, ' ' ORDER BY code) AS codes
           FROM indicators GROUP BY objective_id) i ON i.objective_id = t.objective_id
WHERE t.role = 'propio';
