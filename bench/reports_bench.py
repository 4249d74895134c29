#!/usr/bin/env python3
"""Report benchmark (make bench): the report matrix of issue 14 on three sides, with the same numbers checked on all.

A release `insightvault serve` on a fresh embedded cluster (fsync on), a UTC project filled by `insightvault seed-demo`
(default 10M events, 1M users, 90 days, ending now; BENCH_REPORT_EVENTS/USERS/DAYS override), `ANALYZE`, `insightvault
rollups refresh`. Then every shape of MATRIX (below) is answered by

  - InsightVault: GraphQL over HTTP on one keep-alive connection;
  - plain: the DuckDB correctness reference (e2e/reference_reports.py) over a Parquet export, JSON property extraction
    and the person join inside every query (a view), 2 threads;
  - tuned: bench/tuned_duckdb.py, what a DuckDB user would run: one table sorted by timestamp (from a Parquet file),
    the person after merges as an integer column, the touched properties as typed columns, hand-written SQL per
    shape, 2 threads.

Ranges end at the current hour (30 days unless the shape says otherwise), not at midnight. A warm-up runs each shape
once, then RUNS timed repetitions each shift dateFrom and dateTo one more hour back, so no side can answer from a
cache of an earlier answer; the median is printed. Per shape: the three medians, InsightVault / plain, InsightVault /
tuned, and whether the goal is met (InsightVault <= 1 s and <= 3x tuned). Every repetition's answers are compared
(plain is the reference; floats with a relative tolerance of 1e-9): "same numbers on every side: yes/no" and the
mismatches. The server's RSS (/proc/<pid>/status VmRSS) is sampled every 0.2 s during the matrix; its maximum is
printed against the 200 MB goal.

The matrix is printed whether goals are met or not; the script exits non-zero only when answers differ (an error
answer counts as a difference). Talks to 127.0.0.1 only; bounded by BENCH_REPORT_DEADLINE seconds (default 3600) for
the whole run: seeding and the matrix stop early at the deadline (a shape is then timed fewer times or skipped, and
said so). A small run for development: BENCH_REPORT_EVENTS=300000 BENCH_REPORT_USERS=30000 and a debug binary with
IV_BINARY (or --binary)."""
import argparse
import datetime as dt
import http.client
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

import duckdb
import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from conftest import REPO, Server, owner_dsn  # noqa: E402
import reference_reports as ref  # noqa: E402
import tuned_duckdb as tuned  # noqa: E402

GOAL_MS = 1000
MAX_TUNED_RATIO = 3.0
RSS_GOAL_MB = 200
STEP_FIELDS = "index event count conversionRate medianSecondsFromPrevious breakdownValue"
QUERIES = {
    "trends": "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { label event math "
              "breakdownValue total points { bucket value } } } }",
    "funnel": "query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) { steps { %s } "
              "breakdowns { breakdownValue steps { %s } } } }" % (STEP_FIELDS, STEP_FIELDS),
    "retention": "query($p: ID!, $i: RetentionInput!) { retention(projectId: $p, input: $i) { cohorts { start size "
                 "values } } }",
    "events": "query($p: ID!, $f: EventFilter, $n: Int) { events(projectId: $p, filter: $f, first: $n) { edges { "
              "node { id event distinctId timestamp } } } }",
    "eventNames": "query($p: ID!, $n: Int) { eventNames(projectId: $p, limit: $n) }",
    "propertyKeys": "query($p: ID!, $e: String, $n: Int) { propertyKeys(projectId: $p, event: $e, limit: $n) }",
}
# seed-demo's product (Sources/Ingest/Demo/DemoGenerator.swift).
PAGEVIEW, FUNNEL = "$pageview", ["$pageview", "signed_up", "activated", "invite_sent", "purchase"]


