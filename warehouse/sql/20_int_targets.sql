-- Targets: which plan applies at as_of (the nearest future target date, else the latest),
-- chosen once per indicator so every scope of an indicator is judged against the same plan.
CREATE OR REPLACE MACRO int_target_kind_asof(as_of) AS TABLE
SELECT indicator_code, target_kind, baseline_date, target_date
FROM (SELECT indicator_code, target_kind, min(baseline_date) AS baseline_date,
             max(target_date) AS target_date
      FROM stg_targets_current GROUP BY ALL)
QUALIFY row_number() OVER (
    PARTITION BY indicator_code
    ORDER BY (target_date < as_of::DATE),
             CASE WHEN target_date >= as_of::DATE THEN target_date END ASC NULLS LAST,
             target_date DESC) = 1;
