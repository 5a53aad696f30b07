-- Page model (Ficha técnica, Resumen's forecast flags, deck): the national forecast of each indicator
-- (analytics_forecast, 52_analytics_forecast.sql) with its name and unit. The query functions
-- (warehouse/queries/analytics.py forecast, forecast_flags) pick rows and the viewer's scope.
-- Key: indicator_code. Not null: indicator_code, scope_code.
CREATE OR REPLACE VIEW page_forecast AS
SELECT f.indicator_code, i.name, i.unit, f.semaforo_now, f.value_now, f.target_kind, f.target_date,
       f.baseline_value, f.target_value, f.projected_value, f.projected_low, f.projected_high,
       f.projected_progress, f.semaforo_projected, f.flag, f.method, f.n_points, f.first_end, f.last_end,
       f.slope_per_year, f.intercept, f.x_origin, f.fit_date, f.scope_code
FROM analytics_forecast f JOIN indicators i ON i.code = f.indicator_code;
