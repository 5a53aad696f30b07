-- Value of each indicator in each reporting unit (a municipality, or 'national' for national
-- series) at as_of, by accumulation: stock = latest period; flujo = sum within the target year;
-- acumulado = sum since the baseline (a stock when reports are already cumulative).
CREATE OR REPLACE MACRO int_unit_value_asof(as_of) AS TABLE
WITH m AS (
    SELECT m.*, i.accumulation, i.reports_cumulative, i.frequency, i.deadline_days,
           k.baseline_date, k.target_date,
           max(m.period_end) OVER (PARTITION BY m.indicator_code, m.scope_code) AS latest_end
    FROM stg_measurement_asof(as_of) m
    JOIN indicators i ON i.code = m.indicator_code
    LEFT JOIN int_target_kind_asof(as_of) k USING (indicator_code)
), kept AS (
    SELECT *, CASE
        WHEN accumulation = 'stock' OR (accumulation = 'acumulado' AND reports_cumulative)
            THEN period_end = latest_end
        WHEN accumulation = 'flujo'
            THEN year(period_end) = year(coalesce(target_date, as_of::DATE))
        ELSE period_end > coalesce(baseline_date, DATE '1900-01-01') END AS keep
    FROM m
)
SELECT indicator_code, scope_code,
       coalesce(sum(value) FILTER (WHERE keep), 0) AS value_sum,
       sum(numerator) FILTER (WHERE keep) AS numerator,
       sum(denominator) FILTER (WHERE keep) AS denominator,
       max(latest_end) AS latest_end,
       arg_max(period, period_end) AS latest_period,
       any_value(frequency) AS frequency,
       any_value(deadline_days) AS deadline_days
FROM kept GROUP BY ALL;
