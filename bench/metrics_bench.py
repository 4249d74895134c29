#!/usr/bin/env python3
"""Metrics overhead benchmark (make bench): what recording Prometheus metrics costs ingestion. One embedded cluster
(durable: fsync and synchronous_commit on); the release server is started on it again for every run, alternately
with metrics off (`IV_METRICS_ADDRESS=off`: nothing is recorded) and on (the default, scraped every 5 s during the
run as Prometheus would), ABBA-ordered so drift in the machine or the table's size falls on both sides alike. Each
run posts the same number of native events in batches from concurrent clients; the medians of the runs are
compared. Goal: metrics cost at most 3 % of the throughput. Talks to 127.0.0.1 only; bounded in events and time."""
import argparse
import json
import pathlib
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from conftest import REPO  # noqa: E402
from ingest_bench import make_events, run_clients  # noqa: E402
from run import open_cluster  # noqa: E402  (bench/wrk/run.py, on the path through ingest_bench)


def one_run(binary, root, prefill, metrics_on, bodies, clients, events):
    """Starts the server on the cluster in `root`, posts `bodies`, stops it; returns events/s."""
    env = {} if metrics_on else {"IV_METRICS_ADDRESS": "off"}
    _, server, info = open_cluster(binary, prefill, reuse=str(root), env=env, log_name="serve-metrics.log")
    stop = threading.Event()
    scrapes = [0]

    def scrape():
        while not stop.wait(5):
            with urllib.request.urlopen(server.metrics_url(), timeout=10) as response:
                assert b"insightvault_ingest_events_total" in response.read()
            scrapes[0] += 1

    scraper = threading.Thread(target=scrape, daemon=True)
    try:
        if metrics_on:
            scraper.start()
        elapsed, _, errors = run_clients(server.port, info["token"], bodies, clients)
        if errors:
            sys.exit(f"the run refused {errors} requests")
        return events / elapsed, scrapes[0]
    finally:
        stop.set()
        if metrics_on:
            scraper.join()
        server.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(REPO / ".build/release/insightvault"))
    parser.add_argument("--events", type=int, default=150_000, help="events per run")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=6, help="runs with metrics on, and as many off (at least 5)")
    parser.add_argument("--prefill", type=int, default=100_000)
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-metrics-", dir="/tmp"))
    try:
        # Creates and prefills the cluster once; every run below starts on it again.
        _, server, _ = open_cluster(args.binary, args.prefill, reuse=str(root), log_name="serve-metrics.log")
        server.terminate()
        start = datetime.now(timezone.utc) - timedelta(minutes=4)
        rates = {False: [], True: []}
        order = [run % 4 in (1, 2) for run in range(2 * max(5, args.pairs))]  # off, on, on, off, ...
        print(f"metrics overhead: {len(order)} runs of {args.events} events in batches of {args.batch}, "
              f"{args.clients} clients, alternating metrics off/on, durable (fsync on, synchronous_commit on)")
        for metrics_on in order:
            events = make_events(args.events, start, 240_000)
            bodies = [json.dumps(events[i:i + args.batch]).encode() for i in range(0, len(events), args.batch)]
            rate, scrapes = one_run(args.binary, root, args.prefill, metrics_on, bodies, args.clients, args.events)
            rates[metrics_on].append(rate)
            print(f"  metrics {'on ' if metrics_on else 'off'}: {rate:10.0f} events/s"
                  + (f"  ({scrapes} scrapes)" if metrics_on else ""))
        off, on = statistics.median(rates[False]), statistics.median(rates[True])
        cost = (off - on) / off
        print(f"  median off:  {off:10.0f} events/s (baseline, same cluster, same script)")
        print(f"  median on:   {on:10.0f} events/s")
        print(f"  ratio:       {on / off:10.3f} (on / off); cost {cost * 100:+.1f} %")
        print(f"  goal (metrics cost at most 3 % of ingestion throughput) met: {'yes' if cost <= 0.03 else 'no'}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
