#!/usr/bin/env python3
"""Ingestion under wrk (make bench): Debian's `wrk` with bench/wrk/ingest.lua (2 threads x 16 connections, batches of
100 native events from 37 users with four properties each) against a release `insightvault serve` on a fresh embedded
cluster (fsync and synchronous_commit on) that already holds IV_BENCH_PREFILL_EVENTS events (default 1,000,000; the
issue's 10M: IV_BENCH_PREFILL_EVENTS=10000000), rolled up. Two timed runs, live timestamps and two-week-old ones
(backfill); after each, the rows that run stored are exported and loaded again by a raw `COPY` into the same
partitioned, indexed `events` table (another project) in the same cluster: events/s of both and the ratio. Each
timed run is followed by two paced for the latency, at half its rate and at half the goal's rate (0.5x COPY, so a
quarter of the COPY rate), each by the same rate of raw INSERTs of such events by pgbench (bench/wrk/raw_insert.sql)
into the same project, each side after a warm-up at its rate and a checkpoint (paced_run): the p99 of both and their
ratio.
`--stats` also loads pg_stat_statements (a restart of the cluster) and prints the statements that took the time and
the WAL bytes per event of both. Talks to 127.0.0.1 only; each wrk run is bounded by `--duration`."""
import argparse
import contextlib
import hashlib
import os
import pathlib
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "e2e"))
from conftest import REPO, Server, owner_dsn  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def superuser_login(data_dir):
    """The embedded cluster's port and its superuser's (iv_admin) password."""
    import json
    secrets_ = json.loads((data_dir / "secrets.json").read_text())
    state = json.loads((data_dir / "postgres.json").read_text())
    return state["port"], secrets_["superuserPassword"]


def superuser_dsn(data_dir):
    port, password = superuser_login(data_dir)
    return (f"host=127.0.0.1 port={port} dbname=insightvault user=iv_admin "
            f"password={password} connect_timeout=5")


def psql(data_dir, command):
    port, password = superuser_login(data_dir)
    env = {**os.environ, "PGPASSWORD": password}
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "iv_admin", "-d", "insightvault",
                    "-v", "ON_ERROR_STOP=1", "-c", command], check=True, env=env, capture_output=True)


def prefill(conn, org, project, count):
    """`count` events over the last 60 days (40 per user, four event names, four properties) with their keys,
    inserted in chunks by SQL: the state a server is in after months of ingestion, reached in minutes."""
    conn.execute("SELECT iv_ensure_event_partition(now() - make_interval(days => d)) FROM generate_series(0, 61, 20) d")
    chunk = 500_000
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        conn.execute(
            """
            WITH g AS (
                SELECT gen_random_uuid() AS u, i,
                       now() - interval '60 days' + (i::double precision / %(total)s) * interval '60 days' AS t
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) i
            ), k AS (
                INSERT INTO event_keys (org_id, project_id, uuid, "timestamp")
                SELECT %(org)s, %(project)s, u, t FROM g
            )
            INSERT INTO events (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
            SELECT %(org)s, %(project)s, u, (ARRAY['$pageview', 'signed_up', 'purchase', 'clicked_button'])[1 + i %% 4],
                   'prefill-' || (i %% greatest(1, %(total)s / 40)), t, t,
                   jsonb_build_object('country', (ARRAY['US', 'DE', 'NL', 'FR'])[1 + i %% 4], 'plan', 'pro',
                                      'path', '/p/' || (i %% 50), 'amount', i %% 500)
            FROM g
            """, {"org": org, "project": project, "total": count, "lo": start, "hi": start + n - 1})
        conn.commit()
    # Written by SQL, the events skip the writer's dirty marks: mark their closed days as the writer marks late
    # events', so that the rollups hold them (a long prefill outlasts the rollup service's interval, and the service
    # builds the days it finds before the rest of their events are in).
    conn.execute(
        """
        SELECT iv_mark_rollup_day_list(%(org)s, %(project)s, ARRAY(
            SELECT d::date FROM generate_series(
                (SELECT min("timestamp") FROM events WHERE project_id = %(project)s)::date,
                (now() - interval '2 hours')::date - 1, interval '1 day') d))
        """, {"org": org, "project": project})
    conn.execute("ANALYZE events")
    conn.execute("ANALYZE event_keys")
    conn.commit()


