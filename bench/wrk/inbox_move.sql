-- pgbench script for bench/wrk/inbox_probe.py: the load an inbox's background move would add, `rows` events (1,000) a
-- transaction: their keys into event_keys, the events into events (raw_insert.sql's rows), and the delete of the
-- inbox rows older than two seconds, committed without waiting for the WAL flush (run with synchronous_commit off,
-- as a move could be: its inbox rows come back with it if a crash loses it). Variables as raw_insert.sql's.
BEGIN;
INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
SELECT :org::uuid, :project::uuid, gen_random_uuid(), now() - make_interval(secs => :ago) + random() * make_interval(secs => :span)
FROM generate_series(1, :rows::int);
-- EVENTS: raw_insert.sql's statement, put here by inbox_probe.py
DELETE FROM bench_inbox WHERE received_at < now() - interval '2 seconds';
COMMIT;
