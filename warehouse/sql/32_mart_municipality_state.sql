-- A municipality's overall state (map, ranking, home), so no problem hides behind a majority.
-- First match wins:
--   'sin intervención'  the municipality is in neither CSU nor CSR;
--   'no aplica'         an intervention municipality without indicators under the filters;
--   'rojo'              more than a tenth of its graded indicators (rojo + amarillo + verde) are rojo;
--   'atrasado'          most of its indicators (more than half) have their latest report past the
--                       deadline: whatever they show is old news, so it is not shown as on track;
--   'amarillo'          any indicator rojo, or more than a tenth of the graded ones amarillo: a
--                       single rojo never hides behind a majority of verdes;
--   'verde'             otherwise, when some indicator is graded;
--   without any graded indicator, the most informative remaining state: en inicio, sin dato, sin meta.
CREATE OR REPLACE MACRO municipality_state(intervention, indicators, rojo, amarillo, verde,
                                           en_inicio, sin_dato, late) AS
    CASE WHEN intervention = 'none' THEN 'sin intervención'
         WHEN coalesce(indicators, 0) = 0 THEN 'no aplica'
         WHEN rojo > 0.1 * (rojo + amarillo + verde) THEN 'rojo'
         WHEN late > 0.5 * indicators THEN 'atrasado'
         WHEN rojo + amarillo + verde = 0 THEN
              CASE WHEN en_inicio > 0 THEN 'en inicio' WHEN sin_dato > 0 THEN 'sin dato' ELSE 'sin meta' END
         WHEN rojo > 0 OR amarillo > 0.1 * (rojo + amarillo + verde) THEN 'amarillo'
         ELSE 'verde' END;

-- Per municipality at as_of, over the indicators kept by the filters (NULL keeps all; intervention
-- CSU/CSR keeps that intervention's indicators and the shared ones): counts by semáforo, late
-- reports and the overall state. With p_materialised the semáforos come from the materialised
-- weekly results (progress_at, 30_mart_progress_at.sql) instead of evaluating the method.
-- p_codes (list, NULL: all) limits the municipalities before the counts (a refresh after a load
-- recomputes the touched municipalities' states only).
CREATE OR REPLACE MACRO mart_municipality_state_asof(as_of, p_intervention, p_eje, p_program,
                                                     p_materialised := FALSE, p_codes := NULL) AS TABLE
WITH p AS (
    SELECT p.* FROM progress_at(as_of, p_materialised) p JOIN indicators i ON i.code = p.indicator_code
    WHERE p.scope_type = 'municipio'
      AND in_filter(i.intervention, i.eje_id, i.program_code, p_intervention, p_eje, p_program)
      AND (p_codes IS NULL OR list_contains(p_codes, p.scope_code))
), s AS (
    SELECT scope_code AS code,
           count(*) FILTER (WHERE semaforo = 'rojo') AS rojo,
           count(*) FILTER (WHERE semaforo = 'amarillo') AS amarillo,
           count(*) FILTER (WHERE semaforo = 'verde') AS verde,
           count(*) FILTER (WHERE semaforo = 'en inicio') AS en_inicio,
           count(*) FILTER (WHERE semaforo = 'sin dato') AS sin_dato,
           count(*) FILTER (WHERE semaforo = 'sin meta') AS sin_meta,
           count(*) AS indicators,
           count(*) FILTER (WHERE reporting_status = 'atrasado') AS late
    FROM p GROUP BY 1
)
SELECT mu.code, mu.intervention,
       coalesce(s.rojo, 0) AS rojo, coalesce(s.amarillo, 0) AS amarillo, coalesce(s.verde, 0) AS verde,
       coalesce(s.en_inicio, 0) AS en_inicio, coalesce(s.sin_dato, 0) AS sin_dato,
       coalesce(s.sin_meta, 0) AS sin_meta, coalesce(s.indicators, 0) AS indicators,
       coalesce(s.late, 0) AS late,
       round(100.0 * s.verde / nullif(s.rojo + s.amarillo + s.verde, 0), 1) AS pct_verde,
       municipality_state(mu.intervention, s.indicators, s.rojo, s.amarillo, s.verde,
                          s.en_inicio, s.sin_dato, s.late) AS state
FROM municipalities mu LEFT JOIN s USING (code)
WHERE p_codes IS NULL OR list_contains(p_codes, mu.code);
