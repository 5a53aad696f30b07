-- Page model (Resumen, deck): reports received between p_start and p_end after their deadline
-- (period end + the indicator's deadline days), of p_indicators only when given. The query function adds
-- filters and the viewer.
CREATE OR REPLACE MACRO page_week_late_reports(p_start, p_end, p_indicators := NULL) AS TABLE
SELECT m.indicator_code, i.name AS indicator_name, i.intervention, i.eje_id, i.program_code,
       m.scope_code, mu.municipality, mu.department_code, m.period,
       CAST(m.period_end + to_days(i.deadline_days) AS DATE) AS deadline, m.reported_at,
       date_diff('day', m.period_end + to_days(i.deadline_days), m.reported_at) AS days_late, m.load_id
FROM measurements m JOIN indicators i ON i.code = m.indicator_code
LEFT JOIN municipalities mu ON mu.code = m.scope_code
WHERE m.reported_at BETWEEN p_start AND p_end AND m.reported_at > m.period_end + to_days(i.deadline_days)
  AND (p_indicators IS NULL OR list_contains(p_indicators, m.indicator_code));
