-- 0012: events (and person updates) PostgreSQL refused, kept per organization instead of failing their request.
--
-- When PostgreSQL refuses a group-commit round for its data (SQLSTATE classes 22, 23 and 54), the writer finds the
-- events that cause it by writing halves of the request again, commits the rest, and stores each refused part
-- here with its payload as text (it may not be valid jsonb: that can be why it was refused) and PostgreSQL's reason.
-- The GraphQL query `deadLetters` counts and lists them; retention drops them after 30 days.

CREATE TABLE dead_letters (
    org_id          uuid NOT NULL,
    project_id      uuid NOT NULL,
    dead_letter_id  uuid NOT NULL DEFAULT gen_random_uuid(),
    received_at     timestamptz NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now(),
    -- What was refused: 'event' or 'person' (a $set/$set_once/merge operation).
    kind            text NOT NULL CHECK (kind IN ('event', 'person')),
    -- PostgreSQL's SQLSTATE and message.
    code            text NOT NULL,
    reason          text NOT NULL,
    payload         text NOT NULL,
    PRIMARY KEY (org_id, dead_letter_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);

CREATE INDEX dead_letters_project_idx ON dead_letters (project_id, stored_at DESC, dead_letter_id);

SELECT iv_protect_tenant_table('dead_letters');

-- Retention (0003) also deletes the event_keys (0011) of the events it deletes, so a deleted event may be sent
-- again, and drops dead letters stored more than 30 days before `at`.
CREATE OR REPLACE FUNCTION iv_apply_retention(at timestamptz) RETURNS SETOF text
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

    DELETE FROM event_keys k
    USING projects p
    WHERE k.org_id = p.org_id AND k.project_id = p.project_id
      AND p.retention_days IS NOT NULL
      AND k."timestamp" < at - make_interval(days => p.retention_days);

    DELETE FROM dead_letters WHERE stored_at < at - interval '30 days';

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
