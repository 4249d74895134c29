#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL 15 cluster that `make test` uses. It never touches .insightvault/.
#   scripts/test-postgres.sh start DIR   creates DIR/pgdata, starts it on a free 127.0.0.1 port, writes DIR/env
#   scripts/test-postgres.sh stop DIR    stops it and deletes DIR
# fsync and synchronous_commit are off here, for speed; shipped configurations never turn them off.
set -euo pipefail

action=${1:?usage: test-postgres.sh start|stop DIR}
dir=${2:?usage: test-postgres.sh start|stop DIR}
bin=${IV_PG_BIN:-/usr/lib/postgresql/15/bin}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    mkdir -p "$dir"
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pwfile="$dir/pw"
    echo "test" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
    as_pg "$bin/initdb" -D "$dir/pgdata" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
        --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
    rm -f "$pwfile"
    cat >>"$dir/pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = '256MB'
timezone = 'UTC'
CONF
    as_pg "$bin/pg_ctl" start -D "$dir/pgdata" -l "$dir/pgdata/server.log" -w -t 60 >/dev/null ||
        { cat "$dir/pgdata/server.log"; exit 1; }
    echo "IV_TEST_DATABASE_URL=postgres://postgres:test@127.0.0.1:$port/postgres?sslmode=disable" >"$dir/env"
    echo "test-postgres: running on 127.0.0.1:$port ($dir)"
    ;;
stop)
    if [ -d "$dir/pgdata" ]; then
        as_pg "$bin/pg_ctl" stop -D "$dir/pgdata" -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: test-postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
