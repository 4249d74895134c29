"""An independent reference implementation of the report semantics (docs/reports.md) in DuckDB.

It exists to cross-check the server's trends, funnel and retention queries (e2e/test_reports_crosscheck.py) and
as the baseline of bench/reports_bench.py. All report logic is DuckDB SQL; Python only builds the SQL and shapes the
result like the GraphQL response.

Input: a DuckDB connection holding a table (or view) `events(uuid VARCHAR, event VARCHAR, distinct_id VARCHAR,
person VARCHAR, timestamp TIMESTAMPTZ, properties JSON)` for one project, where `person` is the person after identity
merges (person_distinct_ids.person_id, else the distinct id itself). `load_events` builds it from CSV or Parquet.

Decisions where the contract is silent (agreed in the brief; keep in sync with the server):
- Buckets and retention periods are in the project's IANA zone, weeks start on Monday, ranges are half-open.
  The first trend bucket starts at the bucket start of dateFrom (possibly before it); only events in range count.
- WEEKLY/MONTHLY_ACTIVE of a bucket: distinct persons with events in
  [bucketEnd - 7 (30) local calendar days, min(bucketEnd, dateTo)).
- Property text is jsonb ->> text: strings as is, numbers as JSON number text, booleans true/false; JSON null is a
  present key with SQL NULL text. Only JSON numbers are numeric. (DuckDB re-renders numbers it parses, e.g. 1.50 as
  1.5, where PostgreSQL keeps 1.50: test data should use numbers whose shortest form is their text.)
- Breakdown ties are ordered by value in code point order (C collation), null last.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re

ACTIVE_DAYS = {"WEEKLY_ACTIVE": 7, "MONTHLY_ACTIVE": 30}
QUANTILES = {"MEDIAN": 0.5, "P90": 0.9, "P95": 0.95, "P99": 0.99}
NUMERIC_TYPES = "('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')"
UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month"}


# ---------------------------------------------------------------------------------------------------------------------
# Loading

def load_events(con, events_source: str, persons_source: str | None, materialize: bool = True) -> None:
    """Creates `events` from an events relation (columns uuid, event, distinct_id, timestamp, properties as text) and
    an optional person_distinct_ids relation (distinct_id, person_id). Sources are DuckDB table expressions such as
    "read_parquet('events.parquet')". With materialize=False it is a view, so the person join runs in every report."""
    con.execute("SET TimeZone = 'UTC'")
    persons = (f"LEFT JOIN (SELECT distinct_id AS pd, CAST(person_id AS VARCHAR) AS person_id FROM {persons_source}) p "
               f"ON p.pd = e.distinct_id") if persons_source else ""
    person = "coalesce(p.person_id, e.distinct_id)" if persons_source else "e.distinct_id"
    kind = "TABLE" if materialize else "VIEW"
    con.execute(f"""
        CREATE OR REPLACE {kind} events AS
        SELECT lower(CAST(e.uuid AS VARCHAR)) AS uuid, e.event, e.distinct_id, {person} AS person,
               CAST(e."timestamp" AS TIMESTAMPTZ) AS "timestamp", CAST(e.properties AS JSON) AS properties
        FROM {events_source} e {persons}""")


# ---------------------------------------------------------------------------------------------------------------------
# SQL building blocks

def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def instant_lit(text: str) -> str:
    """An RFC 3339 input as a TIMESTAMPTZ literal (parsed in Python so every offset form is accepted)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    utc = moment.astimezone(dt.timezone.utc)
    return f"CAST('{utc.strftime('%Y-%m-%d %H:%M:%S.%f')}+00' AS TIMESTAMPTZ)"


