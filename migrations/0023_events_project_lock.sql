-- 0023: events no longer check their project row by row. The writer locks a round's projects once instead.
-- older-binaries: compatible
--
-- The foreign key (org_id, project_id) -> projects made PostgreSQL run its check, a lookup of the project that locks
-- it FOR KEY SHARE, once for every event stored: about 3.3 microseconds an event, a quarter of a plain insert of 2,000
-- events on the development machine, 8-9% of everything PostgreSQL does per ingested event (docs/benchmarks.md,
-- "The project check once a round").
--
-- What the key guaranteed, kept:
-- - an event's (org, project) is a project of that organization: the writer calls iv_lock_event_projects for the
--   round's projects in the round's transaction before its insert; it raises foreign_key_violation (23503, as the
--   key did) when one of them is not a project of the organization, so the writer refuses that request alone;
-- - a project being deleted and a round writing to it do not interleave: the function locks the projects FOR KEY
--   SHARE, as the key's check did, so the delete waits for the round's commit (and then deletes its events), or the
--   round waits for the delete and is refused;
-- - deleting a project deletes its events: the trigger below, as event_keys' trigger of 0011 does.
--
-- Compatible: older builds' inserts stay valid without the key. While an older build still runs, its rounds do not
-- take the lock, so a project deleted at that moment could keep the events of a round committed during its deletion.

ALTER TABLE events DROP CONSTRAINT events_org_id_project_id_fkey;

CREATE FUNCTION iv_delete_project_events() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM events WHERE org_id = OLD.org_id AND project_id = OLD.project_id;
    RETURN OLD;
END
$$;

CREATE TRIGGER projects_delete_events AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION iv_delete_project_events();

-- Locks `wanted`, projects of organization `org`, until the end of the transaction, so none of them is deleted before
-- it commits; raises foreign_key_violation naming the first one that is not a project of `org`. Runs as the caller
-- (the app role, under row-level security): another organization's project is not found.
CREATE FUNCTION iv_lock_event_projects(org uuid, wanted uuid[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM FROM projects WHERE org_id = org AND project_id = ANY (wanted) FOR KEY SHARE;
    SELECT w INTO missing FROM unnest(wanted) AS w
    WHERE NOT EXISTS (SELECT FROM projects p WHERE p.org_id = org AND p.project_id = w)
    LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'project % is not a project of organization %', missing, org
            USING ERRCODE = 'foreign_key_violation';
    END IF;
END
$$;
