-- Reading the materialised results: the same columns as the method's macros, by plain selects.
-- warehouse.query.marts_ready says the week is materialised and current; otherwise (a week outside
-- the selector, a warehouse written without refresh) the method runs on the fly.

-- mart_progress_asof's rows at a materialised week's end: a plain select (what pages read).
CREATE OR REPLACE MACRO progress_weekly(p_as_of) AS TABLE
SELECT * EXCLUDE (week, week_end) FROM mart_progress_weekly WHERE week_end = p_as_of::DATE;

-- Either source by a flag (planning the method's branch costs ~60 ms even when pruned: pages use
-- progress_weekly or mart_progress_asof by name, see warehouse.query.progress_source).
CREATE OR REPLACE MACRO progress_at(p_as_of, p_materialised) AS TABLE
SELECT * EXCLUDE (week, week_end) FROM mart_progress_weekly
WHERE p_materialised AND week_end = p_as_of::DATE
UNION ALL BY NAME
SELECT * FROM mart_progress_asof(p_as_of::DATE) WHERE NOT p_materialised;

-- Is the week materialised and current?
CREATE OR REPLACE MACRO marts_ready(p_as_of) AS
    coalesce((SELECT value FROM meta WHERE key = 'marts_fingerprint') = marts_fingerprint(), false)
    AND EXISTS (SELECT 1 FROM mart_progress_weekly WHERE week_end = p_as_of::DATE);
