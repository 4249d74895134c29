-- Pre-aggregated rollups for closed local days, and for the hours of the open day that ended an hour ago (issue 6). Reports combine them with raw events for days that are
-- still open or dirty, so results stay exact:
--   rollup_state          per project: the time zone the days were cut in and the first day not rolled up yet;
--   rollup_dirty          days that changed after (or while) they were rolled up (late events, identity merges);
--   rollup_person_index   a dense number per user (person after merges, else distinct id) for person bitmaps;
--   rollup_days           per day and event ('' = every event): event count and the bitmap of users;
--   rollup_property_days  per day, event and property key: event counts by the property's text value, for keys
--                         with at most a bounded number of values that day (others are listed in overflow_keys);
--   rollup_timelines      per day, every user's events in order (funnels).

CREATE TABLE rollup_state (
    org_id          uuid NOT NULL,
    project_id      uuid NOT NULL,
    timezone        text NOT NULL,
    built_through   date NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, project_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_state');

CREATE TABLE rollup_dirty (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    PRIMARY KEY (org_id, project_id, day),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_dirty');

CREATE TABLE rollup_person_index (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    person_key  text NOT NULL,
    idx         integer NOT NULL,
    PRIMARY KEY (org_id, project_id, person_key),
    UNIQUE (org_id, project_id, idx),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_person_index');

CREATE TABLE rollup_days (
    org_id         uuid NOT NULL,
    project_id     uuid NOT NULL,
    day            date NOT NULL,
    event          text NOT NULL,
    events         bigint NOT NULL,
    persons        integer NOT NULL,
    person_bits    bytea NOT NULL,
    overflow_keys  text[] NOT NULL DEFAULT '{}',
    -- NULL: the whole day; else the open day's events before this instant (its prefix, rebuilt every hour).
    through        timestamptz,
    PRIMARY KEY (org_id, project_id, day, event),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('rollup_days');

CREATE TABLE rollup_property_days (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    event       text NOT NULL,
    key         text NOT NULL,
    value       text,
    events      bigint NOT NULL,
    through     timestamptz,
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
CREATE INDEX rollup_property_days_key_idx ON rollup_property_days (org_id, project_id, key, event, day);
CREATE INDEX rollup_property_days_day_idx ON rollup_property_days (org_id, project_id, day);
SELECT iv_protect_tenant_table('rollup_property_days');

-- Per day, every event as (user number, timestamp, event) sorted by user, timestamp and uuid, for funnels:
-- `data` is little-endian int32 user, int64 microseconds since 1970, uint16 index into `events` (the names).
CREATE TABLE rollup_timelines (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    day         date NOT NULL,
    events      text[] NOT NULL,
    data        bytea NOT NULL,
    through     timestamptz,
    PRIMARY KEY (org_id, project_id, day),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
-- Read whole on every funnel: stored uncompressed.
ALTER TABLE rollup_timelines ALTER COLUMN data SET STORAGE EXTERNAL;
SELECT iv_protect_tenant_table('rollup_timelines');

-- Marks local days of a project dirty. A builder deletes a day's mark in its own committed transaction before it reads
-- the day, so a change either is in the build's snapshot or its mark survives: a new mark is inserted (a delete cannot
-- see it before this transaction commits), an existing one is held with FOR KEY SHARE, which makes the builder's delete
-- wait until this transaction has committed. Writers do not block each other on existing marks.
CREATE FUNCTION iv_mark_rollup_day_list(p_org uuid, p_project uuid, p_days date[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_days IS NULL OR cardinality(p_days) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO rollup_dirty (org_id, project_id, day)
    SELECT p_org, p_project, d FROM unnest(p_days) d ORDER BY d
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM rollup_dirty
    WHERE org_id = p_org AND project_id = p_project AND day = ANY(p_days)
    ORDER BY day
    FOR KEY SHARE;
END
$$;

-- Marks the local days holding `times` dirty: the ingestion writer calls it for events older than the open days.
CREATE FUNCTION iv_mark_rollup_days(p_org uuid, p_project uuid, times timestamptz[]) RETURNS void
    LANGUAGE sql
    AS $$
    SELECT iv_mark_rollup_day_list(p_org, p_project, (
        SELECT array_agg(DISTINCT (t AT TIME ZONE p.timezone)::date)
        FROM projects p, unnest(times) t
        WHERE p.org_id = p_org AND p.project_id = p_project))
$$;

-- A distinct id that gets (another) person changes who its past events belong to: the days holding them are dirty.
CREATE FUNCTION iv_person_mapping_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.person_id = OLD.person_id THEN
        RETURN NULL;
    END IF;
    PERFORM iv_mark_rollup_day_list(NEW.org_id, NEW.project_id, (
        SELECT array_agg(DISTINCT (e."timestamp" AT TIME ZONE p.timezone)::date)
        FROM events e JOIN projects p ON p.org_id = e.org_id AND p.project_id = e.project_id
        WHERE e.project_id = NEW.project_id AND e.distinct_id = NEW.distinct_id AND e.org_id = NEW.org_id));
    RETURN NULL;
END
$$;

CREATE TRIGGER person_distinct_ids_rollups AFTER INSERT OR UPDATE ON person_distinct_ids
    FOR EACH ROW EXECUTE FUNCTION iv_person_mapping_changed();

-- The live tail reads events by receive time.
CREATE INDEX events_received_brin ON events USING brin (received_at);
