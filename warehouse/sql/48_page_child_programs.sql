-- Page model (Programas): for each program, the programs whose objectives hang from its objectives
-- (an umbrella logframe's executors), per parent objective, with how many objectives hang there.
-- Key: parent_program, parent_objective, program_code. Not null: all three and objectives.
CREATE OR REPLACE VIEW page_child_programs AS
SELECT parent.program_code AS parent_program, parent.objective_id AS parent_objective, o.program_code,
       p.name, count(*) AS objectives
FROM objectives o JOIN objectives parent ON parent.objective_id = o.parent_id
JOIN programs p ON p.program_code = o.program_code
WHERE o.program_code <> parent.program_code
GROUP BY parent.program_code, parent.objective_id, o.program_code, p.name;