def open_cluster(binary, prefill_count, reuse=None, env=None, log_name="serve.log"):
    """A started release server on a cluster that holds `prefill_count` prefilled, rolled-up events, with a bench
    organization, an ingest project and token, and a second project for the COPY baseline. With `reuse` (a directory),
    the cluster is created and prefilled there once (bench.json records it) and later runs start on it again, so a
    10M-event run need not seed for 12 minutes each time; settings earlier runs made with ALTER SYSTEM are reset.
    Returns (root, server, info); info has org, project, copy_project, token, prefill and seeded (seconds, or None
    when reused)."""
    if reuse:
        root = pathlib.Path(reuse)
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = pathlib.Path(tempfile.mkdtemp(prefix="iv-wrk-", dir="/tmp"))
    root.chmod(0o755)
    server = Server(binary, root / "iv", root / log_name, env={"LOG_LEVEL": "warning", **(env or {})})
    try:
        return root, server, _prepare_cluster(server, binary, root, reuse, prefill_count)
    except BaseException:
        if server.process.poll() is None:
            server.terminate()
        raise


def _prepare_cluster(server, binary, root, reuse, prefill_count):
    import json
    server.wait_ready()
    record = root / "bench.json"
    if reuse and record.exists():
        info = json.loads(record.read_text())
        if info["prefill"] != prefill_count:
            sys.exit(f"{root} holds {info['prefill']} prefilled events, not {prefill_count}")
        with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
            conn.execute("ALTER SYSTEM RESET ALL")
            conn.execute("SELECT pg_reload_conf()")
        info["seeded"] = None
        return info
    org, project, copy_project = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token = "iv_ing_" + secrets.token_hex(16)
    with psycopg.connect(superuser_dsn(server.data_dir)) as conn:
        conn.execute("INSERT INTO organizations (org_id, name) VALUES (%s, 'bench')", (org,))
        for p in (project, copy_project):
            conn.execute("INSERT INTO projects (org_id, project_id, name) VALUES (%s, %s, 'bench')", (org, p))
        conn.execute("INSERT INTO api_tokens (org_id, token_id, kind, name, project_id, prefix, token_hash) "
                     "VALUES (%s, %s, 'INGEST', 'bench', %s, 'iv_ing_', %s)",
                     (org, uuid.uuid4(), project, hashlib.sha256(token.encode()).digest()))
        conn.commit()
        began = time.perf_counter()
        prefill(conn, org, project, prefill_count)
        prefill_seconds = time.perf_counter() - began
    began = time.perf_counter()
    subprocess.run([binary, "rollups", "refresh", "--data-dir", str(server.data_dir)], check=True,
                   capture_output=True, cwd=REPO,
                   env={**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"})
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        wait_for_rollups(conn, project)
        refresh_seconds = time.perf_counter() - began
        conn.execute("CHECKPOINT")
    info = {"org": str(org), "project": str(project), "copy_project": str(copy_project), "token": token,
            "prefill": prefill_count}
    if reuse:
        record.write_text(json.dumps(info))
    info["seeded"] = (prefill_seconds, refresh_seconds)
    return info


def wait_for_rollups(conn, project, limit_seconds=3600):
    """Waits until the project's history is rolled up back to its first event's day with none of its closed days
    dirty. The server's rollup service starts on a long prefill (10M events take longer than its interval) before
    `rollups refresh` does, and the command may return while the service is still building: without this wait the
    service could go on rolling up during the measured runs."""
    first_day = conn.execute('SELECT min("timestamp")::date FROM events WHERE project_id = %s', (project,)).fetchone()[0]
    deadline = time.monotonic() + limit_seconds
    while True:
        built_from = conn.execute("SELECT built_from FROM rollup_state WHERE project_id = %s", (project,)).fetchone()
        dirty = conn.execute("SELECT count(*) FROM rollup_dirty WHERE project_id = %s "
                             "AND day < (now() - interval '2 hours')::date", (project,)).fetchone()[0]
        if built_from and built_from[0] is not None and built_from[0] <= first_day and dirty == 0:
            return
        if time.monotonic() > deadline:
            sys.exit(f"the prefilled events were not rolled up within {limit_seconds} s")
        time.sleep(2)


def apply_settings(server, binary, root, settings, env=None, log_name="serve.log"):
    """ALTER SYSTEM for each NAME=VALUE and a reload; a restart of serve (which stops and starts its cluster) when
    one needs it, such as shared_buffers. Returns the server now running."""
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        for setting in settings:
            name, value = setting.split("=", 1)
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)
        pending = conn.execute("SELECT count(*) FROM pg_settings WHERE pending_restart").fetchone()[0]
    if pending:
        server.terminate()
        server = Server(binary, root / "iv", root / log_name, env={"LOG_LEVEL": "warning", **(env or {})})
        server.wait_ready()
    return server


def discard_baseline(server, copy_project):
    """Deletes the COPY baseline's rows once they are timed, and vacuums them away, before anything else is measured.
    Left in place, they are a project with hundreds of thousands of new events: the rollup service rolled up its days
    during the next measured run (15-20 s of CPU at 650,000 events), which showed as a tail in the paced runs.
    Then the page cache is written out (`sync`): the baseline's CSV file (about 190 MB per run) was otherwise written
    back by the kernel 30 s after it was written (`vm.dirty_expire_centisecs`), in the middle of the paced run, and
    the disk's burst held both writers' commits for 80-90 ms at once."""
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        conn.execute("DELETE FROM events WHERE project_id = %s", (copy_project,))
        conn.execute("VACUUM events")
    os.sync()


def cpu_seconds(pids):
    """User plus system CPU seconds of `pids` (and their exited, waited-for children) so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            # Exited since it was listed (an autovacuum worker, a backend): /proc/PID is gone, or still there but
            # unreadable (ESRCH).
            continue
        total += sum(int(x) for x in fields[11:15])
    return total / ticks


def postgres_pids(data_dir):
    """The postmaster of the embedded cluster and its children (backends, WAL writer, checkpointer, ...)."""
    postmaster = int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster] + [int(x) for x in children]


def wal_lsn(conn):
    return conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]


def wal_bytes(conn, since):
    return conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", (since,)).fetchone()[0]


def top_statements(conn, limit=8):
    rows = conn.execute(
        """
        SELECT calls, round(total_exec_time::numeric, 0), rows, round(wal_bytes::numeric / 1048576, 1),
               regexp_replace(left(query, 110), '\\s+', ' ', 'g')
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT %s
        """, (limit,)).fetchall()
    return rows


def run_wrk(args, server, token, mode, duration, rate=None):
    """One wrk run; `rate`: requests a second for each thread (paced), else as fast as the answers come. Returns the
    WRK_RESULT numbers."""
    env = {**os.environ, "IV_WRK_RATE": f"{rate:.3f}"} if rate else None
    completed = subprocess.run(
        ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
         "-s", str(HERE / "ingest.lua"), f"http://127.0.0.1:{server.port}", "--", token, mode],
        check=True, capture_output=True, text=True, env=env)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("WRK_RESULT"))
    return dict(re.findall(r"(\w+)=(\d+)", line))


def run_raw_inserts(args, server, root, org, raw_project, mode, duration, rate):
    """The paced run's baseline: pgbench (PostgreSQL's own load generator, --rate) inserts `rate` events a second in
    transactions of 100 (bench/wrk/raw_insert.sql, the wrk script's rows) into the same table of the same cluster, as
    `raw_project`, with wrk's threads and connections (2 and 16), for `duration` seconds. Returns pgbench_log's times,
    events a second and minutes."""
    ago, span = (14 * 86400 + 3600, 3599) if mode == "backfill" else (60, 59)
    logs = root / f"pgbench-{mode}"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    finish_pgbench(start_pgbench(
        server.data_dir, HERE / "raw_insert.sql",
        {"org": org, "project": raw_project, "ago": ago, "span": span, "rows": 100},
        args.connections, args.threads, duration, rate / 100, logs))
    return pgbench_log(logs)


PGBENCH = "/usr/lib/postgresql/15/bin/pgbench"


def start_pgbench(data_dir, script, variables, clients, threads, seconds, tps, logs, log=True, options=None):
    """pgbench (PostgreSQL's own load generator) running `script` (its `variables` given with -D, sent as parameters
    with -M prepared) at `tps` transactions a second on `clients` connections and `threads` threads for `seconds`, as
    the cluster's superuser, in the directory `logs`, where with `log` it writes each transaction's line (pgbench_log);
    `options` is PGOPTIONS (e.g. a setting for its sessions). Returns the process (finish_pgbench waits for it)."""
    port, password = superuser_login(data_dir)
    command = [PGBENCH, "-h", "127.0.0.1", "-p", str(port), "-U", "iv_admin", "-n", f"-c{clients}", f"-j{threads}",
               f"-T{seconds}", f"-R{tps:.3f}", "-M", "prepared", "-f", str(script)]
    if log:
        command += ["-l", "--log-prefix", str(logs / "tx")]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    environment = {**os.environ, "PGPASSWORD": password}
    if options:
        environment["PGOPTIONS"] = options
    return subprocess.Popen(command + ["insightvault"], cwd=logs, env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish_pgbench(process, what=""):
    """Waits for a start_pgbench process; exits the benchmark with pgbench's error when it failed."""
    _, err = process.communicate()
    if process.returncode != 0:
        sys.exit(f"pgbench{f' ({what})' if what else ''} failed ({process.returncode}): {err.strip()}")


def pgbench_log(logs, since=0):
    """The transactions pgbench logged in `logs` that ended at or after `since` (epoch seconds): each one's time in ms
    from its start (pgbench's logged latency counts from the scheduled start: its schedule lag is taken off, as wrk
    counts from the send), the events a second they reached (100 a transaction), and the times by UTC minute of their
    end (for print_by_minute)."""
    times, ends = [], []
    for log in logs.glob("tx*"):
        for line in log.read_text().splitlines():
            # client transaction latency_us script epoch_s epoch_us lag_us: latency counts from the scheduled start.
            fields = line.split()
            end = int(fields[4]) + int(fields[5]) / 1e6
            if end >= since:
                times.append((int(fields[2]) - int(fields[6])) / 1000)
                ends.append(end)
    achieved = 100 * len(times) / max(1e-9, max(ends) - min(ends)) if ends else 0
    minutes = {}
    for took, end in zip(times, ends):
        minutes.setdefault(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(end)), []).append(took)
    return times, achieved, minutes