class Zone:
    """SQL for converting between instants and wall-clock times of one IANA zone."""

    def __init__(self, tz: str):
        if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", tz or ""):
            raise ValueError(f"bad time zone {tz!r}")
        self.tz = tz
        self.utc = tz in ("UTC", "Etc/UTC")

    def local(self, instant: str) -> str:
        return f"CAST({instant} AS TIMESTAMP)" if self.utc else f"timezone({lit(self.tz)}, {instant})"

    def instant(self, local: str) -> str:
        return f"CAST({local} AS TIMESTAMPTZ)" if self.utc else f"timezone({lit(self.tz)}, CAST({local} AS TIMESTAMP))"

    def local_trunc(self, unit: str, instant: str) -> str:
        """Wall-clock start of the DAY/WEEK/MONTH holding `instant`."""
        return f"CAST(date_trunc('{UNITS[unit]}', {self.local(instant)}) AS TIMESTAMP)"

    def trunc(self, unit: str, instant: str) -> str:
        """The instant a bucket starts. Hours are cut in instant space (local minutes and seconds removed), so they
        stay real hours across DST changes."""
        if unit == "HOUR":
            loc = self.local(instant)
            return f"({instant} - ({loc} - CAST(date_trunc('hour', {loc}) AS TIMESTAMP)))"
        return self.instant(self.local_trunc(unit, instant))


def step_interval(unit: str) -> str:
    return {"HOUR": "INTERVAL 1 HOUR", "DAY": "INTERVAL 1 DAY", "WEEK": "INTERVAL 7 DAY",
            "MONTH": "INTERVAL 1 MONTH"}[unit]


def path(key: str) -> str:
    return lit('$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"')


def prop_text(key: str) -> str:
    """jsonb ->> key: NULL when missing or JSON null."""
    return f"json_extract_string(properties, {path(key)})"


def prop_num(key: str) -> str:
    """The property as DOUBLE when it is a JSON number, else NULL."""
    return (f"(CASE WHEN json_type(properties, {path(key)}) IN {NUMERIC_TYPES} "
            f"THEN CAST(json_extract_string(properties, {path(key)}) AS DOUBLE) END)")


