-- Analytics layer, focalización (issue 13; docs/method.md «Focalización»). Materialised by
-- warehouse/analytics (refresh_analytics) at every build and load; pages only read.
-- Inputs: municipalities (CSR group, IIMM, entry order) and targeting_inputs (CSU pool: settlements
-- of extreme and high precariousness, violence index, institutional capacity), a reference CSV
-- that is SAMPLE data except the Cuadro 1 list and order.
CREATE TABLE IF NOT EXISTS targeting_inputs (
    code VARCHAR PRIMARY KEY, pool VARCHAR, precarious_extreme INTEGER, precarious_high INTEGER,
    violence_index DOUBLE, capacity DOUBLE, is_sample BOOLEAN, source_note VARCHAR);

-- CSR: the seed's order of entry, severa before alta, then the IIMM (higher = more marginal);
-- equal IIMM values keep their registered order.
CREATE OR REPLACE MACRO analytics_targeting_csr_def() AS TABLE
SELECT m.code, m.municipality, m.department_code, m.department, m.csr_group, m.iimm,
       m.entry_order AS official_rank,
       row_number() OVER (ORDER BY m.csr_group = 'severa' DESC, m.iimm DESC NULLS LAST, m.entry_order, m.code) AS iimm_rank,
       m.lat, m.lon, m.is_sample
FROM municipalities m WHERE m.intervention = 'CSR';

-- CSU pool: each criterion scaled to 0..1 over the pool (min-max); more settlements, more violence
-- and more capacity rank higher. official_rank is the Cuadro 1 order (NULL outside the 25).
CREATE OR REPLACE MACRO analytics_targeting_csu_def() AS TABLE
WITH pool AS (
    SELECT t.*, t.precarious_extreme + t.precarious_high AS settlements,
           m.municipality, m.department_code, m.department, m.lat, m.lon,
           CASE WHEN m.intervention = 'CSU' THEN m.entry_order END AS official_rank
    FROM targeting_inputs t JOIN municipalities m USING (code) WHERE t.pool = 'CSU'
)
SELECT code, municipality, department_code, department, official_rank,
       precarious_extreme, precarious_high, settlements, violence_index, capacity,
       coalesce((settlements - min(settlements) OVER ()) / nullif(max(settlements) OVER () - min(settlements) OVER (), 0), 0) AS s_settlements,
       coalesce((violence_index - min(violence_index) OVER ()) / nullif(max(violence_index) OVER () - min(violence_index) OVER (), 0), 0) AS s_violence,
       coalesce((capacity - min(capacity) OVER ()) / nullif(max(capacity) OVER () - min(capacity) OVER (), 0), 0) AS s_capacity,
       lat, lon, is_sample
FROM pool;

CREATE TABLE IF NOT EXISTS analytics_targeting_csr AS SELECT * FROM analytics_targeting_csr_def() LIMIT 0;
CREATE TABLE IF NOT EXISTS analytics_targeting_csu AS SELECT * FROM analytics_targeting_csu_def() LIMIT 0;

-- The CSU ranking under an analyst's weights: score = Σ wᵢ·sᵢ / Σ wᵢ, rank by score (ties: official
-- order, then code); the first p_slots enter. `change` compares with Cuadro 1.
CREATE OR REPLACE MACRO targeting_rank(w_settlements, w_violence, w_capacity, p_slots) AS TABLE
WITH scored AS (
    SELECT *, (w_settlements * s_settlements + w_violence * s_violence + w_capacity * s_capacity)
              / nullif(w_settlements + w_violence + w_capacity, 0) AS score
    FROM analytics_targeting_csu
), ranked AS (
    SELECT *, row_number() OVER (ORDER BY score DESC NULLS LAST, official_rank NULLS LAST, code) AS weighted_rank
    FROM scored
)
SELECT *, weighted_rank <= p_slots AS enters,
       CASE WHEN weighted_rank <= p_slots AND official_rank IS NULL THEN 'entra'
            WHEN weighted_rank > p_slots AND official_rank IS NOT NULL THEN 'sale'
            WHEN official_rank IS NULL THEN 'fuera en ambos'
            WHEN weighted_rank < official_rank THEN 'sube'
            WHEN weighted_rank > official_rank THEN 'baja'
            ELSE 'igual' END AS change
FROM ranked;
