-- Targets: which plan applies at each date of `weeks` (a list of dates, column at_week): the nearest
-- future target date, else the latest,
-- chosen once per indicator so every scope of an indicator is judged against the same plan.
-- baseline_date / target_date here span the plan's scopes (for display and as a fallback).
-- p_indicators (list, NULL: all) restricts to some indicators (filter-first, as in 10_stg_current.sql).
CREATE OR REPLACE MACRO int_target_kind_weeks(weeks, p_indicators := NULL) AS TABLE
SELECT w.at_week, p.indicator_code, p.target_kind, p.baseline_date, p.target_date
FROM (SELECT indicator_code, target_kind, min(baseline_date) AS baseline_date,
             max(target_date) AS target_date
      FROM stg_targets_current_of(p_indicators) GROUP BY ALL) p,
     (SELECT unnest(weeks)::DATE AS at_week) w
QUALIFY row_number() OVER (
    PARTITION BY w.at_week, p.indicator_code
    ORDER BY (p.target_date < w.at_week),
             CASE WHEN p.target_date >= w.at_week THEN p.target_date END ASC NULLS LAST,
             p.target_date DESC) = 1;

-- The same at one date.
CREATE OR REPLACE MACRO int_target_kind_asof(as_of, p_indicators := NULL) AS TABLE
SELECT * EXCLUDE (at_week) FROM int_target_kind_weeks([as_of::DATE], p_indicators := p_indicators);

-- The straight trajectory from a baseline to its target: the share of the way expected at date d,
-- clip((d - baseline_date) / (target_date - baseline_date), 0, 1); 1 when both dates are equal;
-- none without a date d. The method's expected progress and the ODM 1 page's path use it.
CREATE OR REPLACE MACRO trajectory_share(d, baseline_date, target_date) AS
    CASE WHEN d IS NOT NULL THEN
        greatest(0.0, least(1.0, date_diff('day', baseline_date, d::DATE)
                  / nullif(date_diff('day', baseline_date, target_date), 0)::DOUBLE)) END;

-- Each scope's own target of that plan, with its own dates and its own expected progress
-- e = trajectory_share(at_week, baseline_date, target_date): a municipality that entered in 2012 is
-- judged on its own trajectory, not on the earliest baseline of its peers. int_targets_asof: one date.
CREATE OR REPLACE MACRO int_targets_weeks(weeks, p_indicators := NULL) AS TABLE
SELECT k.at_week, t.indicator_code, t.scope_code, t.target_kind, t.baseline_date, t.baseline_value,
       t.target_date, t.target_value,
       trajectory_share(k.at_week, t.baseline_date, t.target_date) AS expected
FROM stg_targets_current_of(p_indicators) t JOIN int_target_kind_weeks(weeks, p_indicators := p_indicators) k
     USING (indicator_code, target_kind);

CREATE OR REPLACE MACRO int_targets_asof(as_of, p_indicators := NULL) AS TABLE
SELECT * EXCLUDE (at_week) FROM int_targets_weeks([as_of::DATE], p_indicators := p_indicators);
