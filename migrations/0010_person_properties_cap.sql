-- 0010: a person's stored properties stop growing at 256 KB.
--
-- Each update is at most 64 KB (checked at ingestion, PERSON_PROPERTIES_TOO_LARGE), but many updates with new keys
-- would grow one person's row without end. An update whose result would be larger than 256 KB of JSON leaves the
-- properties as they were (the events themselves are stored); the limit is documented in docs/api.md.
CREATE OR REPLACE FUNCTION iv_set_person_properties(p_org uuid, p_project uuid, p_distinct_id text, p_set jsonb, p_set_once jsonb)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    target uuid := iv_ensure_person(p_org, p_project, p_distinct_id);
BEGIN
    UPDATE persons
    SET properties = merged, updated_at = now()
    FROM (
        SELECT (coalesce(p_set_once, '{}'::jsonb) || p.properties) || coalesce(p_set, '{}'::jsonb) AS merged
        FROM persons p WHERE p.org_id = p_org AND p.person_id = target
    ) AS m
    WHERE persons.org_id = p_org AND persons.person_id = target AND octet_length(m.merged::text) <= 262144;
END
$$;
