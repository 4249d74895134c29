-- 0015: server-side sessions, the log-in and sign-up throttle in PostgreSQL, and password hashes the application
-- role cannot read.
--
-- Neither `sessions` nor `auth_throttle` is granted to the application role: it reaches them only through the
-- SECURITY DEFINER functions below (owned by the migrating role, `search_path` pinned, EXECUTE for the app role
-- only), each of which acts on one user's sessions or on the throttle keys it is given.

-- ---------------------------------------------------------------------------------------------------------------
-- Sessions: one row per session JWT (session_id = the token's `jti`). A JWT without a live row is refused.
CREATE TABLE sessions (
    session_id    uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    -- Written at most once a minute per session (iv_session_check).
    last_seen_at  timestamptz NOT NULL,
    revoked_at    timestamptz,
    user_agent    text CHECK (length(user_agent) <= 256),
    ip            text CHECK (length(ip) <= 64)
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Records a new session, revokes the user's oldest live sessions beyond `p_max_live`, deletes the user's expired and
-- revoked rows, and sweeps up to 1,000 expired rows of other users (skipping rows others hold, so it never waits).
CREATE FUNCTION iv_session_start(
    p_session uuid, p_user uuid, p_created timestamptz, p_expires timestamptz, p_user_agent text, p_ip text,
    p_max_live integer, p_now timestamptz
) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    -- One session start per user at a time, so concurrent log-ins cannot both slip under the bound.
    PERFORM 1 FROM users WHERE user_id = p_user FOR NO KEY UPDATE;
    DELETE FROM sessions WHERE user_id = p_user AND (expires_at <= p_now OR revoked_at IS NOT NULL);
    INSERT INTO sessions (session_id, user_id, created_at, expires_at, last_seen_at, user_agent, ip)
    VALUES (p_session, p_user, p_created, p_expires, p_created, left(p_user_agent, 256), left(p_ip, 64));
    UPDATE sessions SET revoked_at = p_now
    WHERE session_id IN (
        SELECT session_id FROM sessions
        WHERE user_id = p_user AND revoked_at IS NULL AND expires_at > p_now
        ORDER BY created_at DESC, session_id DESC
        OFFSET greatest(p_max_live, 1));
    DELETE FROM sessions WHERE session_id IN (
        SELECT session_id FROM sessions WHERE expires_at <= p_now
        ORDER BY expires_at LIMIT 1000 FOR UPDATE SKIP LOCKED);
END
$$;

-- The user's session version when the session is live (its row exists, is not revoked and not expired), else NULL.
-- Moves last_seen_at forward when it is at least a minute old.
CREATE FUNCTION iv_session_check(p_session uuid, p_user uuid, p_now timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
DECLARE
    version integer;
BEGIN
    SELECT u.session_version INTO version
    FROM sessions s JOIN users u ON u.user_id = s.user_id
    WHERE s.session_id = p_session AND s.user_id = p_user AND s.revoked_at IS NULL AND s.expires_at > p_now;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE sessions SET last_seen_at = p_now
    WHERE session_id = p_session AND last_seen_at <= p_now - interval '60 seconds';
    RETURN version;
END
$$;

-- The user's live sessions, newest first.
CREATE FUNCTION iv_sessions_of(p_user uuid, p_now timestamptz)
    RETURNS TABLE (session_id uuid, created_at timestamptz, last_seen_at timestamptz, expires_at timestamptz,
                   user_agent text, ip text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT s.session_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.ip
    FROM sessions s
    WHERE s.user_id = p_user AND s.revoked_at IS NULL AND s.expires_at > p_now
    ORDER BY s.created_at DESC, s.session_id DESC
$$;

-- Revokes one live session of the user; false when there is none with that id (unknown, another user's, ended).
CREATE FUNCTION iv_session_revoke(p_user uuid, p_session uuid, p_now timestamptz) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH revoked AS (
        UPDATE sessions SET revoked_at = p_now
        WHERE session_id = p_session AND user_id = p_user AND revoked_at IS NULL AND expires_at > p_now
        RETURNING 1)
    SELECT EXISTS (SELECT FROM revoked)
$$;

-- Revokes every live session of the user; the number revoked.
CREATE FUNCTION iv_sessions_revoke_all(p_user uuid, p_now timestamptz) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH revoked AS (
        UPDATE sessions SET revoked_at = p_now
        WHERE user_id = p_user AND revoked_at IS NULL AND expires_at > p_now
        RETURNING 1)
    SELECT count(*)::integer FROM revoked
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- The throttle: one row per key ('login:account:<email>|<address>', 'login:address:<address>',
-- 'signup:address:<address>'), shared by every server on this database.
CREATE TABLE auth_throttle (
    key            text PRIMARY KEY CHECK (length(key) <= 400),
    -- Attempts counted in the current window (a reservation counts until the attempt succeeds).
    attempts       integer NOT NULL,
    window_start   timestamptz NOT NULL,
    -- No attempt is allowed before this.
    blocked_until  timestamptz,
    -- The row is forgotten (and swept) after this.
    expires_at     timestamptz NOT NULL,
    -- The outcome of the latest reservation, which is what iv_throttle_reserve returns.
    allowed        boolean NOT NULL
);
CREATE INDEX auth_throttle_expires_idx ON auth_throttle (expires_at);

-- The state of a key after one more attempt at `p_now`, from its state before (all NULL for a new key).
-- `p_limit` attempts pass freely. Then, with `p_max_delay` NULL or 0 (a fixed window), the key is blocked until the window
-- that began with its first attempt ends; otherwise (growing delays) the n-th attempt blocks the key for
-- min(2^(n - p_limit), p_max_delay) seconds, and the count is forgotten `p_window` seconds after the block ends.
-- A blocked key refuses the attempt and stays as it is.
CREATE FUNCTION iv_throttle_next(
    p_attempts integer, p_window_start timestamptz, p_blocked_until timestamptz, p_expires_at timestamptz,
    p_limit integer, p_window double precision, p_max_delay double precision, p_now timestamptz,
    OUT attempts integer, OUT window_start timestamptz, OUT blocked_until timestamptz, OUT expires_at timestamptz,
    OUT allowed boolean
)
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = public, pg_temp
    AS $$
BEGIN
    IF p_attempts IS NOT NULL AND p_expires_at > p_now AND p_blocked_until > p_now THEN
        attempts := p_attempts;
        window_start := p_window_start;
        blocked_until := p_blocked_until;
        expires_at := p_expires_at;
        allowed := false;
        RETURN;
    END IF;
    IF p_attempts IS NULL OR p_expires_at <= p_now THEN
        attempts := 1;
        window_start := p_now;
    ELSE
        attempts := p_attempts + 1;
        window_start := p_window_start;
    END IF;
    allowed := true;
    IF coalesce(p_max_delay, 0) <= 0 THEN
        expires_at := window_start + make_interval(secs => p_window);
        blocked_until := CASE WHEN attempts >= p_limit THEN expires_at END;
    ELSE
        blocked_until := CASE
            WHEN attempts >= p_limit
            THEN p_now + make_interval(secs => least(power(2::double precision, least(attempts - p_limit, 60)), p_max_delay))
        END;
        expires_at := coalesce(blocked_until, p_now) + make_interval(secs => p_window);
    END IF;
END
$$;

-- Checks and reserves one attempt on every key at once, in one statement: each key is counted, and the answer
-- says per key whether it allowed the attempt and until when it is blocked. Keys are locked in key order, so
-- concurrent reservations never deadlock. Afterwards up to 100 expired keys are swept (skipping locked ones).
CREATE FUNCTION iv_throttle_reserve(
    p_keys text[], p_limits integer[], p_windows double precision[], p_max_delays double precision[], p_now timestamptz
)
    RETURNS TABLE (key text, allowed boolean, blocked_until timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    INSERT INTO auth_throttle AS t (key, attempts, window_start, blocked_until, expires_at, allowed)
    SELECT r.key, n.attempts, n.window_start, n.blocked_until, n.expires_at, n.allowed
    FROM unnest(p_keys, p_limits, p_windows, p_max_delays) AS r (key, lim, win, max_delay)
    CROSS JOIN LATERAL iv_throttle_next(NULL, NULL, NULL, NULL, r.lim, r.win, r.max_delay, p_now) n
    ORDER BY r.key
    ON CONFLICT ON CONSTRAINT auth_throttle_pkey DO UPDATE
    SET (attempts, window_start, blocked_until, expires_at, allowed) = (
        SELECT n.attempts, n.window_start, n.blocked_until, n.expires_at, n.allowed
        FROM unnest(p_keys, p_limits, p_windows, p_max_delays) AS r (key, lim, win, max_delay)
        CROSS JOIN LATERAL iv_throttle_next(
            t.attempts, t.window_start, t.blocked_until, t.expires_at, r.lim, r.win, r.max_delay, p_now) n
        WHERE r.key = t.key)
    RETURNING t.key, t.allowed, t.blocked_until;

    DELETE FROM auth_throttle WHERE auth_throttle.key IN (
        SELECT a.key FROM auth_throttle a WHERE a.expires_at <= p_now
        ORDER BY a.expires_at LIMIT 100 FOR UPDATE SKIP LOCKED);
END
$$;

-- After a successful log-in: forgets `p_clear` (the account+address key) and gives back the reservation on each of
-- `p_release` (the address key), unblocking it when it falls back under its limit.
CREATE FUNCTION iv_throttle_release(p_clear text[], p_release text[], p_limits integer[], p_now timestamptz)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    DELETE FROM auth_throttle WHERE key = ANY (p_clear);
    UPDATE auth_throttle t
    SET attempts = greatest(t.attempts - 1, 0),
        blocked_until = CASE WHEN t.attempts - 1 >= r.lim THEN t.blocked_until END
    FROM unnest(p_release, p_limits) AS r (key, lim)
    WHERE t.key = r.key AND t.expires_at > p_now;
END
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- The application role no longer reads users.password_hash: SELECT on every other column only (a column added
-- later needs its own GRANT SELECT). It may still write the column (sign-up, password changes and resets).
REVOKE SELECT ON users FROM insightvault_app;
DO $$
DECLARE
    columns text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute
    WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'password_hash';
    EXECUTE format('GRANT SELECT (%s) ON users TO insightvault_app', columns);
END
$$;

-- Log-in: the one account with this email (case-insensitive), with its hash.
CREATE FUNCTION iv_login_lookup(p_email text)
    RETURNS TABLE (user_id uuid, email text, name text, created_at timestamptz, password_hash text,
                   session_version integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    SELECT u.user_id, u.email, u.name, u.created_at, u.password_hash, u.session_version
    FROM users u WHERE lower(u.email) = lower(p_email)
$$;

-- Password change: one user's hash.
CREATE FUNCTION iv_password_hash(p_user uuid) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$ SELECT u.password_hash FROM users u WHERE u.user_id = p_user $$;

-- Re-hashing with new parameters at log-in: replaces the hash only if it is still `p_old` (nobody changed the
-- password meanwhile); whether it did.
CREATE FUNCTION iv_replace_password_hash(p_user uuid, p_old text, p_new text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
    WITH replaced AS (
        UPDATE users SET password_hash = p_new WHERE user_id = p_user AND password_hash = p_old RETURNING 1)
    SELECT EXISTS (SELECT FROM replaced)
$$;

DO $$
DECLARE
    fn text;
BEGIN
    FOREACH fn IN ARRAY ARRAY[
        'iv_session_start(uuid, uuid, timestamptz, timestamptz, text, text, integer, timestamptz)',
        'iv_session_check(uuid, uuid, timestamptz)',
        'iv_sessions_of(uuid, timestamptz)',
        'iv_session_revoke(uuid, uuid, timestamptz)',
        'iv_sessions_revoke_all(uuid, timestamptz)',
        'iv_throttle_reserve(text[], integer[], double precision[], double precision[], timestamptz)',
        'iv_throttle_release(text[], text[], integer[], timestamptz)',
        'iv_login_lookup(text)',
        'iv_password_hash(uuid)',
        'iv_replace_password_hash(uuid, text, text)'
    ] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO insightvault_app', fn);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION iv_throttle_next(integer, timestamptz, timestamptz, timestamptz, integer, double precision,
    double precision, timestamptz) FROM PUBLIC;
