"""Every report shape through the real server's GraphQL API, compared with the independent DuckDB reference
(reference_reports.py) on ~100k seeded random events in America/New_York across the 2026-03-08 DST change.

The matrix covers every shape of the report benchmark (bench/reports_bench.py) and more: every trends math, every
filter operator and three filters at once, breakdowns (UNIQUE_USERS included), HOUR/DAY/WEEK/MONTH buckets, WAU/MAU,
the three funnel orders with step filters and with breakdowns, FIRST_TIME and RECURRING retention with and without
filters, an explorer page with property filters, propertyKeys and eventNames; on ranges aligned to local days and on
ranges that start and end inside a day (at :37 past an hour, or at odd minutes and seconds).

The whole matrix runs twice against one server whose rollup service is off: first on raw events only (no rollups
exist), then after `insightvault rollups refresh` built every day, so both the raw and the rolled-up paths are
compared with the reference. The data has identity merges that come after the anonymous events (PostHog
`$identify`), duplicate timestamps, events exactly at range edges, missing and JSON-null properties and non-numeric
amounts. Every difference is printed (pass, report, path, ours, reference) before the test fails."""
import datetime as dt
import json
import os
import pathlib
import random
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import duckdb
import psycopg
import pytest

import reference_reports as ref
from conftest import REPO, Server, owner_dsn

