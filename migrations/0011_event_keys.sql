-- 0011: an event is stored once per (project, uuid), whatever its timestamp.
--
-- The idempotency key used to be the events table's primary key (project, uuid, timestamp): a partitioned table's
-- unique keys must contain the partition key. But the stored timestamp is corrected for the client's clock skew
-- (timestamp + arrival - sent_at), so an SDK's retry of the same event (same uuid, new sent_at, later arrival) got
-- another timestamp, passed the key and was counted twice, possibly in another monthly partition.
--
-- event_keys holds one row per stored event, keyed by (project, uuid) alone, with the timestamp the stored copy
-- has. The writer inserts keys first (ON CONFLICT DO NOTHING) and stores only the events whose key was new, in the
-- same statement and transaction. The events primary key only did the job event_keys now does, so it is dropped
-- (one unique index per event either way). Retention deletes a project's keys with its events (0012).

CREATE TABLE event_keys (
    org_id       uuid NOT NULL,
    project_id   uuid NOT NULL,
    uuid         uuid NOT NULL,
    "timestamp"  timestamptz NOT NULL,
    PRIMARY KEY (project_id, uuid)
);

-- No foreign key to projects: its check would run once more per event written (the events row already checks the
-- project, in the same statement). A deleted project's keys are deleted by this trigger instead.
CREATE FUNCTION iv_delete_project_event_keys() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM event_keys WHERE org_id = OLD.org_id AND project_id = OLD.project_id;
    RETURN OLD;
END
$$;

CREATE TRIGGER projects_delete_event_keys AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION iv_delete_project_event_keys();

-- Keys arrive in about the order of their timestamps, so a BRIN index serves retention's range deletes.
CREATE INDEX event_keys_time_brin ON event_keys USING brin ("timestamp");

SELECT iv_protect_tenant_table('event_keys');

-- Keys of the events already stored (the earliest copy of each uuid, the one reports already count first).
INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
SELECT DISTINCT ON (project_id, uuid) org_id, project_id, uuid, "timestamp"
FROM events
ORDER BY project_id, uuid, "timestamp";

ALTER TABLE events DROP CONSTRAINT events_pkey;