def value_text(value) -> str | None:
    """A filter value's text, as ->> would render it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value)


def filter_sql(f: dict) -> str:
    key, op, value = f["key"], f["operator"], f.get("value")
    text, present = prop_text(key), f"json_exists(properties, {path(key)})"
    vtext = value_text(value)
    if op == "IS_SET":
        return present
    if op == "IS_NOT_SET":
        return f"(NOT {present})"
    if op in ("EQ", "NEQ"):
        eq = "false" if vtext is None else f"coalesce({text} = {lit(vtext)}, false)"
        return eq if op == "EQ" else f"(NOT {eq})"
    if op in ("CONTAINS", "NOT_CONTAINS"):
        has = "false" if vtext is None else f"coalesce(contains(lower({text}), lower({lit(vtext)})), false)"
        return has if op == "CONTAINS" else f"(NOT {has})"
    if op == "REGEX":
        return "false" if vtext is None else f"coalesce(regexp_matches({text}, {lit(vtext)}), false)"
    if op in ("GT", "GTE", "LT", "LTE"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "false"
        if isinstance(value, bool) or not math.isfinite(number):
            return "false"
        sign = {"GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}[op]
        return f"coalesce({prop_num(key)} {sign} {number!r}, false)"
    if op == "IN":
        items = [value_text(v) for v in (value if isinstance(value, list) else [value]) if v is not None]
        if not items:
            return "false"
        return f"coalesce({text} IN ({', '.join(lit(v) for v in items)}), false)"
    raise ValueError(f"unknown operator {op}")


def filters_sql(filters) -> str:
    return " AND ".join(["true"] + [filter_sql(f) for f in (filters or [])])


def iso(micros: int) -> str:
    """Epoch microseconds as RFC 3339 in UTC."""
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=int(micros))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def order_groups(groups: dict, limit: int) -> list:
    """Breakdown values by total descending, then value ascending (code points), null last; top `limit`."""
    return sorted(groups, key=lambda v: (-groups[v], v is None, v or ""))[:max(limit, 0)]


# ---------------------------------------------------------------------------------------------------------------------
# Trends

def buckets_sql(zone: Zone, unit: str, start: str, end: str) -> str:
    """Every bucket overlapping [start, end): bstart/bend instants."""
    if unit == "HOUR":
        return (f"SELECT bstart, bstart + INTERVAL 1 HOUR AS bend FROM "
                f"generate_series({zone.trunc('HOUR', start)}, {end}, INTERVAL 1 HOUR) s(bstart) WHERE bstart < {end}")
    step = step_interval(unit)
    return (f"SELECT {zone.instant('l')} AS bstart, {zone.instant(f'l + {step}')} AS bend FROM "
            f"generate_series({zone.local_trunc(unit, start)}, {zone.local(end)}, {step}) s(l) "
            f"WHERE {zone.instant('l')} < {end}")


def agg_sql(math_: str) -> str:
    if math_ == "TOTAL":
        return "count(*)"
    if math_ == "UNIQUE_USERS":
        return "count(DISTINCT person)"
    if math_ in QUANTILES:
        return f"quantile_cont(num, {QUANTILES[math_]})"
    return {"SUM": "sum(num)", "AVG": "avg(num)", "MIN": "min(num)", "MAX": "max(num)"}[math_]


def trends(con, input: dict, tz: str = "UTC", table: str = "events") -> dict:
    """The `trends` result: {"series": [{label, event, math, breakdownValue, total, points: [{bucket, value}]}]}."""
    con.execute("SET TimeZone = 'UTC'")
    zone = Zone(tz)
    unit = input.get("interval") or "DAY"
    start, end = instant_lit(input["dateFrom"]), instant_lit(input["dateTo"])
    breakdown = input.get("breakdown")
    limit = input.get("breakdownLimit")
    limit = 25 if limit is None else limit
    buckets = [r[0] for r in con.execute(
        f"SELECT epoch_us(bstart) FROM ({buckets_sql(zone, unit, start, end)}) ORDER BY 1").fetchall()]
    common = filters_sql(input.get("filters"))
    result = []
    for series in input["series"]:
        event, math_ = series.get("event"), series["math"]
        where = f"({common})" + (f" AND event = {lit(event)}" if event is not None else "")
        bd = prop_text(breakdown) if breakdown else "CAST(NULL AS VARCHAR)"
        num = prop_num(series["property"]) if series.get("property") else "CAST(NULL AS DOUBLE)"
        if math_ in ACTIVE_DAYS:
            days = ACTIVE_DAYS[math_]
            back = zone.instant(zone.local("bend") + f" - INTERVAL {days} DAY")
            windows = (f"SELECT bstart, {back} AS wstart, least(bend, {end}) AS wend "
                       f"FROM ({buckets_sql(zone, unit, start, end)})")
            rows = con.execute(f"""
                WITH w AS ({windows}),
                e AS (SELECT person, "timestamp" AS ts, {bd} AS bd FROM {table}
                      WHERE {where} AND "timestamp" >= (SELECT min(wstart) FROM w) AND "timestamp" < {end})
                SELECT epoch_us(w.bstart), e.bd, count(DISTINCT e.person)
                FROM w JOIN e ON e.ts >= w.wstart AND e.ts < w.wend
                GROUP BY ALL""").fetchall()
            present = {r[0] for r in con.execute(f"""
                SELECT DISTINCT {bd} FROM {table} WHERE {where} AND "timestamp" >= {start} AND "timestamp" < {end}
                """).fetchall()}
            points = {(value, bucket): float(count) for bucket, value, count in rows}
            totals = {g: points.get((g, buckets[-1]), 0.0) if buckets else 0.0
                      for g in (present if breakdown else [None])}
        else:
            agg = agg_sql(math_)
            rows = con.execute(f"""
                WITH e AS (SELECT person, {zone.trunc(unit, '"timestamp"')} AS bucket, {num} AS num, {bd} AS bd
                           FROM {table} WHERE {where} AND "timestamp" >= {start} AND "timestamp" < {end})
                SELECT 'p' AS kind, epoch_us(bucket), bd, {agg} FROM e GROUP BY bucket, bd
                UNION ALL
                SELECT 't', NULL, bd, {agg} FROM e GROUP BY bd""").fetchall()
            points = {(value, bucket): float(x or 0) for kind, bucket, value, x in rows if kind == "p"}
            totals = {value: float(x or 0) for kind, _, value, x in rows if kind == "t"}
        if breakdown:
            groups = order_groups(totals, limit)
        else:
            groups = [None]
            totals.setdefault(None, 0.0)
        for group in groups:
            result.append({
                "label": event if event is not None else "All events",
                "event": event, "math": math_, "breakdownValue": group, "total": totals[group],
                "points": [{"bucket": iso(b), "value": points.get((group, b), 0.0)} for b in buckets],
            })
    return {"series": result}


# ---------------------------------------------------------------------------------------------------------------------
# Funnels

def funnel(con, input: dict, tz: str = "UTC", table: str = "events") -> dict:
    """The `funnel` result: {"steps": [...], "breakdowns": [{breakdownValue, steps}]}; step index is 0-based."""
    con.execute("SET TimeZone = 'UTC'")
    steps = input["steps"]
    n = len(steps)
    order = input.get("order") or "ORDERED"
    start, end = instant_lit(input["dateFrom"]), instant_lit(input["dateTo"])
    lo, hi = f"epoch_us({start})", f"epoch_us({end})"
    window = int(input["windowSeconds"]) * 1_000_000
    breakdown = input.get("breakdown")
    bd = prop_text(breakdown) if breakdown else "CAST(NULL AS VARCHAR)"
    matches = ", ".join(f"(event = {lit(s['event'])} AND {filters_sql(s.get('filters'))}) AS m{k}"
                        for k, s in enumerate(steps, 1))
    any_step = " OR ".join(f"m{k}" for k in range(1, n + 1))
    names = ", ".join(lit(s["event"]) for s in steps)
    base = (f"SELECT person, uuid, epoch_us(\"timestamp\") AS tu, {bd} AS bd, {matches} FROM {table} "
            f"WHERE event IN ({names})")
    tcols = ", ".join(f"t{k}" for k in range(1, n + 1))

    if order == "ORDERED":
        ctes = [f"fe AS (SELECT * FROM ({base}) WHERE {any_step})",
                f"c1 AS (SELECT person, uuid AS u1, tu AS t1, bd, [uuid] AS used FROM fe "
                f"WHERE m1 AND tu >= {lo} AND tu < {hi})"]
        carried = "c.person, c.u1, c.bd, c.t1"
        for k in range(2, n + 1):
            ctes.append(
                f"c{k} AS (SELECT {carried}, e.tu AS t{k}, list_append(c.used, e.uuid) AS used "
                f"FROM c{k - 1} c JOIN fe e ON e.person = c.person AND e.m{k} AND e.tu >= c.t{k - 1} "
                f"AND e.tu - c.t1 <= {window} AND NOT list_contains(c.used, e.uuid) "
                f"QUALIFY row_number() OVER (PARTITION BY c.person, c.u1, c.t1 ORDER BY e.tu, e.uuid) = 1)")
            carried += f", c.t{k}"
        joins = " ".join(f"LEFT JOIN c{k} USING (person, u1, t1)" for k in range(2, n + 1))
        level = "1" + "".join(f" + (c{k}.t{k} IS NOT NULL)::INT" for k in range(2, n + 1))
        cols = ", ".join(["c1.t1"] + [f"c{k}.t{k}" for k in range(2, n + 1)])
        ctes.append(f"lv AS (SELECT c1.person, c1.u1, c1.bd, {level} AS level, {cols} FROM c1 {joins})")
    elif order == "STRICT":
        leads = ", ".join(f"lead(m{k}, {k - 1}) OVER w AS n{k}, lead(tu, {k - 1}) OVER w AS t{k}"
                          for k in range(2, n + 1))
        level = "CASE " + " ".join(
            f"WHEN NOT coalesce(n{k} AND t{k} - tu <= {window}, false) THEN {k - 1}" for k in range(2, n + 1)
        ) + f" ELSE {n} END"
        every = (f"SELECT person, uuid, epoch_us(\"timestamp\") AS tu, {bd} AS bd, {matches} FROM {table} "
                 f"WHERE person IN (SELECT person FROM ({base}) WHERE m1)")
        ctes = [f"pe AS (SELECT *, {leads if n > 1 else 'NULL AS unused'} FROM ({every}) "
                f"WINDOW w AS (PARTITION BY person ORDER BY tu, uuid))",
                f"en AS (SELECT * FROM pe WHERE m1 AND tu >= {lo} AND tu < {hi})",
                f"lv AS (SELECT person, uuid AS u1, bd, {level if n > 1 else '1'} AS level, tu AS t1"
                + "".join(f", t{k}" for k in range(2, n + 1)) + " FROM en)"]
    elif order == "UNORDERED":
        firsts = ", ".join(f"min(e.tu) FILTER (WHERE e.m{k}) AS f{k}" for k in range(1, n + 1))
        flist = "list_value(" + ", ".join(f"f{k}" for k in range(1, n + 1)) + ")"
        ctes = [f"fe AS (SELECT * FROM ({base}) WHERE {any_step})",
                f"en AS (SELECT person, uuid AS u1, tu AS te, bd FROM fe WHERE tu >= {lo} AND tu < {hi})",
                f"fs AS (SELECT en.person, en.u1, en.te, en.bd, {firsts} FROM en JOIN fe e "
                f"ON e.person = en.person AND e.tu >= en.te AND e.tu - en.te <= {window} "
                f"GROUP BY en.person, en.u1, en.te, en.bd)",
                f"srt AS (SELECT *, list_sort(list_filter({flist}, x -> x IS NOT NULL)) AS s FROM fs)",
                f"lv AS (SELECT person, u1, bd, len(s) AS level, te AS t1"
                + "".join(f", s[{k}] AS t{k}" for k in range(2, n + 1)) + " FROM srt)"]
    else:
        raise ValueError(f"unknown funnel order {order}")

    def summary(partition: str) -> str:
        counts = ", ".join(f"count(*) FILTER (WHERE level >= {k}) AS n{k}" for k in range(1, n + 1))
        medians = ", ".join(
            f"quantile_cont((t{k} - t{k - 1}) / 1e6, 0.5) FILTER (WHERE level >= {k}) AS d{k}"
            for k in range(2, n + 1))
        return (f"SELECT {'bd' if partition else 'NULL'} AS bd, {counts}{', ' + medians if medians else ''} FROM "
                f"(SELECT * FROM lv QUALIFY row_number() OVER "
                f"(PARTITION BY person{partition} ORDER BY level DESC, t1, u1) = 1) "
                f"{'GROUP BY bd' if partition else ''}")

    with_sql = "WITH " + ",\n".join(ctes)
    overall = con.execute(f"{with_sql} {summary('')}").fetchone()

    def shape(row, value):
        out = []
        first = row[1]
        for k in range(1, n + 1):
            count = int(row[k] or 0)
            median = row[n + k - 1] if k > 1 else None
            out.append({"index": k - 1, "event": steps[k - 1]["event"], "count": count,
                        "conversionRate": (count / first) if first else 0.0,
                        "medianSecondsFromPrevious": float(median) if (median is not None and count) else None,
                        "breakdownValue": value})
        return out

    breakdowns = []
    if breakdown:
        rows = con.execute(f"{with_sql} {summary(', bd')}").fetchall()
        by_value = {r[0]: r for r in rows}
        for value in order_groups({v: r[1] for v, r in by_value.items()}, 25):
            breakdowns.append({"breakdownValue": value, "steps": shape(by_value[value], value)})
    return {"steps": shape(overall, None), "breakdowns": breakdowns}


# ---------------------------------------------------------------------------------------------------------------------
# Retention

def retention(con, input: dict, tz: str = "UTC", table: str = "events") -> dict:
    """The `retention` result: {"cohorts": [{start, size, values}]}, one cohort per period starting in range."""
    con.execute("SET TimeZone = 'UTC'")
    zone = Zone(tz)
    unit = input.get("period") or "DAY"
    periods = int(input["periods"])
    mode = input.get("mode") or "RECURRING"
    start, end = instant_lit(input["dateFrom"]), instant_lit(input["dateTo"])
    step = step_interval(unit)
    local_period = zone.local_trunc(unit, '"timestamp"')
    index = {"DAY": "date_diff('day', c.l, r.l)", "WEEK": "date_diff('day', c.l, r.l) // 7",
             "MONTH": "date_diff('month', c.l, r.l)"}[unit]
    starts = (f"SELECT l, {zone.instant('l')} AS s FROM generate_series({zone.local_trunc(unit, start)}, "
              f"{zone.local(end)}, {step}) g(l) WHERE {zone.instant('l')} >= {start} AND {zone.instant('l')} < {end}")
    # RetentionInput.filters: conditions both the start event and the return event must meet.
    where = filters_sql(input.get("filters"))
    if mode == "FIRST_TIME":
        first = zone.local_trunc(unit, 'min("timestamp")')
        members = (f"SELECT person, {first} AS l FROM {table} "
                   f"WHERE event = {lit(input['startEvent'])} AND {where} GROUP BY person")
    elif mode == "RECURRING":
        members = (f"SELECT DISTINCT person, {local_period} AS l FROM {table} "
                   f"WHERE event = {lit(input['startEvent'])} AND {where} "
                   f"AND \"timestamp\" >= {zone.instant(zone.local_trunc(unit, start))}")
    else:
        raise ValueError(f"unknown retention mode {mode}")
    rows = con.execute(f"""
        WITH p AS ({starts}),
        c AS (SELECT m.person, m.l FROM ({members}) m JOIN p USING (l)),
        r AS (SELECT DISTINCT person, {local_period} AS l FROM {table}
              WHERE event = {lit(input['returnEvent'])} AND {where} AND "timestamp" >= (SELECT min(s) FROM p)),
        v AS (SELECT c.l, {index} AS i, count(DISTINCT c.person) AS n FROM c JOIN r ON r.person = c.person
              WHERE r.l > c.l GROUP BY ALL)
        SELECT epoch_us(p.s), p.l, (SELECT count(*) FROM c WHERE c.l = p.l),
               (SELECT list(struct_pack(i := i, n := n)) FROM v WHERE v.l = p.l AND i BETWEEN 1 AND {periods - 1})
        FROM p ORDER BY p.s""").fetchall()
    cohorts = []
    for s, _, size, later in rows:
        values = [int(size)] + [0] * max(periods - 1, 0)
        for item in later or []:
            values[item["i"]] = int(item["n"])
        cohorts.append({"start": iso(s), "size": int(size), "values": values[:max(periods, 0)]})
    return {"cohorts": cohorts}


# ---------------------------------------------------------------------------------------------------------------------
# Event explorer and pickers

PROPERTY_KEY_SAMPLE = 10_000


def events_page(con, filter_: dict | None, first: int = 50, table: str = "events") -> dict:
    """The `events` connection's first page as {"edges": [{"node": {id, event, distinctId, timestamp}}]}: newest first
    by (timestamp, uuid), filtered by EventFilter's event, distinctId(s), half-open dates and property filters."""
    con.execute("SET TimeZone = 'UTC'")
    f = filter_ or {}
    where = ["true"]
    if f.get("event") is not None:
        where.append(f"event = {lit(f['event'])}")
    if f.get("distinctId") is not None:
        where.append(f"distinct_id = {lit(f['distinctId'])}")
    if f.get("distinctIds") is not None:
        where.append("distinct_id IN (" + ", ".join([lit(d) for d in f["distinctIds"]] or ["NULL"]) + ")")
    if f.get("dateFrom"):
        where.append(f'"timestamp" >= {instant_lit(f["dateFrom"])}')
    if f.get("dateTo"):
        where.append(f'"timestamp" < {instant_lit(f["dateTo"])}')
    where.append(filters_sql(f.get("properties")))
    rows = con.execute(f"""
        SELECT uuid, event, distinct_id, epoch_us("timestamp") FROM {table} WHERE {" AND ".join(where)}
        ORDER BY "timestamp" DESC, uuid DESC LIMIT {int(first)}""").fetchall()
    return {"edges": [{"node": {"id": u, "event": e, "distinctId": d, "timestamp": iso(t)}} for u, e, d, t in rows]}


