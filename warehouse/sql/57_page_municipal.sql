-- Page model (Municipios' indicator selector): the municipal indicators the map can be coloured by,
-- those with a target below the national level. The query function
-- (warehouse/queries/municipal.py municipality_indicator_options) adds the filter bar, the viewer's
-- visibility and the order. Key: code. Not null: code, name.
CREATE OR REPLACE VIEW page_municipal_indicators AS
SELECT i.code, i.name, i.eje_id, i.program_code, i.intervention
FROM indicators i
WHERE i.scope_level = 'municipal'
  AND EXISTS (SELECT 1 FROM targets t WHERE t.indicator_code = i.code AND t.scope_code <> 'national');
