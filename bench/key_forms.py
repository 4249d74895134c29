#!/usr/bin/env python3
"""Forms of the writer's duplicate check, side by side (not part of make bench; docs/benchmarks.md, "Forms of the
duplicate check"). On a throwaway cluster (scripts/test-postgres.sh, with fsync, synchronous_commit and
full_page_writes turned back on as shipped), for each form its own copy of an `events`-shaped table (and of
`event_keys` where it has one) with the same indexes as the real one (monthly range partitions, three B-trees and
two BRIN indexes; no row-level security and no foreign key, which every form pays alike), each prefilled with the
same `--prefill` events over 90 days. pgbench then runs one client inserting 100
events per transaction (`--timestamps`: live, within the last second, or backfill, within an hour of two weeks
ago), `--seconds` per form after a checkpoint, the forms in turn (each round starting with the next one) for
`--rounds` rounds:

- shipped: the writer's statement (migrations/0019, 0022): the neighbour days looked up in `event_keys`, the key
  inserted ON CONFLICT DO NOTHING, the events whose key was new inserted;
- plain key insert: the same day looked up too, the key inserted without ON CONFLICT (a concurrent copy would fail
  the round with a unique violation, which the writer retries), no join back;
- three lookups: as the previous one, with one equality lookup per day instead of `day = ANY (...)`;
- partition index: no key table; `events` carries the UTC day as a stored column and each partition a unique index
  (org, project, day, uuid); the neighbour days looked up in `events` (the timestamp range prunes the partitions at
  run time), the events inserted ON CONFLICT DO NOTHING;
- partition index, no lookup: the same without the neighbour-day lookups (a lower bound for that design);
- no key: the events inserted with no duplicate check at all (a lower bound; not shippable).

Prints each form's median latency per transaction, its WAL per transaction and its ratio to the shipped form.
Talks to its own 127.0.0.1 cluster only and stops it."""
import argparse
import datetime
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

import psycopg

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "wrk"))
from run import wal_bytes, wal_lsn  # noqa: E402  (bench/wrk/run.py, which puts e2e/ on the path)
from conftest import REPO  # noqa: E402

ORG = "00000000-0000-0000-0000-000000000001"
PROJECT = "00000000-0000-0000-0000-000000000002"

EVENTS_COLUMNS = """org_id uuid NOT NULL, project_id uuid NOT NULL, uuid uuid NOT NULL, event text NOT NULL,
    distinct_id text NOT NULL, "timestamp" timestamptz NOT NULL, received_at timestamptz NOT NULL, properties jsonb"""
DAY = """day date NOT NULL GENERATED ALWAYS AS (("timestamp" AT TIME ZONE 'UTC')::date) STORED"""


def month_bounds():
    """The bounds of the five UTC months from four months ago to this one: the prefill's 90 days and today."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    starts = []
    year, month = today.year, today.month
    for _ in range(5):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    first_of_next = (starts[-1] + datetime.timedelta(days=32)).replace(day=1)
    return list(zip(starts, starts[1:] + [first_of_next]))


MONTHS = month_bounds()


def events_table(name, with_day):
    """DDL of an events-shaped table `name` with the real table's indexes and five monthly partitions."""
    columns = EVENTS_COLUMNS + (", " + DAY if with_day else "")
    parts = []
    for i, (lo, hi) in enumerate(MONTHS):
        parts.append(f"CREATE TABLE {name}_{i} PARTITION OF {name} FOR VALUES FROM ('{lo}') TO ('{hi}');")
        if with_day:
            parts.append(f"CREATE UNIQUE INDEX ON {name}_{i} (org_id, project_id, day, uuid);")
    return f"""
        CREATE TABLE {name} ({columns}) PARTITION BY RANGE ("timestamp");
        CREATE INDEX ON {name} (project_id, event, "timestamp");
        CREATE INDEX ON {name} (project_id, "timestamp", uuid);
        CREATE INDEX ON {name} (project_id, distinct_id, "timestamp");
        CREATE INDEX ON {name} USING brin ("timestamp");
        CREATE INDEX ON {name} USING brin (received_at);
        {' '.join(parts)}"""


def keys_table(name):
    """DDL of an `event_keys`-shaped table `name` (migrations/0019, 0022)."""
    return f"""
        CREATE TABLE {name} (org_id uuid NOT NULL, project_id uuid NOT NULL, uuid uuid NOT NULL,
            "timestamp" timestamptz NOT NULL, {DAY}, PRIMARY KEY (org_id, project_id, day, uuid));"""


