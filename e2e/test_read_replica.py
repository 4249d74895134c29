"""Reports from a read replica (READ_DATABASE_URL): a real PostgreSQL streaming replica on 127.0.0.1, made with
`pg_basebackup -R` from the primary. Reports are served from it (pg_stat_activity on both shows where they ran);
with its replay paused, reports fall back to the primary once the lag bound is passed, and show the events the
replica lacks; after a resume they go back to it. The live tail reads the primary even while reports read a
replica that lacks the newest events; and a replica that stops after its last health check still gets the report
answered, from the primary."""
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

import psycopg
import pytest

from conftest import Server, free_port
from test_crash_recovery import PG_BIN, Cluster, as_postgres
from test_observability_live import gql, request, scrape, tenant, value

TRENDS = "query Trends($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { total } } }"


class Replica:
    """A hot standby of `primary`, streaming from it."""

    def __init__(self, primary: Cluster, root: pathlib.Path):
        self.data = root / "replica"
        self.port = free_port()
        env = {**os.environ, "PGPASSWORD": "postgres"}
        subprocess.run(as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                                    "postgres", "-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast"]),
                       check=True, capture_output=True, env=env)
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.port}\nhot_standby = on\n")

    def start(self):
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "start", "-D", str(self.data), "-l",
                                    str(self.data / "server.log"), "-w", "-t", "60"]), check=True, capture_output=True)

    def stop_immediate(self):
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"]),
                       capture_output=True)

    def sql(self, query: str):
        with psycopg.connect(f"host=127.0.0.1 port={self.port} dbname=insightvault user=postgres password=postgres",
                             autocommit=True) as conn:
            return conn.execute(query).fetchall()


@pytest.fixture
def clusters():
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-replica-", dir="/tmp"))
    root.chmod(0o755)
    (root / "p").mkdir()
    (root / "p").chmod(0o755)
    primary = Cluster(root / "p")
    primary.start()
    primary.provision()
    (root / "r").mkdir()
    if os.getuid() == 0:
        shutil.chown(root / "r", "postgres")
    replica = Replica(primary, root / "r")
    replica.start()
    try:
        yield primary, replica, root
    finally:
        replica.stop_immediate()
        primary.remove()
        shutil.rmtree(root, ignore_errors=True)


def report_total(server: Server, jwt: str, project: str) -> int:
    now = time.time()
    span = {"dateFrom": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now - 86_400)),
            "dateTo": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now + 86_400))}
    status, _, answer = gql(server, TRENDS, {"p": project, "i": {"series": [{"event": "seen", "math": "TOTAL"}], **span}},
                            jwt, name="Trends")
    assert status == 200 and "errors" not in answer, answer
    return int(answer["data"]["trends"]["series"][0]["total"])


def ingest(server: Server, token: str, count: int) -> None:
    status, _, _ = request(server, "/v1/events", {"batch": [{"event": "seen", "distinct_id": f"u{i}"} for i in range(count)]},
                           token)
    assert status == 200


def report_backends(dsn: str) -> int:
    """Connections of the server's report pools (to the primary: `insightvault reports`; to the replica:
    `insightvault replica`), which open only when a report runs there."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = 'insightvault_app' "
                            "AND application_name IN ('insightvault replica', 'insightvault reports')").fetchone()[0]


def wait_for(predicate, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_reports_read_the_replica_and_fall_back_to_the_primary(binary, clusters):
    primary, replica, root = clusters
    env = {
        **primary.server_env(),
        "READ_DATABASE_URL": f"postgres://insightvault_app:{primary.password}@127.0.0.1:{replica.port}/insightvault?sslmode=disable",
        "IV_READ_MAX_LAG_SECONDS": "1",
        "IV_READ_CHECK_SECONDS": "1",
        "IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR": "100",
    }
    server = Server(binary, root / "iv", root / "serve.log", env=env)
    try:
        server.wait_ready()
        jwt, _, project, token = tenant(server, "replica@example.com")
        ingest(server, token, 5)
        wait_for(lambda: replica.sql("SELECT count(*) FROM events")[0][0] == 5, "the replica never caught up")
        wait_for(lambda: value(scrape(server), "insightvault_replica_in_use") == 1, "reports never went to the replica")

        # Served from the replica: its report connections exist there, and none on the primary.
        assert report_total(server, jwt, project) == 5
        replica_dsn = f"host=127.0.0.1 port={replica.port} dbname=insightvault user=postgres password=postgres"
        primary_dsn = primary.libpq("postgres", "postgres")
        assert report_backends(replica_dsn) >= 1
        assert report_backends(primary_dsn) == 0

        # Replay paused: events acknowledged on the primary are missing on the replica; once the lag passes the
        # bound (1 s), reports read the primary and count them.
        replica.sql("SELECT pg_wal_replay_pause()")
        ingest(server, token, 3)
        wait_for(lambda: value(scrape(server), "insightvault_replica_in_use") == 0, "reports stayed on a lagging replica")
        assert value(scrape(server), "insightvault_replica_lag_seconds") > 1
        assert replica.sql("SELECT count(*) FROM events")[0][0] == 5
        assert report_total(server, jwt, project) == 8
        assert report_backends(primary_dsn) >= 1

        # Resumed: back on the replica, with the same answer.
        replica.sql("SELECT pg_wal_replay_resume()")
        wait_for(lambda: value(scrape(server), "insightvault_replica_in_use") == 1, "reports never went back to the replica")
        assert report_total(server, jwt, project) == 8

    finally:
        server.terminate()

    # A server that checks the replica once only (at start), so it keeps sending reports there: with replay paused,
    # reports miss the newest events while the live tail, on the primary, shows them; then the replica stops, and the
    # next report, which goes to it and fails, is answered from the primary.
    server = Server(binary, root / "iv2", root / "serve2.log", env={**env, "IV_READ_CHECK_SECONDS": "3600"})
    try:
        server.wait_ready()
        wait_for(lambda: value(scrape(server), "insightvault_replica_in_use") == 1, "reports never went to the replica")
        replica.sql("SELECT pg_wal_replay_pause()")
        ingest(server, token, 2)
        assert report_total(server, jwt, project) == 8

        def live_count() -> int:
            status, _, live = gql(server, "query($p: ID!) { liveEvents(projectId: $p, limit: 100) { events { event } } }",
                                  {"p": project}, jwt)
            assert status == 200, live
            return len(live["data"]["liveEvents"]["events"])
        # The tail shows events once they settled (a second); the paused replica would never show the last two.
        wait_for(lambda: live_count() == 10, "the live tail did not show what the primary holds", seconds=15)
        assert replica.sql("SELECT count(*) FROM events")[0][0] == 8

        replica.stop_immediate()
        assert report_total(server, jwt, project) == 10
        assert value(scrape(server), "insightvault_replica_in_use") == 0
        assert "answering from the primary" in (root / "serve2.log").read_text()
    finally:
        server.terminate()
