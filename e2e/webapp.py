"""What the dashboard's browser tests share: the server serving web/dist and Debian's Chromium (fixtures), a browser
context that records every console error, page error and failed request and checks pages with axe-core (`Watched`),
and small helpers (events over HTTP, GraphQL, signing up and logging in through the forms). Test modules import the
fixtures by name: `from webapp import browser, web_server`."""
import json
import os
import pathlib
import time
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from conftest import REPO, Server

CHROMIUM = "/usr/bin/chromium"
WEB_DIST = REPO / "web" / "dist"
PASSWORD = "correct horse battery staple"
# Set IV_E2E_SCREENSHOTS to a directory to keep screenshots of the pages visited (for looking at them, not asserted).
SHOTS = pathlib.Path(os.environ["IV_E2E_SCREENSHOTS"]) if os.environ.get("IV_E2E_SCREENSHOTS") else None


@pytest.fixture
def web_server(binary, workdir):
    if not (WEB_DIST / "index.html").exists():
        pytest.fail("web/dist is not built: run `make web` (make test does)")
    server = Server(binary, workdir / "iv", workdir / "serve.log",
                    env={"IV_WEB_DIR": str(WEB_DIST), "LOG_LEVEL": "warning"})
    try:
        server.wait_ready()
        yield server
    finally:
        server.terminate()


@pytest.fixture
def browser():
    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/install-deps.sh --test installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


_RUNNING: dict[int, set] = {}


def settle(page: Page, quiet_ms: int = 250, timeout_s: float = 30) -> None:
    """Waits until none of the page's requests has been running for `quiet_ms` (a `Watched` page's). Playwright's
    `wait_for_load_state("networkidle")` does not: it returns at once after the first load, and requests started by
    the app later (a client-side navigation's) would still be running."""
    running = _RUNNING[id(page)]
    deadline = time.monotonic() + timeout_s
    while True:
        page.wait_for_timeout(quiet_ms)  # lets Playwright deliver the request events
        if not running:
            return
        assert time.monotonic() < deadline, f"requests still running after {timeout_s} s: {[r.url for r in running]}"


class Watched:
    """A browser context whose pages record console errors, uncaught exceptions and failed requests."""

    def __init__(self, browser, server: Server, **options):
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url(""))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.method} {r.url} {r.failure} {(r.post_data or '')[:60]}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        # Requests still running: leaving the page (goto, reload) would abort them, which counts as a failed request.
        running: set = set()
        self.page.on("request", lambda r: running.add(r))
        self.page.on("requestfinished", lambda r: running.discard(r))
        self.page.on("requestfailed", lambda r: running.discard(r))
        _RUNNING[id(self.page)] = running
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        """No serious or critical accessibility violation on the page as it is now, and nothing failed so far."""
        settle(self.page)
        results = Axe().run(self.page)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{name}: accessibility violations {bad}"
        assert self.problems == [], f"{name}: {self.problems}"
        self.checked.append(name)
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SHOTS / f"{len(self.checked):02d}-{name.replace(' ', '-')}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def post_event(server: Server, token: str, event: dict) -> tuple[int, dict]:
    request = urllib.request.Request(server.url("/v1/events"), data=json.dumps(event).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def graphql(server: Server, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    """The data of one GraphQL request (as a session's or API token's bearer when `token` is given); fails on errors."""
    headers = {"Content-Type": "application/json", "User-Agent": "curl/8.0"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.url("/graphql"), method="POST", headers=headers,
                                     data=json.dumps({"query": query, "variables": variables or {}}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.loads(response.read())
    assert not answer.get("errors"), answer
    return answer["data"]


def sign_up(page: Page, email: str, organization: str) -> None:
    page.get_by_label("Name", exact=True).fill(email.split("@")[0].title())
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Organization name").fill(organization)
    page.get_by_role("button", name="Sign up").click()


def log_in(page: Page, email: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
