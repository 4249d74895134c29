#!/usr/bin/env python3
"""Tenant isolation benchmark (make bench): a release `insightvault serve` on a fresh embedded cluster (`fsync` and
`synchronous_commit` on), two organizations. Organization A's project is filled by `insightvault seed-demo` (default
2M events, 200k users, 90 days); organization B only ingests. Ingestion latency of B is measured twice with the same
load, a fixed number of small native batches posted at a fixed modest rate from a couple of threads:

  (a) alone,
  (b) while 8 clients of A post heavy reports in a loop: the kinds that read raw events (trends with a property
      filter by HOUR over the whole seeded range, funnels with step filters).

A probe asks `GET /readyz` twice a second during both runs. Printed: p50/p95/p99 of both runs, the ratio
p95(b)/p95(a), the probes answered, and how many reports completed, were refused (by code) or failed. Every
acknowledged event of B must be stored. Talks to 127.0.0.1 only; bounded in count and time.

Sizes for a quick try against a debug build: IV_BINARY (the binary), BENCH_ISOLATION_EVENTS/USERS/DAYS (seeded into
A), BENCH_ISOLATION_REQUESTS (ingest requests per run), BENCH_ISOLATION_RATE (requests/s), BENCH_ISOLATION_CLIENTS
(report clients), BENCH_ISOLATION_DEADLINE (seconds for the whole run), e.g.
  IV_BINARY=/tmp/iv-bench-bin BENCH_ISOLATION_EVENTS=20000 BENCH_ISOLATION_USERS=2000 BENCH_ISOLATION_DAYS=30 \
  BENCH_ISOLATION_REQUESTS=200 .venv/bin/python bench/isolation_bench.py"""
import argparse
import datetime as dt
import http.client
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from conftest import REPO, Server, owner_dsn  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "wrk"))
from run import percentile  # noqa: E402

EVENTS_PER_REQUEST = 10
INGEST_THREADS = 2
READYZ_EVERY = 0.5  # seconds between two /readyz probes
WARM_UP = 3.0  # seconds the report clients run before run (b) starts
QUERIES = {
    "trends": "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { label total "
              "points { bucket value } } } }",
    "funnel": "query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) { steps { index event count "
              "conversionRate medianSecondsFromPrevious } } }",
}


def env_int(name, default):
    return int(os.environ.get(name, default))


