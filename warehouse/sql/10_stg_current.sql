-- Staging: the current version of each fact, and measurements as known at a date.
-- ONE definition of "current version", used by the marts and by the loaders' "unchanged" check
-- (loaders/write.py selects from stg_<kind>_current):
--   measurements: the latest report (coalesce(reported_at, period_end)), then the latest load;
--   targets and budget (no report date): the latest load.
-- p_indicators (list, NULL: all) filters before the ranking, as the measurements' macros do: the
-- optimizer does not push an indicator filter below the ranking when the targets are joined to the
-- method's units, so the method asked for one indicator ranked all 171 k target rows of the 10 M
-- warehouse twice (50 of its 73 ms at the back-test's cut).
CREATE OR REPLACE MACRO stg_targets_current_of(p_indicators) AS TABLE
SELECT * FROM targets WHERE p_indicators IS NULL OR list_contains(p_indicators, indicator_code)
QUALIFY row_number() OVER (PARTITION BY indicator_code, scope_code, target_kind ORDER BY load_id DESC) = 1;

CREATE OR REPLACE VIEW stg_targets_current AS SELECT * FROM stg_targets_current_of(NULL);

CREATE OR REPLACE VIEW stg_budget_current AS
SELECT * FROM budget
QUALIFY row_number() OVER (PARTITION BY program_code, scope_code, month ORDER BY load_id DESC) = 1;

-- The versions of every measurement known at as_of (periods ended and reports received by then),
-- each with the interval during which it is the current one. A revision is the same key (indicator,
-- scope, period) reported again: among the versions known at a date, the most recent report wins (a
-- row without a report date counts as reported at its period end); on equal report dates, the later
-- load (version_rank). So a version is current from the date it is known,
--   known_from = greatest(period_end, coalesce(reported_at, period_end)),
-- until the first date a higher-ranked version of its key is known (known_until; NULL: no such
-- version by as_of). Only keys with several versions need that join: they are found by a semi-join
-- of the versions with those of another load on a hash of the key (one integer per row, no sort and
-- no hash table of string keys over every row; a hash collision only adds a candidate, the join
-- below compares the keys themselves).
-- A load holds a key once (the loaders quarantine duplicates), so exactly one version per key is
-- current at any date on or after its first report.
-- p_indicators (a list of indicator codes, NULL: all) filters BEFORE the ranking: a key's versions
-- all share its indicator, so the result is the same, and one indicator costs one indicator's rows.
-- The list is applied to the catalogue and the facts semi-joined to it, so that a list given as a
-- subquery (Odm 1's program) prunes the facts' scan as a constant list does, instead of testing the
-- list against every row (at 10 M rows 100 ms against 5 ms). Measurements of an indicator missing
-- from the catalogue are not in any result (the loaders quarantine them; the method joins the catalogue).
CREATE OR REPLACE MACRO version_rank(reported_at, period_end, load_id) AS
    (coalesce(reported_at, period_end), load_id);

-- The measurements known at as_of, with the date each became known.
-- p_units (a list of hash(indicator_code, scope_code), NULL: all) keeps only those units' rows and the
-- national series' (the refresh after a load recomputes the units it touched; a version's key lies
-- within one unit, so the kept units' versions are the same). The unit filter is its own branch, one
-- of which the planner drops (`p_units IS NULL` folds; the CTE is inlined into both): in one WHERE,
-- the IN-subquery was planned as a join of every row even without p_units.
CREATE OR REPLACE MACRO stg_measurement_known(as_of, p_indicators := NULL, p_units := NULL) AS TABLE
WITH known AS NOT MATERIALIZED (
    SELECT *, greatest(period_end, coalesce(reported_at, period_end)) AS known_from
    FROM measurements
    WHERE period_end <= as_of AND coalesce(reported_at, period_end) <= as_of
      AND indicator_code IN (SELECT code FROM indicators
                             WHERE p_indicators IS NULL OR list_contains(p_indicators, code))
)
SELECT * FROM known WHERE p_units IS NULL
UNION ALL
SELECT * FROM known
WHERE p_units IS NOT NULL
  AND (scope_code = 'national' OR hash(indicator_code, scope_code) IN (SELECT unnest(p_units)));

CREATE OR REPLACE MACRO stg_measurement_versions(as_of, p_indicators := NULL, p_units := NULL) AS TABLE
WITH known AS NOT MATERIALIZED (
    SELECT *, hash(indicator_code, scope_code, period) AS key_hash
    FROM stg_measurement_known(as_of, p_indicators := p_indicators, p_units := p_units)
), revised AS MATERIALIZED (
    SELECT * FROM known v SEMI JOIN known n ON n.key_hash = v.key_hash AND n.load_id <> v.load_id
), superseded AS (
    SELECT v.indicator_code, v.scope_code, v.period, v.load_id, min(n.known_from) AS known_until
    FROM revised v JOIN revised n
        ON n.indicator_code = v.indicator_code AND n.scope_code = v.scope_code AND n.period = v.period
       AND version_rank(n.reported_at, n.period_end, n.load_id)
           > version_rank(v.reported_at, v.period_end, v.load_id)
    GROUP BY ALL
)
SELECT k.* EXCLUDE (key_hash), s.known_until
FROM known k LEFT JOIN superseded s USING (indicator_code, scope_code, period, load_id);

-- The version of every measurement current at as_of: stg_measurement_versions' rows without
-- known_until, written as "no higher-ranked version of the key known" (an anti-join): at one date
-- this form plans fewer operators (Odm 1's series at 10 M rows: 3 ms against 6 ms through the
-- intervals); tests/test_method_weeks.py checks both forms give the same rows. The anti-join's other
-- side is only the revised keys' versions (found on the key's hash, as above), not every known row:
-- a hash table of three string keys over every row cost 1.4 s for the 115 weekly indicators' 5.35 M
-- rows at 10 M (1.0 s this way) and 2.7-3.7 s for all 10 M rows (2.3 s). Like the intervals, it relies
-- on a load holding a key once (were one load to hold a key twice, both rows would stay, as there).
CREATE OR REPLACE MACRO stg_measurement_asof(as_of, p_indicators := NULL, p_units := NULL) AS TABLE
WITH known AS MATERIALIZED (
    SELECT *, hash(indicator_code, scope_code, period) AS key_hash
    FROM stg_measurement_known(as_of, p_indicators := p_indicators, p_units := p_units)
), revised AS MATERIALIZED (
    SELECT * FROM known v SEMI JOIN known n ON n.key_hash = v.key_hash AND n.load_id <> v.load_id
)
SELECT v.* EXCLUDE (known_from, key_hash) FROM known v
ANTI JOIN revised n
    ON n.key_hash = v.key_hash
   AND n.indicator_code = v.indicator_code AND n.scope_code = v.scope_code AND n.period = v.period
   AND version_rank(n.reported_at, n.period_end, n.load_id) > version_rank(v.reported_at, v.period_end, v.load_id);

-- Today's knowledge: the same rule with no date limit.
CREATE OR REPLACE VIEW stg_measurements_current AS
SELECT * FROM stg_measurement_asof(DATE '9999-12-31');

-- The data's as-of date: the latest period end among reports that could exist (a report cannot be
-- received before its period ends, so a row dated after its own report does not move the date).
CREATE OR REPLACE VIEW stg_as_of AS
SELECT max(period_end) AS as_of FROM measurements
WHERE reported_at IS NULL OR period_end <= reported_at;
