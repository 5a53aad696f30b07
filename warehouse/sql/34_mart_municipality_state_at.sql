-- Reading the materialised municipality states (see 30_mart_progress_at.sql): the stored unfiltered
-- states of a week, a plain select. With a filter, mart_municipality_state_asof(..., TRUE) counts the
-- materialised semáforos instead (warehouse.query.state_source chooses).
CREATE OR REPLACE MACRO municipality_state_weekly(p_as_of) AS TABLE
SELECT * EXCLUDE (week, week_end) FROM mart_municipality_state_weekly WHERE week_end = p_as_of::DATE;
