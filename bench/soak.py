#!/usr/bin/env python3
"""Soak test (make soak, not part of make test): a release `insightvault serve` on 127.0.0.1 with a fresh embedded
cluster, SOAK_SECONDS (600) of mixed load: the PostHog, Segment and Mixpanel SDKs and raw native senders ingesting,
clients running trends, funnel and retention reports (over a fixed day seeded at the start, so that their cost
does not grow with the events ingested meanwhile), and log-ins. Samples the server's RSS every SOAK_SAMPLE_SECONDS
(5). Fails on any error answer (anything but a 2xx; a 429 RATE_LIMITED from the log-in throttle included, since the
log-ins use the right password) or when memory keeps growing: the median RSS of the last minute may be at most
SOAK_RSS_GROWTH (1.1) times the median of the minute after the warm-up (SOAK_WARMUP_SECONDS, half the run: pools,
caches and allocator arenas fill first). Prints a summary.

  SOAK_SECONDS=180 .venv/bin/python bench/soak.py      # a shortened run
  IV_BINARY=.build/debug/insightvault ...              # another build than .build/release/insightvault"""
import collections
import datetime as dt
import json
import os
import pathlib
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from conftest import REPO, Server  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
SAMPLE_SECONDS = float(os.environ.get("SOAK_SAMPLE_SECONDS", "5"))
RSS_GROWTH = float(os.environ.get("SOAK_RSS_GROWTH", "1.1"))
# Pools, caches and allocator arenas fill during the first minutes; memory must be flat after that.
WARMUP_SECONDS = int(os.environ.get("SOAK_WARMUP_SECONDS", str(SECONDS // 2)))
PASSWORD = "correct horse battery staple"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = collections.Counter()
        self.errors: list[str] = []

    def record(self, kind, status, detail=""):
        with self.lock:
            if 200 <= status < 300:
                self.ok[kind] += 1
            elif len(self.errors) < 50:
                self.errors.append(f"{kind}: {status} {detail[:200]}")
            else:
                self.errors.append("...")


def request(url, body, headers=None, timeout=60):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return 0, str(error)


def gql(server, token, query, variables):
    status, text = request(server.url("/graphql"), {"query": query, "variables": variables},
                           {"Authorization": f"Bearer {token}"} if token else {})
    answer = json.loads(text) if text.startswith("{") else {}
    if status == 200 and not answer.get("errors"):
        return status, answer["data"]
    return status or 599, text


def rss_kib(pid) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    binary = os.environ.get("IV_BINARY") or str(REPO / ".build/release/insightvault")
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-soak-", dir="/tmp"))
    root.chmod(0o755)
    server = Server(binary, root / "iv", root / "serve.log", env={"LOG_LEVEL": "warning"})
    stats = Stats()
    stop = threading.Event()
    try:
        server.wait_ready()
        status, signed = gql(server, None, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                             {"i": {"email": "soak@example.com", "password": PASSWORD, "organizationName": "Soak"}})
        assert status == 200, signed
        token = signed["signUp"]["token"]
        _, created = gql(server, token, "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"w\"}) { id } }",
                         {"o": signed["signUp"]["organization"]["id"]})
        project = created["createProject"]["id"]
        _, made = gql(server, token,
                      "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"s\", kind: INGEST}) { token } }",
                      {"p": project})
        ingest = made["createApiToken"]["token"]
        # The reports read a fixed day seeded now (20,000 events two days ago), so that their cost stays the same
        # while ingestion keeps adding events at the current time: memory that grows is then the server's, not the
        # reports' growing input.
        day = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
        for start in range(0, 20_000, 1_000):
            batch = [{"event": ("pageview", "signup", "purchase")[i % 3], "user_id": f"seed-{i % 2_000}",
                      "timestamp": (day + dt.timedelta(seconds=i * 4)).isoformat(), "properties": {"plan": "pro"}}
                     for i in range(start, start + 1_000)]
            status, text = request(server.url("/v1/events"), batch, {"Authorization": f"Bearer {ingest}"})
            assert status == 200, text

        def raw(name):
            n = 0
            while not stop.is_set():
                batch = [{"event": ("pageview", "signup", "purchase")[(n + i) % 3], "user_id": f"{name}-{(n + i) % 500}",
                          "properties": {"plan": "pro", "amount": i}} for i in range(50)]
                n += 50
                status, text = request(server.url("/v1/events"), batch, {"Authorization": f"Bearer {ingest}"})
                stats.record("raw", status, text)

        def sdks():
            from posthog import Posthog
            from segment.analytics.client import Client
            import mixpanel

            def failed(kind):
                return lambda error, batch: stats.record(kind, 0, f"{error} ({len(batch)} events)")
            posthog = Posthog(ingest, host=server.url(""), on_error=failed("posthog"), flush_at=50, flush_interval=0.5)
            segment = Client(ingest, host=server.url(""), on_error=failed("segment"), upload_size=50)
            mp = mixpanel.Mixpanel(ingest, consumer=mixpanel.Consumer(events_url=server.url("/track"), request_timeout=60))
            n = 0
            while not stop.is_set():
                n += 1
                posthog.capture("pageview", distinct_id=f"ph-{n % 300}", properties={"path": f"/{n % 7}"})
                segment.track(f"seg-{n % 300}", "signup", {"plan": "free"})
                try:
                    mp.track(f"mp-{n % 300}", "purchase", {"amount": n % 50})
                    stats.record("mixpanel", 200)
                except mixpanel.MixpanelException as error:
                    stats.record("mixpanel", 0, str(error))
                time.sleep(0.01)
            posthog.shutdown()
            segment.flush()
            segment.join()
            with stats.lock:
                stats.ok["posthog+segment (batched)"] += 2 * n

        def reports():
            window = {"from": day.isoformat(), "to": (day + dt.timedelta(days=1)).isoformat()}
            queries = [
                ("trends", "query($p: ID!, $from: DateTime!, $to: DateTime!) { trends(projectId: $p, input: {series: "
                 "[{math: TOTAL}, {event: \"signup\", math: UNIQUE_USERS}], dateFrom: $from, dateTo: $to, interval: HOUR, "
                 "breakdown: \"plan\"}) { series { total } } }"),
                ("funnel", "query($p: ID!, $from: DateTime!, $to: DateTime!) { funnel(projectId: $p, input: {steps: "
                 "[{event: \"pageview\"}, {event: \"signup\"}, {event: \"purchase\"}], dateFrom: $from, dateTo: $to, "
                 "windowSeconds: 86400}) { steps { count } } }"),
                ("retention", "query($p: ID!, $from: DateTime!, $to: DateTime!) { retention(projectId: $p, input: {"
                 "startEvent: \"signup\", returnEvent: \"purchase\", period: DAY, periods: 3, dateFrom: $from, dateTo: $to}) "
                 "{ cohorts { size } } }"),
            ]
            n = 0
            while not stop.is_set():
                kind, query = queries[n % 3]
                n += 1
                status, answer = gql(server, token, query, {"p": project, **window})
                stats.record(kind, status, str(answer))
                time.sleep(0.2)

        def logins():
            while not stop.is_set():
                status, answer = gql(server, None, "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
                                     {"i": {"email": "soak@example.com", "password": PASSWORD}})
                stats.record("logIn", status, str(answer))
                time.sleep(2)

        threads = [threading.Thread(target=raw, args=(f"raw{i}",)) for i in range(3)]
        threads += [threading.Thread(target=sdks), threading.Thread(target=reports), threading.Thread(target=logins)]
        for thread in threads:
            thread.start()
        samples = []
        started = time.monotonic()
        while time.monotonic() - started < SECONDS:
            time.sleep(SAMPLE_SECONDS)
            samples.append((time.monotonic() - started, rss_kib(server.process.pid)))
            if server.process.poll() is not None:
                stats.record("server", 0, f"exited with {server.process.returncode}")
                break
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        stop.set()
        if server.process.poll() is None:
            server.terminate()
        shutil.rmtree(root, ignore_errors=True)

    after_warmup = [kib for t, kib in samples if WARMUP_SECONDS <= t < WARMUP_SECONDS + 60]
    last_minute = [kib for t, kib in samples if t >= samples[-1][0] - 60]
    base = statistics.median(after_warmup) if after_warmup else samples[0][1]
    last = statistics.median(last_minute)
    growth = last / base
    print(f"soak: {SECONDS} s, {sum(stats.ok.values())} answers 2xx: {dict(stats.ok)}")
    print(f"soak: RSS median of the minute after the {WARMUP_SECONDS} s warm-up {base / 1024:.0f} MiB, last minute median {last / 1024:.0f} MiB "
          f"(x{growth:.2f}, bound x{RSS_GROWTH}); min {min(k for _, k in samples) / 1024:.0f} MiB, "
          f"max {max(k for _, k in samples) / 1024:.0f} MiB over {len(samples)} samples")
    minutes = collections.defaultdict(list)
    for t, kib in samples:
        minutes[int(t // 60)].append(kib)
    print("soak: RSS median per minute (MiB): " + " ".join(f"{statistics.median(v) / 1024:.0f}" for _, v in sorted(minutes.items())))
    failed = False
    if stats.errors:
        print(f"soak: FAILED: {len(stats.errors)} error answers, e.g. {stats.errors[:5]}")
        failed = True
    if growth > RSS_GROWTH:
        print(f"soak: FAILED: memory grew x{growth:.2f} (> x{RSS_GROWTH})")
        failed = True
    print("soak: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
