-- Page model (Calidad de datos, deck): the cells a week's completeness is judged on, each municipal
-- indicator x each municipality of its intervention (an indicator of both interventions: every
-- intervention municipality). The query function joins the method's reporting status of the week.
CREATE OR REPLACE VIEW page_completeness_cells AS
SELECT m.code, m.municipality, m.department, m.department_code, m.intervention,
       i.code AS indicator_code, i.name AS indicator_name, i.eje_id, i.frequency,
       i.intervention AS indicator_intervention, i.program_code
FROM municipalities m
JOIN indicators i ON i.scope_level = 'municipal'
     AND m.intervention = CASE WHEN i.intervention IN ('CSU', 'CSR') THEN i.intervention
                               ELSE m.intervention END
WHERE m.intervention IN ('CSU', 'CSR');
