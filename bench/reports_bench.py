#!/usr/bin/env python3
"""Report benchmark (make bench): a release `insightvault serve` on a fresh embedded cluster, a UTC project seeded by
`insightvault seed-demo` (default 10M events, 1M users, 90 days; BENCH_REPORT_EVENTS/USERS/DAYS override), then four
reports timed end to end over GraphQL/HTTP (median of 5 after a warm-up) against the DuckDB reference implementation
(e2e/reference_reports.py) over a Parquet export of the same events, 2 threads, in the same run:

  DAU (trends UNIQUE_USERS by day, all events, 30 days)   goal < 300 ms
  $pageview TOTAL by day with breakdown by country, 30 days  goal < 300 ms
  5-step ORDERED funnel, 7-day window, 30 days              goal < 1.5 s
  8-week weekly RECURRING retention $pageview -> $pageview  goal < 1.5 s
  and every report at most 3x DuckDB.

Both sides' numbers are compared and mismatches printed. Talks to 127.0.0.1 only; bounded in time (BENCH_REPORT_DEADLINE
seconds, default 3600, for the whole run; seeding and each timing loop stop at the deadline)."""
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
import time
import urllib.parse
import uuid

import duckdb
import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
from conftest import REPO, Server, owner_dsn  # noqa: E402
import reference_reports as ref  # noqa: E402

GOALS_MS = {"trends": 300, "funnel": 1500, "retention": 1500}
MAX_RATIO = 3.0
# Candidate names per funnel step, first match in the seeded data wins.
FUNNEL_CANDIDATES = [["$pageview", "pageview"], ["signed_up", "signup", "sign_up"], ["activated", "activate"],
                     ["invite_sent", "invited_user", "invite"], ["purchase", "purchased", "order_completed"]]
QUERIES = {
    "trends": "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { label event math "
              "breakdownValue total points { bucket value } } } }",
    "funnel": "query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) { steps { index event count "
              "conversionRate medianSecondsFromPrevious breakdownValue } breakdowns { breakdownValue steps { index "
              "event count conversionRate medianSecondsFromPrevious breakdownValue } } } }",
    "retention": "query($p: ID!, $i: RetentionInput!) { retention(projectId: $p, input: $i) { cohorts { start size "
                 "values } } }",
}


CSV = "header=false, auto_detect=false, delim=',', quote='\"', escape='\"'"  # PostgreSQL's COPY (FORMAT csv)


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


class GraphQL:
    """One keep-alive HTTP connection to /graphql."""

    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.token = token

    def request(self, query, variables):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        self.conn.request("POST", "/graphql", json.dumps({"query": query, "variables": variables}).encode(), headers)
        response = self.conn.getresponse()
        body = json.loads(response.read())
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