def rfc3339(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def graphql(port, query, variables, token=None, timeout=120):
    """One GraphQL request on its own connection: (HTTP status, decoded body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request("POST", "/graphql", json.dumps({"query": query, "variables": variables}).encode(), headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def must(port, query, variables, token=None):
    status, body = graphql(port, query, variables, token)
    if status != 200 or body.get("errors"):
        sys.exit(f"isolation benchmark: set-up request failed, HTTP {status}: {json.dumps(body)[:400]}")
    return body["data"]


def organization(port, name):
    """Signs up a user with a new organization, a UTC project and an INGEST token: (session, project, token)."""
    signed = must(port, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                  {"i": {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery",
                         "organizationName": name}})["signUp"]
    session = signed["token"]
    project = must(port, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                   {"i": {"organizationId": signed["organization"]["id"], "name": name, "timezone": "UTC"}},
                   session)["createProject"]["id"]
    token = must(port, "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                 {"i": {"projectId": project, "name": "bench", "kind": "INGEST"}}, session)["createApiToken"]["token"]
    return session, project, token


def ingest_bodies(count, start):
    """`count` request bodies of EVENTS_PER_REQUEST native events each, with fixed uuids."""
    bodies = []
    for r in range(count):
        events = []
        for i in range(EVENTS_PER_REQUEST):
            n = r * EVENTS_PER_REQUEST + i
            events.append({"event": ("$pageview", "signed_up", "purchase")[n % 3], "user_id": f"b-user-{n % 500}",
                           "timestamp": rfc3339(start + dt.timedelta(seconds=n)), "uuid": str(uuid.uuid4()),
                           "properties": {"country": "NL", "plan": "pro", "amount": n % 100}})
        bodies.append(json.dumps(events).encode())
    return bodies


def run_ingest(port, token, bodies, rate, deadline):
    """Posts every body once, body i at begin + i / rate, from INGEST_THREADS keep-alive connections. Latency is
    measured from sending to the answer. Returns (latencies in s, non-2xx or failed requests, acknowledged events)."""
    latencies, errors, acknowledged, lock, cursor = [], [0], [0], threading.Lock(), [0]
    begin = time.perf_counter()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if cursor[0] >= len(bodies):
                    break
                index = cursor[0]
                cursor[0] += 1
            wait = begin + index / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            started = time.perf_counter()
            try:
                conn.request("POST", "/v1/events", bodies[index], {"Authorization": f"Bearer {token}",
                                                                   "Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
                acknowledged[0] += EVENTS_PER_REQUEST if ok else 0
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(INGEST_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], acknowledged[0]


class ReadyProbe(threading.Thread):
    """Asks GET /readyz every READYZ_EVERY seconds on a new connection (as a load balancer does) until stopped."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop, self.answers = port, threading.Event(), []  # (status or 0, seconds)

    def run(self):
        while not self.stop.is_set():
            started = time.perf_counter()
            status = 0
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", "/readyz")
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            self.answers.append((status, time.perf_counter() - started))
            self.stop.wait(max(0.0, READYZ_EVERY - (time.perf_counter() - started)))

    def summary(self):
        ok = sum(1 for status, _ in self.answers if status == 200)
        slowest = max((seconds for _, seconds in self.answers), default=0) * 1000
        return f"{ok} of {len(self.answers)} answered 200, slowest {slowest:.0f} ms"


class ReportClients:
    """`count` threads, each posting the heavy reports in turn on its own keep-alive connection until stopped.
    Stopping shuts the connections down, so reports still running are cut off (and their SQL cancelled)."""

    def __init__(self, port, session, project, reports, count):
        self.port, self.session, self.project, self.reports = port, session, project, reports
        self.stop, self.lock = threading.Event(), threading.Lock()
        self.completed, self.refused, self.failed, self.cut = {}, {}, {}, 0
        self.seconds = []
        self.conns = [None] * count
        self.threads = [threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(count)]

    def start(self):
        for t in self.threads:
            t.start()

    def worker(self, slot):
        turn = slot
        while not self.stop.is_set():
            name, kind, input_ = self.reports[turn % len(self.reports)]
            turn += 1
            conn = self.conns[slot] or http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            self.conns[slot] = conn
            body = json.dumps({"query": QUERIES[kind], "variables": {"p": self.project, "i": input_}}).encode()
            started = time.perf_counter()
            try:
                conn.request("POST", "/graphql", body, {"Content-Type": "application/json",
                                                        "Authorization": f"Bearer {self.session}"})
                response = conn.getresponse()
                status, answer = response.status, json.loads(response.read() or b"{}")
            except (OSError, http.client.HTTPException, ValueError):
                conn.close()
                self.conns[slot] = None
                with self.lock:
                    if self.stop.is_set():
                        self.cut += 1
                    else:
                        self.failed["connection"] = self.failed.get("connection", 0) + 1
                continue
            elapsed = time.perf_counter() - started
            errors = answer.get("errors") or []
            code = ((errors[0].get("extensions") or {}).get("code") or f"HTTP {status}") if errors else None
            with self.lock:
                if status == 200 and not errors:
                    self.completed[name] = self.completed.get(name, 0) + 1
                    self.seconds.append(elapsed)
                elif code == "RATE_LIMITED":
                    self.refused[code] = self.refused.get(code, 0) + 1
                else:
                    self.failed[code or f"HTTP {status}"] = self.failed.get(code or f"HTTP {status}", 0) + 1
                    if sum(self.failed.values()) == 1:
                        print(f"  first report failure ({name}): HTTP {status} {json.dumps(answer)[:300]}",
                              file=sys.stderr)

    def finish(self, grace=5.0):
        self.stop.set()
        deadline = time.monotonic() + grace
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        for conn in list(self.conns):  # still waiting for a report: cut it off
            if conn is not None and conn.sock is not None:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for t in self.threads:
            t.join(10)


def pct(seconds, p):
    """The percentile `p` of latencies in `seconds`, in milliseconds (NaN when there are none)."""
    return percentile(seconds, p) * 1000


def counts(mapping):
    return ", ".join(f"{key} {value}" for key, value in sorted(mapping.items())) or "none"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.environ.get("IV_BINARY") or str(REPO / ".build/release/insightvault"))
    parser.add_argument("--events", type=int, default=env_int("BENCH_ISOLATION_EVENTS", 2_000_000))
    parser.add_argument("--users", type=int, default=env_int("BENCH_ISOLATION_USERS", 200_000))
    parser.add_argument("--days", type=int, default=env_int("BENCH_ISOLATION_DAYS", 90))
    parser.add_argument("--requests", type=int, default=env_int("BENCH_ISOLATION_REQUESTS", 1_500))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_ISOLATION_RATE", 50)))
    parser.add_argument("--clients", type=int, default=env_int("BENCH_ISOLATION_CLIENTS", 8))
    parser.add_argument("--deadline", type=float, default=float(os.environ.get("BENCH_ISOLATION_DEADLINE", 1800)))
    args = parser.parse_args()
    end_of_run = time.monotonic() + args.deadline
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"isolation benchmark: no binary at {args.binary}")

    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-bench-isolation-", dir="/tmp"))
    root.chmod(0o755)
    # Rollups off: the heavy reports read raw events anyway, and a rollup pass would add load to one run only.
    server = Server(args.binary, root / "iv", root / "serve.log",
                    env={"LOG_LEVEL": "warning", "IV_ROLLUP_INTERVAL_SECONDS": "0"})
    try:
        server.wait_ready()
        port = server.port
        session_a, project_a, token_a = organization(port, "Reports")
        _, project_b, token_b = organization(port, "Ingest")

        started = time.perf_counter()
        seed_end = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
        env = {**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"}
        with open(root / "seed.log", "wb") as log:
            seed = subprocess.run([args.binary, "seed-demo", "--token", token_a, "--events", str(args.events),
                                   "--users", str(args.users), "--days", str(args.days), "--end", rfc3339(seed_end),
                                   "--data-dir", str(server.data_dir)], cwd=REPO, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=max(60.0, (end_of_run - time.monotonic()) * 0.6))
        if seed.returncode != 0:
            sys.exit(f"isolation benchmark: seed-demo failed:\n{(root / 'seed.log').read_text()[-2000:]}")
        seed_seconds = time.perf_counter() - started
        # Statistics for the freshly loaded rows, as autovacuum would gather within a minute of such a load: without
        # them PostgreSQL plans the reports for empty tables.
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            conn.execute("ANALYZE")

        # The heavy reports: raw-event paths over the whole seeded range.
        begin = seed_end - dt.timedelta(days=args.days)
        window = {"dateFrom": rfc3339(begin), "dateTo": rfc3339(seed_end)}
        reports = [
            ("trends by hour, filtered", "trends",
             {"series": [{"event": "$pageview", "math": "TOTAL"}, {"event": None, "math": "UNIQUE_USERS"}],
              "interval": "HOUR", "filters": [{"key": "country", "operator": "EQ", "value": "US"}], **window}),
            ("funnel with step filters", "funnel",
             {"steps": [{"event": "$pageview", "filters": [{"key": "browser", "operator": "EQ", "value": "Chrome"}]},
                        {"event": "signed_up", "filters": [{"key": "plan", "operator": "IS_SET"}]},
                        {"event": "activated"}, {"event": "purchase"}],
              "windowSeconds": 7 * 86400, "order": "ORDERED", **window}),
        ]
        single = {}
        for name, kind, input_ in reports:  # each accepted once, and timed alone
            started = time.perf_counter()
            status, body = graphql(port, QUERIES[kind], {"p": project_a, "i": input_}, session_a, timeout=600)
            if status != 200 or body.get("errors"):
                sys.exit(f"isolation benchmark: the {name} report is refused, HTTP {status}: {json.dumps(body)[:400]}")
            single[name] = (time.perf_counter() - started) * 1000

        # (a) ingestion alone.
        now = dt.datetime.now(dt.timezone.utc)
        probe = ReadyProbe(port)
        probe.start()
        alone, alone_errors, alone_acked = run_ingest(port, token_b, ingest_bodies(args.requests, now), args.rate,
                                                      end_of_run)
        probe.stop.set()
        probe.join()

        # (b) the same ingestion while A's clients run heavy reports.
        clients = ReportClients(port, session_a, project_a, reports, args.clients)
        clients.start()
        time.sleep(WARM_UP)
        busy_probe = ReadyProbe(port)
        busy_probe.start()
        busy, busy_errors, busy_acked = run_ingest(port, token_b,
                                                   ingest_bodies(args.requests, now + dt.timedelta(hours=1)),
                                                   args.rate, end_of_run)
        busy_probe.stop.set()
        clients.finish()
        busy_probe.join()

        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            stored = conn.execute("SELECT count(*) FROM events WHERE project_id = %s",
                                  (uuid.UUID(project_b),)).fetchone()[0]
            seeded = conn.execute("SELECT count(*) FROM events WHERE project_id = %s",
                                  (uuid.UUID(project_a),)).fetchone()[0]

        print(f"isolation benchmark: organization A {seeded} events ({args.users} users, {args.days} days) seeded in "
              f"{seed_seconds:.0f} s; organization B ingests {args.requests} requests of {EVENTS_PER_REQUEST} native "
              f"events at {args.rate:g} requests/s from {INGEST_THREADS} threads")
        print("  heavy reports alone: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in single.items()))
        print(f"  {'ingestion of B':34} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
              f"  /readyz")
        for label, latencies, errors, ready in [("(a) alone", alone, alone_errors, probe),
                                                (f"(b) {args.clients} report clients of A", busy, busy_errors,
                                                 busy_probe)]:
            print(f"  {label:34} {len(latencies):8} {pct(latencies, 0.5):8.1f} {pct(latencies, 0.95):8.1f} "
                  f"{pct(latencies, 0.99):8.1f} {errors:6}  {ready.summary()}")
        ratio = pct(busy, 0.95) / pct(alone, 0.95) if alone and busy else float("nan")
        print(f"  ratio p95(b)/p95(a): {ratio:.2f}")
        print(f"  reports during (b): completed {sum(clients.completed.values())} ({counts(clients.completed)}), "
              f"median {pct(clients.seconds, 0.5):.0f} ms; refused {sum(clients.refused.values())} "
              f"({counts(clients.refused)}); failed {sum(clients.failed.values())} ({counts(clients.failed)}); "
              f"cut off at the end {clients.cut}")
        expected = alone_acked + busy_acked
        print(f"  stored: {stored} of {expected} acknowledged events of B")
        if alone_errors or busy_errors or stored != expected:
            sys.exit("isolation benchmark: ingestion requests failed or acknowledged events are missing")
        if len(alone) < args.requests or len(busy) < args.requests:
            sys.exit("isolation benchmark: the deadline stopped a run early")
        if not clients.completed:
            sys.exit("isolation benchmark: no report completed during (b), so (b) measured no report load")
    finally:
        if server.process.poll() is None:
            server.terminate()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
