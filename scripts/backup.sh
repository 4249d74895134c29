#!/usr/bin/env bash
# Backups of InsightVault's PostgreSQL for point-in-time recovery: a base backup (pg_basebackup) plus the WAL that
# PostgreSQL archives continuously (archive_command, docs/operations.md "Backups and restore").
#
# Usage:
#   scripts/backup.sh base    --dbname CONNINFO BACKUPS_DIR
#       Takes a base backup (tar, gzip, with the WAL it needs) into BACKUPS_DIR/base-<UTC time>/ and prints its path.
#       CONNINFO: a role with REPLICATION (or a superuser), e.g. "host=db port=5432 user=postgres".
#   scripts/backup.sh restore BASE_DIR WAL_ARCHIVE DATA_DIR [--target-time TIME]
#       Unpacks BASE_DIR into the new, empty DATA_DIR and sets it up to replay WAL_ARCHIVE up to TIME (a timestamptz,
#       e.g. '2026-12-05 10:00:00+00'; default: all archived WAL) and then to promote. Start it with pg_ctl.
#   scripts/backup.sh verify  BASE_DIR WAL_ARCHIVE [--target-time TIME]
#       Restores into a temporary directory, starts PostgreSQL there on a free local port, waits for recovery to end,
#       checks the database (it is out of recovery, every migration recorded, events readable) and prints what it
#       holds; then stops it and deletes the directory. Exit 0 only when the backup is restorable.
# Environment: IV_PG_BIN (default /usr/lib/postgresql/15/bin); IV_PG_SUPERUSER, the cluster's superuser that verify
# connects as (default postgres); when run as root, PostgreSQL runs as IV_PG_OS_USER (default postgres).
set -euo pipefail

pg_bin=${IV_PG_BIN:-/usr/lib/postgresql/15/bin}
os_user=${IV_PG_OS_USER:-postgres}

die() {
    echo "backup: $*" >&2
    exit 1
}

# Runs a PostgreSQL program as the cluster's OS user (itself unless root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$os_user" -- "$@"; else "$@"; fi
}

base() {
    local dbname="" dir
    while [ $# -gt 0 ]; do
        case "$1" in
            --dbname) dbname=$2; shift 2 ;;
            *) break ;;
        esac
    done
    [ -n "$dbname" ] && [ $# -eq 1 ] || die "usage: backup.sh base --dbname CONNINFO BACKUPS_DIR"
    dir="$1/base-$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$dir"
    "$pg_bin/pg_basebackup" --dbname="$dbname" --pgdata="$dir" --format=tar --gzip --wal-method=fetch \
        --checkpoint=fast --label="insightvault $(date -u +%FT%TZ)" --no-password
    [ -s "$dir/base.tar.gz" ] || die "pg_basebackup wrote no base.tar.gz in $dir"
    echo "$dir"
}

restore() {
    [ $# -ge 3 ] || die "usage: backup.sh restore BASE_DIR WAL_ARCHIVE DATA_DIR [--target-time TIME]"
    local base_dir=$1 archive data=$3 target=""
    archive=$(cd "$2" && pwd)
    shift 3
    if [ $# -gt 0 ]; then
        [ "$1" = "--target-time" ] && [ $# -eq 2 ] || die "unknown argument: $1"
        target=$2
    fi
    [ -s "$base_dir/base.tar.gz" ] || die "$base_dir has no base.tar.gz"
    if [ -e "$data" ] && [ -n "$(ls -A "$data")" ]; then die "$data is not empty"; fi
    mkdir -p "$data"
    tar -xzf "$base_dir/base.tar.gz" -C "$data"
    if [ -s "$base_dir/pg_wal.tar.gz" ]; then tar -xzf "$base_dir/pg_wal.tar.gz" -C "$data/pg_wal"; fi
    {
        echo "# Point-in-time recovery set up by scripts/backup.sh restore"
        echo "restore_command = 'cp \"$archive/%f\" \"%p\"'"
        if [ -n "$target" ]; then
            echo "recovery_target_time = '$target'"
            echo "recovery_target_inclusive = false"
        fi
        echo "recovery_target_action = 'promote'"
        # The restored copy must not archive into the original's archive.
        echo "archive_mode = off"
    } >>"$data/postgresql.auto.conf"
    touch "$data/recovery.signal"
    chmod 700 "$data"
    if [ "$(id -u)" = 0 ]; then chown -R "$os_user" "$data"; fi
}

verify() {
    [ $# -ge 2 ] || die "usage: backup.sh verify BASE_DIR WAL_ARCHIVE [--target-time TIME]"
    local work data port
    work=$(mktemp -d /tmp/iv-verify-backup.XXXXXX)
    data="$work/data"
    if [ "$(id -u)" = 0 ]; then chown "$os_user" "$work"; fi
    # shellcheck disable=SC2064  # expand now: the trap must know this run's directory
    trap "as_pg '$pg_bin/pg_ctl' stop -D '$data' -m fast -w >/dev/null 2>&1 || true; rm -rf '$work'" EXIT
    restore "$1" "$2" "$data" "${@:3}"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    {
        echo "port = $port"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$work'"
    } >>"$data/postgresql.auto.conf"
    # Only this script reaches the copy (a socket in its own directory, no TCP), so it connects without a password.
    { echo "local all all trust"; cat "$data/pg_hba.conf"; } >"$work/pg_hba.conf"
    cat "$work/pg_hba.conf" >"$data/pg_hba.conf"
    as_pg "$pg_bin/pg_ctl" start -D "$data" -l "$work/server.log" -w -t 300 >/dev/null ||
        die "the restored cluster did not start: $(tail -5 "$work/server.log")"
    local psql=("$pg_bin/psql" -h "$work" -p "$port" -U "${IV_PG_SUPERUSER:-postgres}" -d insightvault -X -A -t -v ON_ERROR_STOP=1)
    local tries=0
    until [ "$(as_pg "${psql[@]}" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "f" ]; do
        tries=$((tries + 1))
        [ $tries -lt 600 ] || die "recovery did not end: $(tail -5 "$work/server.log")"
        sleep 0.5
    done
    local migrations events last
    migrations=$(as_pg "${psql[@]}" -c 'SELECT count(*) FROM schema_migrations')
    [ "$migrations" -gt 0 ] || die "the restored database records no migration"
    events=$(as_pg "${psql[@]}" -c 'SELECT count(*) FROM events')
    last=$(as_pg "${psql[@]}" -c "SELECT coalesce(max(received_at)::text, 'none') FROM events")
    echo "backup: restorable: $migrations migrations recorded, $events events, the latest received at $last"
}

command=${1:-}
[ -n "$command" ] || die "usage: backup.sh base|restore|verify ... (see the header of this script)"
shift
case "$command" in
    base) base "$@" ;;
    restore) restore "$@" ;;
    verify) verify "$@" ;;
    *) die "unknown command $command (base, restore or verify)" ;;
esac
