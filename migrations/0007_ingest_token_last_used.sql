-- 0007: ingest tokens record when they were last used. The lookup ingestion already makes (at most once per token
-- per cache period, IV_TOKEN_CACHE_SECONDS) also stamps `last_used_at`, and only when the stored value is more than
-- a minute old, so busy tokens cost no write per request.
CREATE OR REPLACE FUNCTION iv_lookup_ingest_token(hash bytea)
    RETURNS TABLE (org_id uuid, project_id uuid, token_id uuid, revoked boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp
    AS $$
BEGIN
    UPDATE api_tokens t SET last_used_at = now()
    WHERE t.token_hash = hash AND t.kind = 'INGEST' AND t.revoked_at IS NULL
      AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute');
    RETURN QUERY
    SELECT t.org_id, t.project_id, t.token_id,
           t.revoked_at IS NOT NULL OR (t.expires_at IS NOT NULL AND t.expires_at <= now())
    FROM api_tokens t
    WHERE t.token_hash = hash AND t.kind = 'INGEST';
END
$$;
