"""Ingestion end to end: the official PostHog, Segment and Mixpanel SDKs from PyPI and the native endpoint, against a
real `insightvault serve` (embedded PostgreSQL), read back from the database."""
import datetime as dt
import gzip
import hashlib
import json
import secrets
import shutil
import signal
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import pathlib

import psycopg
import pytest

from conftest import Server, owner_dsn


@pytest.fixture(scope="module")
def server(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-ingest-", dir="/tmp"))
    root.chmod(0o755)
    srv = Server(binary, root / "iv", root / "serve.log", env={"IV_TOKEN_CACHE_SECONDS": "1"})
    srv.wait_ready()
    yield srv
    if srv.process.poll() is None:
        srv.terminate()
    shutil.rmtree(root, ignore_errors=True)


def make_project(server) -> tuple[str, uuid.UUID, uuid.UUID]:
    """An organization, a project and an ingest token (stored hashed, as the API will create them)."""
    org, project, token = uuid.uuid4(), uuid.uuid4(), "iv_ing_" + secrets.token_hex(16)
    with psycopg.connect(owner_dsn(server.data_dir)) as conn:
        conn.execute("INSERT INTO organizations (org_id, name) VALUES (%s, 'SDK org')", (org,))
        conn.execute("INSERT INTO projects (org_id, project_id, name) VALUES (%s, %s, 'web')", (org, project))
        conn.execute(
            "INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash) "
            "VALUES (%s, %s, 'INGEST', 'sdk', %s, %s, %s)",
            (org, uuid.uuid4(), project, token[:10], hashlib.sha256(token.encode()).digest()))
    return token, org, project


def query(server, sql, *args):
    with psycopg.connect(owner_dsn(server.data_dir)) as conn:
        return conn.execute(sql, args).fetchall()


def person_of(server, project, distinct_id):
    rows = query(server, "SELECT person_id FROM person_distinct_ids WHERE project_id = %s AND distinct_id = %s",
                 project, distinct_id)
    return rows[0][0] if rows else None


def post(server, path, body, headers=None, raw=False):
    data = body if raw else json.dumps(body).encode()
    request = urllib.request.Request(server.url(path), data=data, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_posthog_sdk_events_identify_and_alias(server):
    from posthog import Posthog
    token, _, project = make_project(server)
    client = Posthog(token, host=server.url(""), sync_mode=True)
    client.capture("signed_up", distinct_id="anon-1", properties={"plan": "pro", "$set": {"email": "a@example.com"}},
                   timestamp=dt.datetime(2025, 7, 18, 10, 0, tzinfo=dt.timezone.utc))
    client.capture("$identify", distinct_id="user-1", properties={"$anon_distinct_id": "anon-1"})
    client.alias(previous_id="user-1", distinct_id="user-1-alias")
    client.flush()

    rows = query(server, "SELECT event, distinct_id, properties->>'plan', \"timestamp\" FROM events "
                         "WHERE project_id = %s ORDER BY \"timestamp\"", project)
    names = [r[0] for r in rows]
    assert "signed_up" in names and "$identify" in names and "$create_alias" in names
    signed = next(r for r in rows if r[0] == "signed_up")
    assert signed[1] == "anon-1" and signed[2] == "pro"
    # Clock-skew correction (timestamp + received_at - sent_at) moves it by the request's latency only.
    assert abs(signed[3] - dt.datetime(2025, 7, 18, 10, 0, tzinfo=dt.timezone.utc)) < dt.timedelta(seconds=1)
    assert person_of(server, project, "anon-1") == person_of(server, project, "user-1") is not None
    assert person_of(server, project, "user-1-alias") == person_of(server, project, "user-1")
    props = query(server, "SELECT properties FROM persons WHERE person_id = %s", person_of(server, project, "user-1"))
    assert props[0][0]["email"] == "a@example.com"


def test_a_resent_posthog_batch_is_stored_once_whatever_its_sent_at(server):
    """A retry carries the same event uuid with a new `sent_at`: the skew-corrected time moves (here across the end
    of July, into another monthly partition) but the event is stored once."""
    token, _, project = make_project(server)
    event_uuid = str(uuid.uuid4())

    def body(sent_at):
        return {"api_key": token, "sent_at": sent_at.isoformat(),
                "batch": [{"event": "x", "uuid": event_uuid, "distinct_id": "u", "properties": {},
                           "timestamp": "2025-07-31T23:59:59.000Z"}]}

    now = dt.datetime.now(dt.timezone.utc)
    assert post(server, "/batch/", body(now))[0] == 200
    assert post(server, "/batch/", body(now - dt.timedelta(seconds=5)))[0] == 200
    assert post(server, "/batch/", body(now + dt.timedelta(seconds=1)))[0] == 200
    rows = query(server, "SELECT \"timestamp\" FROM events WHERE project_id = %s", project)
    assert len(rows) == 1, rows
    assert rows[0][0] < dt.datetime(2025, 8, 1, tzinfo=dt.timezone.utc)


def test_the_posthog_sdks_own_retry_after_a_lost_answer_stores_the_event_once(server):
    """The SDK's retry path for real: a proxy forwards the first attempt to the server (which stores it) and answers
    503 as if the answer was lost; the SDK retries after its backoff with a new `sent_at`."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from posthog import Posthog

    token, _, project = make_project(server)
    attempts = []

    class LosingFirstAnswer(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            forwarded = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "content-encoding")}
            request = urllib.request.Request(server.url(self.path), data=body, headers=forwarded, method="POST")
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, response.read()
            plain = gzip.decompress(body) if self.headers.get("Content-Encoding") == "gzip" else body
            attempts.append((status, json.loads(plain)["sent_at"]))
            if len(attempts) == 1:
                status, answer = 503, b'{"error": "lost"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), LosingFirstAnswer)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        client = Posthog(token, host=f"http://127.0.0.1:{proxy.server_address[1]}", max_retries=3, flush_at=1)
        client.capture("signed_up", distinct_id="retry-user", properties={"plan": "pro"})
        client.flush()
        client.shutdown()
    finally:
        proxy.shutdown()
    assert len(attempts) == 2, attempts
    assert [status for status, _ in attempts] == [200, 200]
    assert attempts[0][1] != attempts[1][1]  # a new sent_at on the retry
    rows = query(server, "SELECT count(*) FROM events WHERE project_id = %s AND event = 'signed_up'", project)
    assert rows[0][0] == 1


def test_segment_sdk_track_identify_alias(server):
    from segment import analytics
    token, _, project = make_project(server)
    analytics.write_key = token
    analytics.host = server.url("")
    analytics.sync_mode = True
    analytics.track("seg-anon", "Order Completed", {"revenue": 42.5})
    analytics.identify("seg-user", {"plan": "team"}, anonymous_id="seg-anon")
    analytics.alias("seg-old", "seg-user")
    analytics.flush()

    rows = query(server, "SELECT event, distinct_id, properties FROM events WHERE project_id = %s", project)
    track = [r for r in rows if r[0] == "Order Completed"]
    assert len(track) == 1 and track[0][1] == "seg-anon" and track[0][2]["revenue"] == 42.5
    assert {r[0] for r in rows} >= {"Order Completed", "$identify", "$create_alias"}
    person = person_of(server, project, "seg-user")
    assert person is not None
    assert person_of(server, project, "seg-anon") == person == person_of(server, project, "seg-old")
    assert query(server, "SELECT properties->>'plan' FROM persons WHERE person_id = %s", person)[0][0] == "team"


def test_mixpanel_sdk_track_people_and_alias(server):
    import mixpanel
    token, _, project = make_project(server)
    consumer = mixpanel.Consumer(events_url=server.url("/track"), people_url=server.url("/engage"),
                                 import_url=server.url("/import"), request_timeout=30)
    mp = mixpanel.Mixpanel(token, consumer=consumer)
    played_at = int(time.time()) - 60
    mp.track("mp-user", "Video Played", {"length": 12, "$insert_id": "ins-1", "time": played_at})
    # A retry sends the same payload (same $insert_id and time): stored once.
    mp.track("mp-user", "Video Played", {"length": 12, "$insert_id": "ins-1", "time": played_at})
    mp.people_set("mp-user", {"country": "NL"})
    # Mixpanel.alias() ignores the configured consumer and always calls api.mixpanel.com, so send the
    # `$create_alias` event it would send through track(), which honours the consumer.
    mp.track("mp-user", "$create_alias", {"alias": "mp-alias"})

    rows = query(server, "SELECT event, distinct_id, properties FROM events WHERE project_id = %s", project)
    played = [r for r in rows if r[0] == "Video Played"]
    assert len(played) == 1 and played[0][1] == "mp-user" and played[0][2]["length"] == 12
    assert "token" not in played[0][2]
    person = person_of(server, project, "mp-user")
    assert person is not None and person_of(server, project, "mp-alias") == person
    assert query(server, "SELECT properties->>'country' FROM persons WHERE person_id = %s", person)[0][0] == "NL"


def test_native_endpoint_is_idempotent_and_all_or_nothing(server):
    token, _, project = make_project(server)
    auth = {"Authorization": f"Bearer {token}"}
    batch = [{"event": "user_signup", "user_id": f"u{i}", "timestamp": "2025-07-18T10:00:00Z",
              "properties": {"referrer": "twitter"}, "uuid": str(uuid.uuid4())} for i in range(20)]
    assert post(server, "/v1/events", {"batch": batch}, auth) == (200, {"accepted": 20})
    assert post(server, "/v1/events", batch, auth) == (200, {"accepted": 20})  # resent: nothing new
    compressed = gzip.compress(json.dumps(batch).encode())
    assert post(server, "/v1/events", compressed, {**auth, "Content-Encoding": "gzip"}, raw=True)[0] == 200
    assert query(server, "SELECT count(*) FROM events WHERE project_id = %s", project)[0][0] == 20

    bad = [{"event": "ok", "user_id": "x"}, {"event": "", "user_id": "y"}, {"event": "ok", "user_id": "z",
                                                                           "timestamp": "1999-12-31T23:59:59Z"}]
    status, body = post(server, "/v1/events", bad, auth)
    assert status == 400 and body["error"]["code"] == "INVALID_EVENTS"
    assert [(d["index"], d["code"]) for d in body["error"]["details"]] == [(1, "INVALID_EVENT_NAME"),
                                                                           (2, "TIMESTAMP_OUT_OF_RANGE")]
    assert query(server, "SELECT count(*) FROM events WHERE project_id = %s", project)[0][0] == 20

    assert post(server, "/v1/events", batch, {"Authorization": "Bearer iv_ing_nope"})[0] == 401
    assert post(server, "/v1/events", b"<xml/>", {**auth, "Content-Type": "application/xml"}, raw=True)[0] == 415
    bomb = gzip.compress(b"[" + b" " * (6 * 1024 * 1024) + b"]")
    assert post(server, "/v1/events", bomb, {**auth, "Content-Encoding": "gzip"}, raw=True)[0] == 413


def test_revoked_token_stops_working_within_the_cache_time(server):
    token, _, _ = make_project(server)
    auth = {"Authorization": f"Bearer {token}"}
    assert post(server, "/v1/events", {"event": "e", "user_id": "u"}, auth)[0] == 200
    query_sql = "UPDATE api_tokens SET revoked_at = now() WHERE token_hash = %s RETURNING 1"
    assert query(server, query_sql, hashlib.sha256(token.encode()).digest()) == [(1,)]
    time.sleep(1.5)  # IV_TOKEN_CACHE_SECONDS=1 for this server
    assert post(server, "/v1/events", {"event": "e", "user_id": "u"}, auth)[0] == 401


def test_events_land_in_every_partition(server):
    token, _, project = make_project(server)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamps = ["2025-01-31T23:59:59.999Z", "2025-02-01T00:00:00Z", "2001-05-05T05:05:05Z",
              now.isoformat().replace("+00:00", "Z")]
    batch = [{"event": "edge", "user_id": "p", "timestamp": s, "uuid": str(uuid.uuid4())} for s in stamps]
    assert post(server, "/v1/events", batch, {"Authorization": f"Bearer {token}"}) == (200, {"accepted": 4})
    rows = query(server, "SELECT tableoid::regclass::text FROM events WHERE project_id = %s ORDER BY \"timestamp\"",
                 project)
    # Months without a partition (backfills) land in the default partition until maintenance gives them one;
    # the current month has its partition from start-up on.
    assert [r[0] for r in rows] == ["events_default"] * 3 + [f"events_p{now:%Y%m}"]


def test_sigkill_loses_no_acknowledged_event(binary, workdir):
    srv = Server(binary, workdir / "iv", workdir / "crash.log")
    srv.wait_ready()
    token, _, project = make_project(srv)
    acknowledged, sent, lock = [], [], threading.Lock()
    stop = threading.Event()

    def client(n):
        for round_ in range(400):
            if stop.is_set():
                return
            # Like the SDKs, clients stamp events themselves, so a retry carries the same (uuid, timestamp) key.
            stamp = dt.datetime.now(dt.timezone.utc).isoformat()
            batch = [{"event": "load", "user_id": f"c{n}", "uuid": str(uuid.uuid4()), "timestamp": stamp}
                     for _ in range(25)]
            with lock:
                sent.append(batch)
            try:
                status, _ = post(srv, "/v1/events", batch, {"Authorization": f"Bearer {token}"})
            except OSError:
                return
            if status == 200:
                with lock:
                    acknowledged.extend(e["uuid"] for e in batch)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    srv.process.send_signal(signal.SIGKILL)
    srv.process.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert acknowledged, "some batches must have been acknowledged before the kill"

    again = Server(binary, workdir / "iv", workdir / "crash2.log")
    again.wait_ready()
    stored = dict(query(again, "SELECT uuid::text, count(*) FROM events WHERE project_id = %s GROUP BY 1", project))
    assert all(stored.get(u) == 1 for u in acknowledged), "every acknowledged event is stored exactly once"
    for batch in sent:  # clients retry everything after the restart: still nothing twice
        assert post(again, "/v1/events", batch, {"Authorization": f"Bearer {token}"})[0] == 200
    counts = query(again, "SELECT count(*), count(DISTINCT uuid) FROM events WHERE project_id = %s", project)[0]
    assert counts[0] == counts[1] == sum(len(b) for b in sent)
    assert again.terminate() == 0


def test_sigterm_flushes_queued_events_and_answers_waiting_requests(binary, workdir):
    srv = Server(binary, workdir / "iv", workdir / "term.log")
    srv.wait_ready()
    token, _, project = make_project(srv)
    results, lock = [], threading.Lock()

    def client(n):
        for _ in range(200):
            stamp = dt.datetime.now(dt.timezone.utc).isoformat()
            batch = [{"event": "t", "user_id": f"c{n}", "uuid": str(uuid.uuid4()), "timestamp": stamp} for _ in range(20)]
            try:
                status, _ = post(srv, "/v1/events", batch, {"Authorization": f"Bearer {token}"})
            except OSError:
                return  # the listener is gone: later requests are refused, never half-answered
            with lock:
                results.append((status, batch))
            if status != 200:
                return

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    assert srv.terminate() == 0, "graceful shutdown exits cleanly"
    for t in threads:
        t.join(timeout=60)
    acknowledged = [e["uuid"] for status, batch in results if status == 200 for e in batch]
    assert acknowledged
    assert all(status in (200, 503) for status, _ in results)
    # The cluster stopped with the server; start again to read what was committed.
    again = Server(binary, workdir / "iv", workdir / "term2.log")
    again.wait_ready()
    stored = {r[0] for r in query(again, "SELECT uuid::text FROM events WHERE project_id = %s", project)}
    assert set(acknowledged) <= stored
    assert again.terminate() == 0