def print_by_minute(label, minutes):
    """For a long paced run (`--paced-duration` of minutes, so checkpoints come as the WAL asks for them): the p99 of
    each UTC minute ("YYYY-MM-DDTHH:MM" -> times in ms, printed as HH:MM) and its count, which shows whether the tail
    is spread over the run or held by a few minutes (a checkpoint's start). Nothing for a run within two minutes (the
    first and last are partial)."""
    if len(minutes) > 2:
        print(f"  {label} by minute (p99 ms): " + ", ".join(
            f"{minute[11:]} {percentile(values, 0.99):.1f} ({len(values)})"
            for minute, values in sorted(minutes.items())))


GOAL_COPY_SHARE = 0.25
"""The paced run at half the goal's rate: the goal is 0.5x the raw COPY rate, and the p99 is judged at half of it
(bench/ingest_bench.py paces at it too)."""
GOAL_PACE = f"{GOAL_COPY_SHARE}x COPY"


def paced_run(args, server, root, token, org, project, copy_project, mode, target):
    """One paced wrk run at `target` events a second for `--paced-duration` seconds (the latency under normal load),
    then (`--raw-first`: before) the same rate of raw INSERTs by pgbench (run_raw_inserts). Returns (target, events/s
    reached, p50, p99, p99.9, max, error answers, CPU/IO pressure, (raw events/s, raw p50, raw p99, raw pressure)).

    The two sides start alike: each first runs at its rate for `--paced-warmup` seconds, not counted (else our run
    starts on the pages the baseline's delete and vacuum just left, discard_baseline), then a checkpoint starts a
    cycle for it (checkpoint_before_side), and the raw inserts go into the index ranges our events go into (wrk's
    project; a backfill's hour holds hundreds of thousands of events there by then, while the baseline's project
    holds none). Before 2026-12-06 none of the three was done, and the raw inserts, following ours in the same
    checkpoint cycle into an empty project, wrote almost no full page images for backfill (0.00-0.01 per event
    against our 0.14-0.26; docs/benchmarks.md, A fair raw baseline)."""
    raw_project = project if args.raw_into_ours else copy_project
    if args.raw_first:
        raw = raw_side(args, server, root, org, raw_project, mode, target)
    ours = our_paced_side(args, server, token, project, mode, target)
    if not args.raw_first:
        raw = raw_side(args, server, root, org, raw_project, mode, target)
    discard_baseline(server, copy_project)
    return (target, *ours, raw)


