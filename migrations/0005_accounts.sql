-- 0005: what accounts, sessions and personal API tokens need.
--
-- users.session_version goes into every session JWT (`pwd` claim); changing the password bumps it, so every older
-- session stops working at once.
ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 0;

-- Personal tokens carry scopes; only these two exist.
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_check CHECK (scopes <@ ARRAY['read', 'write']::text[]);

-- A user's memberships across organizations. The app role sees memberships of one organization at a time (RLS),
-- so `me` starts here, running as the owner, and then reads each organization inside its own tenant transaction.
CREATE FUNCTION iv_user_memberships(p_user uuid)
    RETURNS TABLE (org_id uuid, role text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT m.org_id, m.role FROM memberships m WHERE m.user_id = p_user ORDER BY m.created_at, m.org_id
$$;
REVOKE ALL ON FUNCTION iv_user_memberships(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_user_memberships(uuid) TO insightvault_app;

-- A personal token by its SHA-256, before the tenant is known (like iv_lookup_ingest_token for ingestion). Returns
-- the token's owner and their current role in the token's organization (NULL once they left it); the caller checks
-- revocation and expiry with its own clock.
CREATE FUNCTION iv_lookup_personal_token(hash bytea)
    RETURNS TABLE (org_id uuid, token_id uuid, user_id uuid, scopes text[], role text,
                   expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT t.org_id, t.token_id, t.user_id, t.scopes, m.role, t.expires_at, t.revoked_at, t.last_used_at
    FROM api_tokens t
    LEFT JOIN memberships m ON m.org_id = t.org_id AND m.user_id = t.user_id
    WHERE t.token_hash = hash AND t.kind = 'PERSONAL'
$$;
REVOKE ALL ON FUNCTION iv_lookup_personal_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_lookup_personal_token(bytea) TO insightvault_app;
