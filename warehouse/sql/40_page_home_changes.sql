-- Page model (Resumen, deck): indicator-scope pairs whose semáforo, percent (by 0.05 points or more)
-- or value moved between two materialised weeks (a value by more than one part in 10^9: aggregates
-- summed in another order differ in the last bits, which is no change), with the filter-bar columns of the indicator and
-- the scope's department. `direction`: 'mejora' / 'empeora' along rojo < amarillo < verde, 'cambia'
-- for other semáforo changes, NULL when only the value or progress moved. The query function
-- (warehouse/queries/home.py week_changes) adds the filters, the viewer's scope and the order.
CREATE OR REPLACE MACRO page_week_changes(p_week, p_previous) AS TABLE
WITH ranked AS (
    SELECT cur.*, prev.semaforo AS semaforo_before, prev.percent AS percent_before,
           prev.value AS value_before,
           CASE prev.semaforo WHEN 'rojo' THEN 1 WHEN 'amarillo' THEN 2 WHEN 'verde' THEN 3 END AS rank_before,
           CASE cur.semaforo WHEN 'rojo' THEN 1 WHEN 'amarillo' THEN 2 WHEN 'verde' THEN 3 END AS rank_now
    FROM mart_progress_weekly cur
    JOIN mart_progress_weekly prev ON prev.week = p_previous AND prev.indicator_code = cur.indicator_code
         AND prev.scope_type = cur.scope_type AND prev.scope_code = cur.scope_code
    WHERE cur.week = p_week)
SELECT cur.indicator_code, i.name AS indicator_name, i.intervention, i.eje_id, i.program_code,
       cur.scope_type, cur.scope_code, s.department_code, s.scope_name,
       cur.semaforo_before, cur.semaforo AS semaforo_now,
       CASE WHEN cur.semaforo = cur.semaforo_before THEN NULL
            WHEN cur.rank_now > cur.rank_before THEN 'mejora'
            WHEN cur.rank_now < cur.rank_before THEN 'empeora' ELSE 'cambia' END AS direction,
       cur.percent_before, cur.percent AS percent_now,
       cur.percent - cur.percent_before AS percent_change,
       cur.value_before, cur.value AS value_now
FROM ranked cur
JOIN indicators i ON i.code = cur.indicator_code
LEFT JOIN page_scopes s ON s.scope_type = cur.scope_type AND s.scope_code = cur.scope_code
WHERE cur.semaforo <> cur.semaforo_before OR abs(coalesce(cur.percent - cur.percent_before, 0)) >= 0.05
      OR (cur.value IS NULL) <> (cur.value_before IS NULL)
      OR abs(cur.value - cur.value_before) > 1e-9 * greatest(abs(cur.value), abs(cur.value_before));
