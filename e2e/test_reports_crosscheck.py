"""Trends, funnels and retention through the real server's GraphQL API, compared with the independent DuckDB reference
(reference_reports.py) on ~100k seeded random events in America/New_York across the 2026-03-08 DST change.

The data has identity merges that come after the anonymous events (PostHog `$identify`), duplicate timestamps, events
exactly at range edges, missing and JSON-null properties and non-numeric amounts. Every difference is printed
(report, path, ours, reference) before the test fails."""
import datetime as dt
import json
import pathlib
import random
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid

import duckdb
import psycopg
import pytest

import reference_reports as ref
from conftest import Server, owner_dsn

TZ = "America/New_York"
SEED = 20260308
USERS = 2_000
DATA_START = dt.datetime(2026, 2, 6, 5, 0, tzinfo=dt.timezone.utc)   # 2026-02-06 00:00 EST
DATA_DAYS = 60
NAMES = ["pageview", "signup", "activate", "purchase", "invite"]
NAME_WEIGHTS = [55, 10, 10, 15, 10]
COUNTRIES = ["US", "DE", "FR", "GB", "NL", "JP", "BR"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge", "Chromium"]

# Ranges of the matrix (their edges get events exactly on them).
DAY_RANGE = ("2026-02-20T00:00:00-05:00", "2026-03-20T00:00:00-04:00")
ODD_RANGE = ("2026-02-25T13:17:00Z", "2026-03-15T09:41:30Z")
HOUR_RANGE = ("2026-03-07T10:30:00Z", "2026-03-09T10:30:00Z")
WEEK_RANGE = ("2026-02-09T00:00:00-05:00", "2026-04-06T00:00:00-04:00")
MONTH_RANGE = ("2026-02-10T00:00:00Z", "2026-04-05T00:00:00Z")
RET_DAY_RANGE = ("2026-03-01T00:00:00-05:00", "2026-03-15T00:00:00-04:00")
RET_WEEK_RANGE = ("2026-02-11T00:00:00-05:00", "2026-03-23T00:00:00-04:00")
RET_MONTH_RANGE = ("2026-02-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00")
EDGES = sorted({t for r in (DAY_RANGE, ODD_RANGE, HOUR_RANGE, WEEK_RANGE, MONTH_RANGE, RET_DAY_RANGE, RET_WEEK_RANGE)
                for t in r})


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------------------------------------
# Data

def generate(rng: random.Random):
    """Native events and PostHog `$identify` events (the native endpoint does not merge identities)."""
    events, identifies = [], []

    def new_uuid():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def properties(name):
        props = {}
        if rng.random() < 0.93:
            props["country"] = rng.choices(COUNTRIES, [30, 15, 10, 10, 5, 5, 5])[0]
        if rng.random() < 0.9:
            props["browser"] = rng.choice(BROWSERS)
        roll = rng.random()
        if roll < 0.7:
            props["plan"] = rng.choice(["free", "pro", "team"])
        elif roll < 0.8:
            props["plan"] = None
        if name == "purchase" or rng.random() < 0.1:
            roll = rng.random()
            if roll < 0.75:
                props["amount"] = rng.choice([rng.randint(1, 200), round(rng.uniform(1, 500), 2), 50, 100])
            elif roll < 0.85:
                props["amount"] = str(rng.randint(1, 200))
            elif roll < 0.9:
                props["amount"] = rng.random() < 0.5
        return props

    def session(distinct_id, begin, end):
        at = begin + dt.timedelta(seconds=rng.uniform(0, (end - begin).total_seconds()))
        for _ in range(rng.randint(1, 9)):
            name = rng.choices(NAMES, NAME_WEIGHTS)[0]
            if at < end:
                events.append({"event": name, "user_id": distinct_id, "timestamp": rfc3339(at),
                               "properties": properties(name), "uuid": new_uuid()})
            gap = rng.choice([0, 0, 1, 5, 30, 120, 600, 1800, 4000, 86400 * 2])
            at += dt.timedelta(seconds=gap * rng.random() if gap > 1 else gap)

    end = DATA_START + dt.timedelta(days=DATA_DAYS)
    for i in range(USERS):
        user = f"user-{i:04d}"
        sessions = max(1, int(rng.expovariate(1 / 10.5)))
        if rng.random() < 0.2:
            # Anonymous first (one or two devices), identified later: the merge comes after those events.
            devices = [f"anon-{i:04d}-{d}" for d in range(1 if rng.random() < 0.9 else 2)]
            switch = DATA_START + dt.timedelta(days=rng.uniform(2, DATA_DAYS - 5))
            for s in range(sessions):
                if rng.random() < 0.4:
                    session(rng.choice(devices), DATA_START, switch)
                else:
                    session(user, switch, end)
            for device in devices:
                identifies.append({"event": "$identify", "distinct_id": user, "uuid": new_uuid(),
                                   "timestamp": rfc3339(switch + dt.timedelta(seconds=rng.randint(0, 60))),
                                   "properties": {"$anon_distinct_id": device, "browser": "Chrome"}})
        else:
            for _ in range(sessions):
                session(user, DATA_START, end)
    # Events exactly at the matrix's range edges and just before them.
    for edge in EDGES:
        moment = parse(edge)
        for delta in (dt.timedelta(0), dt.timedelta(0), dt.timedelta(milliseconds=-1)):
            for name in NAMES:
                user = f"user-{rng.randrange(USERS):04d}"
                events.append({"event": name, "user_id": user, "timestamp": rfc3339(moment + delta),
                               "properties": properties(name), "uuid": new_uuid()})
    return events, identifies


# ---------------------------------------------------------------------------------------------------------------------
# HTTP

def post_json(url, body, token=None, timeout=120):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def graphql(server, query, variables=None, token=None):
    status, body = post_json(server.url("/graphql"), {"query": query, "variables": variables or {}}, token)
    return status, body


def must(server, query, variables=None, token=None):
    status, body = graphql(server, query, variables, token)
    assert status == 200 and not body.get("errors"), (status, body)
    return body["data"]


def setup_project(server):
    """Signs up, creates the America/New_York project and an ingest token; returns (jwt, project id, ingest token)."""
    email = f"crosscheck-{uuid.uuid4().hex[:8]}@example.com"
    signed = must(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                  {"i": {"email": email, "password": "correct horse battery", "organizationName": "Crosscheck"}})
    jwt, org = signed["signUp"]["token"], signed["signUp"]["organization"]["id"]
    project = must(server, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id timezone } }",
                   {"i": {"organizationId": org, "name": "web", "timezone": TZ}}, jwt)["createProject"]
    assert project["timezone"] == TZ
    token = must(server, "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                 {"i": {"projectId": project["id"], "name": "ingest", "kind": "INGEST"}}, jwt)["createApiToken"]["token"]
    return jwt, project["id"], token


# ---------------------------------------------------------------------------------------------------------------------
# The report matrix

STEP_FIELDS = "index event count conversionRate medianSecondsFromPrevious breakdownValue"
QUERIES = {
    "trends": "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { label event math "
              "breakdownValue total points { bucket value } } } }",
    "funnel": "query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) { steps { %s } "
              "breakdowns { breakdownValue steps { %s } } } }" % (STEP_FIELDS, STEP_FIELDS),
    "retention": "query($p: ID!, $i: RetentionInput!) { retention(projectId: $p, input: $i) { cohorts { start size "
                 "values } } }",
}


def matrix():
    reports = []

    def trend(name, series, rng=DAY_RANGE, interval="DAY", **extra):
        reports.append((name, "trends", {"series": series, "dateFrom": rng[0], "dateTo": rng[1], "interval": interval,
                                         **extra}))

    for math_ in ["TOTAL", "UNIQUE_USERS", "WEEKLY_ACTIVE", "MONTHLY_ACTIVE"]:
        trend(f"day {math_}", [{"event": "pageview", "math": math_}])
    for math_ in ["SUM", "AVG", "MIN", "MAX", "MEDIAN", "P90", "P95", "P99"]:
        trend(f"day {math_}(amount)", [{"event": "purchase", "math": math_, "property": "amount"}])
    for interval, rng in [("HOUR", HOUR_RANGE), ("WEEK", WEEK_RANGE), ("MONTH", MONTH_RANGE)]:
        for math_ in ["TOTAL", "UNIQUE_USERS", "WEEKLY_ACTIVE"]:
            trend(f"{interval.lower()} {math_}", [{"event": "pageview", "math": math_}], rng, interval)
    trend("unaligned day TOTAL all events", [{"event": None, "math": "TOTAL"}], ODD_RANGE)
    trend("unaligned day MONTHLY_ACTIVE", [{"event": "signup", "math": "MONTHLY_ACTIVE"}], ODD_RANGE)
    trend("unaligned week P90", [{"event": None, "math": "P90", "property": "amount"}], ODD_RANGE, "WEEK")
    for key, op, value in [("country", "EQ", "US"), ("plan", "NEQ", "free"), ("browser", "CONTAINS", "CHROM"),
                           ("browser", "NOT_CONTAINS", "fire"), ("browser", "REGEX", "^Chr"), ("amount", "GT", 100),
                           ("amount", "GTE", 100), ("amount", "LT", 50), ("amount", "LTE", 50),
                           ("plan", "IS_SET", None), ("plan", "IS_NOT_SET", None), ("country", "IN", ["DE", "FR"]),
                           ("amount", "EQ", 100), ("plan", "EQ", "pro")]:
        trend(f"filter {key} {op} {value}", [{"event": None, "math": "TOTAL"}, {"event": "purchase",
                                                                               "math": "UNIQUE_USERS"}],
              filters=[{"key": key, "operator": op, "value": value}])
    trend("two filters SUM", [{"event": "purchase", "math": "SUM", "property": "amount"}],
          filters=[{"key": "country", "operator": "IN", "value": ["US", "GB"]},
                   {"key": "browser", "operator": "NEQ", "value": "Safari"}])
    trend("breakdown country limit 3", [{"event": "pageview", "math": "TOTAL"}], breakdown="country", breakdownLimit=3)
    trend("breakdown plan default limit", [{"event": None, "math": "UNIQUE_USERS"}], breakdown="plan")
    trend("breakdown browser WEEKLY_ACTIVE", [{"event": "signup", "math": "WEEKLY_ACTIVE"}], breakdown="browser")
    trend("breakdown amount text MAX", [{"event": "invite", "math": "MAX", "property": "amount"}],
          breakdown="country", breakdownLimit=4)
    trend("two series", [{"event": "pageview", "math": "TOTAL"}, {"event": "purchase", "math": "AVG",
                                                                  "property": "amount"}])
    trend("two series breakdown", [{"event": "signup", "math": "UNIQUE_USERS"}, {"event": "nothing", "math": "TOTAL"}],
          breakdown="country", breakdownLimit=3)

    def funnel(name, steps, window, order, rng=DAY_RANGE, **extra):
        reports.append((name, "funnel", {"steps": [s if isinstance(s, dict) else {"event": s} for s in steps],
                                         "dateFrom": rng[0], "dateTo": rng[1], "windowSeconds": window,
                                         "order": order, **extra}))

    hour, week = 3600, 7 * 86400
    four = ["pageview", "signup", "activate", "purchase"]
    for order in ["ORDERED", "STRICT", "UNORDERED"]:
        funnel(f"{order} 4 steps 7d", four, week, order)
        funnel(f"{order} 3 steps 1h", four[:3], hour, order, ODD_RANGE)
    funnel("UNORDERED 4 steps with invite 1h", ["signup", "activate", "purchase", "invite"], hour, "UNORDERED")
    funnel("ORDERED step filters 7d", [{"event": "pageview", "filters": [{"key": "browser", "operator": "EQ",
                                                                          "value": "Chrome"}]},
                                       "signup",
                                       {"event": "purchase", "filters": [{"key": "amount", "operator": "GT",
                                                                          "value": 50}]}], week, "ORDERED")
    funnel("ORDERED repeated step 1h", ["pageview", "pageview", "purchase"], hour, "ORDERED")
    funnel("ORDERED breakdown country 7d", four[:3], week, "ORDERED", breakdown="country")
    funnel("STRICT breakdown plan 1h", four[:3], hour, "STRICT", breakdown="plan")
    funnel("UNORDERED breakdown browser 7d", ["signup", "activate", "purchase"], week, "UNORDERED", breakdown="browser")

    for mode in ["RECURRING", "FIRST_TIME"]:
        for period, rng, start, ret, periods in [("DAY", RET_DAY_RANGE, "signup", "pageview", 8),
                                                  ("WEEK", RET_WEEK_RANGE, "pageview", "purchase", 5),
                                                  ("MONTH", RET_MONTH_RANGE, "signup", "activate", 3)]:
            reports.append((f"retention {mode} {period}", "retention",
                            {"startEvent": start, "returnEvent": ret, "period": period, "periods": periods,
                             "dateFrom": rng[0], "dateTo": rng[1], "mode": mode}))
    return reports


# ---------------------------------------------------------------------------------------------------------------------
# The test

@pytest.fixture(scope="module")
def server(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-crosscheck-", dir="/tmp"))
    root.chmod(0o755)
    srv = Server(binary, root / "iv", root / "serve.log", env={"LOG_LEVEL": "warning"})
    srv.wait_ready()
    srv.root = root
    yield srv
    if srv.process.poll() is None:
        srv.terminate()
    shutil.rmtree(root, ignore_errors=True)


CSV = "header=false, auto_detect=false, delim=',', quote='\"', escape='\"'"  # PostgreSQL's COPY (FORMAT csv)


def load_reference(server, project, root) -> duckdb.DuckDBPyConnection:
    """The project's events and person_distinct_ids as PostgreSQL holds them, in DuckDB."""
    events_csv, persons_csv = root / "events.csv", root / "persons.csv"
    with psycopg.connect(owner_dsn(server.data_dir)) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        with conn.cursor() as cur:
            for target, sql in [
                (events_csv, "COPY (SELECT uuid, event, distinct_id, \"timestamp\", properties FROM events "
                             "WHERE project_id = '%s') TO STDOUT (FORMAT csv)" % uuid.UUID(project)),
                (persons_csv, "COPY (SELECT distinct_id, person_id FROM person_distinct_ids "
                              "WHERE project_id = '%s') TO STDOUT (FORMAT csv)" % uuid.UUID(project)),
            ]:
                with open(target, "wb") as handle, cur.copy(sql) as copy:
                    for chunk in copy:
                        handle.write(chunk)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    ref.load_events(
        con,
        f"read_csv('{events_csv}', {CSV}, columns={{'uuid': 'VARCHAR', 'event': 'VARCHAR', "
        f"'distinct_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'properties': 'VARCHAR'}})",
        f"read_csv('{persons_csv}', {CSV}, columns={{'distinct_id': 'VARCHAR', 'person_id': 'VARCHAR'}})")
    return con


def test_reports_match_the_reference(server):
    rng = random.Random(SEED)
    events, identifies = generate(rng)
    jwt, project, token = setup_project(server)

    for i in range(0, len(events), 2_000):
        status, body = post_json(server.url("/v1/events"), {"batch": events[i:i + 2_000]}, token)
        assert status == 200, (status, body)
    for i in range(0, len(identifies), 200):
        status, body = post_json(server.url("/batch/"), {"api_key": token, "batch": identifies[i:i + 200]})
        assert status == 200, (status, body)

    con = load_reference(server, project, server.root)
    stored = con.execute("SELECT count(*), count(DISTINCT distinct_id), count(DISTINCT person) FROM events").fetchone()
    merged = con.execute("SELECT count(*) FROM events WHERE person <> distinct_id").fetchone()[0]
    print(f"\n{stored[0]} events, {stored[1]} distinct ids, {stored[2]} persons, {merged} events on merged ids")
    assert stored[0] == len(events) + len(identifies)
    unmerged = con.execute("SELECT count(*) FROM events WHERE distinct_id LIKE 'anon-%' AND person = distinct_id")
    assert merged > 0 and unmerged.fetchone()[0] == 0, "identity merges did not happen"

    differences, failed = [], 0
    for name, kind, input_ in matrix():
        reference = getattr(ref, kind)(con, input_, TZ)
        status, body = graphql(server, QUERIES[kind], {"p": project, "i": input_}, jwt)
        if status != 200 or body.get("errors") or not body.get("data"):
            failed += 1
            differences.append((name, "<request>", f"HTTP {status} {json.dumps(body)[:300]}", "a result"))
            continue
        for path, ours, theirs in ref.compare(kind, body["data"][kind], reference):
            differences.append((name, path, ours, theirs))
    for name, path, ours, theirs in differences:
        print(f"DIFF {name} | {path} | ours={ours!r} | reference={theirs!r}")
    assert not differences, f"{len(differences)} differences ({failed} of {len(matrix())} reports failed outright)"
