-- Reading the materialised municipality states (see 30_mart_progress_at.sql).

-- mart_municipality_state_asof's rows at a week's end: the stored unfiltered states, or the filtered
-- ones counted from the materialised semáforos.
CREATE OR REPLACE MACRO municipality_state_at(p_as_of, p_intervention, p_eje, p_program, p_materialised) AS TABLE
SELECT * EXCLUDE (week, week_end) FROM mart_municipality_state_weekly
WHERE p_materialised AND p_intervention IS NULL AND p_eje IS NULL AND p_program IS NULL
  AND week_end = p_as_of::DATE
UNION ALL BY NAME
SELECT * FROM mart_municipality_state_asof(p_as_of::DATE, p_intervention, p_eje, p_program, p_materialised)
WHERE NOT (p_materialised AND p_intervention IS NULL AND p_eje IS NULL AND p_program IS NULL);

