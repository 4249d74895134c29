-- A dashboard may hold a date range every report on it runs over instead of its own (issue 15): the ReportRangeInput it
-- was given, as JSON ({"dateFrom": ..., "dateTo": ...} or {"range": {...}}); NULL: each report keeps its own range.
ALTER TABLE dashboards ADD COLUMN date_range jsonb CHECK (date_range IS NULL OR jsonb_typeof(date_range) = 'object');