def timed(fn, runs, deadline):
    """Median milliseconds of `runs` calls after one warm-up, and the last result; fewer runs near the deadline."""
    result = fn()
    samples = []
    for _ in range(runs):
        if samples and deadline.left() < 0:
            break
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    if not samples:
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(REPO / ".build/release/insightvault"))
    parser.add_argument("--events", type=int, default=int(os.environ.get("BENCH_REPORT_EVENTS", 10_000_000)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_REPORT_USERS", 1_000_000)))
    parser.add_argument("--days", type=int, default=int(os.environ.get("BENCH_REPORT_DAYS", 90)))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=float(os.environ.get("BENCH_REPORT_DEADLINE", 3600)))
    args = parser.parse_args()
    deadline = Deadline(args.deadline)

    code, seed_help = cli_help(args.binary, "seed-demo")
    if code != 0:
        sys.exit(f"reports benchmark: `insightvault seed-demo` is not available in {args.binary}; nothing measured")

    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-bench-reports-", dir="/tmp"))
    root.chmod(0o755)
    # The rollup service is off while seeding; `rollups refresh` builds them once afterwards (timed separately).
    server = Server(args.binary, root / "iv", root / "serve.log", env={"LOG_LEVEL": "warning", "IV_ROLLUP_INTERVAL_SECONDS": "0"})
    try:
        server.wait_ready()
        api = GraphQL(server.port)
        signed = api.request("mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                             {"i": {"email": f"bench-{uuid.uuid4().hex[:8]}@example.com",
                                    "password": "correct horse battery", "organizationName": "Bench"}})["signUp"]
        api.token = signed["token"]
        project = api.request("mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                              {"i": {"organizationId": signed["organization"]["id"], "name": "demo",
                                     "timezone": "UTC"}})["createProject"]["id"]
        token = api.request("mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                            {"i": {"projectId": project, "name": "seed", "kind": "INGEST"}})["createApiToken"]["token"]

        # Seed (not timed for the comparison, reported for information).
        started = time.perf_counter()
        seed = [args.binary, "seed-demo", "--token", token, "--events", str(args.events), "--users", str(args.users),
                "--days", str(args.days), *connection_options(seed_help, server)]
        env = {**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"}
        subprocess.run(seed, check=True, cwd=REPO, env=env, timeout=max(60.0, deadline.left() * 0.6))
        seed_seconds = time.perf_counter() - started

        code, top_help = cli_help(args.binary)
        rollups = "n/a"
        if "rollups" in top_help:
            code, rollup_help = cli_help(args.binary, "rollups", "refresh")
            if code == 0:
                started = time.perf_counter()
                subprocess.run([args.binary, "rollups", "refresh", *connection_options(rollup_help, server)],
                               check=True, cwd=REPO, env=env, timeout=max(60.0, deadline.left() * 0.5))
                rollups = f"{time.perf_counter() - started:.1f} s"

        # Export to Parquet for DuckDB (not timed).
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            stored = conn.execute("SELECT count(*), max(\"timestamp\") FROM events WHERE project_id = %s",
                                  (project,)).fetchone()
            names = dict(conn.execute("SELECT event, count(*) FROM events WHERE project_id = %s GROUP BY event",
                                      (project,)).fetchall())
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
        # A view: the person join runs inside every DuckDB report, as it does in PostgreSQL.
        ref.load_events(con, f"read_parquet('{root / 'events.parquet'}')", f"read_parquet('{root / 'persons.parquet'}')",
                        materialize=False)

        # Report definitions over the seeded data's last 30 days / 8 weeks.
        last = stored[1].astimezone(dt.timezone.utc)
        end = dt.datetime(last.year, last.month, last.day, tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
        begin = end - dt.timedelta(days=30)
        week_end = end - dt.timedelta(days=end.weekday()) + (dt.timedelta(days=7) if end.weekday() else dt.timedelta(0))
        pageview = next((n for n in FUNNEL_CANDIDATES[0] if n in names), max(names, key=names.get))
        steps = [next(n for n in c if n in names) for c in FUNNEL_CANDIDATES if any(n in names for n in c)]
        reports = [
            ("DAU 30d", "trends", {"series": [{"event": None, "math": "UNIQUE_USERS"}], "interval": "DAY",
                                   "dateFrom": rfc3339(begin), "dateTo": rfc3339(end)}),
            (f"{pageview} by country 30d", "trends",
             {"series": [{"event": pageview, "math": "TOTAL"}], "interval": "DAY", "breakdown": "country",
              "dateFrom": rfc3339(begin), "dateTo": rfc3339(end)}),
            (f"{len(steps)}-step funnel 7d", "funnel",
             {"steps": [{"event": s} for s in steps], "windowSeconds": 7 * 86400, "order": "ORDERED",
              "dateFrom": rfc3339(begin), "dateTo": rfc3339(end)}),
            ("weekly retention 8w", "retention",
             {"startEvent": pageview, "returnEvent": pageview, "period": "WEEK", "periods": 8, "mode": "RECURRING",
              "dateFrom": rfc3339(week_end - dt.timedelta(weeks=8)), "dateTo": rfc3339(week_end)}),
        ]

        print(f"reports benchmark: {stored[0]} events ({args.users} users requested, {args.days} days), seeded in "
              f"{seed_seconds:.0f} s, rollups refresh {rollups}; funnel steps {' -> '.join(steps)}")
        print(f"  {'report':32} {'ours ms':>9} {'duckdb ms':>10} {'ratio':>6}  goal                 met")
        mismatches, missed, failed = [], 0, 0
        for name, kind, input_ in reports:
            fn_ref = getattr(ref, kind)
            ref_ms, expected = timed(lambda: fn_ref(con, input_, "UTC"), args.runs, deadline)
            try:
                ours_ms, ours = timed(lambda: api.request(QUERIES[kind], {"p": project, "i": input_})[kind],
                                      args.runs, deadline)
            except Exception as error:  # noqa: BLE001 - report every failure and carry on with the next report
                print(f"  {name:32} {'error':>9} {ref_ms:10.1f}  -     {error}"[:200])
                missed += 1
                failed += 1
                continue
            goal = GOALS_MS[kind]
            ratio = ours_ms / ref_ms if ref_ms else float("inf")
            met = ours_ms < goal and ratio <= MAX_RATIO
            missed += not met
            print(f"  {name:32} {ours_ms:9.1f} {ref_ms:10.1f} {ratio:6.2f}  < {goal} ms, <= {MAX_RATIO:.0f}x"
                  f"{'':>6} {'yes' if met else 'NO'}")
            for path, a, b in ref.compare(kind, ours, expected):
                mismatches.append((name, path, a, b))
        for name, path, a, b in mismatches[:50]:
            print(f"  MISMATCH {name} | {path} | ours={a!r} | duckdb={b!r}")
        if len(mismatches) > 50:
            print(f"  ... {len(mismatches) - 50} more mismatches")
        print(f"  same numbers: {'yes' if not mismatches else f'NO ({len(mismatches)} differences)'}; "
              f"goals met: {len(reports) - missed} of {len(reports)}")
        if mismatches or failed:
            sys.exit("reports benchmark: reports failed or differ from the DuckDB reference")
    finally:
        if server.process.poll() is None:
            server.terminate()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
