-- Page model (Ficha técnica's forecast section): the back-test's precision and recall per flag and the
-- interval's coverage (macro analytics_backtest_summary, 52_analytics_forecast.sql), with the dates the
-- back-test cut and evaluated at. A view, so a page reads it with a plain select (SQLite parses it).
-- Key: flag. Not null: flag, flagged, happened, hits, forecasts.
CREATE OR REPLACE VIEW page_backtest_summary AS
SELECT s.*, (SELECT min(fit_date) FROM analytics_backtest) AS cut_date,
       (SELECT min(eval_date) FROM analytics_backtest) AS eval_date
FROM analytics_backtest_summary() s;
