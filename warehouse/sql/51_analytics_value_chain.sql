-- Analytics layer, cadena de valor público (issue 13; docs/method.md «Cadena de valor público»):
-- insumos (budget accrued) -> productos -> resultados -> impacto per program and per eje, at the
-- end of the week under review. Materialised by warehouse/analytics (refresh_analytics).

-- The indicators the chains of p_programs (NULL: all) read: their programs' productos and
-- resultados, plus the Fin level (impacto, common to every chain) unless its values come from the
-- materialised weeks. The refresh passes this list as p_indicators (a constant list: the method
-- filters the facts by it before the version ranking; a subquery there would not be pushed down).
CREATE OR REPLACE MACRO analytics_value_chain_indicators(p_programs, p_materialised := FALSE) AS (
    SELECT coalesce(list(i.code ORDER BY i.code), []) FROM stg_indicators i
    WHERE (i.type IN ('producto', 'resultado') AND i.program_code IN
              (SELECT program_code FROM programs
               WHERE eje_id IS NOT NULL AND (p_programs IS NULL OR list_contains(p_programs, program_code))))
       OR (i.level = 'fin' AND NOT p_materialised));

-- One row per chain (a program) x link x item at as_of. p_programs (NULL: all) computes those
-- programs' chains only (a chain reads its program's indicators, the Fin level and the budget window
-- start, see warehouse/analytics.chain_programs); p_indicators, when given, must hold
-- analytics_value_chain_indicators(p_programs, p_materialised): the facts are filtered by it first.
-- p_materialised reads the national results and the budget from the materialised marts (the week
-- as_of must be materialised and current: marts_ready) instead of evaluating the method: same rows.
CREATE OR REPLACE MACRO analytics_value_chain_items_def(as_of, p_programs := NULL, p_indicators := NULL,
                                                        p_materialised := FALSE) AS TABLE
