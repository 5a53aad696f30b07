-- Page model (Programas' selector): every program with how many logframe objectives and indicators it
-- has. The query function (warehouse/queries/logframe.py program_list) adds the filter bar, the
-- viewer's visibility and the order. Key: program_code. Not null: program_code, objectives, indicators.
CREATE OR REPLACE VIEW page_programs AS
SELECT p.program_code, p.name, p.eje_id, p.intervention, p.institution,
       coalesce(o.objectives, 0) AS objectives, coalesce(i.indicators, 0) AS indicators
FROM programs p
LEFT JOIN (SELECT program_code, count(*) AS objectives FROM objectives GROUP BY program_code) o
       ON o.program_code = p.program_code
LEFT JOIN (SELECT program_code, count(*) AS indicators FROM indicators GROUP BY program_code) i
       ON i.program_code = p.program_code;
