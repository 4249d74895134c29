"""The insight builders (trends, funnels, retention) end to end: Debian's Chromium in Pacific/Honolulu, driven by
Playwright, against the real binary serving web/dist, on a project in America/New_York (ahead of the browser, so a
New York midnight falls on the day before in the browser) filled with ~200 events over the last 13 days, half through
the PostHog SDK from PyPI and half through the native ingestion endpoint. The numbers the pages render (tables, CSV files) are compared with the
independent DuckDB reference (reference_reports.py) run on the same events for the exact input each page sent.
Also: the comparison with the previous period, the CSV export, saving a report and opening it again (by id, by URL in
a fresh browser), updating it, a VIEWER's page without save controls, a bad URL, and cancelling a slow report. Every
page is checked with axe-core; no console error, page error or failed request may happen (but the cancelled one)."""
import csv
import datetime as dt
import io
import json
import pathlib
import random
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid
from zoneinfo import ZoneInfo

import duckdb
import psycopg
import pytest
from posthog import Posthog
from playwright.sync_api import Page, expect

import reference_reports as ref
from conftest import Server, owner_dsn
from page_numbers import change, duration, number, percent
from webapp import PASSWORD, WEB_DIST, Watched, browser, graphql, log_in, settle  # noqa: F401 (browser: a fixture)

TZ = "America/New_York"
BROWSER_TZ = "Pacific/Honolulu"  # behind New York: a New York midnight is the day before there
EMAIL = "ada@example.com"
UTC = dt.timezone.utc


# ---------------------------------------------------------------------------------------------------------------------
# The project and its events

