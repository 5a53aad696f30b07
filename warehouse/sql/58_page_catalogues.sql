-- Page model (the filter bar's program selector, Rendición de cuentas, `export programs`): every
-- program with its eje's name. The query functions (warehouse/queries/reference.py programs,
-- programs_export) add the viewer's visibility, their column names and order.
-- Key: program_code. Not null: program_code, name.
CREATE OR REPLACE VIEW page_program_catalog AS
SELECT p.program_code, p.eje_id, e.name AS eje, p.intervention, p.name, p.institution,
       p.institution_is_sample, p.description
FROM programs p LEFT JOIN ejes e ON e.eje_id = p.eje_id;
