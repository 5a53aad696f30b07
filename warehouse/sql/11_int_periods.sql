-- The filter bar's predicate on an indicator (or a program: same columns). NULL keeps all; an
-- intervention CSU/CSR keeps its own rows and the shared ones (intervention 'ambas' or national).
CREATE OR REPLACE MACRO in_filter(intervention, eje_id, program_code, p_intervention, p_eje, p_program) AS
    (p_intervention IS NULL OR coalesce(intervention, 'ambas') IN (p_intervention, 'ambas'))
    AND (p_eje IS NULL OR eje_id = p_eje)
    AND (p_program IS NULL OR program_code = p_program);

-- Period arithmetic shared by the method (ISO weeks, Monday to Sunday).
CREATE OR REPLACE MACRO frequency_unit(freq) AS
    CASE freq WHEN 'semanal' THEN 'week' WHEN 'mensual' THEN 'month'
              WHEN 'trimestral' THEN 'quarter' ELSE 'year' END;

CREATE OR REPLACE MACRO frequency_days(freq) AS
    CASE freq WHEN 'semanal' THEN 7 WHEN 'mensual' THEN 31 WHEN 'trimestral' THEN 92 ELSE 366 END;

-- End date of the last complete period (of the indicator's frequency) on or before d.
CREATE OR REPLACE MACRO last_complete_period_end(freq, d) AS
    CASE WHEN (date_trunc(frequency_unit(freq), d::DATE)
               + to_days(CASE frequency_unit(freq) WHEN 'week' THEN 7 ELSE 0 END)
               + to_months(CASE frequency_unit(freq) WHEN 'month' THEN 1 WHEN 'quarter' THEN 3
                                                      WHEN 'year' THEN 12 ELSE 0 END)
               - INTERVAL 1 DAY)::DATE = d::DATE
         THEN d::DATE
         ELSE (date_trunc(frequency_unit(freq), d::DATE) - INTERVAL 1 DAY)::DATE END;

-- ISO week label, e.g. 2014-W20, and the Sunday that closes the week.
CREATE OR REPLACE MACRO iso_week_label(d) AS
    printf('%04d-W%02d', isoyear(d::DATE), week(d::DATE));
CREATE OR REPLACE MACRO iso_week_end(d) AS
    (date_trunc('week', d::DATE) + INTERVAL 6 DAY)::DATE;
