"""The tuned DuckDB baseline of bench/reports_bench.py: what a DuckDB (or ClickHouse) user would build and run over the
same events, with the report semantics of docs/reports.md.

`build` turns the exported events and identity mapping into one table, written once to Parquet sorted by timestamp
(the bench holds one project, so (project, timestamp) order is timestamp order) and loaded into DuckDB:

  uuid VARCHAR, event VARCHAR, distinct_id VARCHAR, pid INTEGER (the user after merges: person of the distinct id,
  else the distinct id, as a dense integer), ts TIMESTAMPTZ, tu BIGINT (ts in epoch microseconds), keys VARCHAR[]
  (the property keys), and per property the matrix touches (TEXT_KEYS, NUM_KEYS):
  <key> VARCHAR (jsonb ->> text: a string as is, a number as its JSON text, JSON null as SQL NULL) and
  <key>_set BOOLEAN (present, JSON null included); for numeric keys also <key>_num DOUBLE (only JSON numbers).

Then one hand-written SQL query per report shape, on those typed columns, with `SET threads = 2`. The project's time
zone must be UTC (the bench's), so buckets are plain date_trunc. Every function returns the GraphQL result's shape,
like e2e/reference_reports.py, so the three sides compare with reference_reports.compare.

Where a shape needs a smarter plan than the plain reference's, the SQL is what a tuned user would write:
- WEEKLY/MONTHLY_ACTIVE: distinct (user, day) rows, then each user's days become the intervals of bucket ends they
  cover (a day d covers the windows ending at d+1 .. d+N), counted with a running sum: linear in (user, day) rows.
- ORDERED funnels: one ASOF join per step (the earliest matching event at or after the previous step's time), so no
  step explodes into pairs. Step names must be distinct (the matrix's are).
- UNORDERED funnels: per step, a windowed min over each user's step events ordered by time (the earliest match at or
  after each entry), one sort for all steps.
- STRICT funnels: lead() over the events of the entering users inside [dateFrom, dateTo + window].
"""
from __future__ import annotations

import datetime as dt
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
import reference_reports as ref  # noqa: E402

TEXT_KEYS = ["country", "browser", "plan", "path"]
NUM_KEYS = ["amount"]
TABLE = "tuned"
DAY_US = 86_400_000_000
UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month"}


def col(key: str) -> str:
    """The typed text column of a property key."""
    if key not in TEXT_KEYS + NUM_KEYS:
        raise KeyError(f"the tuned baseline has no typed column for property {key!r} (add it to TEXT_KEYS/NUM_KEYS)")
    return f'"{key}"'


def num_col(key: str) -> str:
    if key not in NUM_KEYS:
        raise KeyError(f"the tuned baseline has no numeric column for property {key!r} (add it to NUM_KEYS)")
    return f'"{key}_num"'


