"""Hand-worked cases for the DuckDB reference reports (reference_reports.py); no server needed.

Times are in America/New_York around the 2026-03-08 DST change: Mar 7 starts at 05:00Z, Mar 8 at 05:00Z and is
23 hours long, Mar 9 starts at 04:00Z."""
import datetime as dt
import json
import pathlib
import random
import sys
import uuid

import duckdb
import pytest

import reference_reports as ref

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "bench"))

TZ = "America/New_York"
DAYS = ["2026-03-07T05:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"]


def connect(rows):
    """rows: (event, person, timestamp, properties); the distinct id is the person."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE raw (uuid VARCHAR, event VARCHAR, distinct_id VARCHAR, timestamp VARCHAR, "
                "properties VARCHAR)")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?)",
                    [(str(uuid.UUID(int=i + 1)), e, p, t, json.dumps(props or {}))
                     for i, (e, p, t, props) in enumerate(rows)])
    con.execute("CREATE TABLE pdi (distinct_id VARCHAR, person_id VARCHAR)")
    ref.load_events(con, "raw", "pdi")
    return con


@pytest.fixture
def trend_con():
    return connect([
        ("pageview", "u3", "2026-03-07T04:59:00Z", {}),                                  # before range
        ("pageview", "u1", "2026-03-08T04:30:00Z", {"amount": 10, "country": "US"}),     # Mar 7 23:30 EST
        ("pageview", "u1", "2026-03-08T05:00:00Z", {"amount": "20", "country": "DE"}),   # Mar 8 00:00 EST
        ("pageview", "u2", "2026-03-09T03:59:59Z", {"amount": 30, "country": None}),     # Mar 8 23:59:59 EDT
        ("pageview", "u2", "2026-03-09T04:00:00Z", {"amount": 40}),                      # Mar 9 00:00 EDT
        ("pageview", "u3", "2026-03-10T04:00:00Z", {"amount": 50}),                      # at dateTo: out
        ("signup", "u1", "2026-03-08T07:30:00Z", {}),                                    # Mar 8 03:30 EDT
    ])


def trend(con, series, **extra):
    return ref.trends(con, {"series": series, "dateFrom": "2026-03-07T00:00:00-05:00",
                            "dateTo": "2026-03-10T00:00:00-04:00", "interval": "DAY", **extra}, TZ)["series"]


def values(series):
    return [p["value"] for p in series["points"]]


def test_day_buckets_follow_the_dst_change(trend_con):
    [total] = trend(trend_con, [{"event": "pageview", "math": "TOTAL"}])
    assert [p["bucket"] for p in total["points"]] == DAYS
    assert values(total) == [1, 2, 1] and total["total"] == 4
    [users] = trend(trend_con, [{"event": "pageview", "math": "UNIQUE_USERS"}])
    assert values(users) == [1, 2, 1] and users["total"] == 2
    [everything] = trend(trend_con, [{"event": None, "math": "TOTAL"}])
    assert values(everything) == [1, 3, 1] and everything["label"] == "All events"


def test_weekly_active_looks_back_before_the_range_but_not_past_date_to(trend_con):
    [wau] = trend(trend_con, [{"event": "pageview", "math": "WEEKLY_ACTIVE"}])
    assert values(wau) == [2, 3, 3] and wau["total"] == 3


def test_hour_buckets_are_real_hours_across_the_gap(trend_con):
    [hours] = ref.trends(trend_con, {"series": [{"event": None, "math": "TOTAL"}], "interval": "HOUR",
                                     "dateFrom": "2026-03-08T06:00:00Z", "dateTo": "2026-03-08T08:00:00Z"}, TZ)["series"]
    assert [p["bucket"] for p in hours["points"]] == ["2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"]
    assert values(hours) == [0, 1]


def test_numeric_maths_ignore_strings_and_empty_buckets_are_zero(trend_con):
    expected = {"SUM": ([10, 30, 40], 80), "AVG": ([10, 30, 40], 80 / 3), "MIN": ([10, 30, 40], 10),
                "MAX": ([10, 30, 40], 40), "MEDIAN": ([10, 30, 40], 30), "P90": ([10, 30, 40], 38),
                "P95": ([10, 30, 40], 39), "P99": ([10, 30, 40], 39.8)}
    for math_, (points, total) in expected.items():
        [series] = trend(trend_con, [{"event": "pageview", "math": math_, "property": "amount"}])
        assert values(series) == pytest.approx(points) and series["total"] == pytest.approx(total), math_
    [empty] = trend(trend_con, [{"event": "signup", "math": "AVG", "property": "amount"}])
    assert values(empty) == [0, 0, 0] and empty["total"] == 0


@pytest.mark.parametrize("operator,value,count", [
    ("EQ", "US", 1), ("NEQ", "US", 3), ("CONTAINS", "u", 1), ("NOT_CONTAINS", "u", 3), ("REGEX", "^D", 1),
    ("IS_SET", None, 3), ("IS_NOT_SET", None, 1), ("IN", ["US", "DE"], 2),
])
def test_filters_on_missing_and_null_properties(trend_con, operator, value, count):
    [series] = trend(trend_con, [{"event": "pageview", "math": "TOTAL"}],
                     filters=[{"key": "country", "operator": operator, "value": value}])
    assert series["total"] == count


@pytest.mark.parametrize("operator,value,count", [("GT", 10, 2), ("GTE", 10, 3), ("LT", 30, 1), ("LTE", 30, 2),
                                                  ("EQ", 40, 1), ("GT", "x", 0)])
def test_numeric_filters_skip_strings(trend_con, operator, value, count):
    [series] = trend(trend_con, [{"event": "pageview", "math": "TOTAL"}],
                     filters=[{"key": "amount", "operator": operator, "value": value}])
    assert series["total"] == count


def test_breakdown_orders_by_total_then_value_with_null_last(trend_con):
    series = trend(trend_con, [{"event": "pageview", "math": "TOTAL"}], breakdown="country", breakdownLimit=2)
    assert [(s["breakdownValue"], s["total"]) for s in series] == [(None, 2), ("DE", 1)]
    assert values(series[0]) == [0, 1, 1]
    assert trend(trend_con, [{"event": "nothing", "math": "TOTAL"}], breakdown="country") == []


def test_merged_distinct_ids_are_one_person():
    con = connect([("pageview", "anon", "2026-03-08T12:00:00Z", {}), ("pageview", "user", "2026-03-08T13:00:00Z", {})])
    con.execute("INSERT INTO pdi VALUES ('anon', 'P'), ('user', 'P')")
    ref.load_events(con, "raw", "pdi")
    [users] = trend(con, [{"event": "pageview", "math": "UNIQUE_USERS"}])
    assert users["total"] == 1


# Funnels: A -> B -> C, window one hour, seconds after 2026-03-08T12:00Z.

def at(seconds):
    return f"2026-03-08T12:{seconds // 60:02d}:{seconds % 60:02d}Z" if seconds < 3600 else \
        f"2026-03-08T{12 + seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}Z"


@pytest.fixture
def funnel_con():
    return connect([
        ("A", "p1", at(0), {"plan": "pro"}), ("B", "p1", at(10), {}), ("C", "p1", at(5), {}), ("C", "p1", at(20), {}),
        ("A", "p2", at(0), {"plan": "free"}), ("B", "p2", at(100), {}), ("A", "p2", at(200), {"plan": "pro"}),
        ("B", "p2", at(250), {}), ("C", "p2", at(300), {}),
        ("A", "p3", at(0), {}), ("B", "p3", at(4000), {}),
        ("A", "p4", at(0), {}), ("X", "p4", at(5), {}), ("B", "p4", at(10), {}),
    ])


def run_funnel(con, order, **extra):
    return ref.funnel(con, {"steps": [{"event": "A"}, {"event": "B"}, {"event": "C"}], "order": order,
                            "dateFrom": "2026-03-08T00:00:00Z", "dateTo": "2026-03-09T00:00:00Z",
                            "windowSeconds": 3600, **extra}, TZ)


def summary(steps):
    return [(s["count"], s["medianSecondsFromPrevious"]) for s in steps]


def test_ordered_funnel_takes_the_best_entry(funnel_con):
    result = run_funnel(funnel_con, "ORDERED")
    assert summary(result["steps"]) == [(4, None), (3, 10.0), (2, 105.0)]
    assert [s["conversionRate"] for s in result["steps"]] == [1.0, 0.75, 0.5]


def test_strict_funnel_is_interrupted_by_other_events(funnel_con):
    assert summary(run_funnel(funnel_con, "STRICT")["steps"]) == [(4, None), (1, 50.0), (1, 50.0)]


def test_unordered_funnel_counts_steps_in_any_order(funnel_con):
    assert summary(run_funnel(funnel_con, "UNORDERED")["steps"]) == [(4, None), (3, 10.0), (2, 102.5)]


def test_funnel_breakdown_uses_the_entry_event(funnel_con):
    result = run_funnel(funnel_con, "ORDERED", breakdown="plan")
    assert [(b["breakdownValue"], summary(b["steps"])) for b in result["breakdowns"]] == [
        ("pro", [(2, None), (2, 30.0), (2, 30.0)]),
        (None, [(2, None), (1, 10.0), (0, None)]),
        ("free", [(1, None), (1, 100.0), (1, 200.0)]),
    ]
    assert summary(result["steps"]) == [(4, None), (3, 10.0), (2, 105.0)]


# Retention: signup -> pageview by local day.

@pytest.fixture
def retention_con():
    return connect([
        ("signup", "r1", "2026-03-07T17:00:00Z", {}), ("pageview", "r1", "2026-03-09T03:30:00Z", {}),
        ("pageview", "r1", "2026-03-09T04:30:00Z", {}),
        ("signup", "r2", "2026-03-06T15:00:00Z", {}), ("signup", "r2", "2026-03-08T16:00:00Z", {}),
        ("pageview", "r2", "2026-03-10T15:00:00Z", {}),
        ("signup", "r3", "2026-03-08T17:00:00Z", {}), ("signup", "r3", "2026-03-09T17:00:00Z", {}),
        ("pageview", "r3", "2026-03-09T14:00:00Z", {}),
    ])


@pytest.mark.parametrize("mode,expected", [
    ("RECURRING", [[1, 1, 1], [2, 1, 1], [1, 0, 0]]),
    ("FIRST_TIME", [[1, 1, 1], [1, 1, 0], [0, 0, 0]]),
])
def test_retention_by_local_day(retention_con, mode, expected):
    result = ref.retention(retention_con, {"startEvent": "signup", "returnEvent": "pageview", "period": "DAY",
                                           "periods": 3, "mode": mode, "dateFrom": "2026-03-07T05:00:00Z",
                                           "dateTo": "2026-03-10T04:00:00Z"}, TZ)
    assert [c["start"] for c in result["cohorts"]] == DAYS
    assert [c["values"] for c in result["cohorts"]] == expected
    assert [c["size"] for c in result["cohorts"]] == [v[0] for v in expected]


def test_compare_reports_value_instant_and_shape_differences(trend_con):
    reference = {"series": trend(trend_con, [{"event": "pageview", "math": "TOTAL"}])}
    ours = json.loads(json.dumps(reference))
    ours["series"][0]["label"] = "anything"                                   # labels are not compared
    ours["series"][0]["points"][0]["bucket"] = "2026-03-07T00:00:00-05:00"    # same instant, other offset
    ours["series"][0]["points"][1]["value"] = 2 + 1e-12                       # within tolerance
    assert ref.compare("trends", ours, reference) == []
    ours["series"][0]["points"][2]["value"] = 1.001
    ours["series"][0]["points"][0]["bucket"] = "2026-03-07T00:00:00Z"
    assert [d[0] for d in ref.compare("trends", ours, reference)] == ["[0].points[0].bucket", "[0].points[2].value"]
    assert ref.compare("trends", {"series": []}, reference) == [(".length", 0, 1)]


def test_retention_filters_apply_to_start_and_return_events():
    con = connect([
        ("signup", "f1", "2026-03-07T17:00:00Z", {"country": "US"}), ("pageview", "f1", "2026-03-08T17:00:00Z",
                                                                      {"country": "US"}),
        ("signup", "f2", "2026-03-07T17:00:00Z", {"country": "US"}), ("pageview", "f2", "2026-03-08T17:00:00Z",
                                                                      {"country": "DE"}),
        ("signup", "f3", "2026-03-07T17:00:00Z", {}), ("pageview", "f3", "2026-03-08T17:00:00Z", {"country": "US"}),
        # FIRST_TIME: f4's first signup is not US; its first US signup starts its cohort.
        ("signup", "f4", "2026-03-06T17:00:00Z", {"country": "DE"}), ("signup", "f4", "2026-03-07T18:00:00Z",
                                                                      {"country": "US"}),
    ])
    for mode in ("RECURRING", "FIRST_TIME"):
        result = ref.retention(con, {"startEvent": "signup", "returnEvent": "pageview", "period": "DAY", "periods": 2,
                                     "mode": mode, "dateFrom": "2026-03-07T05:00:00Z",
                                     "dateTo": "2026-03-08T05:00:00Z",
                                     "filters": [{"key": "country", "operator": "EQ", "value": "US"}]}, TZ)
        assert [c["values"] for c in result["cohorts"]] == [[3, 1]], mode


def test_event_explorer_page_and_pickers():
    con = connect([
        ("pageview", "e1", "2026-03-08T12:00:00Z", {"country": "US", "path": "/"}),
        ("pageview", "e2", "2026-03-08T12:00:00Z", {"country": "US"}),
        ("signup", "e1", "2026-03-08T13:00:00Z", {"country": "DE", "plan": None}),
        ("pageview", "e3", "2026-03-08T14:00:00Z", {"country": "US"}),
        ("pageview", "e3", "2026-03-08T15:00:00Z", {}),
    ])
    page = ref.events_page(con, {"event": "pageview", "dateTo": "2026-03-08T15:00:00Z",
                                 "properties": [{"key": "country", "operator": "EQ", "value": "US"}]}, 2)
    # Newest first; equal timestamps by uuid descending (the rows' uuids are 1..5 in insertion order).
    assert [(n["node"]["distinctId"], n["node"]["timestamp"]) for n in page["edges"]] == [
        ("e3", "2026-03-08T14:00:00Z"), ("e2", "2026-03-08T12:00:00Z")]
    assert ref.event_names(con) == ["pageview", "signup"]
    assert ref.property_keys(con) == ["country", "path", "plan"]
    assert ref.property_keys(con, "signup", 1) == ["country"]
    assert ref.compare("events", page, page) == []


def random_events(seed=5, users=300):
    """Random events shaped like seed-demo's (its names and properties), some on merged distinct ids."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    names = ["$pageview", "signed_up", "activated", "invite_sent", "purchase"]
    rows = []
    for u in range(users):
        moment = start + dt.timedelta(days=rng.uniform(0, 80))
        for _ in range(rng.randint(1, 60)):
            moment += dt.timedelta(seconds=rng.choice([0, 1, 30, 600, 3600, 86400, 86400 * 3]) * rng.random())
            name = rng.choices(names, [60, 10, 10, 5, 15])[0]
            props = {}
            if rng.random() < 0.9:
                props["country"] = rng.choice(["US", "DE", "FR", "GB"])
            if rng.random() < 0.9:
                props["browser"] = rng.choice(["Chrome", "Safari", "Firefox"])
            roll = rng.random()
            if roll < 0.6:
                props["plan"] = rng.choice(["free", "pro"])
            elif roll < 0.7:
                props["plan"] = None
            if name == "$pageview":
                props["path"] = rng.choice(["/", "/app", "/pricing", "/app/reports"])
            if name == "purchase" or rng.random() < 0.05:
                props["amount"] = rng.choice([rng.randint(1, 300), round(rng.uniform(1, 300), 2), "12", True])
            distinct_id = f"anon-{u}" if rng.random() < 0.3 else f"user-{u}"
            rows.append((str(uuid.UUID(int=rng.getrandbits(128))), name, distinct_id, moment.isoformat(),
                         json.dumps(props)))
    return rows


