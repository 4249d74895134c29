"""Dashboards and their share links end to end: Debian's Chromium, driven by Playwright, against the real binary
serving web/dist. Events arrive over the native ingestion endpoint, two saved reports are made over GraphQL, then
in the browser a dashboard gets both, one resized, their order changed and a dashboard-wide range; a reload shows the
same layout, range and numbers, which must equal what `trends` and `funnel` answer for the same input. A third report
that fails when it runs shows its error in its tile while the others show their numbers. A share link
opened in a fresh browser (no session) shows the same numbers and changes its range; once revoked, it is refused. A
VIEWER sees no edit or share controls. axe-core finds no serious or critical violation on the dashboards list, a
dashboard and the share page, and no console error or failed request happens."""
import json
import re
import urllib.request
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Locator, Page, expect

from conftest import Server
from webapp import PASSWORD, Watched, browser, log_in, post_event, settle, web_server  # noqa: F401  (fixtures by name)

TRENDS = {"series": [{"event": "signed_up", "math": "TOTAL"}], "interval": "DAY",
          "range": {"last": {"amount": 7, "unit": "DAY"}}}
FUNNEL = {"steps": [{"event": "signed_up"}, {"event": "purchased"}], "windowSeconds": 86400,
          "range": {"last": {"amount": 7, "unit": "DAY"}}}
LAST_30_DAYS = {"range": {"last": {"amount": 30, "unit": "DAY"}}}
LAST_7_DAYS = {"range": {"last": {"amount": 7, "unit": "DAY"}}}
TILES = ["Signup to purchase", "Signups", "Broken"]
BROKEN = "SUM needs a numeric `property`"