def generate(now: dt.datetime) -> list[dict]:
    """~200 events of 30 users over the last 13 days (the newest 10 minutes old); 10 users sign up, activate and 7
    of them purchase within the hour after."""
    rng = random.Random(15)
    users = [f"user-{i:02d}" for i in range(30)]
    country = {u: rng.choice(["US", "DE", "FR", "JP"]) for u in users}
    plan = {u: rng.choice(["free", "pro"]) for u in users}
    events = []

    def add(name, user, at, **extra):
        props = {"plan": plan[user], **extra}
        if rng.random() < 0.9:
            props["country"] = country[user]
        events.append({"event": name, "user_id": user, "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "properties": props, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4))})

    for _ in range(170):
        user, at = rng.choice(users), now - dt.timedelta(seconds=rng.randint(600, 13 * 86400))
        name = rng.choices(["pageview", "signup", "purchase"], [6, 1, 2])[0]
        add(name, user, at, **({"amount": rng.randint(5, 120)} if name == "purchase" else {}))
    for i, user in enumerate(users[:10]):
        start = now - dt.timedelta(seconds=rng.randint(3 * 3600, 11 * 86400))
        add("signup", user, start)
        add("activate", user, start + dt.timedelta(seconds=rng.randint(30, 900)))
        if i < 7:
            add("purchase", user, start + dt.timedelta(seconds=rng.randint(1000, 3000)), amount=rng.randint(5, 120))
    return events


@pytest.fixture(scope="module")
def project(binary):
    """A server with the user, the New York project, its events, and the reference's DuckDB of the same events."""
    if not (WEB_DIST / "index.html").exists():
        pytest.fail("web/dist is not built: run `make web` (make test does)")
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-insights-", dir="/tmp"))
    root.chmod(0o755)
    server = Server(binary, root / "iv", root / "serve.log", env={"IV_WEB_DIR": str(WEB_DIST), "LOG_LEVEL": "warning"})
    try:
        server.wait_ready()
        signed = graphql(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                         {"i": {"email": EMAIL, "password": PASSWORD, "name": "Ada", "organizationName": "Acme"}})
        jwt, org = signed["signUp"]["token"], signed["signUp"]["organization"]["id"]
        project_id = graphql(server, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                             {"i": {"organizationId": org, "name": "Shop", "timezone": TZ}}, jwt)["createProject"]["id"]
        ingest = graphql(server, "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                         {"i": {"projectId": project_id, "name": "ingest", "kind": "INGEST"}}, jwt)
        events = generate(dt.datetime.now(UTC).replace(microsecond=0))
        # Half through the PostHog SDK from PyPI (its /batch endpoint), half through the native endpoint.
        sdk = Posthog(ingest["createApiToken"]["token"], host=server.url(""), sync_mode=True)
        for e in events[::2]:
            sdk.capture(e["event"], distinct_id=e["user_id"], properties=e["properties"], uuid=e["uuid"],
                        timestamp=dt.datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")))
        # Half the users get a person property through the SDK's $set, for the person-property filter.
        for user in sorted({e["user_id"] for e in events})[::2]:
            sdk.set(distinct_id=user, properties={"tier": "gold"})
        sdk.shutdown()
        native = events[1::2]
        status, body = post_json(server.url("/v1/events"), {"batch": native}, ingest["createApiToken"]["token"])
        assert (status, body) == (200, {"accepted": len(native)})

        # The reference reads the events as stored (the SDK adds its own properties, and the server corrects the
        # SDK's timestamps for clock skew by the request's latency), each of them sent above.
        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            stored = conn.execute("SELECT uuid::text, event, distinct_id, \"timestamp\", properties::text FROM events "
                                  "WHERE project_id = %s", (project_id,)).fetchall()
        assert sorted(row[0] for row in stored if row[1] != "$set") == sorted(e["uuid"] for e in events)
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.execute('CREATE TABLE sent (uuid VARCHAR, event VARCHAR, distinct_id VARCHAR, "timestamp" TIMESTAMPTZ, '
                    "properties VARCHAR)")
        con.executemany("INSERT INTO sent VALUES (?, ?, ?, ?, ?)", stored)
        ref.load_events(con, "sent", None)  # nothing merged identities: a user is a distinct id
        base = f"/orgs/{org}/projects/{project_id}/insights"
        yield {"server": server, "jwt": jwt, "org": org, "id": project_id, "con": con, "base": base}
    finally:
        server.terminate()
        shutil.rmtree(root, ignore_errors=True)


def post_json(url: str, body, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


# ---------------------------------------------------------------------------------------------------------------------
# Instants and the project's days

def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_day(text: str) -> str:
    return instant(text).astimezone(ZoneInfo(TZ)).strftime("%Y-%m-%d")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(TZ))


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def previous_period(date_from: str, date_to: str) -> tuple[str, str]:
    """The period TrendsResult.previous covers: as many local days before when both ends are local midnights, else as
    many seconds."""
    start, end = instant(date_from), instant(date_to)
    local_start, local_end = start.astimezone(ZoneInfo(TZ)), end.astimezone(ZoneInfo(TZ))
    if local_start.time() == dt.time(0) and local_end.time() == dt.time(0):
        days = (local_end.date() - local_start.date()).days
        return rfc3339(midnight(local_start.date() - dt.timedelta(days=days))), date_from
    return rfc3339(start - (end - start)), date_from


# ---------------------------------------------------------------------------------------------------------------------
# Driving the pages

def sends(request, operation: str) -> bool:
    """Whether a request is the GraphQL operation `operation` (the dashboard names every operation it sends)."""
    return "/graphql" in request.url and f'"operationName":"{operation}"' in (request.post_data or "")


def visit(page: Page, url: str) -> None:
    """Opens `url` once the current page's load went idle."""
    settle(page)
    page.goto(url)


def run_report(page: Page, operation: str, action) -> tuple[dict, dict]:
    """Does `action`, which makes the page run a report; returns the input it sent and the data it got, once shown."""
    with page.expect_response(lambda r: sends(r.request, operation), timeout=30_000) as info:
        action()
    response = info.value
    assert response.status == 200, response.text()
    body = response.json()
    assert not body.get("errors"), body
    expect(page.get_by_role("region", name="Report result")).to_have_attribute("aria-busy", "false")
    return json.loads(response.request.post_data)["variables"]["input"], body["data"]


def table(page: Page, name: str) -> list[list[str]]:
    """The rows of a table (the header first), each cell's text."""
    return page.get_by_role("table", name=name).evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


def export_csv(page: Page) -> list[list[str]]:
    """The rows of the table's CSV export, with the formula guard (a leading apostrophe) taken off."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Export table as CSV").click()
    text = pathlib.Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    return [[c[1:] if re.match(r"^'[=+\-@\t\r]", c) else c for c in row] for row in rows]


def logged_in(browser, server: Server) -> Watched:
    watched = Watched(browser, server, timezone_id=BROWSER_TZ)
    watched.page.goto(server.url("/login"))
    log_in(watched.page, EMAIL)
    expect(watched.page.get_by_role("heading", name="Projects")).to_be_visible()
    settle(watched.page)
    return watched


def pick(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).select_option(value)


def enter(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")


def trends_expected(con, input_: dict, date_from: str, date_to: str) -> tuple[list[str], list[list[str]]]:
    """The trends table's bucket headers and rows (without the series label, which the contract leaves open) the
    reference gives for `input_` over [date_from, date_to), with the previous period's totals when it compares."""
    compare = input_.get("compareToPrevious", False)
    header, rows = None, []
    for series in input_["series"]:
        one = {**input_, "series": [series], "dateFrom": date_from, "dateTo": date_to}
        one.pop("range", None)
        current = ref.trends(con, one, TZ)["series"]
        before = {}
        if compare:
            prev_from, prev_to = previous_period(date_from, date_to)
            before = {s["breakdownValue"]: s for s in ref.trends(con, {**one, "dateFrom": prev_from, "dateTo": prev_to},
                                                                  TZ)["series"]}
        for s in current:
            header = header or [local_day(p["bucket"]) for p in s["points"]]
            row = ([s["breakdownValue"] or "(none)"] if input_.get("breakdown") else [])
            row += [number(p["value"]) for p in s["points"]] + [number(s["total"])]
            if compare:
                prev = before.get(s["breakdownValue"])
                row += [number(prev["total"]), change(s["total"], prev["total"])] if prev else ["—", "n/a"]
            rows.append(row)
    return header or [], rows


# ---------------------------------------------------------------------------------------------------------------------
# The tests

def test_trends_builder_matches_the_reference_and_saves(project, browser):
    server, con = project["server"], project["con"]
    owner = logged_in(browser, server)
    page = owner.page
    visit(page, server.url(f"/orgs/{project['org']}/projects/{project['id']}/events"))
    # The default trend (all events, total, the last 7 days by day) runs as soon as the page opens.
    run_report(page, "Trends", lambda: page.get_by_role("navigation", name="Project").get_by_role(
        "link", name="Trends").click())
    expect(page.get_by_role("heading", name="Trends", exact=True)).to_be_visible()
    owner.check("trends (default)")

    # Two series, the last 30 days, a breakdown by country and a filter.
    run_report(page, "Trends", lambda: pick(page, "Series 1 event", "pageview"))
    run_report(page, "Trends", lambda: page.get_by_role("button", name="Add series").click())
    run_report(page, "Trends", lambda: pick(page, "Series 2 event", "purchase"))
    pick(page, "Series 2 measure", "SUM")  # waits for its property: nothing runs
    expect(page.get_by_text("Choose the numeric property of series 2.")).to_be_visible()
    run_report(page, "Trends", lambda: enter(page, "Series 2 numeric property", "amount"))
    run_report(page, "Trends", lambda: pick(page, "Date range", "last-30-days"))
    run_report(page, "Trends", lambda: enter(page, "Breakdown by property", "country"))
    page.get_by_role("button", name="Add filter").click()
    enter(page, "Filter 1 property", "plan")  # no value yet: the filter is not applied, nothing runs
    input_, data = run_report(page, "Trends", lambda: enter(page, "Filter 1 value", "pro"))
    assert input_ == {"series": [{"event": "pageview", "math": "TOTAL"},
                                 {"event": "purchase", "math": "SUM", "property": "amount"}],
                      "range": {"last": {"amount": 30, "unit": "DAY"}}, "interval": "DAY", "breakdown": "country",
                      "breakdownLimit": 25, "filters": [{"key": "plan", "operator": "EQ", "value": "pro"}]}
    for part in ("interval=DAY", "range=last-30-days", "breakdown=country", "filters=", "series="):
        assert part in page.url, page.url
    # The server resolved "the last 30 days" in New York (not in the browser's zone).
    today = dt.datetime.now(ZoneInfo(TZ)).date()
    assert instant(data["trends"]["dateFrom"]) == midnight(today - dt.timedelta(days=29))
    buckets, rows = trends_expected(con, input_, data["trends"]["dateFrom"], data["trends"]["dateTo"])
    shown = table(page, "Trends")
    assert shown[0] == ["Series", "country", *buckets, "Total"]
    assert [row[1:] for row in shown[1:]] == rows
    assert len(rows) >= 5 and sum(float(r[-1]) for r in rows) > 0
    owner.check("trends (breakdown and filter)")

    # A filter on a person property (the persons' keys are offered; the SDK's $set gave half the users a tier): the
    # input says PERSON and the table shows what the server answers for that input.
    page.get_by_role("button", name="Add filter").click()
    pick(page, "Filter 2 applies to", "PERSON")
    expect(page.locator("#insight-person-property-keys option[value='tier']")).to_have_count(1)
    enter(page, "Filter 2 property", "tier")
    gold_input, _ = run_report(page, "Trends", lambda: enter(page, "Filter 2 value", "gold"))
    assert gold_input["filters"] == [{"key": "plan", "operator": "EQ", "value": "pro"},
                                     {"key": "tier", "operator": "EQ", "value": "gold", "type": "PERSON"}]
    direct = graphql(server, "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { "
                             "series { breakdownValue total } } }", {"p": project["id"], "i": gold_input},
                     project["jwt"])["trends"]["series"]
    gold = table(page, "Trends")
    assert [[row[1], row[-1]] for row in gold[1:]] == [[s["breakdownValue"] or "(none)", number(s["total"])]
                                                       for s in direct]
    assert 0 < sum(s["total"] for s in direct if s["total"] > 0) < sum(float(r[-1]) for r in rows)
    run_report(page, "Trends", lambda: page.get_by_role("button", name="Remove filter 2").click())
    owner.check("trends (person filter)")

    # The previous period: the last 7 days against the 7 days before, dashed in the chart, the change in the table.
    run_report(page, "Trends", lambda: pick(page, "Date range", "last-7-days"))
    input_, data = run_report(page, "Trends", lambda: page.get_by_label("Compare to previous period").check())
    assert input_["compareToPrevious"] is True and "compare=1" in page.url
    assert data["trends"]["previous"], "the server sent no previous period"
    buckets, rows = trends_expected(con, input_, data["trends"]["dateFrom"], data["trends"]["dateTo"])
    shown = table(page, "Trends")
    assert shown[0] == ["Series", "country", *buckets, "Total", "Previous period total", "Change"]
    assert [row[1:] for row in shown[1:]] == rows
    assert any(re.fullmatch(r"[+−]\d+\.\d%", row[-1]) for row in rows), rows
    owner.check("trends (compared)")

    # The CSV holds the table's cells.
    assert export_csv(page) == shown

    # Saved as a report: the exact input, the relative range kept relative; ?report=<id> shows the same numbers.
    page.get_by_label("Report name").fill("Pageviews and revenue by country")
    page.get_by_role("button", name="Save as report").click()
    expect(page.get_by_role("heading", name="Trends: Pageviews and revenue by country")).to_be_visible()
    report_id = re.search(r"[?&]report=([^&]+)", page.url).group(1)
    saved = graphql(server, "query($id: ID!) { report(id: $id) { kind definition } }", {"id": report_id},
                    project["jwt"])["report"]
    assert saved == {"kind": "TRENDS", "definition": input_}
    shared_url = page.url
    run_report(page, "Trends", lambda: visit(page, server.url(f"{project['base']}/trends?report={report_id}")))
    expect(page.get_by_role("heading", name="Trends: Pageviews and revenue by country")).to_be_visible()
    expect(page.get_by_label("Compare to previous period")).to_be_checked()
    assert table(page, "Trends") == shown
    owner.check("trends (saved report)")

    # The URL in a fresh browser (the same user) shows the same view; "Save" there updates the report.
    other = logged_in(browser, server)
    run_report(other.page, "Trends", lambda: visit(other.page, shared_url))
    assert table(other.page, "Trends") == shown
    input_, _ = run_report(other.page, "Trends", lambda: pick(other.page, "Interval", "WEEK"))
    other.page.get_by_role("button", name="Save", exact=True).click()
    expect(other.page.get_by_text("Saved “Pageviews and revenue by country”.")).to_be_visible()
    saved = graphql(server, "query($id: ID!) { report(id: $id) { definition } }", {"id": report_id},
                    project["jwt"])["report"]
    assert saved["definition"] == input_ and input_["interval"] == "WEEK"
    other.check("trends (updated in another browser)")
    other.close()
    owner.close()
    assert owner.problems == [] and other.problems == []


def test_funnel_builder_matches_the_reference(project, browser):
    server, con = project["server"], project["con"]
    owner = logged_in(browser, server)
    page = owner.page
    visit(page, server.url(f"{project['base']}/funnels"))
    expect(page.get_by_text("Choose an event for every step.")).to_be_visible()
    pick(page, "Step 1 event", "signup")
    run_report(page, "Funnel", lambda: pick(page, "Step 2 event", "activate"))
    page.get_by_role("button", name="Add step", exact=True).click()
    run_report(page, "Funnel", lambda: pick(page, "Step 3 event", "purchase"))
    page.get_by_role("button", name="Add step 3 filter").click()
    enter(page, "Step 3 filter 1 property", "amount")
    pick(page, "Step 3 filter 1 operator", "GTE")
    run_report(page, "Funnel", lambda: enter(page, "Step 3 filter 1 value", "10"))
    run_report(page, "Funnel", lambda: pick(page, "Window unit", "hour"))
    run_report(page, "Funnel", lambda: pick(page, "Date range", "last-30-days"))
    input_, _ = run_report(page, "Funnel", lambda: enter(page, "Breakdown by property", "country"))
    ran_until = dt.datetime.now(UTC)
    assert input_ == {"steps": [{"event": "signup"}, {"event": "activate"},
                                {"event": "purchase", "filters": [{"key": "amount", "operator": "GTE", "value": 10}]}],
                      "range": {"last": {"amount": 30, "unit": "DAY"}}, "windowSeconds": 14 * 3600,
                      "order": "ORDERED", "breakdown": "country", "breakdownLimit": 25}
    today = dt.datetime.now(ZoneInfo(TZ)).date()
    expected = ref.funnel(con, {**input_, "dateFrom": rfc3339(midnight(today - dt.timedelta(days=29))),
                                "dateTo": rfc3339(ran_until)}, TZ)
    rows = []
    for group, steps in [("All users", expected["steps"])] + [
            (b["breakdownValue"] or "(none)", b["steps"]) for b in expected["breakdowns"]]:
        for k, step in enumerate(steps):
            rows.append([group, f"{k + 1}. {step['event']}", str(step["count"]), percent(step["conversionRate"]),
                         "—" if k == 0 else duration(step["medianSecondsFromPrevious"])])
    shown = table(page, "Funnel")
    assert shown[0] == ["country", "Step", "Users", "Conversion from step 1", "Median time from previous step"]
    assert shown[1:] == rows
    assert expected["steps"][0]["count"] >= 10 and expected["steps"][2]["count"] >= 5, expected["steps"]
    assert export_csv(page) == shown

    # Compared with the previous period: the whole funnel's users and conversion there, and the change in users,
    # as the reference computes them over the period just before the resolved range.
    run_report(page, "Funnel", lambda: pick(page, "Date range", "last-7-days"))
    input_, data = run_report(page, "Funnel", lambda: page.get_by_label("Compare to previous period").check())
    assert input_["compareToPrevious"] is True and "compare=1" in page.url
    date_from, date_to = data["funnel"]["dateFrom"], data["funnel"]["dateTo"]
    now_steps = ref.funnel(con, {**input_, "dateFrom": date_from, "dateTo": date_to}, TZ)["steps"]
    prev_from, prev_to = previous_period(date_from, date_to)
    before = ref.funnel(con, {**input_, "breakdown": None, "dateFrom": prev_from, "dateTo": prev_to}, TZ)["steps"]
    assert before[0]["count"] > 0 and now_steps[0]["count"] > 0, (before, now_steps)
    shown = table(page, "Funnel")
    assert shown[0][-3:] == ["Previous period users", "Previous conversion", "Change in users"]
    for k, step in enumerate(now_steps):
        assert shown[1 + k][2] == str(step["count"])
        assert shown[1 + k][-3:] == [str(before[k]["count"]), percent(before[k]["conversionRate"]),
                                     change(step["count"], before[k]["count"])]
    assert all(row[-3:] == ["—", "—", "—"] for row in shown[1 + len(now_steps):])  # breakdown rows: none
    assert export_csv(page) == shown
    owner.check("funnels")
    owner.close()
    assert owner.problems == []


def test_retention_builder_matches_the_reference(project, browser):
    server, con = project["server"], project["con"]
    owner = logged_in(browser, server)
    page = owner.page
    visit(page, server.url(f"{project['base']}/retention"))
    expect(page.get_by_text("Choose a start event and a return event.")).to_be_visible()
    pick(page, "Start event", "pageview")
    run_report(page, "Retention", lambda: pick(page, "Return event", "pageview"))
    run_report(page, "Retention", lambda: enter(page, "Number of periods", "3"))
    run_report(page, "Retention", lambda: pick(page, "Date range", "custom"))
    # Custom dates are the project's days: New York midnights, whatever the browser's zone.
    today = dt.datetime.now(ZoneInfo(TZ)).date()
    first = today - dt.timedelta(days=13)
    input_, _ = run_report(page, "Retention", lambda: page.get_by_label("From", exact=True).fill(first.isoformat()))
    assert {k: v for k, v in input_.items() if k not in ("dateFrom", "dateTo")} == {
        "startEvent": "pageview", "returnEvent": "pageview", "period": "WEEK", "periods": 3, "mode": "RECURRING"}
    assert instant(input_["dateFrom"]) == midnight(first)
    assert instant(input_["dateTo"]) == midnight(today + dt.timedelta(days=1))
    assert f"from={first.isoformat()}" in page.url and "range=custom" in page.url
    expected = ref.retention(con, input_, TZ)["cohorts"]
    assert len(expected) >= 1 and expected[0]["size"] > 0, expected
    shown = table(page, "Retention by cohort")
    assert shown[0] == ["Cohort", "Size", "Week 0", "Week 1", "Week 2"]
    assert shown[1:] == [[local_day(c["start"]), str(c["size"])]
                         + [f"{v}\n{percent(v / c['size'] if c['size'] else 0)}" for v in c["values"]]
                         for c in expected]
    exported = export_csv(page)
    assert exported[0] == ["Cohort", "Size", "Week 0", "Week 0 %", "Week 1", "Week 1 %", "Week 2", "Week 2 %"]
    assert exported[1:] == [[part for cell in row for part in cell.split("\n")] for row in shown[1:]]
    owner.check("retention")
    owner.close()
    assert owner.problems == []


def test_viewer_bad_url_and_cancel(project, browser):
    server = project["server"]
    # A VIEWER sees reports but no save controls.
    invited = graphql(server, "mutation($i: AddMemberInput!) { addMember(input: $i) { link } }",
                      {"i": {"organizationId": project["org"], "email": "viv@example.com", "role": "VIEWER"}},
                      project["jwt"])["addMember"]["link"]
    viewer_jwt = graphql(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                         {"i": {"email": "viv@example.com", "password": PASSWORD, "organizationName": "Viv"}}
                         )["signUp"]["token"]
    graphql(server, "mutation($t: String!) { acceptInvitation(token: $t) { role } }",
            {"t": invited.rsplit("/", 1)[1]}, viewer_jwt)
    # On a phone in dark mode.
    viewer = Watched(browser, server, timezone_id=BROWSER_TZ, color_scheme="dark")
    viewer.page.set_viewport_size({"width": 390, "height": 844})
    viewer.page.goto(server.url("/login"))
    viewer.page.get_by_label("Email", exact=True).fill("viv@example.com")
    viewer.page.get_by_label("Password", exact=True).fill(PASSWORD)
    viewer.page.get_by_role("button", name="Log in").click()
    expect(viewer.page.get_by_role("heading", name="Projects")).to_be_visible()
    run_report(viewer.page, "Trends", lambda: visit(viewer.page, server.url(f"{project['base']}/trends")))
    expect(viewer.page.get_by_role("table", name="Trends")).to_be_visible()
    expect(viewer.page.get_by_label("Report name")).to_have_count(0)
    expect(viewer.page.get_by_role("button", name=re.compile("^Save"))).to_have_count(0)
    # Nothing but the table's scroll region is wider than the screen.
    assert viewer.page.evaluate("document.documentElement.scrollWidth") <= 390
    viewer.check("trends (viewer, 390 px, dark)")
    viewer.close()

    owner = logged_in(browser, server)
    page = owner.page
    # Bad values in the URL fall back to the defaults.
    bad = "series=%5Bnot-json&interval=YEARLY&range=last-0-days&limit=-3&filters=%7B&compare=yes&chart=pie"
    input_, _ = run_report(page, "Trends", lambda: visit(page, server.url(f"{project['base']}/trends?{bad}")))
    assert input_ == {"series": [{"event": None, "math": "TOTAL"}], "range": {"last": {"amount": 7, "unit": "DAY"}},
                      "interval": "DAY"}
    expect(page.get_by_label("Interval", exact=True)).to_have_value("DAY")
    expect(page.get_by_label("Date range", exact=True)).to_have_value("last-7-days")

    # A slow report: the request is held until after Cancel; the page says "Cancelled" and offers Run.
    held = []

    def hold(route):
        if sends(route.request, "Trends") and not held:
            held.append(route)  # not answered yet
        else:
            route.continue_()

    page.route("**/graphql", hold)
    pick(page, "Interval", "WEEK")
    expect(page.get_by_role("button", name="Cancel")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Running the report")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Cancelled", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Trends")).to_have_count(0)
    try:
        held[0].continue_()  # the browser already gave up on it
    except Exception:  # noqa: BLE001 (Playwright may refuse a route whose request was aborted)
        pass
    page.unroute("**/graphql", hold)
    aborted = [p for p in owner.problems if "net::ERR_ABORTED" in p and '"operationName":"Trends"' in p]
    assert len(aborted) == 1, owner.problems
    owner.problems.remove(aborted[0])
    run_report(page, "Trends", lambda: page.get_by_role("button", name="Run", exact=True).click())
    expect(page.get_by_role("table", name="Trends")).to_be_visible()
    expect(page.get_by_text("Cancelled", exact=True)).to_have_count(0)
    owner.check("trends (after cancelling)")
    owner.close()
    assert owner.problems == []