def test_tuned_baseline_gives_the_reference_numbers_for_every_shape_of_the_benchmark(tmp_path):
    """bench/tuned_duckdb.py (typed columns, ASOF funnels, interval-counted actives) against the plain reference on
    every shape of bench/reports_bench.py's matrix, with ranges ending at an hour and at midnight."""
    import reports_bench
    import tuned_duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE raw (uuid VARCHAR, event VARCHAR, distinct_id VARCHAR, timestamp TIMESTAMPTZ, "
                "properties VARCHAR)")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?, ?, ?)", random_events())
    con.execute("CREATE TABLE pdi AS SELECT 'anon-' || i AS distinct_id, 'p-' || i AS person_id FROM range(0, 300, 2) "
                "t(i) UNION ALL SELECT 'user-' || i, 'p-' || i FROM range(0, 300, 2) t(i)")
    ref.load_events(con, "raw", "pdi")
    assert tuned_duckdb.build(con, "raw", "pdi", str(tmp_path / "tuned.parquet")) > 5_000
    differences = []
    for end in (dt.datetime(2026, 3, 10, 14, tzinfo=dt.timezone.utc), dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)):
        for name, kind, input_ in reports_bench.matrix(end):
            expected = reports_bench.plain_run(con, kind, input_)
            differences += [(end, name, *d) for d in ref.compare(kind, tuned_duckdb.run(con, kind, input_), expected)]
    assert differences == []
