-- Page models (Cadena de valor, the deck's chains): read the materialised chains
-- (51_analytics_value_chain.sql). The query functions (warehouse/queries/analytics.py) pick a chain
-- and the viewer's scope.

-- The chains to choose from: the ejes, then every program, each with the label the selector shows.
-- Key: chain_key. Not null: chain_type, chain_key, label.
CREATE OR REPLACE VIEW page_value_chain_options AS
SELECT DISTINCT chain_type, chain_key,
       CASE chain_type WHEN 'eje' THEN 'Eje ' || replace(chain_key, 'eje-', '') || ': ' || chain_name
            ELSE chain_key || ' · ' || chain_name END AS label
FROM analytics_value_chain;

-- The items behind each link of every chain: a program's own items, and an eje's (chain 'eje-<id>')
-- gathered from its programs' items (impact indicators once). An item's rows carry the same values
-- across programs, so min() picks them; the budget line (insumos) adds up. Portable SQL (SQLite has
-- no any_value). Key: chain_key, link, item_code. Not null: chain_key, link, item_code, link_order.
CREATE OR REPLACE VIEW page_value_chain_items AS
WITH rows_by_chain AS (
    SELECT chain_key AS chain, * FROM analytics_value_chain_items
    UNION ALL
    SELECT 'eje-' || eje_id AS chain, * FROM analytics_value_chain_items
    WHERE eje_id IS NOT NULL AND chain_key <> 'eje-' || eje_id
)
SELECT chain AS chain_key, link, item_code, min(item_name) AS item_name, min(unit) AS unit,
       CASE WHEN link = 'insumos' THEN sum(value) ELSE min(value) END AS value,
       CASE WHEN link = 'insumos' THEN sum(target_value) ELSE min(target_value) END AS target_value,
       min(semaforo) AS semaforo, min(units_ytd) AS units_ytd,
       min(cost_per_unit) AS cost_per_unit, min(result_gain) AS result_gain,
       min(cost_per_result) AS cost_per_result, min(window_start) AS window_start,
       CASE link WHEN 'insumos' THEN 1 WHEN 'productos' THEN 2 WHEN 'resultados' THEN 3 ELSE 4 END AS link_order
FROM rows_by_chain
GROUP BY chain, link, item_code;
