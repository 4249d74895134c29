"""Backups with point-in-time recovery, as docs/operations.md ("Backups and restore") sets them up: PostgreSQL
archives its WAL into a directory (archive_command), `scripts/backup.sh base` takes a base backup while the server
ingests, and `scripts/backup.sh restore --target-time` brings back a copy as of an instant between two acknowledged
batches: it holds exactly the events acknowledged before that instant. `scripts/backup.sh verify` says the backup
is restorable."""
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

import psycopg
import pytest

from conftest import REPO, Server, free_port
from test_crash_recovery import PG_BIN, Cluster, as_postgres, make_token, post_events

BACKUP = REPO / "scripts" / "backup.sh"


@pytest.fixture
def archived_cluster():
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-backup-", dir="/tmp"))
    root.chmod(0o755)
    wal = root / "wal"
    wal.mkdir()
    cluster = Cluster(root)
    if os.getuid() == 0:
        shutil.chown(wal, "postgres")
    with open(cluster.data / "postgresql.conf", "a") as conf:
        conf.write(f"wal_level = replica\narchive_mode = on\n"
                   f"archive_command = 'test ! -f {wal}/%f && cp %p {wal}/%f'\n")
    cluster.start()
    cluster.provision()
    try:
        yield cluster, root, wal
    finally:
        cluster.remove()


def send(server: Server, token: str, probes: list[str]) -> None:
    batch = [{"event": "backup", "user_id": "u", "properties": {"probe": p}} for p in probes]
    status, _, _ = post_events(server.port, token, batch, timeout=30)
    assert status == 200, status


def test_point_in_time_restore_holds_exactly_the_events_acknowledged_before_it(binary, archived_cluster):
    cluster, root, wal = archived_cluster
    superuser = f"host=127.0.0.1 port={cluster.port} user=postgres password=postgres"
    server = Server(binary, root / "iv", root / "serve.log", env=cluster.server_env())
    restored = root / "restored"
    try:
        server.wait_ready()
        token, project = make_token(cluster)
        before_backup = [f"p{i}" for i in range(3)]
        send(server, token, before_backup)

        backups = root / "backups"
        backups.mkdir()
        taken = subprocess.run([str(BACKUP), "base", "--dbname", superuser, str(backups)],
                               capture_output=True, text=True, timeout=300)
        assert taken.returncode == 0, taken.stderr
        base = pathlib.Path(taken.stdout.strip().splitlines()[-1])
        assert (base / "base.tar.gz").stat().st_size > 0

        after_backup = [f"a{i}" for i in range(3)]
        send(server, token, after_backup)
        time.sleep(0.3)
        with psycopg.connect(cluster.libpq("postgres", "postgres", "postgres"), autocommit=True) as conn:
            target = conn.execute("SELECT clock_timestamp()::text").fetchone()[0]
        time.sleep(0.3)
        too_late = [f"b{i}" for i in range(3)]
        send(server, token, too_late)
        # Close the WAL segment that holds the last batch and wait until PostgreSQL archived it.
        with psycopg.connect(cluster.libpq("postgres", "postgres", "postgres"), autocommit=True) as conn:
            segment = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
            deadline = time.monotonic() + 60
            while not (wal / segment).exists():
                assert time.monotonic() < deadline, f"{segment} was never archived"
                time.sleep(0.2)
    finally:
        server.terminate()

    # The backup is restorable (the check an operator runs on every new backup).
    verified = subprocess.run([str(BACKUP), "verify", str(base), str(wal)], capture_output=True, text=True, timeout=600)
    assert verified.returncode == 0, verified.stderr
    assert "restorable" in verified.stdout and " 9 events" in verified.stdout, verified.stdout

    # Restored to the instant between the two batches: exactly the events acknowledged before it.
    done = subprocess.run([str(BACKUP), "restore", str(base), str(wal), str(restored), "--target-time", target],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    port = free_port()
    with open(restored / "postgresql.auto.conf", "a") as conf:
        conf.write(f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n")
    subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "start", "-D", str(restored), "-l", str(root / "restored.log"),
                                "-w", "-t", "120"]), check=True, capture_output=True)
    try:
        dsn = f"host=127.0.0.1 port={port} dbname=insightvault user=postgres password=postgres connect_timeout=5"
        deadline = time.monotonic() + 120
        while True:
            with psycopg.connect(dsn) as conn:
                if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                    probes = {row[0] for row in conn.execute(
                        "SELECT properties->>'probe' FROM events WHERE project_id = %s", (project,))}
                    break
            assert time.monotonic() < deadline, "the restored copy never left recovery"
            time.sleep(0.3)
        assert probes == set(before_backup + after_backup), probes
    finally:
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "stop", "-D", str(restored), "-m", "fast", "-w"]),
                       capture_output=True)