WITH prog AS (
    SELECT program_code, name, eje_id, intervention FROM programs
    WHERE eje_id IS NOT NULL AND (p_programs IS NULL OR list_contains(p_programs, program_code))
),
thr AS (SELECT verde_min, amarillo_min FROM semaforo_thresholds WHERE indicator_code = '*'),
budget_rows AS (
    SELECT * FROM mart_budget_current WHERE p_materialised
    UNION ALL BY NAME
    SELECT * FROM stg_budget_current WHERE NOT p_materialised
),
-- insumos: the year's budget (33_mart_budget.sql), timeliness graded with the semáforo thresholds
budget AS (
    SELECT program_code, sum(accrued) AS accrued_ytd, sum(scheduled) AS scheduled_ytd, sum(modified) AS modified
    FROM int_budget_year(as_of, p_materialised) GROUP BY program_code
),
-- all accrued since the first budget month loaded (the window of the cost per unit of result)
budget_window AS (
    SELECT program_code, sum(accrued) AS accrued_window, min(month) AS window_start
    FROM budget_rows WHERE month <= as_of::DATE GROUP BY program_code
),
nat AS (
    SELECT * EXCLUDE (week, week_end) FROM mart_progress_weekly
    WHERE p_materialised AND week_end = as_of::DATE AND scope_type = 'nacional'
    UNION ALL BY NAME
    SELECT * FROM mart_progress_asof(as_of, p_indicators := p_indicators)
    WHERE NOT p_materialised AND scope_type = 'nacional'
),
before_window AS (
    SELECT indicator_code, value AS value_before
    FROM mart_progress_asof((SELECT min(month) FROM budget_rows)::DATE - 1, p_indicators := p_indicators)
    WHERE scope_type = 'nacional'
),
-- units of product produced in the year to date, per the indicator's accumulation:
-- flows sum the year's periods; running totals reported as such: latest minus latest at the
-- previous year's end, per unit; a stock: the units served now (the method's value)
m AS (
    SELECT x.*, i.accumulation, i.reports_cumulative
    FROM stg_measurement_asof(as_of, p_indicators := p_indicators) x JOIN stg_indicators i ON i.code = x.indicator_code
    WHERE (i.scope_level = 'national') = (x.scope_code = 'national')
      AND i.type = 'producto' AND i.aggregation_rule = 'suma' AND i.accumulation <> 'stock'
),
units AS (
    SELECT indicator_code,
           sum(value) FILTER (WHERE period_end >= make_date(year(as_of::DATE), 1, 1)) AS flow_ytd
    FROM m WHERE accumulation = 'flujo' OR (accumulation = 'acumulado' AND NOT reports_cumulative)
    GROUP BY indicator_code
    UNION ALL
    SELECT indicator_code, sum(coalesce(latest, 0) - coalesce(prior, 0))
    FROM (SELECT indicator_code, scope_code, arg_max(value, period_end) AS latest,
                 arg_max(value, period_end) FILTER (WHERE period_end < make_date(year(as_of::DATE), 1, 1)) AS prior
          FROM m WHERE accumulation = 'acumulado' AND reports_cumulative GROUP BY ALL)
    GROUP BY indicator_code
),
ind AS (
    SELECT i.code, i.name, i.unit, i.program_code, i.type, i.level, i.sentido, i.aggregation_rule, i.accumulation
    FROM stg_indicators i
),
items AS (
    -- productos and resultados of the program's own logframe
    SELECT p.program_code AS chain_key, CASE i.type WHEN 'producto' THEN 'productos' ELSE 'resultados' END AS link,
           i.code AS item_code, i.name AS item_name, i.unit, n.value, n.target_value, n.semaforo,
           CASE WHEN i.type = 'producto' AND i.aggregation_rule = 'suma'
                THEN CASE WHEN i.accumulation = 'stock' THEN n.value ELSE u.flow_ytd END END AS units_ytd,
           CASE WHEN i.type = 'resultado' THEN
                CASE WHEN i.sentido = 'descendente' THEN b.value_before - n.value ELSE n.value - b.value_before END
           END AS result_gain
    FROM prog p JOIN ind i ON i.program_code = p.program_code AND i.type IN ('producto', 'resultado')
    LEFT JOIN nat n ON n.indicator_code = i.code
    LEFT JOIN units u ON u.indicator_code = i.code
    LEFT JOIN before_window b ON b.indicator_code = i.code
    UNION ALL
    -- impacto: the Fin indicators with a target (Comunidades Solidarias and ODM 1), common to every chain
    SELECT p.program_code, 'impacto', i.code, i.name, i.unit, n.value, n.target_value, n.semaforo, NULL, NULL
    FROM prog p CROSS JOIN ind i JOIN nat n ON n.indicator_code = i.code
    WHERE i.level = 'fin' AND n.semaforo <> 'sin meta'
)
SELECT 'programa' AS chain_type, p.program_code AS chain_key, p.name AS chain_name, p.eje_id, p.intervention,
       'insumos' AS link, p.program_code AS item_code, 'Presupuesto devengado ' || year(as_of::DATE) AS item_name,
       'US$' AS unit, b.accrued_ytd AS value, b.scheduled_ytd AS target_value,
       CASE WHEN b.scheduled_ytd IS NULL OR b.scheduled_ytd = 0 THEN 'sin dato'
            WHEN b.accrued_ytd / b.scheduled_ytd >= (SELECT verde_min FROM thr) THEN 'verde'
            WHEN b.accrued_ytd / b.scheduled_ytd >= (SELECT amarillo_min FROM thr) THEN 'amarillo'
            ELSE 'rojo' END AS semaforo,
       b.modified, NULL::DOUBLE AS units_ytd, NULL::DOUBLE AS cost_per_unit,
       NULL::DOUBLE AS result_gain, NULL::DOUBLE AS cost_per_result, w.accrued_window, w.window_start
