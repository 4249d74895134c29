-- 0013: rollups for days with very many event names, and a project's history rolled up newest day first.
--
-- rollup_timelines.code_bytes: each event in `data` names its event by an index into the day's `events` list. The
-- index was always 2 bytes, so the 65,537th name of a day wrapped onto the first and funnels read one event as
-- another. It is now 2 bytes while a day has at most 65,536 names and 4 bytes beyond; this column says which.
--
-- rollup_state.built_from: the rolled-up days are now the range [built_from, built_through). A project's first pass
-- starts an empty range at its open day; later passes extend it forwards as days close and backwards over its
-- history, newest day first, a bounded number of days per pass (so one project's thousands of past days never
-- hold up other projects' current days). NULL keeps the meaning rows had before: every day before built_through.

ALTER TABLE rollup_timelines ADD COLUMN code_bytes smallint NOT NULL DEFAULT 2 CHECK (code_bytes IN (2, 4));

ALTER TABLE rollup_state ADD COLUMN built_from date;
ALTER TABLE rollup_state ADD CONSTRAINT rollup_state_range CHECK (built_from IS NULL OR built_from <= built_through);

-- Timelines built with more than 65,536 names hold wrapped codes: their days are read raw until rebuilt.
INSERT INTO rollup_dirty (org_id, project_id, day)
SELECT org_id, project_id, day FROM rollup_timelines WHERE cardinality(events) > 65536
ON CONFLICT DO NOTHING;
