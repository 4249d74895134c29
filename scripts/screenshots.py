"""`make screenshots`: PNGs of each dashboard page with demo data (`insightvault seed-demo`) in docs/screenshots/.

Starts the built binary on a scratch data directory (embedded PostgreSQL), signs up a demo user, creates a project
and an ingest token, fills the project with `seed-demo`, invites a colleague, puts three saved reports on a
dashboard with a share link, then drives Debian's Chromium through Playwright over every page at 1280x800 (and the
live events page at 390 px in dark mode)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "e2e"))
from conftest import Server  # noqa: E402  (the e2e tests' server harness)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

OUT = REPO / "docs" / "screenshots"
EMAIL = "demo@example.com"
PASSWORD = "correct horse battery staple"


def graphql(server: Server, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.url("/graphql"), method="POST", headers=headers,
                                     data=json.dumps({"query": query, "variables": variables}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    if answer.get("errors"):
        raise SystemExit(f"screenshots: {answer['errors']}")
    return answer["data"]


def demo_dashboard(server: Server, session: str, project: str) -> tuple[str, str]:
    """Three saved reports on a dashboard over the last 30 days, and a share link to it: (dashboard id, token)."""
    last_30 = {"range": {"last": {"amount": 30, "unit": "DAY"}}}
    reports = [
        ("Pageviews and sign-ups", "TRENDS", {"series": [{"event": "$pageview", "math": "TOTAL"},
                                                        {"event": "signed_up", "math": "TOTAL"}], "interval": "DAY", **last_30}),
        ("Sign-up to purchase", "FUNNEL", {"steps": [{"event": "signed_up"}, {"event": "activated"}, {"event": "purchase"}],
                                           "windowSeconds": 7 * 86400, **last_30}),
        ("Weekly retention", "RETENTION", {"startEvent": "signed_up", "returnEvent": "$pageview", "period": "WEEK",
                                           "periods": 4, **last_30}),
    ]
    ids = [graphql(server, """mutation($i: SaveReportInput!) { saveReport(input: $i) { id } }""",
                   {"i": {"projectId": project, "name": name, "kind": kind, "definition": definition}},
                   session)["saveReport"]["id"] for name, kind, definition in reports]
    dashboard = graphql(server, """mutation($i: CreateDashboardInput!) { createDashboard(input: $i) { id } }""",
                        {"i": {"projectId": project, "name": "Growth", "description": "Traffic, sign-ups and what follows"}},
                        session)["createDashboard"]["id"]
    graphql(server, """mutation($i: UpdateDashboardInput!) { updateDashboard(input: $i) { id } }""",
            {"i": {"id": dashboard, "dateRange": last_30, "items": [{"reportId": ids[0], "width": 12, "height": 4},
                                                                  {"reportId": ids[1], "width": 6, "height": 4},
                                                                  {"reportId": ids[2], "width": 6, "height": 4}]}}, session)
    token = graphql(server, """mutation($i: CreateDashboardShareInput!) { createDashboardShare(input: $i) { token } }""",
                    {"i": {"dashboardId": dashboard, "allowRangeChange": True}}, session)["createDashboardShare"]["token"]
    return dashboard, token


def main() -> None:
    binary = os.environ.get("IV_BINARY") or str(REPO / ".build/debug/insightvault")
    if not (REPO / "web/dist/index.html").exists():
        raise SystemExit("screenshots: web/dist is not built; run make web")
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="iv-shots-", dir="/tmp"))
    workdir.chmod(0o755)
    server = Server(binary, workdir / "iv", workdir / "serve.log",
                    env={"IV_WEB_DIR": str(REPO / "web/dist"), "LOG_LEVEL": "warning"})
    try:
        server.wait_ready()
        signed = graphql(server, """mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }""",
                         {"i": {"email": EMAIL, "password": PASSWORD, "name": "Dana Demo", "organizationName": "Demo Inc"}})
        session, org = signed["signUp"]["token"], signed["signUp"]["organization"]["id"]
        project = graphql(server, """mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }""",
                          {"i": {"organizationId": org, "name": "Demo shop", "timezone": "Europe/Amsterdam"}},
                          session)["createProject"]["id"]
        token = graphql(server, """mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }""",
                        {"i": {"projectId": project, "name": "Website", "kind": "INGEST"}}, session)["createApiToken"]["token"]
        graphql(server, """mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }""",
                {"i": {"projectId": project, "name": "Notebook", "kind": "PERSONAL", "scopes": ["READ"]}}, session)
        graphql(server, """mutation($i: AddMemberInput!) { addMember(input: $i) { id } }""",
                {"i": {"organizationId": org, "email": "sam@example.com", "role": "MEMBER"}}, session)
        subprocess.run([binary, "seed-demo", "--token", token, "--events", "20000", "--users", "400", "--days", "30",
                        "--data-dir", str(workdir / "iv"), "--log-level", "warning"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "IV_MIGRATIONS_DIR": str(REPO / "migrations")})
        dashboard, share = demo_dashboard(server, session, project)
        OUT.mkdir(parents=True, exist_ok=True)
        base = f"/orgs/{org}/projects/{project}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def shoot(name: str, full_page: bool = False) -> None:
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
                print(f"screenshots: docs/screenshots/{name}.png")

            page.goto(server.url("/login"))
            shoot("log-in")
            page.get_by_label("Email", exact=True).fill(EMAIL)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Projects")).to_be_visible()
            shoot("projects")
            page.goto(server.url(f"{base}/live"))
            expect(page.get_by_role("list", name="Events, newest first")).to_be_visible(timeout=15_000)
            page.get_by_role("list", name="Events, newest first").get_by_role("button").first.click()
            shoot("live-events")
            page.goto(server.url(f"{base}/events?event=%24pageview"))
            expect(page.get_by_role("list", name="Events, newest first")).to_be_visible(timeout=15_000)
            shoot("explorer")
            # The insight builders, from their URL state (as a shared link opens them).
            trends = {"series": json.dumps([{"event": "$pageview", "math": "UNIQUE_USERS"}]), "interval": "DAY",
                      "range": "last-30-days", "breakdown": "country", "limit": "5", "compare": "1"}
            page.goto(server.url(f"{base}/insights/trends?{urllib.parse.urlencode(trends)}"))
            expect(page.get_by_role("table", name="Trends")).to_be_visible(timeout=30_000)
            shoot("trends", full_page=True)
            funnel = {"steps": json.dumps([{"event": "$pageview"}, {"event": "signed_up"}, {"event": "activated"},
                                           {"event": "purchase"}]),
                      "order": "ORDERED", "window": "14-days", "range": "last-30-days"}
            page.goto(server.url(f"{base}/insights/funnels?{urllib.parse.urlencode(funnel)}"))
            expect(page.get_by_role("table", name="Funnel")).to_be_visible(timeout=30_000)
            shoot("funnels", full_page=True)
            retention = {"start": "signed_up", "return": "$pageview", "period": "WEEK", "periods": "5",
                         "mode": "RECURRING", "range": "last-30-days"}
            page.goto(server.url(f"{base}/insights/retention?{urllib.parse.urlencode(retention)}"))
            expect(page.get_by_role("table", name="Retention by cohort")).to_be_visible(timeout=30_000)
            shoot("retention", full_page=True)
            page.goto(server.url(f"{base}/persons"))
            persons = page.get_by_role("main").get_by_role("listitem")
            expect(persons.first).to_be_visible(timeout=15_000)
            shoot("persons")
            # An identified user, whose anonymous id was merged into them.
            page.goto(server.url(f"{base}/persons?search=user_"))
            expect(persons.first).to_be_visible(timeout=15_000)
            persons.first.get_by_role("link").click()
            expect(page.get_by_role("list", name="Events of this person")).to_be_visible(timeout=15_000)
            shoot("person")
            page.goto(server.url(f"{base}/start"))
            page.get_by_role("button", name="Create an ingest token").click()
            expect(page.get_by_role("region", name="Ingest token")).to_be_visible()
            shoot("getting-started")
            page.goto(server.url(f"{base}/settings"))
            shoot("project-settings")
            page.goto(server.url(f"/orgs/{org}/tokens"))
            expect(page.get_by_role("row").filter(has_text="Notebook")).to_be_visible()
            shoot("api-tokens")
            page.goto(server.url(f"/orgs/{org}/members"))
            expect(page.get_by_text("sam@example.com")).to_be_visible()
            shoot("members")
            page.goto(server.url("/account"))
            expect(page.get_by_text("(this browser)")).to_be_visible()
            shoot("account")
            page.goto(server.url(f"{base}/dashboards/{dashboard}"))
            expect(page.get_by_role("region", name="Sign-up to purchase", exact=True).get_by_role("table")).to_be_visible(timeout=30_000)
            shoot("dashboard")
            page.goto(server.url(f"/share/{share}"))
            expect(page.get_by_role("region", name="Weekly retention", exact=True).get_by_role("table")).to_be_visible(timeout=30_000)
            shoot("shared-dashboard")
            phone = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
            page = phone.new_page()
            page.goto(server.url("/login"))
            page.get_by_label("Email", exact=True).fill(EMAIL)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Projects")).to_be_visible()
            page.goto(server.url(f"{base}/live"))
            expect(page.get_by_role("list", name="Events, newest first")).to_be_visible(timeout=15_000)
            shoot("live-events-390-dark")
            browser.close()
    finally:
        server.terminate()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