FROM prog p LEFT JOIN budget b USING (program_code) LEFT JOIN budget_window w USING (program_code)
UNION ALL
SELECT 'programa', i.chain_key, p.name, p.eje_id, p.intervention, i.link, i.item_code, i.item_name, i.unit,
       i.value, i.target_value, i.semaforo, NULL, i.units_ytd,
       b.accrued_ytd / nullif(i.units_ytd, 0) AS cost_per_unit,
       i.result_gain,
       CASE WHEN i.result_gain > 0 THEN w.accrued_window / i.result_gain END AS cost_per_result,
       w.accrued_window, w.window_start
FROM items i JOIN prog p ON p.program_code = i.chain_key
LEFT JOIN budget b ON b.program_code = i.chain_key LEFT JOIN budget_window w ON w.program_code = i.chain_key;

CREATE TABLE IF NOT EXISTS analytics_value_chain_items AS
SELECT * FROM analytics_value_chain_items_def(DATE '2000-01-01', p_indicators := []) LIMIT 0;

-- One row per chain and link: the link's semáforo is its worst graded item (rojo, then amarillo,
-- then verde; one rojo never hides behind verdes), else en inicio / sin dato / sin meta; for
-- insumos, the total accrued / scheduled (year to date) graded with the default thresholds.
-- Eje chains gather their programs' items; costs per unit stay per program (units do not add up).
CREATE OR REPLACE MACRO analytics_value_chain_def() AS TABLE
WITH items AS (
    SELECT chain_type, chain_key, chain_name, link, item_code, value, semaforo, modified, target_value,
           accrued_window FROM analytics_value_chain_items
    UNION ALL
    SELECT DISTINCT 'eje', 'eje-' || v.eje_id, e.name, v.link, v.item_code, v.value, v.semaforo, v.modified,
           v.target_value, CASE WHEN v.link = 'insumos' THEN v.accrued_window END
    FROM analytics_value_chain_items v JOIN ejes e ON e.eje_id = v.eje_id
)
SELECT chain_type, chain_key, any_value(chain_name) AS chain_name, link,
       CASE link WHEN 'insumos' THEN 1 WHEN 'productos' THEN 2 WHEN 'resultados' THEN 3 ELSE 4 END AS link_order,
       count(*) AS items,
       count(*) FILTER (WHERE semaforo = 'verde') AS verde,
       count(*) FILTER (WHERE semaforo = 'amarillo') AS amarillo,
       count(*) FILTER (WHERE semaforo = 'rojo') AS rojo,
       CASE WHEN link = 'insumos' THEN   -- budget timeliness of the chain's total
                CASE WHEN coalesce(sum(target_value), 0) = 0 THEN 'sin dato'
                     WHEN sum(value) / sum(target_value) >= (SELECT verde_min FROM semaforo_thresholds WHERE indicator_code = '*') THEN 'verde'
                     WHEN sum(value) / sum(target_value) >= (SELECT amarillo_min FROM semaforo_thresholds WHERE indicator_code = '*') THEN 'amarillo'
                     ELSE 'rojo' END
            WHEN count(*) FILTER (WHERE semaforo = 'rojo') > 0 THEN 'rojo'
            WHEN count(*) FILTER (WHERE semaforo = 'amarillo') > 0 THEN 'amarillo'
            WHEN count(*) FILTER (WHERE semaforo = 'verde') > 0 THEN 'verde'
            WHEN count(*) FILTER (WHERE semaforo = 'en inicio') > 0 THEN 'en inicio'
            WHEN count(*) FILTER (WHERE semaforo = 'sin dato') > 0 THEN 'sin dato'
            ELSE 'sin meta' END AS semaforo,
       sum(value) FILTER (WHERE link = 'insumos') AS accrued_ytd,
       sum(target_value) FILTER (WHERE link = 'insumos') AS scheduled_ytd,
       sum(modified) FILTER (WHERE link = 'insumos') AS modified
FROM items GROUP BY chain_type, chain_key, link;

CREATE TABLE IF NOT EXISTS analytics_value_chain AS SELECT * FROM analytics_value_chain_def() LIMIT 0;
