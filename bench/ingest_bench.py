#!/usr/bin/env python3
"""Ingestion benchmark (make bench): a release `insightvault serve` on a fresh embedded cluster with durable settings
(fsync and synchronous_commit on) that already holds IV_BENCH_PREFILL_EVENTS events (default 1,000,000), rolled up.
For live timestamps and for two-week-old ones (a backfill): N concurrent clients post batches of 100 native events
for a fixed number of events, a raw `COPY` of the same events into the same table by psql follows as the baseline,
then paced clients send at half the measured rate and at a quarter of the COPY rate (half the goal's 0.5x COPY)
for latency; last, single-event requests. Talks to 127.0.0.1 only; bounded in events and time."""
import argparse
import csv
import http.client
import json
import os
import pathlib
import shutil
import signal
import statistics
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from conftest import REPO, Server, owner_dsn  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "wrk"))
from run import (  # noqa: E402
    GOAL_COPY_SHARE, GOAL_PACE, discard_baseline, open_cluster, percentile, psql, superuser_dsn)


def make_events(count, start, span_ms):
    """`count` events with random uuids from 5,000 users, their times spread over `span_ms` from `start`."""
    events = []
    for i in range(count):
        events.append({
            "event": ("pageview", "signup", "purchase")[i % 3], "user_id": f"user-{i % 5000}",
            "timestamp": (start + timedelta(milliseconds=(i * 7919) % span_ms)).isoformat().replace("+00:00", "Z"),
            "uuid": str(uuid.uuid4()), "properties": {"country": "NL", "plan": "pro", "amount": i % 100},
        })
    return events


