-- Does a row of period_end count in its unit's value, by the unit's rule: 'latest' (a stock) the
-- rows at the unit's latest period, 'year' (a flujo) the rows of the target's year, 'after' (an
-- acumulado) the rows after the baseline date. Both parts of int_unit_value_weeks keep rows by it.
CREATE OR REPLACE MACRO unit_keeps(rule, period_end, latest_end, keep_year, keep_after) AS
    CASE rule WHEN 'latest' THEN period_end = latest_end
              WHEN 'year' THEN year(period_end) = keep_year
              ELSE period_end > keep_after END;

-- Value of each indicator in each reporting unit (a municipality, or 'national' for national
-- series) at each date of `weeks` (a list of dates), by accumulation: stock = latest period;
-- flujo = sum within the year of the unit's target date; acumulado = sum since the unit's baseline
-- date (a stock when reports are already cumulative). A unit without a target of its own uses the
-- plan's dates (both as in force at that date).
-- One pass over the versions for all the dates (stg_measurement_versions at the last one): a version
-- current at every date of the list (known by the first, not superseded by the last: nearly all of
-- them) is summed once per unit and per window the dates ask of it (a year, a baseline: usually one);
-- only the versions whose interval begins or ends within the list are taken date by date. Per unit
-- and date the two parts then add up as the rows would: the unit's latest period is the later of the
-- two parts' (a stock keeps the stable part's sum at its latest period only when no later period
-- is current), a window's sum is the stable part's plus the date's own rows in the window.
-- p_units (stg_measurement_known): only those units and the national series.
-- int_unit_value_asof is this for one date (the window's stable part is then every current version).
CREATE OR REPLACE MACRO int_unit_value_weeks(weeks, p_indicators := NULL, p_units := NULL) AS TABLE
WITH w AS (SELECT unnest(weeks)::DATE AS at_week),
v AS MATERIALIZED (
    SELECT indicator_code, scope_code, period, period_end, value, numerator, denominator,
           known_from, known_until,
           known_from <= list_min(weeks) AND coalesce(known_until > list_max(weeks), TRUE) AS stable
    FROM stg_measurement_versions(list_max(weeks), p_indicators := p_indicators, p_units := p_units)
    WHERE coalesce(known_until > list_min(weeks), TRUE)
),
-- the versions current at some but not every date, once per date they are current at
changing AS MATERIALIZED (
    SELECT v.* EXCLUDE (stable), w.at_week FROM v JOIN w
        ON NOT v.stable AND v.known_from <= w.at_week AND coalesce(w.at_week < v.known_until, TRUE)
),
-- each part's latest period per unit (grouped maxima, not a window over every row)
s_latest AS (
    SELECT indicator_code, scope_code, max(period_end) AS s_end, arg_max(period, period_end) AS s_period
    FROM v WHERE stable GROUP BY ALL
),
c_latest AS (
    SELECT indicator_code, scope_code, at_week, max(period_end) AS c_end FROM changing GROUP BY ALL
),
-- every unit x date with a current version: its latest period, and the window the method keeps
params AS MATERIALIZED (
    SELECT uw.*, i.accumulation, i.reports_cumulative, i.frequency, i.deadline_days,
           CASE WHEN i.accumulation = 'stock' OR (i.accumulation = 'acumulado' AND i.reports_cumulative)
                    THEN 'latest'
                WHEN i.accumulation = 'flujo' THEN 'year' ELSE 'after' END AS rule,
           CASE WHEN rule = 'year' THEN year(coalesce(t.target_date, k.target_date, uw.at_week)) ELSE 0 END
               AS keep_year,
           CASE WHEN rule = 'after' THEN coalesce(t.baseline_date, k.baseline_date, DATE '1900-01-01')
                ELSE DATE '1900-01-01' END AS keep_after
    FROM (SELECT coalesce(s.indicator_code, c.indicator_code) AS indicator_code,
                 coalesce(s.scope_code, c.scope_code) AS scope_code, coalesce(s.at_week, c.at_week) AS at_week,
                 s.s_end, s.s_period, greatest(s.s_end, c.c_end) AS latest_end
          FROM (SELECT * FROM s_latest, w) s
          FULL JOIN c_latest c USING (indicator_code, scope_code, at_week)) uw
    JOIN indicators i ON i.code = uw.indicator_code
    -- the plan in force at the date, and the unit's own target of that plan (as int_targets_weeks)
    LEFT JOIN int_target_kind_weeks(weeks, p_indicators := p_indicators) k
        ON k.at_week = uw.at_week AND k.indicator_code = uw.indicator_code
    LEFT JOIN stg_targets_current_of(p_indicators) t
        ON t.indicator_code = uw.indicator_code AND t.scope_code = uw.scope_code AND t.target_kind = k.target_kind
),
-- the stable part's sums, once per unit and window (a stock: its rows at its latest period)
s_sum AS (
    SELECT indicator_code, scope_code, keep_year, keep_after,
           sum(value) FILTER (WHERE keep) AS value, sum(numerator) FILTER (WHERE keep) AS numerator,
           sum(denominator) FILTER (WHERE keep) AS denominator
    FROM (SELECT v.*, c.keep_year, c.keep_after,
                 unit_keeps(c.rule, v.period_end, c.s_end, c.keep_year, c.keep_after) AS keep
          FROM v JOIN (SELECT DISTINCT indicator_code, scope_code, rule, keep_year, keep_after, s_end
                       FROM params WHERE s_end IS NOT NULL) c USING (indicator_code, scope_code)
          WHERE v.stable)
    GROUP BY ALL
),
-- per unit and date: the stable part (its latest period counts for a stock only when no later
-- period is current) and the date's own versions, kept by the same rule as the rows they sum
parts AS (
    SELECT p.*, p.s_end AS period_end, p.s_period AS period, s.value, s.numerator, s.denominator,
           p.rule <> 'latest' OR p.s_end = p.latest_end AS keep
    FROM params p JOIN s_sum s USING (indicator_code, scope_code, keep_year, keep_after)
    UNION ALL BY NAME
    SELECT p.*, c.period_end, c.period, c.value, c.numerator, c.denominator,
           unit_keeps(p.rule, c.period_end, p.latest_end, p.keep_year, p.keep_after) AS keep
    FROM changing c JOIN params p USING (indicator_code, scope_code, at_week)
)
SELECT at_week, indicator_code, scope_code,
       -- nothing reported within the window of a sum (flujo, acumulado) adds up to 0; a stock
       -- without a value (a rate row with only parts, say) stays NULL: no value, no progress
       coalesce(sum(value) FILTER (WHERE keep),
                CASE WHEN any_value(accumulation) <> 'stock' AND NOT any_value(reports_cumulative)
                     THEN 0 END) AS value_sum,
       sum(numerator) FILTER (WHERE keep) AS numerator,
       sum(denominator) FILTER (WHERE keep) AS denominator,
       any_value(latest_end) AS latest_end,
       arg_max(period, period_end) AS latest_period,
       any_value(frequency) AS frequency,
       any_value(deadline_days) AS deadline_days
FROM parts GROUP BY ALL;

CREATE OR REPLACE MACRO int_unit_value_asof(as_of, p_indicators := NULL) AS TABLE
SELECT * EXCLUDE (at_week) FROM int_unit_value_weeks([as_of::DATE], p_indicators := p_indicators);
