-- pgbench script for bench/wrk/inbox_probe.py: one transaction inserts one row holding 100 events shaped as
-- raw_insert.sql's, as a JSON array text, into an append-only table without indexes (an "inbox" a server could answer
-- after, moving the events into `events` later). Variables as raw_insert.sql's.
INSERT INTO bench_inbox (org_id, project_id, received_at, payload)
SELECT :org::uuid, :project::uuid, now(), jsonb_agg(jsonb_build_object(
       'uuid', gen_random_uuid(),
       'event', (ARRAY['$pageview', 'signed_up', 'purchase', 'clicked_button'])[1 + floor(random() * 4)::int],
       'distinct_id', 'user-' || (1 + floor(random() * 37)::int),
       'timestamp', now() - make_interval(secs => :ago) + random() * make_interval(secs => :span),
       'properties', jsonb_build_object('country', (ARRAY['US', 'DE', 'NL', 'FR', 'GB', 'BR', 'IN'])[1 + floor(random() * 7)::int],
                          'plan', (ARRAY['free', 'pro', 'team'])[1 + floor(random() * 3)::int],
                          'path', (ARRAY['/', '/pricing', '/docs', '/blog', '/signup', '/checkout'])[1 + floor(random() * 6)::int],
                          'amount', 1 + floor(random() * 500)::int)))::text
FROM generate_series(1, 100);
