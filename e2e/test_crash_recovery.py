"""PostgreSQL dies under load: `pg_ctl stop -m immediate` while the PostHog, Segment and Mixpanel SDKs and raw HTTP
senders keep posting, then a restart on the same port. While the database is down, ingestion answers 503 with
`Retry-After` within a bound (never a 500, never a hang) and `/readyz` answers 503; the server recovers by itself;
every event that got a 2xx is stored exactly once, retries of events sent with a uuid included.

The test owns its cluster (initdb in a scratch directory, `synchronous_commit` on, so that a commit is in the WAL
before it is acknowledged) and points the server at it with DATABASE_URL, so stopping it disturbs no other test.
Bounded: about 25 s of sending, 60 s at most for the whole test on a loaded machine."""
import base64
import hashlib
import http.client
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import mixpanel
import psycopg
import pytest
from posthog import Posthog
from segment.analytics.client import Client as SegmentClient

from conftest import Server, free_port, http_status

PG_BIN = pathlib.Path(os.environ.get("IV_PG_BIN", "/usr/lib/postgresql/15/bin"))
# How long ingestion waits for a database connection (IV_INGEST_DATABASE_WAIT_MS, shortened from 5 s), and the
# longest a request may take to be answered while the database is down.
DATABASE_WAIT_MS = 1000
ROUND_TIMEOUT_MS = 3000
OUTAGE_ANSWER_BOUND_SECONDS = (DATABASE_WAIT_MS + ROUND_TIMEOUT_MS) / 1000 + 2
OUTAGE_SECONDS = 6


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


