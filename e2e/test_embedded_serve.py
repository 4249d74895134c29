"""The embedded PostgreSQL lifecycle as a user meets it through `insightvault serve` and `insightvault db`."""
import os
import pathlib
import stat
import subprocess
import uuid

import psycopg

from conftest import REPO, Server, owner_dsn


def db_status(binary: str, data_dir: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([binary, "db", "status", "--data-dir", str(data_dir)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def postmaster_user(data_dir: pathlib.Path) -> str:
    pid = (data_dir / "pgdata" / "postmaster.pid").read_text().split("\n")[0].strip()
    return subprocess.run(["ps", "-o", "user=", "-p", pid], capture_output=True, text=True).stdout.strip()


def test_starts_from_nothing_survives_restart_and_stops_on_sigterm(binary, workdir):
    data_dir = workdir / "iv"
    server = Server(binary, data_dir, workdir / "serve1.log")
    server.wait_ready()

    # Secrets are private, the cluster is durable and loopback-only, and never runs as root.
    assert stat.S_IMODE((data_dir / "secrets.json").stat().st_mode) == 0o600
    org_id = uuid.uuid4()
    with psycopg.connect(owner_dsn(data_dir)) as conn:
        assert conn.execute("SHOW fsync").fetchone()[0] == "on"
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
        assert conn.execute("SHOW backend_flush_after").fetchone()[0] == "256kB"
        assert conn.execute("SHOW bgwriter_delay").fetchone()[0] == "20ms"
        assert conn.execute("SHOW bgwriter_lru_maxpages").fetchone()[0] == "1000"
        assert conn.execute("SHOW bgwriter_lru_multiplier").fetchone()[0] == "4"
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"
        assert conn.execute("SHOW shared_buffers").fetchone()[0] == "256MB"
        conn.execute("INSERT INTO organizations (org_id, name) VALUES (%s, 'Survivor')", (org_id,))
    if os.geteuid() == 0:
        assert postmaster_user(data_dir) == "postgres"

    assert server.terminate() == 0
    assert db_status(binary, data_dir).returncode == 3, "SIGTERM must stop the cluster serve started"

    # The buffer cache is given at every start: an existing cluster takes IV_PG_SHARED_BUFFERS_MB.
    again = Server(binary, data_dir, workdir / "serve2.log", env={"IV_PG_SHARED_BUFFERS_MB": "160"})
    again.wait_ready()
    with psycopg.connect(owner_dsn(data_dir)) as conn:
        assert conn.execute("SELECT name FROM organizations WHERE org_id = %s", (org_id,)).fetchone() == ("Survivor",)
        assert conn.execute("SHOW shared_buffers").fetchone()[0] == "160MB"
    assert again.terminate() == 0
    assert db_status(binary, data_dir).returncode == 3


def test_a_second_serve_reuses_the_cluster_and_leaves_it_running(binary, workdir):
    data_dir = workdir / "iv"
    first = Server(binary, data_dir, workdir / "first.log")
    first.wait_ready()
    second = Server(binary, data_dir, workdir / "second.log")
    second.wait_ready()
    assert second.terminate() == 0
    assert db_status(binary, data_dir).returncode == 0, "the second serve must not stop the first one's database"
    assert subprocess.run(["curl", "-sf", first.url("/readyz")], capture_output=True).returncode == 0
    assert first.terminate() == 0
    assert db_status(binary, data_dir).returncode == 3


def test_a_cluster_started_with_db_start_outlives_serve(binary, workdir):
    data_dir = workdir / "iv"
    started = subprocess.run([binary, "db", "start", "--data-dir", str(data_dir)], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        server = Server(binary, data_dir, workdir / "serve.log")
        server.wait_ready()
        assert server.terminate() == 0
        assert db_status(binary, data_dir).returncode == 0
    finally:
        stopped = subprocess.run([binary, "db", "stop", "--data-dir", str(data_dir)], cwd=REPO,
                                 capture_output=True, text=True, timeout=60)
    assert stopped.returncode == 0
    assert db_status(binary, data_dir).returncode == 3


def test_migrate_command_applies_and_reports_current(binary, workdir):
    data_dir = workdir / "iv"
    env = {**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations")}
    first = subprocess.run([binary, "migrate", "--data-dir", str(data_dir)], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "applied: 0001_roles_and_tenancy.sql" in first.stdout
    second = subprocess.run([binary, "migrate", "--data-dir", str(data_dir)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "schema is current" in second.stdout
    assert db_status(binary, data_dir).returncode == 3, "migrate stops the cluster it started"
