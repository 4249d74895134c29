-- pgbench script for the raw-insert latency baseline of bench/wrk/run.py: one transaction inserts `rows` events (100
-- there) shaped as bench/wrk/ingest.lua's (four event names, 37 users, four properties, fresh random uuids) straight
-- into the events table, as the database superuser, without the server, the idempotency keys or the dirty marks.
-- Variables (-D, sent as parameters with -M prepared): org and project (uuids), ago and span (seconds): the timestamps
-- fall in [now - ago, now - ago + span]; rows. bench/wrk/inbox_probe.py also puts this statement into inbox_move.sql.
INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
SELECT :org::uuid, :project::uuid, gen_random_uuid(),
       (ARRAY['$pageview', 'signed_up', 'purchase', 'clicked_button'])[1 + floor(random() * 4)::int],
       'user-' || (1 + floor(random() * 37)::int),
       now() - make_interval(secs => :ago) + random() * make_interval(secs => :span), now(),
       jsonb_build_object('country', (ARRAY['US', 'DE', 'NL', 'FR', 'GB', 'BR', 'IN'])[1 + floor(random() * 7)::int],
                          'plan', (ARRAY['free', 'pro', 'team'])[1 + floor(random() * 3)::int],
                          'path', (ARRAY['/', '/pricing', '/docs', '/blog', '/signup', '/checkout'])[1 + floor(random() * 6)::int],
                          'amount', 1 + floor(random() * 500)::int)
FROM generate_series(1, :rows::int);
