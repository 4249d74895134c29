-- 0002: organizations, users, memberships, projects, API tokens, persons, saved reports and dashboards.
-- Every tenant table carries org_id, and org_id leads every primary and foreign key, so the schema can later be
-- distributed by org_id (Citus) without a redesign.

CREATE TABLE organizations (
    org_id      uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);
SELECT iv_protect_tenant_table('organizations');

-- Users are global: one person may belong to several organizations.
CREATE TABLE users (
    user_id              uuid PRIMARY KEY,
    email                text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    name                 text,
    password_hash        text NOT NULL,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
GRANT SELECT, INSERT, UPDATE ON users TO insightvault_app;

CREATE TABLE memberships (
    org_id      uuid NOT NULL REFERENCES organizations (org_id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);
SELECT iv_protect_tenant_table('memberships');

CREATE TABLE projects (
    org_id          uuid NOT NULL REFERENCES organizations (org_id) ON DELETE CASCADE,
    project_id      uuid NOT NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    timezone        text NOT NULL DEFAULT 'UTC',
    -- NULL keeps events forever; otherwise events older than this many days are deleted by partition maintenance.
    retention_days  integer CHECK (retention_days IS NULL OR retention_days > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, project_id)
);
CREATE UNIQUE INDEX projects_id_key ON projects (project_id);
SELECT iv_protect_tenant_table('projects');

CREATE TABLE api_tokens (
    org_id        uuid NOT NULL,
    token_id      uuid NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('INGEST', 'PERSONAL')),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- INGEST tokens belong to a project; PERSONAL tokens act for a user.
    project_id    uuid,
    user_id       uuid REFERENCES users (user_id) ON DELETE CASCADE,
    prefix        text NOT NULL,
    token_hash    bytea NOT NULL CHECK (length(token_hash) = 32),
    scopes        text[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    PRIMARY KEY (org_id, token_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE,
    CHECK ((kind = 'INGEST') = (project_id IS NOT NULL)),
    CHECK ((kind = 'PERSONAL') = (user_id IS NOT NULL))
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
SELECT iv_protect_tenant_table('api_tokens');

CREATE TABLE persons (
    org_id      uuid NOT NULL,
    project_id  uuid NOT NULL,
    person_id   uuid NOT NULL,
    properties  jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, person_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
CREATE INDEX persons_project_idx ON persons (project_id);
SELECT iv_protect_tenant_table('persons');

CREATE TABLE person_distinct_ids (
    org_id       uuid NOT NULL,
    project_id   uuid NOT NULL,
    distinct_id  text NOT NULL CHECK (length(distinct_id) BETWEEN 1 AND 200),
    person_id    uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, project_id, distinct_id),
    FOREIGN KEY (org_id, person_id) REFERENCES persons (org_id, person_id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
CREATE INDEX person_distinct_ids_person_idx ON person_distinct_ids (org_id, person_id);
SELECT iv_protect_tenant_table('person_distinct_ids');

-- A saved insight: its kind (TRENDS, FUNNEL, RETENTION, ...) and the GraphQL input that defines it.
CREATE TABLE reports (
    org_id      uuid NOT NULL,
    report_id   uuid NOT NULL,
    project_id  uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL,
    definition  jsonb NOT NULL,
    created_by  uuid REFERENCES users (user_id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, report_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
CREATE INDEX reports_project_idx ON reports (org_id, project_id);
SELECT iv_protect_tenant_table('reports');

CREATE TABLE dashboards (
    org_id        uuid NOT NULL,
    dashboard_id  uuid NOT NULL,
    project_id    uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description   text,
    created_by    uuid REFERENCES users (user_id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, dashboard_id),
    FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, project_id) ON DELETE CASCADE
);
CREATE INDEX dashboards_project_idx ON dashboards (org_id, project_id);
SELECT iv_protect_tenant_table('dashboards');

-- Which reports a dashboard shows, in which order and size.
CREATE TABLE dashboard_items (
    org_id        uuid NOT NULL,
    dashboard_id  uuid NOT NULL,
    report_id     uuid NOT NULL,
    position      integer NOT NULL DEFAULT 0,
    width         integer NOT NULL DEFAULT 6 CHECK (width BETWEEN 1 AND 12),
    height        integer NOT NULL DEFAULT 4 CHECK (height BETWEEN 1 AND 12),
    PRIMARY KEY (org_id, dashboard_id, report_id),
    FOREIGN KEY (org_id, dashboard_id) REFERENCES dashboards (org_id, dashboard_id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, report_id) REFERENCES reports (org_id, report_id) ON DELETE CASCADE
);
SELECT iv_protect_tenant_table('dashboard_items');
