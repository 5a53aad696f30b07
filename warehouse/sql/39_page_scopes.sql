-- Scope labels that the method's rows are joined to: by the pages (the week's source, picked by the
-- week in Python: FROM <source> JOIN page_scopes WHERE ...), the week's changes (40) and coverage (60).

-- Every scope a method row can carry with its name and department: the nation ('Nacional'), the
-- departments (their own code as department_code) and the municipalities.
-- Key: scope_type, scope_code. Not null: scope_type, scope_code, scope_name.
CREATE OR REPLACE VIEW page_scopes AS
SELECT 'nacional' AS scope_type, 'national' AS scope_code, 'Nacional' AS scope_name,
       CAST(NULL AS VARCHAR) AS department_code, CAST(NULL AS VARCHAR) AS department
UNION ALL
SELECT 'departamento', department_code, department, department_code, department FROM departments
UNION ALL
SELECT 'municipio', code, municipality, department_code, department FROM municipalities;