TZ = "America/New_York"
SEED = 20260308
USERS = 2_000
DATA_START = dt.datetime(2026, 2, 6, 5, 0, tzinfo=dt.timezone.utc)   # 2026-02-06 00:00 EST
DATA_DAYS = 60
NAMES = ["pageview", "signup", "activate", "purchase", "invite", "refund"]
NAME_WEIGHTS = [55, 10, 10, 15, 10, 3]  # refund: rare (kept apart by the rollups on most days)
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
# Ranges inside days, like "the last 30 days up to now" (they end at :37 past an hour).
MID_RANGE = ("2026-02-19T16:37:00Z", "2026-03-21T16:37:00Z")
HOUR_MID_RANGE = ("2026-03-04T09:37:00Z", "2026-03-11T09:37:00Z")
LONG_MID_RANGE = ("2026-02-06T18:37:00Z", "2026-04-06T18:37:00Z")
RET_MID_RANGE = ("2026-02-12T20:37:00Z", "2026-03-26T20:37:00Z")
EDGES = sorted({t for r in (DAY_RANGE, ODD_RANGE, HOUR_RANGE, WEEK_RANGE, MONTH_RANGE, RET_DAY_RANGE, RET_WEEK_RANGE,
                            MID_RANGE, HOUR_MID_RANGE, LONG_MID_RANGE, RET_MID_RANGE)
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
        if name in ("purchase", "refund") or rng.random() < 0.1:
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
    "events": "query($p: ID!, $f: EventFilter, $n: Int) { events(projectId: $p, filter: $f, first: $n) { edges { "
              "node { id event distinctId timestamp } } } }",
    "eventNames": "query($p: ID!, $n: Int) { eventNames(projectId: $p, limit: $n) }",
    "propertyKeys": "query($p: ID!, $e: String, $n: Int) { propertyKeys(projectId: $p, event: $e, limit: $n) }",
}


def variables(project, kind, input_):
    """GraphQL variables of one report of the matrix."""
    if kind == "events":
        return {"p": project, "f": input_["filter"], "n": input_["first"]}
    if kind == "eventNames":
        return {"p": project, "n": input_["limit"]}
    if kind == "propertyKeys":
        return {"p": project, "e": input_["event"], "n": input_["limit"]}
    return {"p": project, "i": input_}


def reference(con, kind, input_):
    """The reference's answer to one report of the matrix."""
    if kind == "events":
        return ref.events_page(con, input_["filter"], input_["first"])
    if kind == "eventNames":
        return ref.event_names(con, input_["limit"])
    if kind == "propertyKeys":
        return ref.property_keys(con, input_["event"], input_["limit"])
    return getattr(ref, kind)(con, input_, TZ)


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

    # Inside days (ending at :37 past an hour), the shapes of the report benchmark.
    for math_ in ["TOTAL", "UNIQUE_USERS", "WEEKLY_ACTIVE", "MONTHLY_ACTIVE"]:
        trend(f"mid {math_} all events", [{"event": None, "math": math_}], MID_RANGE)
    for math_ in ["WEEKLY_ACTIVE", "MONTHLY_ACTIVE"]:
        trend(f"mid 59 days {math_}", [{"event": None, "math": math_}], LONG_MID_RANGE)
    for math_ in ["SUM", "AVG", "MEDIAN", "P95"]:
        trend(f"mid {math_}(amount)", [{"event": "purchase", "math": math_, "property": "amount"}], MID_RANGE)
    trend("mid hour 7 days TOTAL", [{"event": "pageview", "math": "TOTAL"}], HOUR_MID_RANGE, "HOUR")
    trend("mid hour 7 days UNIQUE_USERS", [{"event": None, "math": "UNIQUE_USERS"}], HOUR_MID_RANGE, "HOUR")
    trend("mid week UNIQUE_USERS", [{"event": "pageview", "math": "UNIQUE_USERS"}], LONG_MID_RANGE, "WEEK")
    trend("mid month TOTAL", [{"event": "pageview", "math": "TOTAL"}], LONG_MID_RANGE, "MONTH")
    for key, op, value in [("country", "EQ", "US"), ("amount", "GT", 50), ("browser", "CONTAINS", "chrom"),
                           ("country", "IN", ["US", "DE", "GB"]), ("plan", "IS_SET", None)]:
        trend(f"mid filter {key} {op}", [{"event": "pageview", "math": "TOTAL"}, {"event": None,
                                                                                 "math": "UNIQUE_USERS"}],
              MID_RANGE, filters=[{"key": key, "operator": op, "value": value}])
    three = [{"key": "country", "operator": "IN", "value": ["US", "DE", "GB"]},
             {"key": "browser", "operator": "CONTAINS", "value": "chrom"}, {"key": "plan", "operator": "IS_SET"}]
    trend("mid three filters TOTAL", [{"event": None, "math": "TOTAL"}], MID_RANGE, filters=three)
    trend("mid three filters UNIQUE_USERS", [{"event": "pageview", "math": "UNIQUE_USERS"}], MID_RANGE, filters=three)
    trend("three filters UNIQUE_USERS aligned", [{"event": "pageview", "math": "UNIQUE_USERS"}], filters=three)
    trend("breakdown country UNIQUE_USERS", [{"event": "pageview", "math": "UNIQUE_USERS"}], breakdown="country")
    trend("mid breakdown country UNIQUE_USERS", [{"event": "pageview", "math": "UNIQUE_USERS"}], MID_RANGE,
          breakdown="country")
    trend("mid breakdown country TOTAL", [{"event": "pageview", "math": "TOTAL"}], MID_RANGE, breakdown="country")
    trend("mid breakdown plan P95", [{"event": "purchase", "math": "P95", "property": "amount"}], MID_RANGE,
          breakdown="plan")
    trend("mid breakdown browser filtered UNIQUE_USERS", [{"event": None, "math": "UNIQUE_USERS"}], MID_RANGE,
          breakdown="browser", filters=[{"key": "country", "operator": "EQ", "value": "US"}])

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

    five = ["pageview", "signup", "activate", "invite", "purchase"]
    chrome = {"key": "browser", "operator": "EQ", "value": "Chrome"}
    filtered = [{"event": "pageview", "filters": [chrome]}] + five[1:]
    for order in ["ORDERED", "STRICT", "UNORDERED"]:
        funnel(f"mid {order} 5 steps step-1 filter 7d", filtered, week, order, MID_RANGE)
        funnel(f"mid {order} 5 steps breakdown country 7d", five, week, order, MID_RANGE, breakdown="country")
        funnel(f"{order} step filters 1d", [{"event": "pageview", "filters": [chrome]},
                                            {"event": "signup", "filters": [{"key": "plan", "operator": "IS_SET"}]},
                                            {"event": "purchase", "filters": [{"key": "amount", "operator": "GT",
                                                                               "value": 20}]}], 86400, order)
    funnel("mid ORDERED step filters breakdown plan", filtered, week, "ORDERED", MID_RANGE, breakdown="plan")

    for mode in ["RECURRING", "FIRST_TIME"]:
        for period, rng, start, ret, periods in [("DAY", RET_DAY_RANGE, "signup", "pageview", 8),
                                                  ("WEEK", RET_WEEK_RANGE, "pageview", "purchase", 5),
                                                  ("MONTH", RET_MONTH_RANGE, "signup", "activate", 3)]:
            reports.append((f"retention {mode} {period}", "retention",
                            {"startEvent": start, "returnEvent": ret, "period": period, "periods": periods,
                             "dateFrom": rng[0], "dateTo": rng[1], "mode": mode}))
        reports.append((f"retention {mode} WEEK inside days", "retention",
                        {"startEvent": "pageview", "returnEvent": "pageview", "period": "WEEK", "periods": 8,
                         "dateFrom": RET_MID_RANGE[0], "dateTo": RET_MID_RANGE[1], "mode": mode}))
        # RetentionInput.filters: both the start and the return event must match.
        for period, rng, filters in [
                ("WEEK", RET_MID_RANGE, [{"key": "country", "operator": "EQ", "value": "US"}]),
                ("DAY", RET_DAY_RANGE, [{"key": "plan", "operator": "IS_SET"},
                                        {"key": "browser", "operator": "IN", "value": ["Chrome", "Safari"]}])]:
            reports.append((f"retention {mode} {period} filtered", "retention",
                            {"startEvent": "pageview", "returnEvent": "pageview", "period": period, "periods": 8,
                             "dateFrom": rng[0], "dateTo": rng[1], "mode": mode, "filters": filters}))

    # A rare event: reports that read only `refund` take its own rollup rows on the days where it is rare.
    trend("rare UNIQUE_USERS filter amount GT", [{"event": "refund", "math": "UNIQUE_USERS"},
                                                 {"event": "refund", "math": "SUM", "property": "amount"}],
          MID_RANGE, filters=[{"key": "amount", "operator": "GT", "value": 50}])
    trend("rare hour breakdown country", [{"event": "refund", "math": "TOTAL"}], HOUR_MID_RANGE, "HOUR",
          breakdown="country")
    funnel("rare ORDERED refund twice breakdown country", ["refund", {"event": "refund", "filters": [
        {"key": "amount", "operator": "GTE", "value": 20}]}], week, "ORDERED", MID_RANGE, breakdown="country")
    funnel("rare UNORDERED refund invite", ["refund", "invite"], week, "UNORDERED", MID_RANGE)
    reports.append(("rare retention RECURRING filtered", "retention",
                    {"startEvent": "refund", "returnEvent": "refund", "period": "WEEK", "periods": 5,
                     "dateFrom": RET_MID_RANGE[0], "dateTo": RET_MID_RANGE[1], "mode": "RECURRING",
                     "filters": [{"key": "country", "operator": "IS_SET"}]}))

    def explore(name, filter_, first=50):
        reports.append((name, "events", {"filter": filter_, "first": first}))

    explore("explorer country EQ inside days", {"dateFrom": MID_RANGE[0], "dateTo": MID_RANGE[1],
                                                "properties": [{"key": "country", "operator": "EQ", "value": "DE"}]})
    explore("explorer purchase amount GT, plan IS_NOT_SET", {
        "event": "purchase", "dateTo": ODD_RANGE[1], "properties": [{"key": "amount", "operator": "GT", "value": 100},
                                                                    {"key": "plan", "operator": "IS_NOT_SET"}]}, 200)
    explore("explorer browser CONTAINS, no dates", {"properties": [{"key": "browser", "operator": "CONTAINS",
                                                                    "value": "FOX"}]})
    reports.append(("propertyKeys", "propertyKeys", {"event": None, "limit": 100}))
    reports.append(("propertyKeys purchase", "propertyKeys", {"event": "purchase", "limit": 3}))
    reports.append(("eventNames", "eventNames", {"limit": 100}))
    return reports


# ---------------------------------------------------------------------------------------------------------------------
# The test

@pytest.fixture(scope="module")
def server(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-crosscheck-", dir="/tmp"))
    root.chmod(0o755)
    # The rollup service is off: the first pass reads raw events only, the second what `rollups refresh` built.
    srv = Server(binary, root / "iv", root / "serve.log",
                 env={"LOG_LEVEL": "warning", "IV_ROLLUP_INTERVAL_SECONDS": "0"})
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


def rollup_days(server, project) -> int:
    with psycopg.connect(owner_dsn(server.data_dir)) as conn:
        return conn.execute("SELECT count(DISTINCT day) FROM rollup_days WHERE project_id = %s",
                            (project,)).fetchone()[0]


def refresh_rollups(binary, server):
    """`insightvault rollups refresh` on the server's embedded cluster, as an operator runs it beside `serve`."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL")}
    environment.update({"IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"})
    result = subprocess.run([binary, "rollups", "refresh", "--data-dir", str(server.data_dir)], cwd=REPO,
                            env=environment, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def compare_matrix(server, expected, project, jwt, label):
    """(differences, reports that failed outright) of one pass over the matrix; `expected` holds the reference's
    answer of each report."""
    differences, failed = [], 0
    for (name, kind, input_), answer in zip(matrix(), expected):
        try:
            status, body = graphql(server, QUERIES[kind], variables(project, kind, input_), jwt)
        except OSError as error:  # the server closed the connection or died: say which report, then stop
            try:
                died = server.process.wait(timeout=30)  # a crashing Swift process first prints its backtrace
            except subprocess.TimeoutExpired:
                died = None
            differences.append((label, name, "<request>", f"{type(error).__name__}: {error}; server exit code {died}",
                                "a result"))
            if died is not None:
                log = server.log_path.read_text(errors="replace")
                crash = log.find("Fatal error")
                print(f"serve exited with {died}; its log:\n{log[crash:crash + 4000] if crash >= 0 else log[-4000:]}")
                differences[-1] = (label, name, "<request>", f"the server died (exit code {died})", "a result")
                return differences, failed + 1
            failed += 1
            continue
        if status != 200 or body.get("errors") or not body.get("data"):
            failed += 1
            differences.append((label, name, "<request>", f"HTTP {status} {json.dumps(body)[:300]}", "a result"))
            continue
        for path, ours, theirs in ref.compare(kind, body["data"][kind], answer):
            differences.append((label, name, path, ours, theirs))
    return differences, failed


def test_reports_match_the_reference(server, binary):
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
    print(f"\n{stored[0]} events, {stored[1]} distinct ids, {stored[2]} persons, {merged} events on merged ids, "
          f"{len(matrix())} reports per pass")
    assert stored[0] == len(events) + len(identifies)
    unmerged = con.execute("SELECT count(*) FROM events WHERE distinct_id LIKE 'anon-%' AND person = distinct_id")
    assert merged > 0 and unmerged.fetchone()[0] == 0, "identity merges did not happen"

    clock = time.monotonic()
    expected = [reference(con, kind, input_) for _, kind, input_ in matrix()]
    print(f"reference answers {time.monotonic() - clock:.1f} s")
    # Pass 1: raw events only.
    assert rollup_days(server, project) == 0, "the rollup service ran: the first pass must read raw events"
    clock = time.monotonic()
    differences, failed = compare_matrix(server, expected, project, jwt, "raw")
    print(f"raw pass {time.monotonic() - clock:.1f} s")
    # Pass 2: after every day of the data was rolled up.
    clock = time.monotonic()
    refresh_rollups(binary, server)
    days = rollup_days(server, project)
    assert days >= DATA_DAYS, f"rollups refresh built {days} days, expected every day of the data"
    print(f"rollups refresh {time.monotonic() - clock:.1f} s")
    clock = time.monotonic()
    more, more_failed = compare_matrix(server, expected, project, jwt, "rollups")
    print(f"rollups pass {time.monotonic() - clock:.1f} s")
    differences += more
    failed += more_failed
    for label, name, path, ours, theirs in differences:
        print(f"DIFF [{label}] {name} | {path} | ours={ours!r} | reference={theirs!r}")
    assert not differences, (f"{len(differences)} differences ({failed} of {2 * len(matrix())} reports failed "
                             f"outright)")