def gql(server: Server, query: str, variables: dict | None = None, session: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if session:
        headers["Authorization"] = f"Bearer {session}"
    request = urllib.request.Request(server.url("/graphql"), method="POST", headers=headers,
                                     data=json.dumps({"query": query, "variables": variables or {}}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert not answer.get("errors"), answer
    return answer["data"]


def sign_up_api(server: Server, email: str, organization: str) -> tuple[str, str]:
    data = gql(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
               {"i": {"email": email, "password": PASSWORD, "name": email.split("@")[0].title(),
                      "organizationName": organization}})
    return data["signUp"]["token"], data["signUp"]["organization"]["id"]


def with_range(definition: dict, date_range: dict) -> dict:
    """A definition run over another range, as the dashboard and the share link do."""
    return {**{k: v for k, v in definition.items() if k not in ("dateFrom", "dateTo", "range")}, **date_range}


def number(value: float) -> str:
    """A report number as the app shows it (insights/format.ts: whole numbers as they are, else two decimals)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def trends_total(server: Server, session: str, project: str, date_range: dict) -> str:
    data = gql(server, "query($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { total } } }",
               {"p": project, "i": with_range(TRENDS, date_range)}, session)
    return number(data["trends"]["series"][0]["total"])


def funnel_counts(server: Server, session: str, project: str, date_range: dict) -> list[str]:
    data = gql(server, "query($p: ID!, $i: FunnelInput!) { funnel(projectId: $p, input: $i) { steps { count } } }",
               {"p": project, "i": with_range(FUNNEL, date_range)}, session)
    return [str(step["count"]) for step in data["funnel"]["steps"]]


def expect_numbers(page: Page, trend_total: str, funnel: list[str]) -> None:
    """The Signups tile's total and the funnel tile's users per step, as rendered in their tables."""
    signups = page.get_by_role("region", name="Signups", exact=True)
    row = signups.get_by_role("row").filter(has=page.get_by_role("rowheader", name="signed_up"))
    expect(row.locator("td").last).to_have_text(trend_total, timeout=15_000)
    steps = page.get_by_role("region", name="Signup to purchase", exact=True)
    for index, (event, count) in enumerate(zip(("signed_up", "purchased"), funnel)):
        step = steps.get_by_role("row").filter(has=page.get_by_role("rowheader", name=f"{index + 1}. {event}"))
        expect(step.locator("td").first).to_have_text(count, timeout=15_000)


def tile_titles(page: Page) -> list[str]:
    return page.locator("main section[aria-label] > div > h2").all_inner_texts()


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return found


def test_dashboards_and_share_links(web_server, browser):
    server = web_server
    session, org = sign_up_api(server, "dora@example.com", "Dash Co")
    project = gql(server, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                  {"i": {"organizationId": org, "name": "Shop", "timezone": "UTC"}}, session)["createProject"]["id"]
    ingest = gql(server, "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                 {"i": {"projectId": project, "name": "web", "kind": "INGEST"}}, session)["createApiToken"]["token"]

    # Four sign-ups two days ago (two of them buy), two twenty days ago (one buys): the last 7 days and the last 30
    # days give different numbers.
    now = datetime.now(timezone.utc)
    recent, older = now - timedelta(days=2), now - timedelta(days=20)
    events = []
    for user, at, buys in [("u1", recent, True), ("u2", recent, True), ("u3", recent, False), ("u4", recent, False),
                           ("u5", older, True), ("u6", older, False)]:
        events.append({"event": "signed_up", "user_id": user, "timestamp": at.isoformat()})
        if buys:
            events.append({"event": "purchased", "user_id": user, "timestamp": (at + timedelta(hours=1)).isoformat()})
    assert post_event(server, ingest, events) == (200, {"accepted": len(events)})

    save = "mutation($i: SaveReportInput!) { saveReport(input: $i) { id } }"
    trends_id = gql(server, save, {"i": {"projectId": project, "name": "Signups", "kind": "TRENDS",
                                         "definition": TRENDS}}, session)["saveReport"]["id"]
    gql(server, save, {"i": {"projectId": project, "name": "Signup to purchase", "kind": "FUNNEL",
                             "definition": FUNNEL}}, session)
    gql(server, save, {"i": {"projectId": project, "name": "Scratch", "kind": "TRENDS", "definition": TRENDS}}, session)
    # Saved as it type-checks, but refused when it runs (SUM needs a property): its tile shows the error, alone.
    gql(server, save, {"i": {"projectId": project, "name": "Broken", "kind": "TRENDS",
                             "definition": {**TRENDS, "series": [{"event": "signed_up", "math": "SUM"}]}}}, session)

    # A viewer of the organization, invited and accepted over the API.
    link = gql(server, "mutation($i: AddMemberInput!) { addMember(input: $i) { link } }",
               {"i": {"organizationId": org, "email": "vic@example.com", "role": "VIEWER"}}, session)["addMember"]["link"]
    viewer_session, _ = sign_up_api(server, "vic@example.com", "Vic's own")
    gql(server, "mutation($t: String!) { acceptInvitation(token: $t) { role } }",
        {"t": link.rsplit("/", 1)[-1]}, viewer_session)

    owner = Watched(browser, server)
    page = owner.page
    base = f"/orgs/{org}/projects/{project}"
    page.goto(server.url("/login"))
    log_in(page, "dora@example.com")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()

    # The dashboards list from the project's tabs: no dashboard yet, the saved reports linking to their builders.
    settle(page)  # leaving a page with requests running would fail them
    page.goto(server.url(f"{base}/events"))
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="Dashboards of Shop")).to_be_visible()
    expect(page.get_by_text("No dashboards yet")).to_be_visible()
    reports = page.get_by_role("region", name="Saved report list")
    expect(reports.get_by_role("link", name="Signups")).to_have_attribute(
        "href", f"{base}/insights/trends?report={trends_id}")
    expect(reports.get_by_role("link", name="Signup to purchase")).to_have_attribute(
        "href", re.compile(rf"^{re.escape(base)}/insights/funnels\?report=[0-9a-f-]+$"))
    owner.check("dashboards list")
    page.get_by_role("button", name="Delete report Scratch").click()
    page.get_by_role("button", name="Confirm: delete report Scratch").click()
    expect(reports.get_by_role("link", name="Scratch")).to_have_count(0)
    left = gql(server, "query($p: ID!) { reports(projectId: $p) { name } }", {"p": project}, session)["reports"]
    assert sorted(r["name"] for r in left) == ["Broken", "Signup to purchase", "Signups"], left

    # A new dashboard opens in edit mode: add the reports, widen one, make another tall, move it first.
    page.get_by_role("button", name="New dashboard").click()
    page.get_by_label("Dashboard name").fill("Growth")
    page.get_by_label("Description (optional)").fill("Sign-ups and what they buy")
    page.get_by_role("button", name="Create dashboard").click()
    expect(page.get_by_role("heading", name="Growth", level=1)).to_be_visible()
    dashboard_url = page.url.split("?")[0]
    dashboard_id = dashboard_url.rsplit("/", 1)[-1]
    expect(page.get_by_text("No reports on this dashboard yet")).to_be_visible()
    page.get_by_label("Saved report to add").select_option(label="Signups (Trends)")
    page.get_by_role("button", name="Add report").click()
    page.get_by_label("Saved report to add").select_option(label="Signup to purchase (Funnel)")
    page.get_by_role("button", name="Add report").click()
    page.get_by_label("Saved report to add").select_option(label="Broken (Trends)")
    page.get_by_role("button", name="Add report").click()
    expect(page.get_by_text("Every saved report of this project is on the dashboard.")).to_be_visible()
    page.get_by_label("Width of Signups").select_option(label="Full width (12 columns)")
    page.get_by_label("Height of Signup to purchase").select_option(label="Large")
    page.get_by_role("button", name="Move Signup to purchase up").click()
    expect(page.get_by_role("button", name="Move Signup to purchase up")).to_be_disabled()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
    assert tile_titles(page) == TILES

    # Each report over its own range (the last 7 days), with the numbers the API gives for it.
    expect(page.get_by_label("Dashboard date range")).to_have_value("none")
    own = (trends_total(server, session, project, LAST_7_DAYS), funnel_counts(server, session, project, LAST_7_DAYS))
    assert own == ("4", ["4", "2"])
    expect_numbers(page, *own)
    expect(page.get_by_role("region", name="Broken", exact=True).get_by_role("alert")).to_contain_text(BROKEN)

    # The dashboard-wide range: the last 30 days, saved for everyone.
    page.get_by_label("Dashboard date range").select_option(label="Last 30 days")
    expect(page.get_by_text("Range saved for everyone.")).to_be_visible()
    wide = (trends_total(server, session, project, LAST_30_DAYS), funnel_counts(server, session, project, LAST_30_DAYS))
    assert wide == ("6", ["6", "3"])
    expect_numbers(page, *wide)
    expect(page.get_by_role("region", name="Signups", exact=True).get_by_text("Last 30 days (dashboard)")).to_be_visible()
    owner.check("dashboard")

    # A reload shows the same order, sizes, range and numbers, as the server keeps them.
    page.reload()
    expect(page.get_by_label("Dashboard date range")).to_have_value("last-30-days")
    expect_numbers(page, *wide)
    assert tile_titles(page) == TILES
    funnel_box = box(page.get_by_role("region", name="Signup to purchase", exact=True))
    trends_box = box(page.get_by_role("region", name="Signups", exact=True))
    assert trends_box["width"] > 1.8 * funnel_box["width"], (trends_box, funnel_box)
    assert funnel_box["height"] > 1.3 * trends_box["height"], (trends_box, funnel_box)
    assert trends_box["y"] > funnel_box["y"] + funnel_box["height"] - 1, (trends_box, funnel_box)
    stored = gql(server, "query($id: ID!) { dashboard(id: $id) { dateRange items { width height report { name } } } }",
                 {"id": dashboard_id}, session)["dashboard"]
    assert stored["dateRange"] == LAST_30_DAYS, stored
    assert [(i["report"]["name"], i["width"], i["height"]) for i in stored["items"]] == \
        [("Signup to purchase", 6, 6), ("Signups", 12, 4), ("Broken", 6, 4)], stored

    # Refresh reruns every report: a sign-up sent now shows up.
    assert post_event(server, ingest, {"event": "signed_up", "user_id": "u7"})[0] == 200
    wide = (trends_total(server, session, project, LAST_30_DAYS), funnel_counts(server, session, project, LAST_30_DAYS))
    assert wide == ("7", ["7", "3"])
    page.get_by_role("button", name="Refresh").click()
    expect_numbers(page, *wide)

    # Share: a link letting its viewers change the range, shown once with a copy button, listed as active.
    page.get_by_role("button", name="Share").click()
    page.get_by_label("Let viewers change the range").check()
    page.get_by_role("button", name="Create link").click()
    share_input = page.get_by_label("Share link", exact=True)
    expect(share_input).to_be_visible()
    share_url = share_input.input_value()
    assert share_url.startswith(server.url("/share/")), share_url
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == share_url
    shares = page.get_by_role("region", name="Share links")
    row = shares.get_by_role("row").filter(has_text="Active")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Allowed")
    prefix = row.locator("td.font-mono").inner_text().rstrip("…")
    assert share_url.rsplit("/", 1)[-1].startswith(prefix) and prefix
    owner.check("dashboard share panel")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_label("Share link", exact=True)).to_have_count(0)

    # The link in a fresh browser, without any session: the same numbers.
    visitor = Watched(browser, server)
    vpage = visitor.page
    vpage.goto(share_url)
    expect(vpage.get_by_role("heading", name="Growth", level=1)).to_be_visible()
    expect(vpage.get_by_text("Sign-ups and what they buy")).to_be_visible()
    expect(vpage.get_by_role("button", name="Log out")).to_have_count(0)
    expect_numbers(vpage, *wide)
    assert tile_titles(vpage) == TILES
    expect(vpage.get_by_role("region", name="Broken", exact=True).get_by_role("alert")).to_contain_text(BROKEN)
    visitor.check("shared dashboard")

    # The range may change there: the last 7 days, as the API answers for them.
    vpage.get_by_label("Date range", exact=True).select_option(label="Last 7 days")
    narrow = (trends_total(server, session, project, LAST_7_DAYS), funnel_counts(server, session, project, LAST_7_DAYS))
    assert narrow == ("5", ["5", "2"])
    expect_numbers(vpage, *narrow)
    visitor.check("shared dashboard (last 7 days)")
    # At 390 px in dark mode: one column, nothing wider than the screen.
    vpage.set_viewport_size({"width": 390, "height": 844})
    vpage.emulate_media(color_scheme="dark")
    visitor.check("shared dashboard (390 px, dark)")
    assert vpage.evaluate("document.documentElement.scrollWidth") <= 390
    assert box(vpage.get_by_role("region", name="Signup to purchase", exact=True))["width"] < 390

    # Signed in, the share page still sends no session.
    settle(page)
    with page.expect_request(lambda r: r.url.endswith("/graphql") and "sharedDashboard" in (r.post_data or "")) as sent:
        page.goto(share_url)
    assert "authorization" not in {k.lower() for k in sent.value.headers}, sent.value.headers
    expect_numbers(page, *wide)

    # Revoked in the first browser: the visitor's reload is refused.
    settle(page)
    page.goto(dashboard_url)
    page.get_by_role("button", name="Share").click()
    shares = page.get_by_role("region", name="Share links")
    page.get_by_role("button", name=f"Revoke link {prefix}").click()
    page.get_by_role("button", name=f"Confirm: revoke link {prefix}").click()
    expect(shares.get_by_role("row").filter(has_text="Revoked")).to_have_count(1)
    expect(shares.get_by_role("row").filter(has_text="Active")).to_have_count(0)
    settle(vpage)
    vpage.reload()
    expect(vpage.get_by_role("alert")).to_have_text("This link is not valid or was revoked.")
    visitor.check("shared dashboard (revoked)")
    visitor.close()

    # A viewer sees the dashboard but no controls to create, edit, share or delete.
    viewer = Watched(browser, server)
    wpage = viewer.page
    wpage.goto(server.url("/login"))
    log_in(wpage, "vic@example.com")
    expect(wpage.get_by_role("heading", name="Projects")).to_be_visible()
    settle(wpage)
    wpage.goto(server.url(f"{base}/dashboards"))
    expect(wpage.get_by_role("link", name="Growth")).to_be_visible()
    expect(wpage.get_by_role("region", name="Saved report list").get_by_role("link", name="Signups")).to_be_visible()
    expect(wpage.get_by_role("button", name="New dashboard")).to_have_count(0)
    expect(wpage.get_by_role("button", name=re.compile("^Delete"))).to_have_count(0)
    viewer.check("dashboards list (viewer)")
    wpage.get_by_role("link", name="Growth").click()
    expect_numbers(wpage, *wide)
    for name in ("Edit dashboard", "Share", "Save changes", "Create link"):
        expect(wpage.get_by_role("button", name=name)).to_have_count(0)
    viewer.check("dashboard (viewer)")
    wpage.set_viewport_size({"width": 390, "height": 844})
    wpage.emulate_media(color_scheme="dark")
    viewer.check("dashboard (viewer, 390 px, dark)")
    assert wpage.evaluate("document.documentElement.scrollWidth") <= 390
    viewer.close()

    # Deleting the dashboard leaves its reports.
    page.get_by_role("button", name="Edit dashboard").click()
    page.get_by_role("button", name="Delete dashboard Growth").click()
    page.get_by_role("button", name="Confirm: delete dashboard Growth").click()
    expect(page.get_by_text("No dashboards yet")).to_be_visible()
    expect(page.get_by_role("region", name="Saved report list").get_by_role("link")).to_have_count(3)
    owner.check("dashboards list (after delete)")
    owner.close()
    assert owner.problems == [] and visitor.problems == [] and viewer.problems == []