def matrix(end: dt.datetime, shift_hours: int = 0) -> list:
    """The shapes of issue 14 as (name, kind, input), every range ending `shift_hours` before `end`."""
    to = end - dt.timedelta(hours=shift_hours)

    def ago(days):
        return rfc3339(to - dt.timedelta(days=days)), rfc3339(to)

    def trend(series, days=30, interval="DAY", **extra):
        frm, until = ago(days)
        return {"series": series, "dateFrom": frm, "dateTo": until, "interval": interval, **extra}

    def flt(key, op, value=None):
        return {"key": key, "operator": op, "value": value}

    def steps(*filters_of_step):
        return [{"event": name, **({"filters": filters_of_step[i]} if i < len(filters_of_step)
                                   and filters_of_step[i] else {})} for i, name in enumerate(FUNNEL)]

    def funnel(order, step_list, **extra):
        frm, until = ago(30)
        return {"steps": step_list, "dateFrom": frm, "dateTo": until, "windowSeconds": 7 * 86400, "order": order,
                **extra}

    def retention(mode, **extra):
        frm, until = ago(56)
        return {"startEvent": PAGEVIEW, "returnEvent": PAGEVIEW, "period": "WEEK", "periods": 8, "dateFrom": frm,
                "dateTo": until, "mode": mode, **extra}

    pv, purchase = {"event": PAGEVIEW}, {"event": "purchase"}
    amount = {"event": "purchase", "property": "amount"}
    frm, until = ago(30)
    return [
        ("TOTAL, filter country EQ", "trends", trend([{**pv, "math": "TOTAL"}], filters=[flt("country", "EQ", "US")])),
        ("UNIQUE_USERS, filter amount GT", "trends",
         trend([{**purchase, "math": "UNIQUE_USERS"}], filters=[flt("amount", "GT", 50)])),
        ("TOTAL, 3 filters IN/CONTAINS/IS_SET", "trends",
         trend([{"event": None, "math": "TOTAL"}], filters=[flt("country", "IN", ["US", "DE", "GB"]),
                                                           flt("browser", "CONTAINS", "chrom"),
                                                           flt("plan", "IS_SET")])),
        ("UNIQUE_USERS, 3 filters EQ/CONTAINS/IN", "trends",
         trend([{**pv, "math": "UNIQUE_USERS"}], filters=[flt("country", "EQ", "US"), flt("path", "CONTAINS", "app"),
                                                          flt("browser", "IN", ["Chrome", "Safari"])])),
        ("UNIQUE_USERS by country", "trends", trend([{**pv, "math": "UNIQUE_USERS"}], breakdown="country")),
        ("SUM(amount) by day", "trends", trend([{**amount, "math": "SUM"}])),
        ("AVG(amount) by day", "trends", trend([{**amount, "math": "AVG"}])),
        ("MEDIAN(amount) by day", "trends", trend([{**amount, "math": "MEDIAN"}])),
        ("P95(amount) by day", "trends", trend([{**amount, "math": "P95"}])),
        ("HOUR buckets, 7 days", "trends", trend([{**pv, "math": "TOTAL"}], days=7, interval="HOUR")),
        ("WEEKLY_ACTIVE, 90 days", "trends", trend([{"event": None, "math": "WEEKLY_ACTIVE"}], days=90)),
        ("MONTHLY_ACTIVE, 90 days", "trends", trend([{"event": None, "math": "MONTHLY_ACTIVE"}], days=90)),
        ("DAU (UNIQUE_USERS, all events)", "trends", trend([{"event": None, "math": "UNIQUE_USERS"}])),
        ("$pageview TOTAL by country", "trends", trend([{**pv, "math": "TOTAL"}], breakdown="country")),
        ("5-step ORDERED, step-1 filter", "funnel", funnel("ORDERED", steps([flt("browser", "EQ", "Chrome")]))),
        ("5-step ORDERED by country", "funnel", funnel("ORDERED", steps(), breakdown="country")),
        ("5-step STRICT", "funnel", funnel("STRICT", steps())),
        ("5-step UNORDERED", "funnel", funnel("UNORDERED", steps())),
        ("FIRST_TIME retention, 8 weeks", "retention", retention("FIRST_TIME")),
        ("RECURRING retention, filter", "retention", retention("RECURRING", filters=[flt("country", "EQ", "US")])),
        ("explorer page, property filter", "events",
         {"filter": {"dateFrom": frm, "dateTo": until, "properties": [flt("country", "EQ", "DE")]}, "first": 50}),
        ("propertyKeys", "propertyKeys", {"event": None, "limit": 100}),
        ("eventNames", "eventNames", {"limit": 100}),
    ]


def variables(project, kind, input_):
    if kind == "events":
        return {"p": project, "f": input_["filter"], "n": input_["first"]}
    if kind == "eventNames":
        return {"p": project, "n": input_["limit"]}
    if kind == "propertyKeys":
        return {"p": project, "e": input_["event"], "n": input_["limit"]}
    return {"p": project, "i": input_}


def plain_run(con, kind, input_, tz="UTC"):
    """One report through the plain reference."""
    if kind == "events":
        return ref.events_page(con, input_["filter"], input_["first"])
    if kind == "eventNames":
        return ref.event_names(con, input_["limit"])
    if kind == "propertyKeys":
        return ref.property_keys(con, input_["event"], input_["limit"])
    return getattr(ref, kind)(con, input_, tz)


