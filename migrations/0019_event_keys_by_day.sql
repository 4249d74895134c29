-- 0019: idempotency keys grouped by the UTC day of the stored event, so that writing a key touches pages of that
-- day's keys instead of a random page of every key ever stored.
--
-- 0011 keyed event_keys by (project, uuid). A uuid is random (SDKs send v4 uuids), so each event's key went to a
-- random leaf of a B-tree that grows with every stored event (95,000 pages at 10M events). After each checkpoint
-- PostgreSQL writes a full image of every page it changes for the first time, and random inserts reach nearly every
-- page within seconds: about 270 MB of WAL per checkpoint at 10M events, whatever the load (docs/benchmarks.md).
--
-- Keyed by (project, day, uuid), the keys of live events all fall in today's part of the index, and those of a
-- backfill in the part of their day: the pages written between two checkpoints are about those of the keys written.
--
-- What an event is a duplicate of (docs/api.md, Idempotency): an event is skipped when its project stored the same
-- uuid with a timestamp on the same UTC day or on the day before or after. The writer looks the two neighbour days
-- up before it inserts the key; the key itself settles concurrent copies on the same day. An SDK's retry moves the
-- skew-corrected time by the difference in network delays (milliseconds to seconds), so a retry across midnight is
-- still recognised. A uuid sent again with a timestamp two or more days away is a new event, as in PostHog (which
-- deduplicates within a day of the timestamp), Mixpanel (same timestamp to the second) and Segment (24 hours).

CREATE TABLE event_keys_by_day (
    org_id       uuid NOT NULL,
    project_id   uuid NOT NULL,
    uuid         uuid NOT NULL,
    "timestamp"  timestamptz NOT NULL,
    day          date NOT NULL GENERATED ALWAYS AS (("timestamp" AT TIME ZONE 'UTC')::date) STORED,
    PRIMARY KEY (project_id, day, uuid)
);

INSERT INTO event_keys_by_day (org_id, project_id, uuid, "timestamp")
SELECT org_id, project_id, uuid, "timestamp"
FROM event_keys
ORDER BY project_id, "timestamp", uuid;

DROP TABLE event_keys;
ALTER TABLE event_keys_by_day RENAME TO event_keys;
ALTER INDEX event_keys_by_day_pkey RENAME TO event_keys_pkey;

-- Retention's range deletes (0012), as before.
CREATE INDEX event_keys_time_brin ON event_keys USING brin ("timestamp");

SELECT iv_protect_tenant_table('event_keys');

ANALYZE event_keys;
