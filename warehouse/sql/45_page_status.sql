-- Page model (every page's header, warehouse/queries/reference.py status): the part of the header
-- that reads the facts: the data's as-of date (stg_as_of) and whether any measurement is sample
-- data. Stored as page_status by warehouse/refresh_pages.py (a plain one-row select for the page).
-- page_status_at(d): the same with the as-of date given (a refresh has read stg_as_of already).
CREATE OR REPLACE MACRO page_status_at(p_as_of) AS TABLE
SELECT p_as_of::DATE AS as_of, EXISTS (SELECT 1 FROM measurements WHERE is_sample) AS measurements_sample;

CREATE OR REPLACE VIEW page_status_def AS SELECT * FROM page_status_at((SELECT as_of FROM stg_as_of));
