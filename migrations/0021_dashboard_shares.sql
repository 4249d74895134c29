-- Read-only links to dashboards (issue 15). A link's token is kept only as its SHA-256; whoever holds the token reads
-- that dashboard's reports through `sharedDashboard` and nothing else of the organization. Revoking sets revoked_at;
-- deleting the dashboard deletes its links.
CREATE TABLE dashboard_shares (
    org_id              uuid NOT NULL,
    share_id            uuid NOT NULL,
    dashboard_id        uuid NOT NULL,
    token_hash          bytea NOT NULL CHECK (length(token_hash) = 32),
    prefix              text NOT NULL,
    allow_range_change  boolean NOT NULL DEFAULT false,
    created_by          uuid REFERENCES users (user_id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    revoked_at          timestamptz,
    PRIMARY KEY (org_id, share_id),
    FOREIGN KEY (org_id, dashboard_id) REFERENCES dashboards (org_id, dashboard_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX dashboard_shares_token_key ON dashboard_shares (token_hash);
CREATE UNIQUE INDEX dashboard_shares_id_key ON dashboard_shares (share_id);
CREATE INDEX dashboard_shares_dashboard_idx ON dashboard_shares (org_id, dashboard_id);
SELECT iv_protect_tenant_table('dashboard_shares');

-- The organization and link of a live token: the one lookup made before the tenant is known (like
-- iv_lookup_ingest_token). Returns nothing for an unknown or revoked token.
CREATE FUNCTION iv_lookup_dashboard_share(p_hash bytea) RETURNS TABLE (org_id uuid, share_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT s.org_id, s.share_id FROM dashboard_shares s WHERE s.token_hash = p_hash AND s.revoked_at IS NULL
$$;
REVOKE ALL ON FUNCTION iv_lookup_dashboard_share(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_lookup_dashboard_share(bytea) TO insightvault_app;

-- revokeDashboardShare names a link by its ID: iv_object_org learns the kind.
CREATE OR REPLACE FUNCTION iv_object_org(p_kind text, p_id uuid) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT CASE p_kind
        WHEN 'project' THEN (SELECT org_id FROM projects WHERE project_id = p_id)
        WHEN 'report' THEN (SELECT org_id FROM reports WHERE report_id = p_id)
        WHEN 'dashboard' THEN (SELECT org_id FROM dashboards WHERE dashboard_id = p_id)
        WHEN 'token' THEN (SELECT org_id FROM api_tokens WHERE token_id = p_id)
        WHEN 'share' THEN (SELECT org_id FROM dashboard_shares WHERE share_id = p_id)
    END
$$;
