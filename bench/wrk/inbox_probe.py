#!/usr/bin/env python3
"""Would an inbox meet the ingestion p99 goal? (not in make bench: a probe for docs/benchmarks.md, "An inbox, probed").

A server could answer an ingestion request once its events are committed to an append-only table without indexes
(an inbox: one row per request), and move them into `events` in the background. Its answer would then wait for the
cheapest durable commit there is, one row, while the move's work (keys, events, the inbox's delete) still loads the
same WAL and disk. This probe measures that with PostgreSQL's own load generator, before any server code is written:
on a copy of a cluster prefilled by `bench/wrk/run.py --prefill N --reuse DIR --prefill-only`, it runs sides of
`--duration` seconds (after `--warmup` seconds not counted) at `--rate` events a second, in the order `--sides` gives:

- `raw`: bench/wrk/raw_insert.sql, the paced baseline of run.py (100 events per transaction into events, 16
  connections on 2 threads);
- `inbox`: bench/wrk/inbox_insert.sql (one row of 100 events per transaction, 16 connections), while
  bench/wrk/inbox_move.sql adds the load of moving the same rate (generated keys, raw_insert.sql's events, and the
  delete of old inbox rows) in transactions of 1,000 events on 2 connections with synchronous_commit off.

Both write two-week-old timestamps into the prefilled project (run.py's backfill). For each side it prints the events
a second reached, p50 / p99 / p99.9 / max of the timed transactions (from their scheduled start, as run.py counts),
the p99 of each minute, and the checkpoints, autovacuum runs, WAL written and times a backend found the WAL buffers
full meanwhile. `--set NAME=VALUE` tries a PostgreSQL setting for the whole run. Talks to 127.0.0.1 only; every side
is bounded by `--duration`."""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from run import (REPO, apply_settings, finish_pgbench, open_cluster, percentile, pgbench_log,  # noqa: E402
                 print_by_minute, start_pgbench, superuser_dsn)

HERE = pathlib.Path(__file__).resolve().parent
BACKFILL = {"ago": 14 * 86400 + 3600, "span": 3599}
"""The timestamps of every side: run.py's backfill hour, two weeks back."""


def counters(conn):
    """(checkpoints started, autovacuum runs finished, WAL bytes, times a backend found the WAL buffers full) so far."""
    return conn.execute(
        "SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),"
        " (SELECT sum(autovacuum_count) FROM pg_stat_all_tables),"
        " (SELECT wal_bytes::bigint FROM pg_stat_wal), (SELECT wal_buffers_full FROM pg_stat_wal)").fetchone()


def move_script(logs):
    """inbox_move.sql with raw_insert.sql's statement (its leading comment dropped) in place of its EVENTS line, written
    into `logs`: the move inserts the very rows the raw side does."""
    events = "".join(line for line in (HERE / "raw_insert.sql").read_text().splitlines(keepends=True)
                     if not line.startswith("--"))
    move = (HERE / "inbox_move.sql").read_text()
    marker = "-- EVENTS: raw_insert.sql's statement, put here by inbox_probe.py\n"
    if marker not in move:
        sys.exit("bench/wrk/inbox_move.sql has no EVENTS line for raw_insert.sql's statement")
    script = logs / "inbox_move.sql"
    script.write_text(move.replace(marker, events))
    return script


def side(args, server, info, root, kind, number):
    """One side: returns nothing, prints its line."""
    logs = root / f"side-{number}-{kind}"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    seconds = args.warmup + args.duration
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        before = counters(conn)
        began = time.time()
        mover = None
        rows = {"org": info["org"], "project": info["project"], **BACKFILL}
        if kind == "inbox":
            mover = start_pgbench(server.data_dir, move_script(logs), {**rows, "rows": 1000}, 2, 1, seconds,
                                  args.rate / 1000, logs, log=False, options="-c synchronous_commit=off")
            timed = start_pgbench(server.data_dir, HERE / "inbox_insert.sql", rows, 16, 2, seconds, args.rate / 100,
                                  logs)
        else:
            timed = start_pgbench(server.data_dir, HERE / "raw_insert.sql", {**rows, "rows": 100}, 16, 2, seconds,
                                  args.rate / 100, logs)
        finish_pgbench(timed, kind)
        if mover:
            finish_pgbench(mover, "move")
        after = counters(conn)
        pending = conn.execute("SELECT count(*) FROM bench_inbox").fetchone()[0]
    times, rate, minutes = pgbench_log(logs, since=began + args.warmup)
    elapsed = time.time() - began
    print(f"side {number} {kind:5}: {rate:6.0f} events/s, p50 {percentile(times, 0.5):5.1f} ms, "
          f"p99 {percentile(times, 0.99):6.1f} ms, p99.9 {percentile(times, 0.999):7.1f} ms, max {max(times):7.1f} ms; "
          f"{after[0] - before[0]} checkpoints, {after[1] - before[1]} autovacuum runs, "
          f"WAL {(after[2] - before[2]) / elapsed / 1e6:.1f} MB/s (buffers full {after[3] - before[3]} times)"
          + (f", {pending} inbox rows left" if mover else ""), flush=True)
    print_by_minute(f"side {number} {kind}", minutes)
    shutil.rmtree(logs, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", required=True, help="a cluster prefilled by run.py --reuse DIR --prefill-only")
    parser.add_argument("--prefill", type=int, default=10_000_000, help="the events it holds (default 10M)")
    parser.add_argument("--sides", default="raw,inbox,inbox,raw", help="comma-separated raw|inbox, in order")
    parser.add_argument("--rate", type=float, default=12_000, help="events a second of every side (default 12,000)")
    parser.add_argument("--duration", type=int, default=300, help="timed seconds per side (default 300)")
    parser.add_argument("--warmup", type=int, default=15, help="seconds per side not counted (default 15)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for the whole run (ALTER SYSTEM; a restart when it needs one)")
    args = parser.parse_args()
    sides = args.sides.split(",")
    if not set(sides) <= {"raw", "inbox"}:
        sys.exit("--sides takes raw and inbox")
    binary = str(REPO / ".build" / "release" / "insightvault")
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-inbox-", dir="/tmp"))
    root.chmod(0o755)  # the embedded cluster's postgres user must reach the copy
    try:
        subprocess.run(["cp", "-a", args.reuse, str(root / "cluster")], check=True)  # keeps owners (postgres)
        _, server, info = open_cluster(binary, args.prefill, reuse=root / "cluster")
        try:
            if args.set:
                server = apply_settings(server, binary, root / "cluster", args.set)
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                conn.execute("CREATE TABLE bench_inbox (id bigint GENERATED ALWAYS AS IDENTITY, org_id uuid NOT NULL,"
                             " project_id uuid NOT NULL, received_at timestamptz NOT NULL, payload text NOT NULL)")
                conn.execute("CHECKPOINT")
            print(f"{args.prefill} events prefilled; each side {args.duration} s at {args.rate:.0f} events/s "
                  f"after {args.warmup} s not counted" + "".join(f"; {setting}" for setting in args.set), flush=True)
            for number, kind in enumerate(sides, 1):
                side(args, server, info, root, kind, number)
        finally:
            server.terminate()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
