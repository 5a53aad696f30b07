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

-- A cell's completeness state for the week, from the method's reporting status of its municipal
-- unit (no row, or no measurement yet: 'sin medición').
CREATE OR REPLACE MACRO completeness_state(latest_period, reporting_status) AS
    CASE WHEN latest_period IS NULL THEN 'sin medición'
         WHEN reporting_status = 'atrasado' THEN 'atrasado'
         ELSE 'reportado' END;

-- Page model (Calidad de datos): every cell with its state at each materialised week
-- (mart_progress_weekly). The query function filters it (a plain select for the page; a week that is
-- not materialised joins the method the same way, warehouse/queries/quality.py).
CREATE OR REPLACE VIEW page_completeness_states AS
SELECT w.week_end, c.code, c.municipality, c.department, c.department_code, c.intervention,
       c.indicator_code, c.indicator_name, c.eje_id, c.frequency, c.indicator_intervention, c.program_code,
       s.latest_period, s.semaforo, completeness_state(s.latest_period, s.reporting_status) AS state
FROM (SELECT DISTINCT week_end FROM mart_progress_weekly) w
CROSS JOIN page_completeness_cells c
LEFT JOIN mart_progress_weekly s ON s.week_end = w.week_end AND s.scope_type = 'municipio'
     AND s.indicator_code = c.indicator_code AND s.scope_code = c.code;

-- Page model (Calidad de datos, no filter): cells per state per municipality at each materialised
-- week. Stored as page_completeness_weekly by warehouse/refresh_pages.py; with a filter the query
-- function counts the filtered cells itself.
CREATE OR REPLACE VIEW page_completeness_counts AS
SELECT week_end, code,
       count(*) FILTER (WHERE state = 'reportado') AS reported,
       count(*) FILTER (WHERE state = 'atrasado') AS late,
       count(*) FILTER (WHERE state = 'sin medición') AS missing,
       count(*) AS expected
FROM page_completeness_states
GROUP BY week_end, code;
