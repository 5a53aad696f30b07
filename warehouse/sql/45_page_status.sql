-- Page model (every page's header, warehouse/queries/reference.py status): the part of the header
-- that reads the facts: the data's as-of date (stg_as_of) and whether any measurement is sample
-- data. Stored as page_status by warehouse/refresh_pages.py (a plain one-row select for the page).
CREATE OR REPLACE VIEW page_status_def AS
SELECT (SELECT as_of FROM stg_as_of) AS as_of,
       EXISTS (SELECT 1 FROM measurements WHERE is_sample) AS measurements_sample;
