"""A rolling upgrade across migrations, with two builds of the server on one PostgreSQL while events keep coming.

A build is the binary plus the migrations directory it ships with (the image holds both; the server reads its
migrations from IV_MIGRATIONS_DIR at start). So the two builds here are this commit's binary with the repository's
migrations (the old build) and with one more migration declared `-- older-binaries: compatible` (the new build):
no second compile is needed for the old binary to meet a schema migration it has never seen.

The old build keeps ingesting while the new one migrates and starts; both serve side by side, as pods do during a
rollout; then the old one is stopped. No request gets a non-2xx, and every acknowledged event is stored. The old
build can be started again afterwards (a rollback). Then a third build applies an incompatible migration (no header):
the old build, still running, reports not ready and answers 503 SCHEMA_INCOMPATIBLE instead of serving, and a fresh
old build starts but stays out of rotation the same way, instead of crash-looping."""
import json
import pathlib
import shutil
import tempfile
import threading
import time
import urllib.request

import psycopg
import pytest

from conftest import REPO, Server, http_status
from test_crash_recovery import Cluster, make_token, post_events

EXPAND = """-- The upgrade test's expand step: a column and a table the old build never reads.
-- older-binaries: compatible
ALTER TABLE projects ADD COLUMN upgrade_note text;
CREATE TABLE upgrade_probe (org_id uuid NOT NULL, note text, PRIMARY KEY (org_id));
"""
CONTRACT = """-- The upgrade test's contract step, without the compatibility line: older builds must stop serving.
DROP TABLE upgrade_probe;
"""


def migrations_with(root: pathlib.Path, name: str, extra: dict[str, str]) -> pathlib.Path:
    """A copy of the repository's migrations plus `extra` files: another build's migrations directory."""
    directory = root / name
    shutil.copytree(REPO / "migrations", directory)
    for file_name, sql in extra.items():
        (directory / file_name).write_text(sql)
    return directory


def next_number(offset: int) -> str:
    last = max(int(p.name[:4]) for p in (REPO / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return f"{last + offset:04d}"


def readiness(server: Server) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(server.url("/readyz"), timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Sender:
    """Posts batches of 3 events to whichever servers are in `targets`, round robin, until stopped."""

    def __init__(self, token: str):
        self.token = token
        self.targets: list[Server] = []
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.acked: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        sequence = 0
        while not self.stop.is_set():
            with self.lock:
                targets = list(self.targets)
            server = targets[sequence % len(targets)]
            probes = [f"u{sequence}-{i}" for i in range(3)]
            batch = [{"event": "upgrade", "user_id": "u", "properties": {"probe": p}} for p in probes]
            status, _, _ = post_events(server.port, self.token, batch, timeout=30)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    self.acked += probes
            sequence += 1
            time.sleep(0.02)

    def route_to(self, *servers: Server):
        with self.lock:
            self.targets = list(servers)


@pytest.fixture
def cluster():
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-upgrade-", dir="/tmp"))
    root.chmod(0o755)
    cluster = Cluster(root)
    cluster.start()
    cluster.provision()
    try:
        yield cluster, root
    finally:
        cluster.remove()


def test_rolling_upgrade_across_a_compatible_migration_then_an_incompatible_one(binary, cluster):
    cluster, root = cluster
    env = {**cluster.server_env(), "IV_SCHEMA_CHECK_SECONDS": "1"}
    expand_name, contract_name = f"{next_number(1)}_upgrade_expand.sql", f"{next_number(2)}_upgrade_contract.sql"
    old_dir = REPO / "migrations"
    new_dir = migrations_with(root, "new", {expand_name: EXPAND})
    newest_dir = migrations_with(root, "newest", {expand_name: EXPAND, contract_name: CONTRACT})
    servers: list[Server] = []

    def start(name: str, migrations: pathlib.Path) -> Server:
        server = Server(binary, root / name, root / f"{name}.log", env={**env, "IV_MIGRATIONS_DIR": str(migrations)})
        servers.append(server)
        return server

    try:
        old = start("old", old_dir)
        old.wait_ready()
        token, project = make_token(cluster)
        sender = Sender(token)
        sender.route_to(old)
        sender.thread.start()
        time.sleep(1)

        # The new build migrates (the expand step) and starts while the old one keeps ingesting; both serve.
        new = start("new", new_dir)
        new.wait_ready()
        assert readiness(old) == (200, {"status": "ready"})
        sender.route_to(old, new)
        time.sleep(2)
        assert readiness(old)[0] == 200, "the old build stopped being ready after a compatible migration"
        # The old build leaves the rotation first (preStop), then stops; the new one takes everything.
        sender.route_to(new)
        time.sleep(0.5)
        assert old.terminate() == 0
        time.sleep(1)

        # Rolling back: the old build starts on the expanded schema and serves.
        rollback = start("rollback", old_dir)
        rollback.wait_ready()
        sender.route_to(new, rollback)
        time.sleep(1.5)
        sender.route_to(new)
        time.sleep(0.3)
        sender.stop.set()
        sender.thread.join(timeout=30)
        assert not sender.thread.is_alive()
        assert set(sender.statuses) == {200}, f"a request was not acknowledged: {sender.statuses}"
        assert sender.statuses[200] > 50
        with psycopg.connect(cluster.libpq("insightvault_owner", cluster.password)) as conn:
            stored = {row[0] for row in conn.execute(
                "SELECT properties->>'probe' FROM events WHERE project_id = %s", (project,))}
            recorded = dict(conn.execute("SELECT version, older_compatible FROM schema_migrations "
                                         "WHERE version >= %s", (int(next_number(1)),)).fetchall())
        missing = [probe for probe in sender.acked if probe not in stored]
        assert missing == [], f"{len(missing)} acknowledged events are not stored"
        assert recorded == {int(next_number(1)): True}

        # A contract step by a newer build: the running old build stops serving within the check interval, and
        # says why; a freshly started old build does the same instead of crash-looping.
        newest = start("newest", newest_dir)
        newest.wait_ready()
        deadline = time.monotonic() + 10
        while readiness(rollback)[0] == 200:
            assert time.monotonic() < deadline, "the old build stayed ready on a schema it cannot work with"
            time.sleep(0.2)
        status, body = readiness(rollback)
        assert status == 503 and next_number(2).lstrip("0") in body["reason"] and "newer insightvault" in body["reason"]
        # Requests stop within the schema check interval (1 s here; readiness asks the database itself).
        deadline = time.monotonic() + 5
        while (answer := post_events(rollback.port, token, [{"event": "late", "user_id": "u"}], timeout=10))[0] == 200:
            assert time.monotonic() < deadline, "the old build kept ingesting on a schema it cannot work with"
            time.sleep(0.2)
        assert answer[0] == 503 and answer[1].get("retry-after") == "5"
        fresh = start("fresh-old", old_dir)
        deadline = time.monotonic() + 60
        while not (http_status(fresh.url("/healthz")) == 200 and readiness(fresh)[0] == 503):
            assert fresh.process.poll() is None, "the old build exited instead of staying up, not ready"
            assert time.monotonic() < deadline, "the old build never answered"
            time.sleep(0.25)
        assert "newer insightvault" in readiness(fresh)[1]["reason"]
        assert post_events(fresh.port, token, [{"event": "late", "user_id": "u"}], timeout=10)[0] == 503
        assert post_events(newest.port, token, [{"event": "late", "user_id": "u"}], timeout=10)[0] == 200
        assert readiness(new)[0] == 503, "the new build (without the contract step) kept serving"
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.terminate()
