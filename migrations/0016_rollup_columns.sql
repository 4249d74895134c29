-- 0016: per-day property columns next to the day timelines (issue 14), so that filtered reports, breakdowns by unique
-- users, numeric maths, hourly buckets, funnels with step filters or a breakdown, and ranges that start or end inside
-- a day are answered from the rollups instead of raw events.
--
--   rollup_columns   per day and property key: the key's distinct values that day (`dict`, each the value's jsonb
--                    text, so that PostgreSQL evaluates the same filter expressions on them as on raw events) and,
--                    for every event of the day's timeline in the timeline's order, the code of its value: 0 when the
--                    event lacks the key, i when it holds dict[i]. Codes are 1, 2 or 4 bytes (`code_bytes`).
--   rollup_numbers   per day, event ('' = every event) and property key: the key's JSON-number values (as float8,
--                    like the reports' numeric maths), sorted, so SUM...P99 over whole days read no events; NULL
--                    when there are too many (reports then read the day's columns).
--   rollup_timelines.column_overflow
--                    keys with too many values that day to be kept as a column (reports on them read the day raw);
--                    NULL for timelines built before this migration, which have no columns: they are marked dirty
--                    below and rebuilt by the next rollup passes (read raw until then).

CREATE TABLE rollup_columns (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    key         text NOT NULL,
    dict        text[] NOT NULL,
    codes       bytea NOT NULL,
    code_bytes  smallint NOT NULL CHECK (code_bytes IN (1, 2, 4)),
    PRIMARY KEY (org_id, project_id, day, key),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_columns');

CREATE TABLE rollup_numbers (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    event       text NOT NULL,
    key         text NOT NULL,
    vals        float8[],
    PRIMARY KEY (org_id, project_id, day, event, key),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_numbers');

ALTER TABLE rollup_timelines ADD COLUMN column_overflow text[];

INSERT INTO rollup_dirty (org_id, project_id, day)
SELECT org_id, project_id, day FROM rollup_timelines
ON CONFLICT DO NOTHING;