CSV = "header=false, auto_detect=false, delim=',', quote='\"', escape='\"'"  # PostgreSQL's COPY (FORMAT csv)


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


class GraphQL:
    """One keep-alive HTTP connection to /graphql, opened again when the server closed it (e.g. while idle)."""

    def __init__(self, port, token=None):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.token = token

    def request(self, query, variables):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps({"query": query, "variables": variables}).encode()
        for attempt in (1, 2):
            try:
                self.conn.request("POST", "/graphql", payload, headers)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
                if attempt == 2:
                    raise
        body = json.loads(raw)
        if response.status != 200 or body.get("errors"):
            raise RuntimeError(f"HTTP {response.status}: {json.dumps(body)[:400]}")
        return body["data"]


def rfc3339(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cli_help(binary, *args):
    result = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=30)
    return result.returncode, result.stdout + result.stderr


def connection_options(help_text, server):
    """Whatever connection options a subcommand offers: the data dir, the owner URL or the server URL."""
    secrets = json.loads((server.data_dir / "secrets.json").read_text())
    state = json.loads((server.data_dir / "postgres.json").read_text())
    options = []
    if "--data-dir" in help_text:
        options += ["--data-dir", str(server.data_dir)]
    elif "--database-url" in help_text:
        password = urllib.parse.quote(secrets["ownerPassword"], safe="")
        options += ["--database-url", f"postgres://insightvault_owner:{password}@127.0.0.1:{state['port']}/insightvault"]
    for flag in ("--url", "--server", "--endpoint", "--host"):
        if flag in help_text:
            options += [flag, server.url("")]
            break
    return options