def build(con, events_source: str, persons_source: str | None, parquet_path: str) -> int:
    """Builds the tuned table from the same relations as reference_reports.load_events (events: uuid, event,
    distinct_id, timestamp, properties text; persons: distinct_id, person_id). Returns the rows loaded."""
    con.execute("SET threads = 2")
    con.execute("SET TimeZone = 'UTC'")
    persons = (f"LEFT JOIN (SELECT distinct_id AS pd, CAST(person_id AS VARCHAR) AS person_id FROM {persons_source}) p "
               f"ON p.pd = e.distinct_id") if persons_source else ""
    person = "coalesce(p.person_id, e.distinct_id)" if persons_source else "e.distinct_id"
    typed = []
    for key in TEXT_KEYS + NUM_KEYS:
        typed.append(f"json_extract_string(j, {ref.path(key)}) AS \"{key}\"")
        typed.append(f"json_exists(j, {ref.path(key)}) AS \"{key}_set\"")
    for key in NUM_KEYS:
        typed.append(f"(CASE WHEN json_type(j, {ref.path(key)}) IN {ref.NUMERIC_TYPES} "
                     f"THEN CAST(json_extract_string(j, {ref.path(key)}) AS DOUBLE) END) AS \"{key}_num\"")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE tuned_src AS
        SELECT lower(CAST(e.uuid AS VARCHAR)) AS uuid, e.event, e.distinct_id, {person} AS person,
               CAST(e."timestamp" AS TIMESTAMPTZ) AS ts, CAST(e.properties AS JSON) AS j
        FROM {events_source} e {persons}""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE tuned_persons AS
        SELECT person, CAST(row_number() OVER (ORDER BY person) AS INTEGER) AS pid
        FROM (SELECT DISTINCT person FROM tuned_src)""")
    con.execute(f"""
        COPY (SELECT s.uuid, s.event, s.distinct_id, p.pid, s.ts, epoch_us(s.ts) AS tu,
                     coalesce(json_keys(s.j), []) AS keys, {", ".join(typed)}
              FROM tuned_src s JOIN tuned_persons p USING (person) ORDER BY s.ts, s.uuid)
        TO '{parquet_path}' (FORMAT parquet)""")
    con.execute("DROP TABLE tuned_src")
    con.execute("DROP TABLE tuned_persons")
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} AS SELECT * FROM read_parquet('{parquet_path}')")
    return con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]


# ---------------------------------------------------------------------------------------------------------------------
# Filters on typed columns

def filter_sql(f: dict) -> str:
    key, op, value = f["key"], f["operator"], f.get("value")
    text, vtext = col(key), ref.value_text(value)
    if op == "IS_SET":
        return f'"{key}_set"'
    if op == "IS_NOT_SET":
        return f'(NOT "{key}_set")'
    if op in ("EQ", "NEQ"):
        eq = "false" if vtext is None else f"coalesce({text} = {ref.lit(vtext)}, false)"
        return eq if op == "EQ" else f"(NOT {eq})"
    if op in ("CONTAINS", "NOT_CONTAINS"):
        has = "false" if vtext is None else f"coalesce(contains(lower({text}), {ref.lit(vtext.lower())}), false)"
        return has if op == "CONTAINS" else f"(NOT {has})"
    if op == "REGEX":
        return "false" if vtext is None else f"coalesce(regexp_matches({text}, {ref.lit(vtext)}), false)"
    if op in ("GT", "GTE", "LT", "LTE"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
            return "false"
        sign = {"GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}[op]
        return f"coalesce({num_col(key)} {sign} {float(value)!r}, false)"
    if op == "IN":
        items = [ref.value_text(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
        return "false" if not items else f"coalesce({text} IN ({', '.join(ref.lit(v) for v in items)}), false)"
    raise ValueError(f"unknown operator {op}")


def filters_sql(filters) -> str:
    return " AND ".join(["true"] + [filter_sql(f) for f in (filters or [])])


def micros(text: str) -> int:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def utc_only(tz: str) -> None:
    if tz not in ("UTC", "Etc/UTC"):
        raise ValueError("the tuned baseline handles UTC projects only")


def bucket_starts(unit: str, lo: int, hi: int) -> list:
    """Epoch-microsecond starts of every UTC bucket overlapping [lo, hi)."""
    start = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=lo)
    if unit == "HOUR":
        start = start.replace(minute=0, second=0, microsecond=0)
    else:
        start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        if unit == "WEEK":
            start -= dt.timedelta(days=start.weekday())
        elif unit == "MONTH":
            start = start.replace(day=1)
    out = []
    while (s := micros(start.isoformat())) < hi:
        out.append(s)
        if unit == "MONTH":
            start = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        else:
            start += {"HOUR": dt.timedelta(hours=1), "DAY": dt.timedelta(days=1), "WEEK": dt.timedelta(days=7)}[unit]
    return out


def shift(unit: str, start: int, periods: int) -> int:
    """The UTC bucket start `periods` buckets after the bucket starting at `start` (epoch microseconds)."""
    if unit != "MONTH":
        return start + periods * {"HOUR": 3_600_000_000, "DAY": DAY_US, "WEEK": 7 * DAY_US}[unit]
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=start)
    months = moment.year * 12 + moment.month - 1 + periods
    return micros(moment.replace(year=months // 12, month=months % 12 + 1).isoformat())


# ---------------------------------------------------------------------------------------------------------------------
# Trends

AGGS = {"TOTAL": "count(*)", "UNIQUE_USERS": "count(DISTINCT pid)", "SUM": "sum(num)", "AVG": "avg(num)",
        "MIN": "min(num)", "MAX": "max(num)", "MEDIAN": "quantile_cont(num, 0.5)", "P90": "quantile_cont(num, 0.9)",
        "P95": "quantile_cont(num, 0.95)", "P99": "quantile_cont(num, 0.99)"}


def trends(con, input: dict, tz: str = "UTC") -> dict:
    utc_only(tz)
    unit = input.get("interval") or "DAY"
    lo, hi = micros(input["dateFrom"]), micros(input["dateTo"])
    breakdown = input.get("breakdown")
    limit = 25 if input.get("breakdownLimit") is None else input["breakdownLimit"]
    buckets = bucket_starts(unit, lo, hi)
    bd = col(breakdown) if breakdown else "CAST(NULL AS VARCHAR)"
    result = []
    for series in input["series"]:
        event, math_ = series.get("event"), series["math"]
        where = filters_sql(input.get("filters")) + (f" AND event = {ref.lit(event)}" if event is not None else "")
        if math_ in ref.ACTIVE_DAYS:
            points, totals = _actives(con, unit, buckets, lo, hi, where, bd, ref.ACTIVE_DAYS[math_], breakdown)
        else:
            num = num_col(series["property"]) if series.get("property") else "CAST(NULL AS DOUBLE)"
            rows = con.execute(f"""
                WITH e AS (SELECT epoch_us(date_trunc('{UNITS[unit]}', ts)) AS b, {bd} AS bd, {num} AS num, pid
                           FROM {TABLE} WHERE {where} AND tu >= {lo} AND tu < {hi})
                SELECT grouping(b) AS whole, b, bd, {AGGS[math_]} FROM e GROUP BY GROUPING SETS ((b, bd), (bd))
                """).fetchall()
            points = {(v, b): float(x or 0) for whole, b, v, x in rows if not whole}
            totals = {v: float(x or 0) for whole, _, v, x in rows if whole}
        groups = ref.order_groups(totals, limit) if breakdown else [None]
        if not breakdown:
            totals.setdefault(None, 0.0)
        for group in groups:
            result.append({"label": event if event is not None else "All events", "event": event, "math": math_,
                           "breakdownValue": group, "total": totals[group],
                           "points": [{"bucket": ref.iso(b), "value": points.get((group, b), 0.0)} for b in buckets]})
    return {"series": result}


def _actives(con, unit, buckets, lo, hi, where, bd, days, breakdown):
    """Rolling actives of day-aligned buckets: a user active on UTC day d counts in every window ending at the start
    of day d+1 .. d+days (window end = bucket end; events at or after dateTo are left out)."""
    if unit == "HOUR":
        raise ValueError("the tuned baseline computes rolling actives for DAY, WEEK and MONTH buckets only")
    if not buckets:
        return {}, {}
    ends = [shift(unit, b, 1) // DAY_US for b in buckets]
    first_day = ends[0] - days
    rows = con.execute(f"""
        WITH d AS (SELECT DISTINCT pid, {bd} AS bd, tu // {DAY_US} AS day FROM {TABLE}
                   WHERE {where} AND tu >= {first_day * DAY_US} AND tu < {hi}),
        iv AS (SELECT bd, greatest(day + 1, coalesce(lag(day) OVER (PARTITION BY pid, bd ORDER BY day) + {days} + 1,
                                                     day + 1)) AS a, day + {days} AS z FROM d),
        dx AS (SELECT bd, a AS x, 1 AS delta FROM iv WHERE a <= z UNION ALL SELECT bd, z + 1, -1 FROM iv WHERE a <= z)
        SELECT bd, x, sum(delta) FROM dx GROUP BY bd, x ORDER BY bd NULLS LAST, x""").fetchall()
    present = {r[0] for r in con.execute(
        f"SELECT DISTINCT {bd} FROM {TABLE} WHERE {where} AND tu >= {lo} AND tu < {hi}").fetchall()}
    running, cover = {}, {}
    for value, x, delta in rows:
        running[value] = running.get(value, 0) + int(delta)
        cover.setdefault(value, []).append((x, running[value]))

    def at(value, end_day):
        level = 0
        for x, v in cover.get(value, []):
            if x > end_day:
                break
            level = v
        return float(level)

    points = {(v, b): at(v, e) for v in cover for b, e in zip(buckets, ends)}
    totals = {g: points.get((g, buckets[-1]), 0.0) for g in (present if breakdown else [None])}
    return points, totals


# ---------------------------------------------------------------------------------------------------------------------
# Funnels

def funnel(con, input: dict, tz: str = "UTC") -> dict:
    utc_only(tz)
    steps = input["steps"]
    n = len(steps)
    names = [s["event"] for s in steps]
    order = input.get("order") or "ORDERED"
    lo, hi = micros(input["dateFrom"]), micros(input["dateTo"])
    window = int(input["windowSeconds"]) * 1_000_000
    breakdown = input.get("breakdown")
    bd = col(breakdown) if breakdown else "CAST(NULL AS VARCHAR)"
    match = [f"(event = {ref.lit(s['event'])} AND {filters_sql(s.get('filters'))})" for s in steps]
    if order == "ORDERED" and len(set(names)) != n:
        raise ValueError("the tuned baseline's ASOF funnels need distinct step events")
    ctes = [f"s{k} AS (SELECT pid, tu FROM {TABLE} WHERE {match[k - 1]} AND tu >= {lo} AND tu < {hi + window})"
            for k in range(1, n + 1)] if order == "ORDERED" else []
    sorted_times = ""
    if order == "ORDERED":
        ctes.append(f"c1 AS (SELECT pid, uuid AS u1, {bd} AS bd, tu AS t1 FROM {TABLE} "
                    f"WHERE {match[0]} AND tu >= {lo} AND tu < {hi})")
        for k in range(2, n + 1):
            # A NULL previous step ends the chain (ASOF may still find a row for a NULL key).
            ctes.append(f"c{k} AS (SELECT c.*, CASE WHEN c.t{k - 1} IS NOT NULL AND s.tu - c.t1 <= {window} "
                        f"THEN s.tu END AS t{k} FROM c{k - 1} c "
                        f"ASOF LEFT JOIN s{k} s ON c.pid = s.pid AND s.tu >= c.t{k - 1})")
        level = "1" + "".join(f" + (t{k} IS NOT NULL)::INT" for k in range(2, n + 1))
        ctes.append(f"lv AS (SELECT *, {level} AS level FROM c{n})")
    elif order == "STRICT":
        leads = ", ".join(f"lead(m{k}, {k - 1}) OVER w AS n{k}, lead(tu, {k - 1}) OVER w AS t{k}"
                          for k in range(2, n + 1))
        level = "CASE " + " ".join(f"WHEN NOT coalesce(n{k} AND t{k} - tu <= {window}, false) THEN {k - 1}"
                                   for k in range(2, n + 1)) + f" ELSE {n} END"
        ms = ", ".join(f"{m} AS m{k}" for k, m in enumerate(match, 1))
        ctes += [f"ent AS (SELECT DISTINCT pid FROM {TABLE} WHERE {match[0]} AND tu >= {lo} AND tu < {hi})",
                 f"pe AS (SELECT pid, uuid, tu, {bd} AS bd, {ms} FROM {TABLE} "
                 f"WHERE tu >= {lo} AND tu <= {hi + window} AND pid IN (SELECT pid FROM ent))",
                 f"ld AS (SELECT *, {leads} FROM pe WINDOW w AS (PARTITION BY pid ORDER BY tu, uuid))",
                 f"lv AS (SELECT pid, uuid AS u1, bd, tu AS t1, {', '.join(f't{k}' for k in range(2, n + 1))}, "
                 f"{level} AS level FROM ld WHERE m1 AND tu >= {lo} AND tu < {hi})"]
    elif order == "UNORDERED":
        # Per step, the earliest matching event at or after each event of the user (equal times included): one sort
        # of the users' step events and a windowed min per step.
        any_step = " OR ".join(match)
        ms = ", ".join(f"{m} AS m{k}" for k, m in enumerate(match, 1))
        nexts = ", ".join(f"min(CASE WHEN m{k} THEN tu END) OVER w AS f{k}" for k in range(1, n + 1))
        within = ", ".join(f"CASE WHEN f{k} - tu <= {window} THEN f{k} END" for k in range(1, n + 1))
        level = " + ".join(f"coalesce(f{k} - tu <= {window}, false)::INT" for k in range(1, n + 1))
        ctes += [f"se AS (SELECT pid, uuid, tu, {bd} AS bd, {ms} FROM {TABLE} "
                 f"WHERE ({any_step}) AND tu >= {lo} AND tu < {hi + window})",
                 # Newest first, the default frame (everything up to the row and its equal-time peers) is every
                 # event at or after it: a running min, no per-row frame.
                 f"nx AS (SELECT pid, uuid, tu, bd, {nexts} FROM se WINDOW w AS (PARTITION BY pid ORDER BY tu DESC))",
                 # An entry's own step matches at its time, so t1 is the entry time; the sorted step times are
                 # built only for each user's best entry (in `sorted_times` below).
                 f"lv AS (SELECT pid, uuid AS u1, bd, {level} AS level, tu AS t1, [{within}] AS fl "
                 f"FROM nx WHERE tu < {hi})"]
        sorted_times = ("list_sort(list_filter(fl, x -> x IS NOT NULL)) AS s, "
                        + ", ".join(f"s[{k}] AS t{k}" for k in range(2, n + 1)))
    else:
        raise ValueError(f"unknown funnel order {order}")

    def summary(partition: str) -> str:
        best = (f"SELECT * FROM lv QUALIFY row_number() OVER (PARTITION BY pid{partition} "
                f"ORDER BY level DESC, t1, u1) = 1")
        if sorted_times:
            best = f"SELECT *, {sorted_times} FROM ({best})"
        counts = ", ".join(f"count(*) FILTER (WHERE level >= {k})" for k in range(1, n + 1))
        medians = "".join(f", quantile_cont((t{k} - t{k - 1}) / 1e6, 0.5) FILTER (WHERE level >= {k})"
                          for k in range(2, n + 1))
        return f"SELECT {'bd' if partition else 'NULL'}, {counts}{medians} FROM ({best}) {'GROUP BY bd' if partition else ''}"

    with_sql = "WITH " + ",\n".join(ctes)

    def shape(row, value):
        first = row[1]
        out = []
        for k in range(1, n + 1):
            count = int(row[k] or 0)
            median = row[n + k - 1] if k > 1 else None
            out.append({"index": k - 1, "event": names[k - 1], "count": count,
                        "conversionRate": (count / first) if first else 0.0,
                        "medianSecondsFromPrevious": float(median) if (median is not None and count) else None,
                        "breakdownValue": value})
        return out

    if not breakdown:
        return {"steps": shape(con.execute(f"{with_sql} {summary('')}").fetchone(), None), "breakdowns": []}
    # One pass for both: the whole funnel and the per-value funnels share every CTE.
    rows = con.execute(f"{with_sql}, o AS ({summary('')}), b AS ({summary(', bd')}) "
                       f"SELECT false, * FROM o UNION ALL SELECT true, * FROM b").fetchall()
    overall = next(r[1:] for r in rows if not r[0])
    by_value = {r[1]: r[1:] for r in rows if r[0]}
    return {"steps": shape(overall, None),
            "breakdowns": [{"breakdownValue": v, "steps": shape(by_value[v], v)}
                           for v in ref.order_groups({v: r[1] for v, r in by_value.items()}, 25)]}


# ---------------------------------------------------------------------------------------------------------------------
# Retention

def retention(con, input: dict, tz: str = "UTC") -> dict:
    utc_only(tz)
    unit = input.get("period") or "DAY"
    periods = int(input["periods"])
    mode = input.get("mode") or "RECURRING"
    lo, hi = micros(input["dateFrom"]), micros(input["dateTo"])
    starts = [s for s in bucket_starts(unit, lo, hi) if s >= lo]
    if not starts:
        return {"cohorts": []}
    where = filters_sql(input.get("filters"))
    trunc = f"date_trunc('{UNITS[unit]}', ts)"
    index = {"DAY": "date_diff('day', c.l, r.l)", "WEEK": "date_diff('day', c.l, r.l) // 7",
             "MONTH": "date_diff('month', c.l, r.l)"}[unit]
    last_end, cohort_end = shift(unit, starts[-1], periods), shift(unit, starts[-1], 1)
    start_event, return_event = ref.lit(input["startEvent"]), ref.lit(input["returnEvent"])
    if mode == "FIRST_TIME":
        members = (f"SELECT pid, {trunc.replace('ts', 'min(ts)')} AS l FROM {TABLE} "
                   f"WHERE event = {start_event} AND {where} GROUP BY pid "
                   f"HAVING min(tu) >= {starts[0]} AND min(tu) < {cohort_end}")
    elif mode == "RECURRING":
        members = (f"SELECT DISTINCT pid, {trunc} AS l FROM {TABLE} "
                   f"WHERE event = {start_event} AND {where} AND tu >= {starts[0]} AND tu < {cohort_end}")
    else:
        raise ValueError(f"unknown retention mode {mode}")
    rows = con.execute(f"""
        WITH c AS ({members}),
        r AS (SELECT DISTINCT pid, {trunc} AS l FROM {TABLE}
              WHERE event = {return_event} AND {where} AND tu >= {starts[0]} AND tu < {last_end}),
        v AS (SELECT c.l, {index} AS i, count(*) AS n FROM c JOIN r ON r.pid = c.pid AND r.l > c.l GROUP BY ALL)
        SELECT epoch_us(l), 0, count(*) FROM c GROUP BY l
        UNION ALL SELECT epoch_us(l), i, n FROM v WHERE i BETWEEN 1 AND {periods - 1}""").fetchall()
    values = {s: [0] * periods for s in starts}
    for s, i, count in rows:
        if s in values:
            values[s][i] = int(count)
    return {"cohorts": [{"start": ref.iso(s), "size": values[s][0], "values": values[s]} for s in starts]}


# ---------------------------------------------------------------------------------------------------------------------
# Event explorer and pickers

def events_page(con, filter_: dict | None, first: int = 50) -> dict:
    f = filter_ or {}
    where = ["true"]
    if f.get("event") is not None:
        where.append(f"event = {ref.lit(f['event'])}")
    if f.get("distinctId") is not None:
        where.append(f"distinct_id = {ref.lit(f['distinctId'])}")
    if f.get("dateFrom"):
        where.append(f"tu >= {micros(f['dateFrom'])}")
    if f.get("dateTo"):
        where.append(f"tu < {micros(f['dateTo'])}")
    where.append(filters_sql(f.get("properties")))
    rows = con.execute(f"""SELECT uuid, event, distinct_id, tu FROM {TABLE} WHERE {" AND ".join(where)}
                           ORDER BY tu DESC, uuid DESC LIMIT {int(first)}""").fetchall()
    return {"edges": [{"node": {"id": u, "event": e, "distinctId": d, "timestamp": ref.iso(t)}} for u, e, d, t in rows]}


def event_names(con, limit: int = 100) -> list:
    return [r[0] for r in con.execute(
        f"SELECT event FROM {TABLE} GROUP BY event ORDER BY count(*) DESC, event LIMIT {int(limit)}").fetchall()]


def property_keys(con, event: str | None = None, limit: int = 100) -> list:
    where = f"WHERE event = {ref.lit(event)}" if event is not None else ""
    return [r[0] for r in con.execute(f"""
        SELECT key FROM (SELECT unnest(keys) AS key FROM (SELECT keys FROM {TABLE} {where}
                                                          ORDER BY tu DESC, uuid DESC LIMIT {ref.PROPERTY_KEY_SAMPLE}))
        GROUP BY key ORDER BY count(*) DESC, key LIMIT {int(limit)}""").fetchall()]


def run(con, kind: str, input, tz: str = "UTC"):
    """One report by its kind, as reports_bench's matrix names them."""
    if kind == "events":
        return events_page(con, input.get("filter"), input.get("first", 50))
    if kind == "eventNames":
        return event_names(con, input.get("limit", 100))
    if kind == "propertyKeys":
        return property_keys(con, input.get("event"), input.get("limit", 100))
    return {"trends": trends, "funnel": funnel, "retention": retention}[kind](con, input, tz)