def our_paced_side(args, server, token, project, mode, target):
    """Our side of paced_run: (events/s reached, p50, p99, p99.9, max, error answers, CPU/IO pressure)."""
    rate = target / 100 / args.threads
    if args.paced_warmup:
        run_wrk(args, server, token, mode, args.paced_warmup, rate=rate)
    checkpoint_before_side(args, server)
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        before = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
        counters = wal_counters(conn)
    log_offset = server.log_path.stat().st_size
    paced_mark = pressure_mark()
    with WaitSampler(server.data_dir) if args.waits else contextlib.nullcontext() as sampler:
        paced = run_wrk(args, server, token, mode, args.paced_duration, rate=rate)
    stalled = pressure_shares(paced_mark)
    if args.rounds:
        print_rounds(server.log_path, log_offset, mode)
    if sampler:
        sampler.report(mode)
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        paced_stored = conn.execute("SELECT count(*) FROM events WHERE project_id = %s",
                                    (project,)).fetchone()[0] - before
        print_wal_since(conn, counters, f"{mode} paced run at {target:.0f}/s", paced_stored)
    paced_errors = sum(int(paced[k]) for k in paced if k.startswith("errors_") or k == "non2xx")
    return (paced_stored / (int(paced["duration_us"]) / 1e6),
            *(int(paced[k]) / 1000 for k in ("p50_us", "p99_us", "p999_us", "max_us")),
            paced_errors, stalled)


