-- Budget: ONE definition of the amounts and ratios every page, export and the deck show.
-- At date as_of, for the year of as_of:
--   approved, modified   annual amounts (all the year's months, as the budget law and its
--                        modifications state them);
--   scheduled, committed, accrued, paid   year to date (months up to the one containing as_of).
-- Execution   = accrued YTD / annual modified  (the figure a ministry publishes);
-- Timeliness  = accrued YTD / scheduled YTD    (a slow first quarter that follows its schedule is on time).
-- Both in percent with one decimal, through the two macros below; group the rows any way, sum the
-- amounts, then apply the macros to the sums.
CREATE OR REPLACE MACRO budget_execution(accrued, modified) AS
    round(100 * accrued / nullif(modified, 0), 1);
CREATE OR REPLACE MACRO budget_timeliness(accrued, scheduled) AS
    round(100 * accrued / nullif(scheduled, 0), 1);

-- The current rows come from the materialised mart_budget_current (29_tables_marts.sql, kept by
-- warehouse/refresh.py) when p_materialised, else from stg_budget_current on the fly: same rows.
CREATE OR REPLACE MACRO int_budget_year(as_of, p_materialised := FALSE) AS TABLE
SELECT b.program_code, b.scope_code, b.month, b.month <= as_of::DATE AS in_ytd,
       b.approved, b.modified, b.is_sample,
       CASE WHEN b.month <= as_of::DATE THEN b.scheduled ELSE 0 END AS scheduled,
       CASE WHEN b.month <= as_of::DATE THEN b.committed ELSE 0 END AS committed,
       CASE WHEN b.month <= as_of::DATE THEN b.accrued ELSE 0 END AS accrued,
       CASE WHEN b.month <= as_of::DATE THEN b.paid ELSE 0 END AS paid
FROM (SELECT * FROM mart_budget_current WHERE p_materialised
      UNION ALL BY NAME
      SELECT * FROM stg_budget_current WHERE NOT p_materialised) b
WHERE year(b.month) = year(as_of::DATE);
