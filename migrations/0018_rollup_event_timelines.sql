-- 0018: the rare events of each day apart from the day's timeline (issue 14), so that a report on an event that is a
-- small part of the day's traffic (`purchase` among page views) reads that event's rows and property codes instead of
-- the whole day's.
--
--   rollup_event_timelines  per day and event name, for names with at most 1/16 of the day's events: each such event
--                           in the day timeline's order, as a little-endian int32 user number, int64 microseconds
--                           since 1970 and the int32 position of the event in the day's timeline (which indexes the
--                           day's `rollup_columns` codes). Together at most as large as the day's timeline.
--   rollup_event_columns    per day, rare event name and property key: the codes of the key's values (as in that
--                           day's rollup_columns, same dict and width) for the event's rows above, in their order;
--                           no row when none of them has the key.
--   rollup_timelines.rare_events
--                           the names kept in rollup_event_timelines that day; NULL for timelines built before this
--                           migration (reports read their whole timeline, as before). They are marked dirty below,
--                           so the next rollup passes rebuild them with their rare events.

CREATE TABLE rollup_event_timelines (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    event       text NOT NULL,
    data        bytea NOT NULL,
    PRIMARY KEY (org_id, project_id, day, event),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
ALTER TABLE rollup_event_timelines ALTER COLUMN data SET STORAGE EXTERNAL;
SELECT iv_protect_tenant_table('rollup_event_timelines');

CREATE TABLE rollup_event_columns (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    event       text NOT NULL,
    key         text NOT NULL,
    codes       bytea NOT NULL,
    code_bytes  smallint NOT NULL CHECK (code_bytes IN (1, 2, 4)),
    PRIMARY KEY (org_id, project_id, day, event, key),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_event_columns');

ALTER TABLE rollup_timelines ADD COLUMN rare_events text[];

INSERT INTO rollup_dirty (org_id, project_id, day)
SELECT org_id, project_id, day FROM rollup_timelines
ON CONFLICT DO NOTHING;
