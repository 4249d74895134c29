-- 0009: find an object's organization with one lookup.
--
-- A report, a saved report or a token request names an object by its ID only. The app role cannot read another
-- tenant's rows (RLS), so before this the server tried the caller's organizations one transaction at a time. This
-- function runs as the owner (SECURITY DEFINER, like iv_lookup_ingest_token) and returns only the organization of an
-- ID of one of the closed set of kinds, or NULL; the server then opens that organization's tenant transaction and
-- checks membership there, so another organization's ID still answers exactly like an unknown one.
CREATE UNIQUE INDEX reports_id_key ON reports (report_id);
CREATE UNIQUE INDEX dashboards_id_key ON dashboards (dashboard_id);
CREATE UNIQUE INDEX api_tokens_id_key ON api_tokens (token_id);

CREATE FUNCTION iv_object_org(p_kind text, p_id uuid) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT CASE p_kind
        WHEN 'project' THEN (SELECT org_id FROM projects WHERE project_id = p_id)
        WHEN 'report' THEN (SELECT org_id FROM reports WHERE report_id = p_id)
        WHEN 'dashboard' THEN (SELECT org_id FROM dashboards WHERE dashboard_id = p_id)
        WHEN 'token' THEN (SELECT org_id FROM api_tokens WHERE token_id = p_id)
    END
$$;
REVOKE ALL ON FUNCTION iv_object_org(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_object_org(text, uuid) TO insightvault_app;