# 100 events as the writer's `x` sees them: random uuids, four names, 37 users, four properties; {time} is when.
ROWS = """
    SELECT DISTINCT ON (j, u) j, u, e, d, t, r, p,
           (t AT TIME ZONE 'UTC')::date - 1 AS prev_day, (t AT TIME ZONE 'UTC')::date AS day,
           (t AT TIME ZONE 'UTC')::date + 1 AS next_day,
           ((t AT TIME ZONE 'UTC')::date - 1)::timestamp AT TIME ZONE 'UTC' AS lo,
           ((t AT TIME ZONE 'UTC')::date + 2)::timestamp AT TIME ZONE 'UTC' AS hi
    FROM (SELECT '{project}'::uuid AS j, gen_random_uuid() AS u,
                 (ARRAY['$pageview', 'signed_up', 'purchase', 'clicked_button'])[1 + floor(random() * 4)::int] AS e,
                 'user-' || (1 + floor(random() * 37)::int) AS d, {{time}} AS t,
                 now() AS r, '{{"country": "US", "plan": "pro", "path": "/docs", "amount": 17}}'::text AS p, n
          FROM generate_series(1, 100) AS n) AS x
    ORDER BY j, u, n""".format(project=PROJECT)
# Live: within the last second. Backfill: within one hour of now - 14 days, as bench/wrk/ingest.lua sends them.
TIMES = {"live": "now() - random() * interval '1 second'",
         "backfill": "now() - interval '14 days' - random() * interval '1 hour'"}

INSERT_EVENTS = f"""INSERT INTO EVENTS_TABLE (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at,
    properties)"""


def lookup(table, days, extra=""):
    return (f"SELECT FROM {table} k WHERE k.org_id = '{ORG}' AND k.project_id = x.j AND k.uuid = x.u "
            f"AND k.day = {days}{extra}")


def key_insert_form(condition):
    """The events of `x` that pass `condition` stored with their keys, the key inserted without ON CONFLICT."""
    return f"""
        WITH x AS ({ROWS}), y AS (
            SELECT * FROM x WHERE {condition}
        ), k AS (
            INSERT INTO KEYS_TABLE (org_id, project_id, uuid, "timestamp")
            SELECT '{ORG}', j, u, t FROM y ORDER BY j, day, u)
        {INSERT_EVENTS}
        SELECT '{ORG}', j, u, e, d, t, r, p::jsonb FROM y"""


def partition_index_form(condition):
    """The events of `x` that pass `condition` inserted ON CONFLICT DO NOTHING (the partitions' unique index)."""
    return f"""
        WITH x AS ({ROWS})
        {INSERT_EVENTS}
        SELECT '{ORG}', j, u, e, d, t, r, p::jsonb FROM x
        WHERE {condition}
        ORDER BY j, day, u
        ON CONFLICT DO NOTHING"""


# Each form writes into tables of its own (`events_table`, `keys_table`), prefilled alike, so that no form's pages
# grow from another's inserts. The SQL names them EVENTS_TABLE and KEYS_TABLE.
FORMS = {
    "shipped": f"""
        WITH x AS ({ROWS}), fresh AS (
            INSERT INTO KEYS_TABLE (org_id, project_id, uuid, "timestamp")
            SELECT '{ORG}', j, u, t FROM x
            WHERE NOT EXISTS ({lookup('KEYS_TABLE', 'ANY (ARRAY[x.prev_day, x.next_day])')})
            ORDER BY j, day, u
            ON CONFLICT DO NOTHING
            RETURNING project_id, uuid)
        {INSERT_EVENTS}
        SELECT '{ORG}', x.j, x.u, x.e, x.d, x.t, x.r, x.p::jsonb
        FROM x JOIN fresh ON fresh.project_id = x.j AND fresh.uuid = x.u""",
    "plain key insert": key_insert_form(
        f"NOT EXISTS ({lookup('KEYS_TABLE', 'ANY (ARRAY[x.prev_day, x.day, x.next_day])')})"),
    "three lookups": key_insert_form(" AND ".join(
        f"NOT EXISTS ({lookup('KEYS_TABLE', day)})" for day in ("x.prev_day", "x.day", "x.next_day"))),
    "partition index": partition_index_form(
        f"""NOT EXISTS ({lookup('EVENTS_TABLE', 'ANY (ARRAY[x.prev_day, x.next_day])',
                                ' AND k."timestamp" >= x.lo AND k."timestamp" < x.hi')})"""),
    "partition index, no lookup": partition_index_form("true"),
    "no key": f"""
        WITH x AS ({ROWS})
        {INSERT_EVENTS}
        SELECT '{ORG}', j, u, e, d, t, r, p::jsonb FROM x""",
}
# Which tables each form has: (the events table carries the day and a unique index per partition, a key table).
TABLES = {"shipped": (False, True), "plain key insert": (False, True), "three lookups": (False, True),
          "partition index": (True, False), "partition index, no lookup": (True, False), "no key": (False, False)}