def event_names(con, limit: int = 100, table: str = "events") -> list:
    """Event names, most frequent first, ties by name (byte order)."""
    return [r[0] for r in con.execute(
        f"SELECT event FROM {table} GROUP BY event ORDER BY count(*) DESC, event LIMIT {int(limit)}").fetchall()]


def property_keys(con, event: str | None = None, limit: int = 100, table: str = "events") -> list:
    """Property keys of the newest 10,000 events (of one name when given), most frequent first, ties by key."""
    where = f"WHERE event = {lit(event)}" if event is not None else ""
    return [r[0] for r in con.execute(f"""
        SELECT key FROM (SELECT properties FROM {table} {where} ORDER BY "timestamp" DESC, uuid DESC
                         LIMIT {PROPERTY_KEY_SAMPLE}) recent, unnest(json_keys(recent.properties)) k(key)
        GROUP BY key ORDER BY count(*) DESC, key LIMIT {int(limit)}""").fetchall()]


# ---------------------------------------------------------------------------------------------------------------------
# Comparison

def compare(kind: str, ours: dict, reference: dict) -> list:
    """(path, ours, reference) for every difference between a GraphQL result and the reference's."""
    return diff(normalize(kind, ours), normalize(kind, reference))


def normalize(kind, data):
    """The result without what the contract leaves open: series labels; a funnel's first index (0 or 1). An events
    page becomes its list of nodes; eventNames and propertyKeys are compared as they are."""
    if kind == "trends":
        return [{k: v for k, v in s.items() if k != "label"} for s in data["series"]]
    if kind == "funnel":
        def steps(items):
            base = items[0]["index"] if items else 0
            return [{**s, "index": s["index"] - base} for s in items]
        return {"steps": steps(data["steps"]),
                "breakdowns": [{"breakdownValue": b["breakdownValue"], "steps": steps(b["steps"])}
                               for b in data["breakdowns"]]}
    if kind == "retention":
        return data["cohorts"]
    if kind == "events":
        return [edge["node"] for edge in data["edges"]]
    return data


def diff(ours, theirs, path=""):
    """(path, ours, reference) for every difference; instants compare as instants, floats with 1e-9 tolerance."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out = []
        for key in list(theirs) + [k for k in ours if k not in theirs]:
            out += diff(ours.get(key, "<missing>"), theirs.get(key, "<missing>"), f"{path}.{key}")
        return out
    if isinstance(ours, list) and isinstance(theirs, list):
        out = [] if len(ours) == len(theirs) else [(f"{path}.length", len(ours), len(theirs))]
        for i, (a, b) in enumerate(zip(ours, theirs)):
            out += diff(a, b, f"{path}[{i}]")
        return out
    if path.endswith((".bucket", ".start", ".timestamp")) and isinstance(ours, str) and isinstance(theirs, str):
        try:
            return [] if _instant(ours) == _instant(theirs) else [(path, ours, theirs)]
        except ValueError:
            return [(path, ours, theirs)]
    numeric = (int, float)
    if isinstance(ours, numeric) and isinstance(theirs, numeric) and not isinstance(ours, bool):
        return [] if math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9) else [(path, ours, theirs)]
    return [] if ours == theirs else [(path, ours, theirs)]


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
