-- 0014: invitations (joining an organization needs the invitee's consent) and emailed one-time tokens (email
-- verification, password reset).
--
-- Every token is 32 random bytes shown once (in a link) and stored only as its SHA-256, like API tokens.

-- Set when the user proved they receive mail at their address (a verification link, a password reset, or accepting an
-- invitation sent to it).
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- An invitation to join an organization with a role. It grants nothing until a signed-in user whose email matches
-- accepts it with its token. Re-inviting an address revokes its pending invitation first, so at most one is pending.
CREATE TABLE invitations (
    org_id         uuid NOT NULL REFERENCES organizations (org_id) ON DELETE CASCADE,
    invitation_id  uuid NOT NULL,
    email          text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    role           text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    token_hash     bytea NOT NULL CHECK (length(token_hash) = 32),
    invited_by     uuid REFERENCES users (user_id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    accepted_at    timestamptz,
    accepted_by    uuid REFERENCES users (user_id) ON DELETE SET NULL,
    revoked_at     timestamptz,
    PRIMARY KEY (org_id, invitation_id),
    CHECK (expires_at > created_at),
    CHECK (accepted_by IS NULL OR accepted_at IS NOT NULL),
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);
CREATE UNIQUE INDEX invitations_id_key ON invitations (invitation_id);
-- At most one open (neither accepted nor revoked) invitation per address and organization.
CREATE UNIQUE INDEX invitations_open_key ON invitations (org_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
SELECT iv_protect_tenant_table('invitations');

-- An invitation's organization by the SHA-256 of its token, before the tenant is known: the accepting user is not a
-- member yet, so RLS by organization hides the row from them. Returns only the organization and the ID; the server
-- then opens that organization's tenant transaction and checks address, expiry and use there.
CREATE FUNCTION iv_invitation_by_token(p_hash bytea)
    RETURNS TABLE (org_id uuid, invitation_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT i.org_id, i.invitation_id FROM invitations i WHERE i.token_hash = p_hash
$$;
REVOKE ALL ON FUNCTION iv_invitation_by_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_invitation_by_token(bytea) TO insightvault_app;

-- An invitation's organization by its ID (revokeInvitation), like iv_object_org for the other kinds; the server
-- checks membership inside that organization's tenant transaction, so another organization's ID answers like an
-- unknown one.
CREATE FUNCTION iv_invitation_org(p_id uuid) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT org_id FROM invitations WHERE invitation_id = p_id
$$;
REVOKE ALL ON FUNCTION iv_invitation_org(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION iv_invitation_org(uuid) TO insightvault_app;

-- One-time tokens mailed to a user: VERIFY_EMAIL (proves the address) and RESET_PASSWORD (sets a new password).
-- Users are global, so these are too (no organization, no RLS), like the users table.
CREATE TABLE email_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id     uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'RESET_PASSWORD')),
    -- The address the token was sent to: verifying proves this address, not whatever the account has later.
    email       text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    CHECK (expires_at > created_at)
);
-- Counting a user's recent tokens of one purpose (the per-address request throttle).
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose, created_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON email_tokens TO insightvault_app;
