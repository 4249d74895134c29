-- 0022: event_keys' primary key starts with org_id, as every other tenant table's key does. A table distributed by
-- org_id (docs/scaling.md, the path to Citus) must carry the distribution column in each of its unique keys, and a
-- key that starts with it keeps each organization's keys together.
--
-- A contract step (no `older-binaries: compatible` line): builds before it look duplicates up by (project, day,
-- uuid), which the new key cannot serve as an index condition without org_id in front; they would read every key of
-- the organization. The writer of this build probes (org, project, day, uuid).
--
-- The key is rebuilt in this migration's transaction, which blocks writes to event_keys while it runs: 0.76 s for a
-- million keys on the 2-core development machine (maintenance_work_mem 64 MB), so some ten seconds at 10M events.
-- Ingestion requests wait for it (a round gives up after IV_INGEST_ROUND_TIMEOUT_MS, 30 s, with 503 and
-- Retry-After, and the SDKs retry).
ALTER TABLE event_keys DROP CONSTRAINT event_keys_pkey;
ALTER TABLE event_keys ADD CONSTRAINT event_keys_pkey PRIMARY KEY (org_id, project_id, day, uuid);
