-- Value of each indicator in each reporting unit (a municipality, or 'national' for national
-- series) at as_of, by accumulation: stock = latest period; flujo = sum within the year of the
-- unit's target date; acumulado = sum since the unit's baseline date (a stock when reports are
-- already cumulative). A unit without a target of its own uses the plan's dates.
-- latest_end (the unit's latest period, which a stock keeps) is a grouped max joined back, not a
-- window over every row.
CREATE OR REPLACE MACRO int_unit_value_asof(as_of, p_indicators := NULL) AS TABLE
WITH known AS MATERIALIZED (
    SELECT * FROM stg_measurement_asof(as_of, p_indicators := p_indicators)
), latest AS (
    SELECT indicator_code, scope_code, max(period_end) AS latest_end FROM known GROUP BY ALL
), m AS (
    SELECT m.*, i.accumulation, i.reports_cumulative, i.frequency, i.deadline_days,
           coalesce(t.baseline_date, k.baseline_date) AS baseline_date,
           coalesce(t.target_date, k.target_date) AS target_date,
           l.latest_end
    FROM known m
    JOIN latest l USING (indicator_code, scope_code)
    JOIN indicators i ON i.code = m.indicator_code
    LEFT JOIN int_target_kind_asof(as_of, p_indicators := p_indicators) k USING (indicator_code)
    LEFT JOIN int_targets_asof(as_of, p_indicators := p_indicators) t USING (indicator_code, scope_code)
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
       -- nothing reported within the window of a sum (flujo, acumulado) adds up to 0; a stock
       -- without a value (a rate row with only parts, say) stays NULL: no value, no progress
       coalesce(sum(value) FILTER (WHERE keep),
                CASE WHEN any_value(accumulation) <> 'stock' AND NOT any_value(reports_cumulative)
                     THEN 0 END) AS value_sum,
       sum(numerator) FILTER (WHERE keep) AS numerator,
       sum(denominator) FILTER (WHERE keep) AS denominator,
       max(latest_end) AS latest_end,
       arg_max(period, period_end) AS latest_period,
       any_value(frequency) AS frequency,
       any_value(deadline_days) AS deadline_days
FROM kept GROUP BY ALL;
