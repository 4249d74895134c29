#!/usr/bin/env bash
# Runs once, when the postgres container creates its data directory (docker-entrypoint-initdb.d), as the superuser
# POSTGRES_USER. Creates the two roles of docs/operations.md ("Using your own PostgreSQL"): insightvault_owner owns the
# database and runs the migrations; insightvault_app is what the server queries with (never owner, superuser or
# BYPASSRLS: the server refuses to start otherwise). The passwords come from the environment (.env) and reach psql as
# variables, quoted by psql itself.
set -euo pipefail

: "${IV_OWNER_PASSWORD:?set IV_OWNER_PASSWORD in .env}"
: "${IV_APP_PASSWORD:?set IV_APP_PASSWORD in .env}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v owner_password="$IV_OWNER_PASSWORD" -v app_password="$IV_APP_PASSWORD" <<'SQL'
CREATE ROLE insightvault_owner LOGIN PASSWORD :'owner_password';
CREATE DATABASE insightvault OWNER insightvault_owner;
CREATE ROLE insightvault_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
SQL