def run_clients(port, token, bodies, concurrency, rate=None, deadline=120.0):
    """Posts every body once across `concurrency` keep-alive connections; optional total rate limit (bodies/s)."""
    latencies, errors, lock = [], [0], threading.Lock()
    queue = list(enumerate(bodies))
    cursor = [0]
    begin = time.perf_counter()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() - begin < deadline:
            with lock:
                if cursor[0] >= len(queue):
                    break
                index, body = queue[cursor[0]]
                cursor[0] += 1
            if rate:
                wait = begin + index / rate - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            started = time.perf_counter()
            conn.request("POST", "/v1/events", body, {"Authorization": f"Bearer {token}",
                                                      "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - begin, latencies, errors[0]


def pct(seconds, p):
    """The percentile `p` of latencies in `seconds`, in milliseconds."""
    return percentile(seconds, p) * 1000


def copy_baseline(server, root, org, copy_project, events, name):
    """psql COPY of `events` into the same `events` table (another project) as the superuser (COPY ignores RLS only
    for roles that bypass it), durable settings unchanged: rows/s."""
    csv_path = root / f"{name}.csv"
    received = datetime.now(timezone.utc).isoformat()
    with open(csv_path, "w", newline="") as handle:
        writer = csv.writer(handle)
        for e in events:
            writer.writerow([org, copy_project, e["uuid"], e["event"], e["user_id"], e["timestamp"], received,
                             json.dumps(e["properties"])])
    copy_started = time.perf_counter()
    psql(server.data_dir,
         f"\\copy events (org_id, project_id, uuid, event, distinct_id, \"timestamp\", received_at, "
         f"properties) FROM '{csv_path}' WITH (FORMAT csv)")
    return len(events) / (time.perf_counter() - copy_started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(REPO / ".build/release/insightvault"))
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--single", type=int, default=5_000)
    parser.add_argument("--prefill", type=int, default=int(os.environ.get("IV_BENCH_PREFILL_EVENTS", "1000000")),
                        help="events stored (by SQL, with their keys) before the timed runs")
    parser.add_argument("--modes", default="live,backfill")
    parser.add_argument("--reuse", metavar="DIR",
                        help="a prefilled cluster kept for later runs (bench/wrk/run.py --reuse; same --prefill)")
    args = parser.parse_args()

    root, server, info = open_cluster(args.binary, args.prefill, reuse=args.reuse)
    try:
        org, project, copy_project, token = info["org"], info["project"], info["copy_project"], info["token"]
        with psycopg.connect(superuser_dsn(server.data_dir)) as conn:
            assert conn.execute("SHOW fsync").fetchone()[0] == "on"
            assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
            held_before = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
        print(f"ingest benchmark: {args.prefill} events stored (and rolled up) before; {args.events} events in "
              f"batches of {args.batch}, {args.clients} clients, durable (fsync on, synchronous_commit on)")

        expected = 0
        ratios = []
        half_p99s, goal_p99s = [], []
        for mode in args.modes.split(","):
            now = datetime.now(timezone.utc)
            # live: within the last four minutes; backfill: two weeks old, within an hour.
            start = now - (timedelta(minutes=4) if mode == "live" else timedelta(days=14, hours=1))
            span = 240_000 if mode == "live" else 3_600_000
            events = make_events(args.events, start, span)
            bodies = [json.dumps(events[i:i + args.batch]).encode() for i in range(0, len(events), args.batch)]

            # 1. Maximum batched rate, then the same rows by raw COPY.
            elapsed, latencies, errors = run_clients(server.port, token, bodies, args.clients)
            rate = args.events / elapsed
            copy_rate = copy_baseline(server, root, org, copy_project, events, mode)
            discard_baseline(server, copy_project)
            # 2. Paced, for latency under normal load: at half the maximum rate, and at half the goal's rate (0.5x
            # COPY, so 0.25x COPY).
            print(f"  {mode} timestamps:")
            print(f"    batched:        {rate:10.0f} events/s  p50 {pct(latencies, 0.5):6.1f} ms  "
                  f"p99 {pct(latencies, 0.99):6.1f} ms  errors {errors}")
            print(f"    psql COPY:      {copy_rate:10.0f} events/s (baseline, same rows, same table, same run)")
            print(f"    ratio:          {rate / copy_rate:10.2f} of raw COPY")
            ratios.append(rate / copy_rate)
            refused = errors
            for label, paced_rate, p99s in (("half rate:", rate / 2, half_p99s),
                                            (f"{GOAL_PACE}:", GOAL_COPY_SHARE * copy_rate, goal_p99s)):
                paced_events = make_events(min(args.events, 100_000), start, span)
                paced_bodies = [json.dumps(paced_events[i:i + args.batch]).encode()
                                for i in range(0, len(paced_events), args.batch)]
                _, paced_lat, paced_errors = run_clients(server.port, token, paced_bodies, args.clients,
                                                         rate=paced_rate / args.batch)
                expected += len(paced_events)
                refused += paced_errors
                p99s.append(pct(paced_lat, 0.99))
                print(f"    {label:15} {paced_rate:10.0f} events/s  p50 {pct(paced_lat, 0.5):6.1f} ms  "
                      f"p99 {pct(paced_lat, 0.99):6.1f} ms  errors {paced_errors}")
            expected += args.events
            if refused:
                sys.exit("benchmark run refused events")

        # 3. Single-event requests.
        singles = [json.dumps(e).encode() for e in make_events(args.single, datetime.now(timezone.utc), 1)]
        single_elapsed, single_lat, single_errors = run_clients(server.port, token, singles, args.clients)
        expected += args.single
        rss_kb = next(int(line.split()[1]) for line in open(f"/proc/{server.process.pid}/status")
                      if line.startswith("VmHWM"))
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            stored = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
        stored -= held_before
        print(f"  single events:    {args.single / single_elapsed:10.0f} requests/s  p50 {pct(single_lat, 0.5):6.1f} ms"
              f"  p99 {pct(single_lat, 0.99):6.1f} ms  errors {single_errors}")
        print(f"  server RSS:       {rss_kb / 1024:10.0f} MB (peak)")
        print(f"  stored:           {stored} of {expected} acknowledged events")
        print(f"  goal (>= 0.5x raw COPY, p99 < 25 ms at half the goal's rate, {GOAL_PACE}, live and backfill) met: "
              f"{'yes' if min(ratios) >= 0.5 and max(goal_p99s) < 25 else 'no'}")
        print(f"  p99 < 25 ms at half our rate, live and backfill: {'yes' if max(half_p99s) < 25 else 'no'}")
        if stored != expected or single_errors:
            sys.exit("benchmark run lost or refused events")
    finally:
        if server.process.poll() is None:
            server.terminate()
        if not args.reuse:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
