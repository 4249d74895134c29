-- 0003: the events table, range-partitioned by timestamp into UTC months plus a default partition, and the
-- functions partition maintenance calls. Partitions get the same RLS as the parent: reading one by name as the app
-- role shows only the current tenant's rows.

CREATE TABLE events (
    org_id       uuid NOT NULL,
    project_id   uuid NOT NULL,
    uuid         uuid NOT NULL,
    event        text NOT NULL CHECK (length(event) BETWEEN 1 AND 200),
    distinct_id  text NOT NULL CHECK (length(distinct_id) BETWEEN 1 AND 200),
    "timestamp"  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    properties   jsonb NOT NULL DEFAULT '{}',
    -- The idempotency key: an event (project, uuid, timestamp) is stored once. org_id is implied by the project and
    -- is part of the key only so that it stays unique when distributed by org_id.
    PRIMARY KEY (project_id, uuid, "timestamp", org_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
) PARTITION BY RANGE ("timestamp");

CREATE INDEX events_project_event_time_idx ON events (project_id, event, "timestamp");
CREATE INDEX events_project_time_idx ON events (project_id, "timestamp", uuid);
CREATE INDEX events_time_brin ON events USING brin ("timestamp");

CREATE TABLE events_default PARTITION OF events DEFAULT;

SELECT iv_protect_tenant_table('events');
SELECT iv_protect_tenant_table('events_default');

-- Name of the monthly partition holding `month` (any instant inside it), e.g. events_p202607.
CREATE FUNCTION iv_event_partition_name(month timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'events_p' || to_char(month AT TIME ZONE 'UTC', 'YYYYMM') $$;

-- Creates the partition for the UTC month holding `month` unless it exists. Rows of that month that landed in the
-- default partition are moved into the new partition in the same transaction, so none is lost or visible twice.
-- Returns true when it created the partition.
CREATE FUNCTION iv_ensure_event_partition(month timestamptz) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
DECLARE
    lo timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi timestamptz := (date_trunc('month', month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    part text := iv_event_partition_name(month);
    moved bigint;
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    -- Lock the parent first (the order inserts take locks in), then look again: another pod may have won the race.
    LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    CREATE TEMP TABLE iv_moving_events (LIKE events) ON COMMIT DROP;
    WITH gone AS (
        DELETE FROM events_default WHERE "timestamp" >= lo AND "timestamp" < hi RETURNING *
    )
    INSERT INTO iv_moving_events SELECT * FROM gone;
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    PERFORM iv_protect_tenant_table(part::regclass);
    IF moved > 0 THEN
        INSERT INTO events SELECT * FROM iv_moving_events;
    END IF;
    DROP TABLE iv_moving_events;
    RETURN true;
END
$$;

-- The monthly partitions with their bounds, oldest first.
CREATE FUNCTION iv_event_partitions()
    RETURNS TABLE (name text, range_start timestamptz, range_end timestamptz)
    LANGUAGE sql STABLE
    AS $$
    SELECT c.relname::text,
           to_date(substring(c.relname FROM 9), 'YYYYMM')::timestamp AT TIME ZONE 'UTC',
           (to_date(substring(c.relname FROM 9), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC'
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass AND c.relname ~ '^events_p[0-9]{6}$'
    ORDER BY c.relname
$$;

-- Retention, run daily by partition maintenance as the owner:
--  * deletes each project's events older than its `retention_days`;
--  * drops monthly partitions that lie wholly before the longest retention of all projects (only when every
--    project has a retention; one project keeping data forever keeps every partition).
-- Returns the names of the dropped partitions.
CREATE FUNCTION iv_apply_retention(at timestamptz) RETURNS SETOF text
    LANGUAGE plpgsql
    AS $$
DECLARE
    keep_days integer;
    part record;
BEGIN
    DELETE FROM events e
    USING projects p
    WHERE e.org_id = p.org_id AND e.project_id = p.project_id
      AND p.retention_days IS NOT NULL
      AND e."timestamp" < at - make_interval(days => p.retention_days);

    IF EXISTS (SELECT 1 FROM projects WHERE retention_days IS NULL) THEN
        RETURN;
    END IF;
    SELECT max(retention_days) INTO keep_days FROM projects;
    IF keep_days IS NULL THEN
        RETURN;
    END IF;
    FOR part IN SELECT * FROM iv_event_partitions() WHERE range_end <= at - make_interval(days => keep_days) LOOP
        EXECUTE format('DROP TABLE %I', part.name);
        RETURN NEXT part.name;
    END LOOP;
END
$$;
