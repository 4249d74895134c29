-- pgbench script for bench/wrk/inbox_probe.py: the load an inbox's background move would add, 1,000 events a
-- transaction: their keys into event_keys, the events into events (raw_insert.sql's rows), and the delete of the
-- inbox rows older than two seconds, committed without waiting for the WAL flush (run with synchronous_commit off,
-- as a move could be: its inbox rows come back with it if a crash loses it). Variables as raw_insert.sql's.
BEGIN;
INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
SELECT :org::uuid, :project::uuid, gen_random_uuid(), now() - make_interval(secs => :ago) + random() * make_interval(secs => :span)
FROM generate_series(1, 1000);
INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
SELECT :org::uuid, :project::uuid, gen_random_uuid(),
       (ARRAY['$pageview', 'signed_up', 'purchase', 'clicked_button'])[1 + floor(random() * 4)::int],
       'user-' || (1 + floor(random() * 37)::int),
       now() - make_interval(secs => :ago) + random() * make_interval(secs => :span), now(),
       jsonb_build_object('country', (ARRAY['US', 'DE', 'NL', 'FR', 'GB', 'BR', 'IN'])[1 + floor(random() * 7)::int],
                          'plan', (ARRAY['free', 'pro', 'team'])[1 + floor(random() * 3)::int],
                          'path', (ARRAY['/', '/pricing', '/docs', '/blog', '/signup', '/checkout'])[1 + floor(random() * 6)::int],
                          'amount', 1 + floor(random() * 500)::int)
FROM generate_series(1, 1000);
DELETE FROM bench_inbox WHERE received_at < now() - interval '2 seconds';
COMMIT;