class RssSampler(threading.Thread):
    """The server process's VmRSS every 0.2 s until stopped; max in MB."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.max_kb, self.samples, self.done = pid, 0, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.2):
            try:
                status = pathlib.Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    self.max_kb = max(self.max_kb, int(line.split()[1]))
                    self.samples += 1

    def stop(self):
        self.done.set()
        self.join(2)
        return self.max_kb / 1024


def clock(fn):
    """(milliseconds, result) of one call; the result is the exception when it raised."""
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as error:  # noqa: BLE001 - printed as the side's answer
        result = error
    return (time.perf_counter() - started) * 1000, result


def ms(value):
    return "-" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.1f}")


def ratio(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}x"


def run_matrix(api, project, con, end, runs, deadline):
    """Every shape: a warm-up, then `runs` repetitions each one hour further back. Returns rows and mismatches."""
    sides = {"ours": lambda kind, i: api.request(QUERIES[kind], variables(project, kind, i))[kind],
             "plain": lambda kind, i: plain_run(con, kind, i),
             "tuned": lambda kind, i: tuned.run(con, kind, i)}
    rows, mismatches = [], []
    shapes = len(matrix(end))
    # BENCH_REPORT_SHAPES: comma-separated parts of shape names; only shapes whose name holds one of them run.
    wanted = [part.strip() for part in os.environ.get("BENCH_REPORT_SHAPES", "").split(",") if part.strip()]
    for index in range(shapes):
        name, kind, _ = matrix(end)[index]
        if wanted and not any(part in name for part in wanted):
            continue
        times = {side: [] for side in sides}
        if deadline.left() <= 0:
            rows.append((name, None, None, None, "skipped: deadline"))
            print(f"  {name:38} skipped: BENCH_REPORT_DEADLINE passed", flush=True)
            continue
        for rep in range(runs + 1):
            if rep > 1 and deadline.left() <= 0:
                break
            input_ = matrix(end, shift_hours=rep)[index][2]
            answers = {}
            for side, fn in sides.items():
                elapsed, answers[side] = clock(lambda: fn(kind, input_))
                if rep and not isinstance(answers[side], Exception):
                    times[side].append(elapsed)
            expected = answers["plain"]
            if isinstance(expected, Exception):
                mismatches.append((name, rep, "plain", "<error>", str(expected)[:300]))
                continue
            for side in ("ours", "tuned"):
                got = answers[side]
                if isinstance(got, Exception):
                    mismatches.append((name, rep, side, "<error>", str(got)[:300]))
                    continue
                for path, a, b in ref.compare(kind, got, expected):
                    mismatches.append((name, rep, side, path, f"{a!r} vs plain {b!r}"))
        medians = {side: statistics.median(t) if t else None for side, t in times.items()}
        note = "" if all(len(t) == runs for t in times.values()) else \
            ", ".join(f"{side} {len(t)} of {runs} runs" for side, t in times.items() if len(t) != runs) + \
            " (errors or the deadline)"
        rows.append((name, medians["ours"], medians["plain"], medians["tuned"], note))
        print(f"  {name:38} {ms(medians['ours']):>9} {ms(medians['plain']):>9} {ms(medians['tuned']):>9} "
              f"{ratio(medians['ours'], medians['plain']):>8} {ratio(medians['ours'], medians['tuned']):>8}  "
              f"{goal_met(medians['ours'], medians['tuned'])} {note}", flush=True)
    return rows, mismatches


def goal_met(ours, tuned_ms):
    if ours is None or tuned_ms is None:
        return "-  "
    return "yes" if ours <= GOAL_MS and ours <= MAX_TUNED_RATIO * tuned_ms else "NO "


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.environ.get("IV_BINARY") or str(REPO / ".build/release/insightvault"))
    parser.add_argument("--events", type=int, default=int(os.environ.get("BENCH_REPORT_EVENTS", 10_000_000)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_REPORT_USERS", 1_000_000)))
    parser.add_argument("--days", type=int, default=int(os.environ.get("BENCH_REPORT_DAYS", 90)))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_REPORT_RUNS", 5)))
    parser.add_argument("--deadline", type=float, default=float(os.environ.get("BENCH_REPORT_DEADLINE", 3600)))
    args = parser.parse_args()
    deadline = Deadline(args.deadline)

    code, seed_help = cli_help(args.binary, "seed-demo")
    if code != 0:
        sys.exit(f"reports benchmark: `insightvault seed-demo` is not available in {args.binary}; nothing measured")

    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-bench-reports-", dir="/tmp"))
    root.chmod(0o755)
    # BENCH_REPORT_REUSE=<data dir>: a cluster already seeded by an earlier run of this script (or by hand, with the
    # account BENCH_REPORT_REUSE_EMAIL and this script's password), to measure a new build without seeding again.
    reuse = os.environ.get("BENCH_REPORT_REUSE")
    # The rollup service is off while seeding; `rollups refresh` builds them once afterwards (timed separately).
    email = None
    server = Server(args.binary, pathlib.Path(reuse) if reuse else root / "iv", root / "serve.log",
                    env={"LOG_LEVEL": "warning", "IV_ROLLUP_INTERVAL_SECONDS": "0"})
    try:
        server.wait_ready()
        api = GraphQL(server.port)
        if reuse:
            api.token = api.request("mutation($i: LogInInput!) { logIn(input: $i) { token } }",
                                    {"i": {"email": os.environ["BENCH_REPORT_REUSE_EMAIL"],
                                           "password": "correct horse battery"}})["logIn"]["token"]
            with psycopg.connect(owner_dsn(server.data_dir)) as conn:
                project = str(conn.execute("SELECT project_id FROM projects ORDER BY created_at LIMIT 1").fetchone()[0])
        seed_seconds = 0.0
        env = {**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"}
        if not reuse:
            email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
            signed = api.request("mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                                 {"i": {"email": email,
                                        "password": "correct horse battery", "organizationName": "Bench"}})["signUp"]
            api.token = signed["token"]
            project = api.request("mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                                  {"i": {"organizationId": signed["organization"]["id"], "name": "demo",
                                         "timezone": "UTC"}})["createProject"]["id"]
            token = api.request("mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                                {"i": {"projectId": project, "name": "seed", "kind": "INGEST"}})["createApiToken"]["token"]

            # Seed (not timed for the comparison, reported for information), ending now.
            started = time.perf_counter()
            seed = [args.binary, "seed-demo", "--token", token, "--events", str(args.events), "--users", str(args.users),
                    "--days", str(args.days), *connection_options(seed_help, server)]
            subprocess.run(seed, check=True, cwd=REPO, env=env, timeout=max(60.0, deadline.left() * 0.6))
            seed_seconds = time.perf_counter() - started
        # Statistics for the freshly loaded rows, as autovacuum would gather within a minute of such a load.
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            conn.execute("ANALYZE")

        code, top_help = cli_help(args.binary)
        rollups = "n/a"
        if "rollups" in top_help:
            code, rollup_help = cli_help(args.binary, "rollups", "refresh")
            if code == 0:
                started = time.perf_counter()
                subprocess.run([args.binary, "rollups", "refresh", *connection_options(rollup_help, server)],
                               check=True, cwd=REPO, env=env, timeout=max(60.0, deadline.left() * 0.5))
                rollups = f"{time.perf_counter() - started:.1f} s"

        # Export for DuckDB (not timed).
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            stored = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()
            with conn.cursor() as cur:
                for target, sql in [
                    (root / "events.csv", "COPY (SELECT uuid, event, distinct_id, \"timestamp\", properties FROM events "
                                          f"WHERE project_id = '{uuid.UUID(project)}') TO STDOUT (FORMAT csv)"),
                    (root / "persons.csv", "COPY (SELECT distinct_id, person_id FROM person_distinct_ids "
                                           f"WHERE project_id = '{uuid.UUID(project)}') TO STDOUT (FORMAT csv)"),
                ]:
                    with open(target, "wb") as handle, cur.copy(sql) as copy:
                        for chunk in copy:
                            handle.write(chunk)
        if not stored[0]:
            sys.exit("reports benchmark: seed-demo stored no events")
        con = duckdb.connect()
        con.execute("SET threads = 2")
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"""COPY (SELECT * FROM read_csv('{root / 'events.csv'}', {CSV},
                        columns={{'uuid': 'VARCHAR', 'event': 'VARCHAR', 'distinct_id': 'VARCHAR',
                                  'timestamp': 'TIMESTAMPTZ', 'properties': 'VARCHAR'}}) ORDER BY "timestamp")
                        TO '{root / 'events.parquet'}' (FORMAT parquet)""")
        con.execute(f"""COPY (SELECT * FROM read_csv('{root / 'persons.csv'}', {CSV},
                        columns={{'distinct_id': 'VARCHAR', 'person_id': 'VARCHAR'}}))
                        TO '{root / 'persons.parquet'}' (FORMAT parquet)""")
        (root / "events.csv").unlink()
        (root / "persons.csv").unlink()
        events_pq, persons_pq = f"read_parquet('{root / 'events.parquet'}')", f"read_parquet('{root / 'persons.parquet'}')"
        # Plain: a view, so the person join and the JSON extraction run inside every report, as in PostgreSQL.
        ref.load_events(con, events_pq, persons_pq, materialize=False)
        started = time.perf_counter()
        tuned.build(con, events_pq, persons_pq, str(root / "tuned.parquet"))
        tuned_seconds = time.perf_counter() - started
        con.execute("SET threads = 2")

        now = dt.datetime.now(dt.timezone.utc)
        end = now.replace(minute=0, second=0, microsecond=0)
        print(f"reports benchmark: {stored[0]} events ({args.users} users requested, {args.days} days), seeded in "
              f"{seed_seconds:.0f} s, rollups refresh {rollups}, tuned table built in {tuned_seconds:.1f} s; "
              f"ranges end at {rfc3339(end)} and move back one hour per run; median of {args.runs} after a warm-up")
        print(f"  {'shape':38} {'ours ms':>9} {'plain ms':>9} {'tuned ms':>9} {'/plain':>8} {'/tuned':>8}  goal")
        sampler = RssSampler(server.process.pid)
        sampler.start()
        rows, mismatches = run_matrix(api, project, con, end, args.runs, deadline)
        rss = sampler.stop()

        met = sum(goal_met(r[1], r[3]) == "yes" for r in rows)
        for name, rep, side, path, detail in mismatches[:50]:
            print(f"  MISMATCH {name} (run {rep}) | {side} | {path} | {detail}")
        if len(mismatches) > 50:
            print(f"  ... {len(mismatches) - 50} more mismatches")
        per_shape = {}
        for name, _, side, _, _ in mismatches:
            per_shape[(name, side)] = per_shape.get((name, side), 0) + 1
        for (name, side), count in per_shape.items():
            print(f"  differences: {name} | {side} vs plain | {count}")
        print(f"  goal (InsightVault <= {GOAL_MS} ms and <= {MAX_TUNED_RATIO:.0f}x tuned) met: {met} of {len(rows)}")
        print(f"  server RSS during the matrix: max {rss:.0f} MB ({sampler.samples} samples), "
              f"< {RSS_GOAL_MB} MB: {'yes' if rss < RSS_GOAL_MB else 'NO'}")
        skipped = sum(r[1] is None for r in rows)
        checked = f" ({len(rows) - skipped} of {len(rows)} shapes run before the deadline)" if skipped else ""
        print(f"  same numbers on every side: {'yes' if not mismatches else f'NO ({len(mismatches)} differences)'}"
              f"{checked}")
        if mismatches:
            sys.exit("reports benchmark: answers differ between InsightVault, the plain and the tuned DuckDB")
    finally:
        if server.process.poll() is None:
            server.terminate()
        # BENCH_REPORT_KEEP=1 keeps a newly seeded cluster for later runs with BENCH_REPORT_REUSE.
        if os.environ.get("BENCH_REPORT_KEEP") == "1" and email:
            for exported in root.glob("*.parquet"):
                exported.unlink()
            print(f"  kept: BENCH_REPORT_REUSE={root / 'iv'} BENCH_REPORT_REUSE_EMAIL={email}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