def checkpoint_before_side(args, server):
    """A checkpoint right before each side of a paced run is measured (unless `--no-checkpoint-each`), so that both
    start a checkpoint cycle and pay its full page images. Without it a checkpoint starts when the WAL written since the
    last one reaches `max_wal_size`, which at these rates is during one side's run, and the other side (usually the
    raw inserts that follow) then finds the same pages already written once in the cycle."""
    if args.checkpoint_each:
        with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
            conn.execute("CHECKPOINT")


def raw_side(args, server, root, org, raw_project, mode, target):
    """The raw-insert side of paced_run: (events/s reached, p50, p99, CPU/IO pressure)."""
    os.sync()
    if args.paced_warmup:
        run_raw_inserts(args, server, root, org, raw_project, mode, args.paced_warmup, target)
    checkpoint_before_side(args, server)
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        counters = wal_counters(conn)
    raw_mark = pressure_mark()
    raw_times, raw_rate, minutes = run_raw_inserts(args, server, root, org, raw_project, mode, args.paced_duration,
                                                   target)
    stalled = pressure_shares(raw_mark)
    print_by_minute(f"{mode} raw inserts", minutes)
    with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
        print_wal_since(conn, counters, f"{mode} raw inserts at {target:.0f}/s", 100 * len(raw_times))
    return raw_rate, percentile(raw_times, 0.5), percentile(raw_times, 0.99), stalled