def table_names(name):
    """The events and key tables of form `name`."""
    index = list(FORMS).index(name)
    return f"ev_{index}", f"keys_{index}"


def form_sql(name, timestamps):
    """Form `name`'s statement on its own tables, its events at `timestamps`."""
    events, keys = table_names(name)
    return (FORMS[name].replace("EVENTS_TABLE", events).replace("KEYS_TABLE", keys)
            .replace("{time}", TIMES[timestamps]))


def prefill(conn, count):
    """Each form's tables, with the same `count` events over the 90 days before now (and their keys)."""
    conn.execute(f"CREATE TABLE source ({EVENTS_COLUMNS})")
    conn.execute(f"""
        INSERT INTO source (org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties)
        SELECT '{ORG}', '{PROJECT}', gen_random_uuid(), 'e' || (i % 4), 'user-' || (i % 50000),
               now() - interval '90 days' + i * (interval '90 days' / {count}), now(),
               '{{"country": "DE", "plan": "free", "path": "/", "amount": 3}}'
        FROM generate_series(1, {count}) AS i""")
    for name, (with_day, with_keys) in TABLES.items():
        events, keys = table_names(name)
        conn.execute(events_table(events, with_day))
        conn.execute(f"""INSERT INTO {events} (org_id, project_id, uuid, event, distinct_id, "timestamp",
                             received_at, properties)
                         SELECT org_id, project_id, uuid, event, distinct_id, "timestamp", received_at, properties
                         FROM source""")
        conn.execute(f"VACUUM ANALYZE {events}")
        if with_keys:
            conn.execute(keys_table(keys))
            conn.execute(f"""INSERT INTO {keys} (org_id, project_id, uuid, "timestamp")
                             SELECT org_id, project_id, uuid, "timestamp" FROM source ORDER BY "timestamp" """)
            conn.execute(f"VACUUM ANALYZE {keys}")
    conn.execute("DROP TABLE source")
    conn.execute("CHECKPOINT")


def run_form(url, sql, seconds, workdir):
    """Latency per transaction (ms) and WAL bytes per transaction of one pgbench run of `sql`."""
    script = workdir / "form.sql"
    script.write_text(" ".join(sql.split()) + ";\n")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")  # each form starts with the full page images a checkpoint brings
        start = wal_lsn(conn)
        out = subprocess.run(["pgbench", "-n", "-c", "1", "-T", str(seconds), "-f", str(script), url],
                             check=True, capture_output=True, text=True).stdout
        wal = wal_bytes(conn, start)
    done = int(re.search(r"actually processed: (\d+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return latency, float(wal) / done


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prefill", type=int, default=2_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--timestamps", choices=sorted(TIMES), default="live")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="iv-keyforms-") as tmp:
        workdir = pathlib.Path(tmp)
        workdir.chmod(0o755)  # the cluster runs as postgres when this runs as root
        cluster = workdir / "pg"
        subprocess.run([str(REPO / "scripts/test-postgres.sh"), "start", str(cluster)], check=True)
        try:
            env = dict(line.split("=", 1) for line in (cluster / "env").read_text().split() if "=" in line)
            url = env["IV_TEST_DATABASE_URL"]
            with psycopg.connect(url, autocommit=True) as conn:
                for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                    conn.execute(f"ALTER SYSTEM SET {setting} = on")
                conn.execute("SELECT pg_reload_conf()")
                prefill(conn, args.prefill)
            results = {name: [] for name in FORMS}
            names = list(FORMS)
            for round_ in range(args.rounds):
                # Each round starts with another form, so no form always runs first (or last) in a round.
                for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                    results[name].append(run_form(url, form_sql(name, args.timestamps), args.seconds, workdir))
        finally:
            subprocess.run([str(REPO / "scripts/test-postgres.sh"), "stop", str(cluster)], check=False,
                           capture_output=True)
    shipped = statistics.median(latency for latency, _ in results["shipped"])
    print(f"{args.prefill:,} events prefilled; one client, 100 {args.timestamps} events per transaction, "
          f"{args.rounds} rounds of {args.seconds} s per form")
    print(f"{'form':<28} {'median':>9} {'WAL/txn':>9} {'vs shipped':>10}  runs (ms)")
    for name, runs in results.items():
        latencies = [latency for latency, _ in runs]
        median = statistics.median(latencies)
        wal = statistics.median(w for _, w in runs)
        spread = ", ".join(f"{value:.2f}" for value in latencies)
        print(f"{name:<28} {median:6.2f} ms {wal / 1024:6.1f} kB {median / shipped:9.2f}x  {spread}")


if __name__ == "__main__":
    os.environ.setdefault("PGCONNECT_TIMEOUT", "10")
    main()
