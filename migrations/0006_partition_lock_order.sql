-- 0006: creating a partition of `events` adds its foreign key to `projects`, which locks `projects`
-- (SHARE ROW EXCLUSIVE). Deleting a project locks `projects` first and then, through ON DELETE CASCADE, the event
-- partitions. Partition maintenance locked `events` first and `projects` second, so the two could deadlock. Take
-- the locks in the same order as deletes do: `projects`, then `events`.
CREATE OR REPLACE FUNCTION iv_ensure_event_partition(month timestamptz) RETURNS boolean
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
    LOCK TABLE projects IN SHARE ROW EXCLUSIVE MODE;
    LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
    -- Another pod may have won the race while we waited for the locks.
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
