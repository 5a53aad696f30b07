-- Page models (Calidad de datos): the quarantine, its per-load counts and the failed expectations,
-- each with its load's time and file. The query functions (warehouse/queries/quality.py) keep the
-- viewer's scope (load_clause; quarantine rows to all-rows roles only) and the page's limits.

-- Rejected input rows with their load's time.
-- Key: load_id, row_number, column_name, rule. Not null: load_id, kind, file_name, row_number, rule, message.
CREATE OR REPLACE VIEW page_quarantine AS
SELECT q.load_id, l.loaded_at, q.kind, q.file_name, q.row_number, q.column_name, q.value,
       q.rule, q.message, q.raw_row
FROM quarantine q LEFT JOIN load_log l USING (load_id);

-- Per load with quarantined rows: its rows and the rows of the newer loads (the page lists the
-- newest rows: the oldest load it reaches is the one whose newer rows fall short of the limit).
-- Key: load_id. Not null: load_id, quarantined, newer.
CREATE OR REPLACE VIEW page_quarantine_loads AS
SELECT load_id, n AS quarantined, sum(n) OVER (ORDER BY load_id DESC) - n AS newer
FROM (SELECT load_id, count(*) AS n FROM quarantine GROUP BY load_id) per_load;

-- Each failed expectation with its load's time and file, its rule and its rows sample.
-- Key: load_id, suite, expectation, column_name. Not null: load_id, suite, expectation.
CREATE OR REPLACE VIEW page_validation_failures AS
SELECT v.load_id, l.loaded_at, l.file_name, v.suite, v.expectation, v.column_name,
       v.details ->> '$.rule' AS rule, v.unexpected_count,
       CAST(json_extract(v.details, '$.rows_sample') AS VARCHAR) AS rows_sample, v.details
FROM validation_results v LEFT JOIN load_log l USING (load_id)
WHERE NOT v.success;

-- The stored completeness counts per municipality and week (page_completeness_weekly, written from
-- page_completeness_counts by warehouse/refresh_pages.py) with the municipality's names: the page's
-- summary without an intervention or eje filter.
-- Key: week_end, code. Not null: week_end, code, municipality, reported, late, missing, expected.
CREATE OR REPLACE VIEW page_completeness_municipal AS
SELECT s.week_end, m.code, m.municipality, m.department, m.department_code, m.intervention,
       s.reported, s.late, s.missing, s.expected
FROM page_completeness_weekly s JOIN municipalities m USING (code);