def percentile(values, p):
    """The nearest-rank percentile `p` (0 to 1) of `values`, in their unit; NaN when there are none. The benchmarks
    (this one, bench/ingest_bench.py, bench/isolation_bench.py) all report with it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def print_rounds(log_path, offset, mode):
    """The server's side of the paced run's latency: its debug lines for each committed round (EventWriter) and its
    access log's time for each ingestion request. A round's percentiles count each round once, however many requests
    it held; rounds that waited long hold more requests, so its p99 is below that of the requests (the access log's,
    which is what wrk sees)."""
    import json
    rounds, requests, minutes = [], [], {}
    with open(log_path, "rb") as handle:
        handle.seek(offset)
        for line in handle:
            if b"event round committed" in line:
                record = json.loads(line)
                rounds.append((int(record["longestWaitMs"]), int(record["transactionMs"]), int(record["requests"])))
            elif b'"route":"/v1/events"' in line:
                record = json.loads(line)
                requests.append(float(record["duration_ms"]))
                minutes.setdefault(record["ts"][:16], []).append(requests[-1])
    if not rounds:
        print(f"  {mode} rounds: none logged (needs a server with the round log)")
        return

    waits, transactions = [r[0] for r in rounds], [r[1] for r in rounds]
    print(f"  {mode} rounds (server side): {len(rounds)}, {sum(r[2] for r in rounds) / len(rounds):.1f} requests "
          f"each; longest wait p50 {percentile(waits, 0.5)} / p99 {percentile(waits, 0.99)} / max {max(waits)} ms; "
          f"transaction p50 {percentile(transactions, 0.5)} / p99 {percentile(transactions, 0.99)} / max "
          f"{max(transactions)} ms; rounds with a wait over 25 ms: {sum(w > 25 for w in waits)}")
    if requests:
        print(f"  {mode} requests (server side, access log): {len(requests)}; p50 {percentile(requests, 0.5):.1f} / "
              f"p99 {percentile(requests, 0.99):.1f} / max {max(requests):.1f} ms")
    print_by_minute(f"{mode} requests (access log)", minutes)


class WaitSampler:
    """With --waits: what PostgreSQL's processes wait for during a paced run, from `pg_stat_activity` every 20 ms on a
    connection of its own. An app backend with no wait event is on a CPU or waiting for one. `IO:WALInitWrite` and
    `IO:WALInitSync` are a new 16 MB WAL segment being zero-filled and synced while the WAL write lock is held: every
    commit waits meanwhile (none is created while enough recycled segments are left)."""

    def __init__(self, data_dir):
        import threading
        self.data_dir, self.counts, self.samples, self.seconds = data_dir, {}, 0, set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    def run(self):
        with psycopg.connect(superuser_dsn(self.data_dir), autocommit=True) as conn:
            while not self.stop.wait(0.02):
                rows = conn.execute(
                    "SELECT CASE WHEN usename = 'insightvault_app' THEN 'app' ELSE backend_type END, "
                    "coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity "
                    "WHERE (usename = 'insightvault_app' AND state = 'active') "
                    "OR (backend_type <> 'client backend' AND wait_event_type IS DISTINCT FROM 'Activity')").fetchall()
                self.samples += 1
                for process, wait in rows:
                    self.counts[(process, wait)] = self.counts.get((process, wait), 0) + 1
                    if wait.startswith("IO:WALInit"):
                        self.seconds.add(int(time.time()))

    def report(self, mode):
        app = sorted(((n, w) for (p, w), n in self.counts.items() if p == "app"), reverse=True)
        total = sum(n for n, _ in app) or 1
        others = sorted(((n, f"{p} {w}") for (p, w), n in self.counts.items() if p != "app"), reverse=True)
        print(f"  {mode} waits ({self.samples} samples of pg_stat_activity): app backends "
              + ", ".join(f"{w} {n / total:.0%}" for n, w in app[:6])
              + "; others (samples) " + ", ".join(f"{w} {n}" for n, w in others[:4])
              + f"; seconds with a new WAL segment made in a commit: {len(self.seconds)}")


def wal_counters(conn):
    """Full page images and bytes written to the WAL, and checkpoints started, since the statistics were reset."""
    fpi, written = conn.execute("SELECT wal_fpi, wal_bytes FROM pg_stat_wal").fetchone()
    started = conn.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter").fetchone()[0]
    return fpi, int(written), started


def print_wal_since(conn, counters, label, events):
    """Prints the checkpoints started since `counters` (wal_counters) were read, and the WAL bytes and full page
    images written since, per event of the `events` written in between."""
    fpi, written, started = (b - a for a, b in zip(counters, wal_counters(conn)))
    print(f"  {label}: checkpoints started {started}; WAL {written / max(1, events):.0f} bytes and "
          f"{fpi / max(1, events):.2f} full page images per event")


def pressure_mark():
    """Where the pressure totals and the clock stand now, for `pressure_shares`."""
    return pressure_totals(), time.perf_counter()


def pressure_shares(mark):
    """The share of the time since `mark` in which some task waited for a CPU, for I/O (PSI 'some')."""
    totals, began = mark
    seconds = time.perf_counter() - began
    return {k: (v - totals[k]) / 1e6 / seconds for k, v in pressure_totals().items()}


def pressure_text(shares):
    return f"{shares.get('cpu', float('nan')):.0%} / {shares.get('io', float('nan')):.0%}"


def pressure_totals():
    """Linux pressure stall totals (microseconds some task waited for a CPU, for I/O) since boot; empty without PSI.
    Their growth over a run says how much of it the machine's other processes kept ours waiting."""
    totals = {}
    for kind in ("cpu", "io"):
        try:
            first = pathlib.Path(f"/proc/pressure/{kind}").read_text().splitlines()[0]
        except (FileNotFoundError, IndexError, PermissionError):
            continue
        totals[kind] = int(first.rsplit("total=", 1)[1])
    return totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(REPO / ".build/release/insightvault"))
    parser.add_argument("--prefill", type=int, default=int(os.environ.get("IV_BENCH_PREFILL_EVENTS", "1000000")))
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--modes", default="live,backfill")
    parser.add_argument("--stats", action="store_true",
                        help="load pg_stat_statements and print the top statements; log some plans (auto_explain)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for this run only (ALTER SYSTEM and a reload), e.g. wal_compression=lz4")
    parser.add_argument("--paced", type=float, default=0.5,
                        help="after each run, one paced at this fraction of its rate for the latency (0: only the one "
                        "at the goal's pace, unless --no-goal-paced)")
    parser.add_argument("--paced-duration", type=int, default=20)
    parser.add_argument("--paced-warmup", type=int, default=15,
                        help="seconds each side of a paced run first runs at its rate, not counted (paced_run)")
    parser.add_argument("--no-checkpoint-each", dest="checkpoint_each", action="store_false",
                        help="no checkpoint right before each side of a paced run is measured (checkpoint_before_side)")
    parser.add_argument("--raw-into-baseline", dest="raw_into_ours", action="store_false",
                        help="the paced runs' raw inserts go into the baseline's project, which holds no rows then, "
                        "instead of wrk's project (the index ranges our events go into); the benchmark's form "
                        "before 2026-12-06")
    parser.add_argument("--raw-first", action="store_true",
                        help="in each paced run, the raw inserts before our run instead of after it")
    parser.add_argument("--no-goal-paced", dest="goal_paced", action="store_false",
                        help="skip the paced run at half the goal's rate (0.25x the COPY rate just measured)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for serve, e.g. IV_ROLLUP_INTERVAL_SECONDS=0")
    parser.add_argument("--rounds", action="store_true",
                        help="serve at LOG_LEVEL=debug and print the server's own round times of the paced runs")
    parser.add_argument("--waits", action="store_true",
                        help="sample pg_stat_activity every 20 ms during the paced runs and print what PostgreSQL "
                        "waited for")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (and the cluster's log)")
    parser.add_argument("--reuse", metavar="DIR",
                        help="a directory for a prefilled cluster that later runs start on again (kept)")
    parser.add_argument("--prefill-only", action="store_true", help="with --reuse: create and prefill, then stop")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (scripts/install-deps.sh --test installs it)")

    env = {"LOG_LEVEL": "debug" if args.rounds else "warning", **dict(x.split("=", 1) for x in args.env)}
    root, server, info = open_cluster(args.binary, args.prefill, reuse=args.reuse, env=env)
    try:
        if args.prefill_only:
            return
        if args.stats:
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                conn.execute("ALTER SYSTEM SET shared_preload_libraries = pg_stat_statements, auto_explain")
                conn.execute("ALTER SYSTEM SET track_io_timing = on")
            server.terminate()
            server = Server(args.binary, root / "iv", root / "serve.log", env=env)
            server.wait_ready()
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                conn.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'")
                # A few writer statements' plans (EXPLAIN ANALYZE, BUFFERS, WAL) go to the cluster's log, kept in
                # --keep's directory.
                for name, value in (("log_min_duration", "0"), ("log_analyze", "on"), ("log_buffers", "on"),
                                    ("log_wal", "on"), ("log_nested_statements", "on"), ("sample_rate", "0.003")):
                    conn.execute(f"ALTER SYSTEM SET auto_explain.{name} = '{value}'")
                conn.execute("SELECT pg_reload_conf()")

        if args.set:
            server = apply_settings(server, args.binary, root, args.set, env=env)
            print(f"  settings for this run: {', '.join(args.set)}")

        org, project, copy_project = info["org"], info["project"], info["copy_project"]
        token = info["token"]
        with psycopg.connect(superuser_dsn(server.data_dir)) as conn:
            assert conn.execute("SHOW fsync").fetchone()[0] == "on"
            assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "on"
            held = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        seeded = (f"prefilled ({info['seeded'][0]:.0f} s) and rolled up ({info['seeded'][1]:.0f} s)"
                  if info["seeded"] else f"prefilled earlier in {root}, {held} events in the cluster now")
        print(f"wrk ingest benchmark: release server, fsync and synchronous_commit on, {args.prefill} events "
              f"{seeded}; wrk -t{args.threads} -c{args.connections} -d{args.duration}s, 100 native events a "
              "request from 37 users")

        results, paced_results = [], []
        for mode in args.modes.split(","):
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                conn.execute("CHECKPOINT")
                if args.stats:
                    conn.execute("SELECT pg_stat_statements_reset()")
                before = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
                marker = conn.execute("SELECT clock_timestamp()").fetchone()[0]
                lsn = wal_lsn(conn)
            server_cpu = cpu_seconds([server.process.pid])
            pg_pids = postgres_pids(server.data_dir)
            pg_cpu = cpu_seconds(pg_pids)
            wrk_result = run_wrk(args, server, token, mode, args.duration)
            server_cpu = cpu_seconds([server.process.pid]) - server_cpu
            pg_cpu = cpu_seconds(set(pg_pids) | set(postgres_pids(server.data_dir))) - pg_cpu
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                ours_wal = wal_bytes(conn, lsn)
                stored = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()[0]
                stored -= before
                statements = top_statements(conn) if args.stats else []
                conn.execute("CHECKPOINT")
            seconds = int(wrk_result["duration_us"]) / 1e6
            rate = stored / seconds
            errors = sum(int(wrk_result[k]) for k in wrk_result if k.startswith("errors_") or k == "non2xx")

            # The baseline: the very rows this run stored, loaded again by COPY into the same table.
            csv_path = root / f"{mode}.csv"
            psql(server.data_dir,
                 f"\\copy (SELECT org_id, '{copy_project}'::uuid, uuid, event, distinct_id, \"timestamp\", "
                 f"received_at, properties FROM events WHERE project_id = '{project}' AND received_at >= "
                 f"'{marker.isoformat()}') TO '{csv_path}' WITH (FORMAT csv)")
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                lsn = wal_lsn(conn)
            copy_started = time.perf_counter()
            psql(server.data_dir,
                 f"\\copy events (org_id, project_id, uuid, event, distinct_id, \"timestamp\", received_at, "
                 f"properties) FROM '{csv_path}' WITH (FORMAT csv)")
            copy_seconds = time.perf_counter() - copy_started
            with psycopg.connect(superuser_dsn(server.data_dir), autocommit=True) as conn:
                copy_wal = wal_bytes(conn, lsn)
            copy_rate = stored / copy_seconds
            discard_baseline(server, copy_project)
            print(f"  {mode}: CPU per 1,000 events stored: server {1e6 * server_cpu / max(1, stored):.1f} ms, "
                  f"PostgreSQL {1e6 * pg_cpu / max(1, stored):.1f} ms; COPY {1e6 * copy_seconds / max(1, stored):.1f} ms "
                  "wall per 1,000 rows")
            results.append((mode, rate, copy_rate, int(wrk_result["p50_us"]) / 1000, int(wrk_result["p99_us"]) / 1000,
                            errors, stored, ours_wal / max(1, stored), copy_wal / max(1, stored)))
            # Paced at a fraction of the rate just measured, and at half the goal's rate (0.5x COPY), for the
            # latency under normal load.
            paces = [(f"{args.paced:.2f}x ours", args.paced * rate)] if args.paced > 0 else []
            if args.goal_paced:
                paces.append((GOAL_PACE, GOAL_COPY_SHARE * copy_rate))
            for pace, target in paces:
                paced_results.append((mode, pace, *paced_run(args, server, root, token, org, project,
                                                             copy_project, mode, target)))
            if statements:
                print(f"  pg_stat_statements, {mode} (calls, total ms, rows, WAL MB, statement):")
                for calls, total, rows, wal, text in statements:
                    print(f"    {calls:7d} {total:9} ms {rows:9d} rows {wal:8} MB  {text}")

        print(f"  {'timestamps':10} {'wrk events/s':>13} {'COPY rows/s':>12} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'WAL B/event':>12} {'COPY WAL B/row':>15} {'errors':>6}")
        failed = False
        for mode, rate, copy_rate, p50, p99, errors, stored, wal, copy_wal in results:
            print(f"  {mode:10} {rate:13.0f} {copy_rate:12.0f} {rate / copy_rate:6.2f} {p50:7.1f} {p99:7.1f} "
                  f"{wal:12.0f} {copy_wal:15.0f} {errors:6d}")
            failed = failed or errors > 0 or stored == 0
        goal = all(rate / copy_rate >= 0.5 for _, rate, copy_rate, *_ in results)
        print(f"  goal (>= 0.5x raw COPY for every run) met: {'yes' if goal else 'no'}")
        if paced_results:
            print(f"  paced for {args.paced_duration} s (IV_WRK_RATE) at a fraction of that rate and at half the "
                  "goal's rate (0.5x COPY):")
            print(f"  {'timestamps':10} {'pace':>11} {'target/s':>9} {'events/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
                  f"{'p99.9 ms':>9} {'max ms':>7} {'errors':>6}  waiting for a CPU / for I/O (PSI 'some', share of "
                  "the run)")
            for mode, pace, target, achieved, p50, p99, p999, worst, errors, stalled, _ in paced_results:
                print(f"  {mode:10} {pace:>11} {target:9.0f} {achieved:9.0f} {p50:7.1f} {p99:7.1f} {p999:9.1f} "
                      f"{worst:7.1f} {errors:6d}  {pressure_text(stalled)}")
                failed = failed or errors > 0
            goal_p99s = [p99 for _, pace, _, _, _, p99, *_ in paced_results if pace == GOAL_PACE]
            own_p99s = [p99 for _, pace, _, _, _, p99, *_ in paced_results if pace != GOAL_PACE]
            if goal_p99s:
                print(f"  goal (p99 < 25 ms at half the goal's rate, {GOAL_PACE}) met: "
                      f"{'yes' if max(goal_p99s) < 25 else 'no'}")
            if own_p99s:
                print(f"  p99 < 25 ms at {args.paced:.2f} of our rate (stricter): "
                      f"{'yes' if max(own_p99s) < 25 else 'no'}")
            into = "wrk's" if args.raw_into_ours else "the baseline's"
            print("  the same rate of raw INSERTs (pgbench --rate, transactions of 100 events, no server), "
                  f"{'before' if args.raw_first else 'after'} ours, into {into} project, {args.paced_warmup} s "
                  f"warm-up each{', a checkpoint before each' if args.checkpoint_each else ''}:")
            print(f"  {'timestamps':10} {'pace':>11} {'events/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
                  f"{'our p99 / raw p99':>18}  waiting for a CPU / for I/O")
            for mode, pace, _, _, _, p99, *_, (raw_rate, raw_p50, raw_p99, stalled) in paced_results:
                print(f"  {mode:10} {pace:>11} {raw_rate:9.0f} {raw_p50:7.1f} {raw_p99:7.1f} {p99 / raw_p99:18.2f}  "
                      f"{pressure_text(stalled)}")
        if failed:
            sys.exit("wrk run had error answers or stored nothing")
    finally:
        if server.process.poll() is None:
            server.terminate()
        if args.keep or args.reuse:
            print(f"  kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
