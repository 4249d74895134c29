-- 0001: the application role and the row-level-security helper every tenant table goes through.
--
-- Two roles: the owner (whoever runs migrations; owns every table) and `insightvault_app`, the role the server
-- connects as. The app role is neither owner, nor superuser, nor BYPASSRLS. It is created here without LOGIN when it
-- does not exist yet; whoever provisions the database gives it LOGIN and a password (embedded mode does this itself).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'insightvault_app') THEN
        CREATE ROLE insightvault_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO insightvault_app;
GRANT SELECT ON schema_migrations TO insightvault_app;

-- The tenant of the current transaction, or NULL when none is set. `set_config('app.org_id', ..., true)` is local to
-- the transaction; once a pooled session has used the setting it reads '' afterwards, hence the NULLIF.
CREATE FUNCTION iv_current_org() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

-- Puts a tenant table (or one partition of one) under row-level security:
--  * RLS enabled and FORCEd, so even the owner is filtered unless a policy says otherwise;
--  * `tenant_isolation` for everyone: only rows of the transaction's org are visible or writable;
--  * `owner_maintenance` for the migrating role only, so partition maintenance and retention can move rows of all
--    tenants (the owner could disable RLS anyway; this keeps FORCE on for every other role);
--  * DML privileges for the app role.
CREATE FUNCTION iv_protect_tenant_table(tbl regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (org_id = iv_current_org()) WITH CHECK (org_id = iv_current_org())',
        tbl);
    EXECUTE format('CREATE POLICY owner_maintenance ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO insightvault_app', tbl);
END
$$;
