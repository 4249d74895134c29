-- 0004: what ingestion needs before it knows the tenant.
--
-- An SDK request carries only a token; the tenant is found from the token's hash. The app role cannot read
-- api_tokens without a tenant (RLS), so this one lookup runs as the owner (SECURITY DEFINER) and returns only what
-- ingestion needs, for INGEST tokens only.
CREATE FUNCTION iv_lookup_ingest_token(hash bytea)
    RETURNS TABLE (org_id uuid, project_id uuid, token_id uuid, revoked boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT t.org_id, t.project_id, t.token_id,
           t.revoked_at IS NOT NULL OR (t.expires_at IS NOT NULL AND t.expires_at <= now())
    FROM api_tokens t
    WHERE t.token_hash = hash AND t.kind = 'INGEST'
$$;
REVOKE ALL ON FUNCTION iv_lookup_ingest_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_lookup_ingest_token(bytea) TO insightvault_app;

-- Report queries resolve an event's person at query time through person_distinct_ids, so merging two persons is a
-- re-pointing of distinct ids and applies to all past events at once. This index serves that join.
CREATE INDEX events_project_distinct_idx ON events (project_id, distinct_id, "timestamp");

-- The person of a distinct id, created on first need. Runs as the caller (the app role), so RLS applies.
CREATE FUNCTION iv_ensure_person(p_org uuid, p_project uuid, p_distinct_id text) RETURNS uuid
    LANGUAGE plpgsql
    AS $$
DECLARE
    found uuid;
BEGIN
    SELECT person_id INTO found FROM person_distinct_ids
    WHERE org_id = p_org AND project_id = p_project AND distinct_id = p_distinct_id;
    IF found IS NULL THEN
        found := gen_random_uuid();
        INSERT INTO persons (org_id, project_id, person_id) VALUES (p_org, p_project, found);
        INSERT INTO person_distinct_ids (org_id, project_id, distinct_id, person_id)
        VALUES (p_org, p_project, p_distinct_id, found);
    END IF;
    RETURN found;
END
$$;

-- Makes two distinct ids one person ($identify, $create_alias, Segment alias/identify, Mixpanel $create_alias).
-- When both already have persons, every distinct id of `p_other`'s person moves to `p_keep`'s person, whose
-- properties win on conflicts, and the other person is deleted. Returns the surviving person.
CREATE FUNCTION iv_merge_distinct_ids(p_org uuid, p_project uuid, p_keep text, p_other text) RETURNS uuid
    LANGUAGE plpgsql
    AS $$
DECLARE
    keep_person uuid;
    other_person uuid;
BEGIN
    IF p_keep = p_other THEN
        RETURN iv_ensure_person(p_org, p_project, p_keep);
    END IF;
    SELECT person_id INTO keep_person FROM person_distinct_ids
    WHERE org_id = p_org AND project_id = p_project AND distinct_id = p_keep;
    SELECT person_id INTO other_person FROM person_distinct_ids
    WHERE org_id = p_org AND project_id = p_project AND distinct_id = p_other;
    IF keep_person IS NULL AND other_person IS NULL THEN
        keep_person := iv_ensure_person(p_org, p_project, p_keep);
        INSERT INTO person_distinct_ids (org_id, project_id, distinct_id, person_id)
        VALUES (p_org, p_project, p_other, keep_person);
    ELSIF keep_person IS NULL THEN
        INSERT INTO person_distinct_ids (org_id, project_id, distinct_id, person_id)
        VALUES (p_org, p_project, p_keep, other_person);
        keep_person := other_person;
    ELSIF other_person IS NULL THEN
        INSERT INTO person_distinct_ids (org_id, project_id, distinct_id, person_id)
        VALUES (p_org, p_project, p_other, keep_person);
    ELSIF keep_person <> other_person THEN
        UPDATE persons k SET properties = o.properties || k.properties, updated_at = now()
        FROM persons o
        WHERE k.org_id = p_org AND k.person_id = keep_person AND o.org_id = p_org AND o.person_id = other_person;
        UPDATE person_distinct_ids SET person_id = keep_person WHERE org_id = p_org AND person_id = other_person;
        DELETE FROM persons WHERE org_id = p_org AND person_id = other_person;
    END IF;
    RETURN keep_person;
END
$$;

-- `$set` overwrites, `$set_once` only fills in missing keys.
CREATE FUNCTION iv_set_person_properties(p_org uuid, p_project uuid, p_distinct_id text, p_set jsonb, p_set_once jsonb)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    target uuid := iv_ensure_person(p_org, p_project, p_distinct_id);
BEGIN
    UPDATE persons
    SET properties = (coalesce(p_set_once, '{}'::jsonb) || properties) || coalesce(p_set, '{}'::jsonb), updated_at = now()
    WHERE org_id = p_org AND person_id = target;
END
$$;