class Cluster:
    """A PostgreSQL 15 cluster of this test's own, on a fixed port so that it can be restarted where it was."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self.data = root / "pgdata"
        self.port = free_port()
        self.password = secrets.token_hex(12)
        if os.getuid() == 0:
            shutil.chown(root, "postgres")
        pwfile = root / "pw"
        pwfile.write_text("postgres\n")
        if os.getuid() == 0:
            shutil.chown(pwfile, "postgres")
        subprocess.run(as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                                    f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"]),
                       check=True, capture_output=True)
        pwfile.unlink()
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = ''\n"
                       # Acknowledged means committed: the WAL record is written before the commit returns. fsync
                       # may stay off because only the PostgreSQL processes die, never the machine.
                       "synchronous_commit = on\nfsync = off\nmax_connections = 100\ntimezone = 'UTC'\n")

    def start(self) -> None:
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "start", "-D", str(self.data), "-l",
                                    str(self.data / "server.log"), "-w", "-t", "60"]), check=True, capture_output=True)

    def stop_immediate(self) -> None:
        subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"]),
                       check=True, capture_output=True)

    def dsn(self, user: str, password: str, dbname: str = "insightvault") -> str:
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/{dbname}?sslmode=disable"

    def libpq(self, user: str, password: str, dbname: str = "insightvault") -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={user} password={password} connect_timeout=5"

    def remove(self) -> None:
        """Stops the cluster if it still runs and deletes its directory with everything in it."""
        try:
            self.stop_immediate()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def provision(self) -> None:
        """The roles and database the server expects (docs/operations.md): `insightvault_owner` owning the database
        `insightvault`, and the application role `insightvault_app` (neither superuser nor BYPASSRLS)."""
        with psycopg.connect(self.libpq("postgres", "postgres", "postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE insightvault_owner LOGIN PASSWORD '{self.password}'")
            conn.execute("CREATE DATABASE insightvault OWNER insightvault_owner")
            conn.execute(f"CREATE ROLE insightvault_app LOGIN PASSWORD '{self.password}' NOSUPERUSER NOBYPASSRLS")

    def server_env(self) -> dict[str, str]:
        """What a server needs to use this cluster: both roles' URLs and session keys of its own."""
        return {
            "DATABASE_URL": self.dsn("insightvault_owner", self.password),
            "APP_DATABASE_URL": self.dsn("insightvault_app", self.password),
            "IV_JWT_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        }


@pytest.fixture
def crash_setup(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-crash-", dir="/tmp"))
    root.chmod(0o755)
    cluster = Cluster(root)
    cluster.start()
    cluster.provision()
    env = {
        **cluster.server_env(),
        # Token lookups expire after a second, so the outage also hits the token lookup, not only the writer.
        "IV_TOKEN_CACHE_SECONDS": "1",
        "IV_INGEST_DATABASE_WAIT_MS": str(DATABASE_WAIT_MS),
        # A round whose connection died under it is ended after this long (30 s by default).
        "IV_INGEST_ROUND_TIMEOUT_MS": str(ROUND_TIMEOUT_MS),
    }
    server = Server(binary, root / "iv", root / "serve.log", env=env)
    try:
        server.wait_ready()
        yield server, cluster
    finally:
        if os.environ.get("IV_KEEP_LOG"):  # where to keep the server's log, for a failure's post-mortem
            shutil.copy(root / "serve.log", os.environ["IV_KEEP_LOG"])
        if server.process.poll() is None:
            server.terminate()
        cluster.remove()


def make_token(cluster: Cluster) -> tuple[str, uuid.UUID]:
    org, project, token = uuid.uuid4(), uuid.uuid4(), "iv_ing_" + secrets.token_hex(16)
    with psycopg.connect(cluster.libpq("insightvault_owner", cluster.password)) as conn:
        conn.execute("INSERT INTO organizations (org_id, name) VALUES (%s, 'crash org')", (org,))
        conn.execute("INSERT INTO projects (org_id, project_id, name) VALUES (%s, %s, 'crash')", (org, project))
        conn.execute(
            "INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash) "
            "VALUES (%s, %s, 'INGEST', 'crash', %s, %s, %s)",
            (org, uuid.uuid4(), project, token[:10], hashlib.sha256(token.encode()).digest()))
    return token, project


def post_events(port: int, token: str, events: list[dict], timeout: float) -> tuple[int, dict, float]:
    """One raw POST /v1/events: (status or 0 on a transport error, headers, seconds taken)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/v1/events", body=json.dumps(events),
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, time.monotonic() - started
    except (OSError, http.client.HTTPException):
        return 0, {}, time.monotonic() - started
    finally:
        connection.close()


class Ledger:
    """What the senders were told: probes acknowledged with a 2xx, statuses seen, retries after a 503."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked: list[str] = []
        self.sent: list[str] = []
        self.statuses: dict[int, int] = {}
        self.retried_after_503 = 0
        self.missing_retry_after = 0
        self.errors: list[str] = []

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


def raw_sender(port, token, name, stop, ledger: Ledger):
    """Sends batches of 5 events with their own uuids; after a 503 waits Retry-After and sends the same batch again."""
    sequence = 0
    while not stop.is_set():
        probes = [f"{name}-{sequence}-{i}" for i in range(5)]
        sequence += 1
        batch = [{"event": "crash_raw", "user_id": name, "uuid": str(uuid.uuid4()), "properties": {"probe": p}}
                 for p in probes]
        with ledger.lock:
            ledger.sent += probes
        deadline = time.monotonic() + 40
        attempt = 0
        while time.monotonic() < deadline:
            status, headers, seconds = post_events(port, token, batch, timeout=OUTAGE_ANSWER_BOUND_SECONDS + 5)
            ledger.count(status)
            if 200 <= status < 300:
                with ledger.lock:
                    ledger.acked += probes
                    ledger.retried_after_503 += attempt > 0
                break
            if status == 503:
                if "retry-after" not in headers:
                    with ledger.lock:
                        ledger.missing_retry_after += 1
                attempt += 1
                time.sleep(min(float(headers.get("retry-after", "1")), 1.0) / 2)
                continue
            # 0 (connection refused or reset) and anything else are failures the server must not produce.
            with ledger.lock:
                ledger.errors.append(f"{name}: status {status} after {seconds:.1f} s")
            break
        time.sleep(0.05)


def sdk_sender(kind, url, token, stop, ledger: Ledger):
    """One official SDK client sending an event every 50 ms; the SDK's own retries handle the 503s. Probes the SDK
    reports through on_error (or an exception) are not acknowledged."""
    failed: set[str] = set()
    failed_lock = threading.Lock()

    def on_error(_error, batch):
        with failed_lock:
            for message in batch:
                probe = (message.get("properties") or {}).get("probe")
                if probe:
                    failed.add(probe)

    sent: list[str] = []
    # The SDKs are imported at the top, in the main thread: importing them from the sender threads at once raced
    # (mixpanel's dependency saw `six` half-initialized by another thread's import and failed).
    if kind == "posthog":
        client = Posthog(token, host=url, on_error=on_error, flush_at=5, flush_interval=0.2, max_retries=10)
        send = lambda probe: client.capture("crash_sdk", distinct_id="ph", properties={"probe": probe})
        finish = client.shutdown
    elif kind == "segment":
        client = SegmentClient(token, host=url, on_error=on_error, upload_size=5, upload_interval=0.2, max_retries=10)
        send = lambda probe: client.track("seg", "crash_sdk", {"probe": probe})
        finish = lambda: (client.flush(), client.join())
    else:
        # The SDK's own retries are mounted for https:// only; over http:// it raises MixpanelException at once, and
        # Mixpanel's advice is to retry the call with the same $insert_id (the idempotency key), as done here.
        consumer = mixpanel.Consumer(events_url=url + "/track", request_timeout=OUTAGE_ANSWER_BOUND_SECONDS + 5)
        client = mixpanel.Mixpanel(token, consumer=consumer)

        def send(probe):
            for _ in range(40):
                try:
                    client.track("mp", "crash_sdk", {"probe": probe, "$insert_id": probe})
                    return
                except mixpanel.MixpanelException:
                    time.sleep(0.5)
            with failed_lock:
                failed.add(probe)
        finish = lambda: None
    sequence = 0
    while not stop.is_set():
        probe = f"{kind}-{sequence}"
        sequence += 1
        sent.append(probe)
        send(probe)
        time.sleep(0.05)
    finish()
    with ledger.lock:
        ledger.sent += sent
        ledger.acked += [p for p in sent if p not in failed]
        if failed:
            ledger.errors.append(f"{kind}: {len(failed)} events given up by the SDK")


def test_postgres_immediate_stop_under_sdk_load(crash_setup):
    server, cluster = crash_setup
    token, project = make_token(cluster)
    ledger = Ledger()
    stop = threading.Event()
    threads = [threading.Thread(target=raw_sender, args=(server.port, token, f"raw{i}", stop, ledger))
               for i in range(3)]
    threads += [threading.Thread(target=sdk_sender, args=(kind, server.url(""), token, stop, ledger))
                for kind in ("posthog", "segment", "mixpanel")]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)
        cluster.stop_immediate()
        # While the database is down: probes with fresh uuids, and readiness.
        outage = []
        ready_statuses = []
        down_until = time.monotonic() + OUTAGE_SECONDS

        def probe_readiness():
            while time.monotonic() < down_until:
                ready_statuses.append(http_status(server.url("/readyz")))
                time.sleep(0.3)
        readiness = threading.Thread(target=probe_readiness)
        readiness.start()
        while time.monotonic() < down_until:
            probe = [{"event": "crash_probe", "user_id": "probe", "uuid": str(uuid.uuid4())}]
            outage.append(post_events(server.port, token, probe, timeout=OUTAGE_ANSWER_BOUND_SECONDS + 5))
            time.sleep(0.2)
        readiness.join()
        cluster.start()
        restarted = time.monotonic()
        # The server reconnects by itself: ready again, and a new request is stored.
        deadline = time.monotonic() + 30
        while http_status(server.url("/readyz")) != 200:
            assert time.monotonic() < deadline, "the server did not become ready again after PostgreSQL restarted"
            time.sleep(0.2)
        status, _, _ = post_events(server.port, token, [{"event": "after", "user_id": "probe"}], timeout=15)
        assert status == 200
        recovered_seconds = time.monotonic() - restarted
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    print(f"outage probes: {[(s, round(t, 2)) for s, _, t in outage]}; ready again {recovered_seconds:.1f} s after the "
          f"restart; statuses {ledger.statuses}; {len(ledger.acked)} of {len(ledger.sent)} acknowledged; "
          f"{ledger.retried_after_503} batches retried after 503")
    assert not any(thread.is_alive() for thread in threads), "a sender hung"

    assert len(outage) >= 3
    for status, headers, seconds in outage:
        assert status == 503, f"during the outage ingestion answered {status}, not 503"
        assert headers.get("retry-after", "").isdigit(), "a 503 without Retry-After"
        assert seconds < OUTAGE_ANSWER_BOUND_SECONDS, f"an answer took {seconds:.1f} s while the database was down"
    assert set(ready_statuses) == {503}, ready_statuses

    assert ledger.errors == [], ledger.errors
    assert set(ledger.statuses) <= {200, 503}, ledger.statuses
    assert ledger.statuses.get(503, 0) > 0, "no sender saw the outage"
    assert ledger.retried_after_503 > 0, "no batch was retried after a 503"
    assert ledger.missing_retry_after == 0

    with psycopg.connect(cluster.libpq("insightvault_owner", cluster.password)) as conn:
        rows = conn.execute(
            "SELECT properties->>'probe', count(*) FROM events WHERE project_id = %s AND properties ? 'probe' "
            "GROUP BY 1", (project,)).fetchall()
        keys = conn.execute("SELECT count(*) FROM event_keys WHERE project_id = %s", (project,)).fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
    stored = dict(rows)
    duplicated = {probe: n for probe, n in stored.items() if n != 1}
    assert duplicated == {}, f"stored more than once: {list(duplicated.items())[:10]}"
    missing = [probe for probe in ledger.acked if probe not in stored]
    assert missing == [], f"{len(missing)} acknowledged events are not stored: {missing[:10]}"
    # Every kind of sender got events through, before and after the outage.
    for kind in ("raw0", "raw1", "raw2", "posthog", "segment", "mixpanel"):
        assert sum(1 for probe in ledger.acked if probe.startswith(kind + "-")) >= 10, kind
    assert keys == events
