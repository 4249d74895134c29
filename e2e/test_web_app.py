"""The dashboard end to end: Debian's Chromium, driven by Playwright, against the real binary serving web/dist and its
embedded PostgreSQL. A person signs up, creates a project and tokens, sends an event, invites a viewer who accepts
from the link, and the viewer sees no token or member controls. Every page is checked with axe-core (no serious or
critical violation), and no page logs a console error or has a request fail."""
import pathlib
import re

from playwright.sync_api import expect

from webapp import PASSWORD, Watched, browser, graphql, log_in, post_event, settle, sign_up, web_server  # noqa: F401 (fixtures)


def test_dashboard_accounts_projects_tokens_members(web_server, browser):
    server = web_server
    owner = Watched(browser, server)
    page = owner.page

    # Signed out, / goes to the log-in page; from there to sign up.
    page.goto(server.url("/"))
    expect(page).to_have_url(server.url("/login"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    owner.check("log in")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    owner.check("sign up")
    sign_up(page, "ada@example.com", "Acme")

    # First run: the new-project form is open.
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    assert "sessionStorage" not in page.url and "token" not in page.url
    owner.check("projects (first run)")
    page.get_by_label("Project name").fill("Web shop")
    page.get_by_label("Time zone").select_option("UTC")
    page.get_by_role("button", name="Create project").click()

    # Getting started: waiting for the first event; an ingest token fills the snippets.
    expect(page.get_by_role("heading", name="Getting started with Web shop")).to_be_visible()
    expect(page.get_by_text("Waiting for the first event")).to_be_visible()
    owner.check("getting started")
    page.get_by_role("button", name="Create an ingest token").click()
    token_block = page.get_by_role("region", name="Ingest token")
    expect(token_block).to_be_visible()
    ingest_token = token_block.locator("code").inner_text().strip()
    curl = page.get_by_role("region", name="curl (native API)").locator("code").inner_text()
    assert f"Bearer {ingest_token}" in curl and server.url("/v1/events") in curl
    posthog = page.get_by_role("region", name="PostHog JavaScript").locator("code").inner_text()
    assert ingest_token in posthog and f"api_host: '{server.url('')}'" in posthog

    # An event sent with HTTP ends the first-run wait without a reload.
    assert post_event(server, ingest_token, {"event": "signed_up", "user_id": "ada", "properties": {"plan": "pro"}}) \
        == (200, {"accepted": 1})
    expect(page.get_by_text("Events are arriving")).to_be_visible(timeout=15_000)
    owner.check("getting started (event arrived)")

    # Live events: the newest events, new ones without reload, pause and resume, properties, a filter by name.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Live events").click()
    events = page.get_by_role("list", name="Events, newest first")
    expect(events.get_by_role("listitem").filter(has_text="signed_up")).to_have_count(1)
    owner.check("live events")
    assert post_event(server, ingest_token, {"event": "checkout", "user_id": "=1+2", "properties": {"total": 42}})[0] == 200
    expect(events.get_by_role("listitem").filter(has_text="checkout")).to_have_count(1, timeout=4_000)
    # The official PostHog SDK, pointed at this server as the getting-started snippet says.
    from posthog import Posthog
    sdk = Posthog(ingest_token, host=server.url(""), sync_mode=True)
    sdk.capture("$pageview", distinct_id="grace",
                properties={"$current_url": "/pricing", "$set": {"email": "grace@example.com", "plan": "team"}})
    sdk.shutdown()
    expect(events.get_by_role("listitem").filter(has_text="$pageview")).to_have_count(1, timeout=4_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("Paused: new events wait")).to_be_visible()
    assert post_event(server, ingest_token, {"event": "while_paused", "user_id": "ada"})[0] == 200
    page.get_by_role("button", name="Resume").click()
    expect(events.get_by_role("listitem").filter(has_text="while_paused")).to_have_count(1, timeout=4_000)
    expect(events.get_by_role("listitem").first).to_contain_text("while_paused")
    page.get_by_role("button", name="Show properties of checkout").click()
    expect(events.get_by_text('"total": 42')).to_be_visible()
    owner.check("live events (expanded)")
    page.get_by_label("Event name").select_option("checkout")
    expect(events.get_by_role("listitem")).to_have_count(1)

    # Explorer: newest first, a property filter kept in the URL, CSV export of what is loaded (formulas escaped).
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Explorer").click()
    events = page.get_by_role("list", name="Events, newest first")
    expect(events.get_by_role("listitem")).to_have_count(4)
    owner.check("explorer")
    page.get_by_role("button", name="Add property filter").click()
    page.get_by_label("Property 1").fill("plan")
    page.get_by_label("Operator 1").select_option("EQ")
    page.get_by_label("Value 1").fill("pro")
    page.get_by_role("button", name="Apply filters").click()
    expect(events.get_by_role("listitem")).to_have_count(1)
    expect(events).to_contain_text("signed_up")
    assert "filters=" in page.url
    settle(page)  # a reload would abort requests still running (a failed request)
    page.reload()
    expect(page.get_by_label("Property 1")).to_have_value("plan")
    expect(page.get_by_role("list", name="Events, newest first").get_by_role("listitem")).to_have_count(1)
    page.get_by_role("button", name="Remove filter 1").click()
    page.get_by_role("button", name="Apply filters").click()
    expect(events.get_by_role("listitem")).to_have_count(4)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export 4 loaded events as CSV").click()
    csv_text = pathlib.Path(download_info.value.path()).read_text()
    lines = csv_text.strip().splitlines()
    assert lines[0] == "timestamp,event,distinct_id,person_id,properties" and len(lines) == 5, csv_text
    assert ",$pageview,grace," in csv_text, csv_text
    assert ",checkout,'=1+2," in csv_text, csv_text
    owner.check("explorer (filtered and exported)")

    # Persons: search by distinct id and by property value; a person's page with properties, ids and events.
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Persons").click()
    expect(page.get_by_role("heading", name="Persons", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="grace@example.com")).to_be_visible()
    owner.check("persons")
    page.get_by_label("Search by distinct id or property value").fill("ada")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/persons\?search=ada$"))
    page.get_by_role("link", name="ada", exact=True).click()
    expect(page.get_by_role("heading", name="ada", exact=True)).to_be_visible()
    person_events = page.get_by_role("list", name="Events of this person")
    expect(person_events.get_by_role("listitem")).to_have_count(2)
    expect(person_events.get_by_role("listitem").first).to_contain_text("while_paused")
    page.get_by_role("navigation", name="Project").get_by_role("link", name="Persons").click()
    page.get_by_label("Search by distinct id or property value").fill("TEAM")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="grace@example.com").click()
    expect(page.get_by_role("heading", name="grace@example.com")).to_be_visible()
    expect(page.get_by_text("team", exact=True)).to_be_visible()
    expect(page.get_by_role("list", name="Events of this person").get_by_role("listitem")).to_have_count(1)
    owner.check("person")

    # Project settings: the time zone and retention change.
    page.goto(server.url("/"))
    page.get_by_role("link", name="Settings of Web shop").click()
    expect(page.get_by_role("heading", name="Web shop: settings")).to_be_visible()
    page.get_by_label("Time zone").select_option("Europe/Amsterdam")
    page.get_by_label("Retention (days)").fill("90")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    owner.check("project settings")
    expect(page.get_by_role("button", name="Delete this project")).to_be_disabled()

    # API tokens: create one, its secret once with a copy button, listed by prefix; revoke it.
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("Token name").fill("CI")
    page.get_by_label("Kind").select_option("INGEST")
    page.get_by_role("button", name="Create token").click()
    secret_input = page.get_by_label("Token secret", exact=True)
    expect(secret_input).to_be_visible()
    secret = secret_input.input_value()
    assert secret and secret != ingest_token
    page.get_by_role("button", name="Copy secret").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    row = page.get_by_role("row").filter(has_text="CI")
    expect(row).to_contain_text("Active")
    prefix = row.locator("td.font-mono").inner_text().rstrip("…")
    assert secret.startswith(prefix) and len(prefix) < len(secret)
    owner.check("API tokens")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_label("Token secret", exact=True)).to_have_count(0)
    assert post_event(server, secret, {"event": "ci_ran", "user_id": "ci"})[0] == 200
    page.get_by_role("button", name="Revoke CI").click()
    page.get_by_role("button", name="Confirm: revoke CI").click()
    expect(row).to_contain_text("Revoked")

    # Members: invite a viewer; the link is shown and the invitation is pending.
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    page.get_by_label("Email address").fill("viv@example.com")
    page.get_by_label("Role").select_option("VIEWER")
    page.get_by_role("button", name="Invite").click()
    link_input = page.get_by_label("Invitation link")
    expect(link_input).to_be_visible()
    link = link_input.input_value()
    assert "/invite/" in link
    expect(page.get_by_role("button", name="Revoke invitation for viv@example.com")).to_be_visible()
    owner.check("members")

    # Log out: the session is gone from this tab.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(server.url("/login"))
    assert page.evaluate("window.sessionStorage.length") == 0
    owner.check("log in after log out")

    # The invitee opens the link signed out, signs up with the invited address and accepts.
    viewer = Watched(browser, server)
    vpage = viewer.page
    vpage.goto(link)
    expect(vpage.get_by_role("heading", name="You are invited")).to_be_visible()
    viewer.check("invitation (signed out)")
    vpage.get_by_role("link", name="Sign up to accept").click()
    sign_up(vpage, "viv@example.com", "Viv's own")
    expect(vpage.get_by_role("heading", name="Join an organization")).to_be_visible()
    viewer.check("accept invitation")
    vpage.get_by_role("button", name="Accept invitation").click()
    expect(vpage.get_by_role("heading", name="Projects")).to_be_visible()
    link_org = vpage.url.split("/")[4]
    expect(vpage.get_by_label("Organization")).to_have_value(link_org)
    expect(vpage.get_by_text("Web shop")).to_be_visible()

    # A VIEWER sees no token or member controls, and no project controls.
    nav = vpage.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="API tokens")).to_have_count(0)
    expect(vpage.get_by_role("button", name="New project")).to_have_count(0)
    viewer.check("projects (viewer)")
    nav.get_by_role("link", name="Members").click()
    expect(vpage.get_by_role("heading", name="People in this organization")).to_be_visible()
    expect(vpage.get_by_text("ada@example.com")).to_be_visible()
    expect(vpage.get_by_label("Email address")).to_have_count(0)
    expect(vpage.get_by_role("combobox", name="Role of ada@example.com")).to_have_count(0)
    expect(vpage.get_by_role("button", name="Remove ada@example.com")).to_have_count(0)
    expect(vpage.get_by_role("heading", name="Pending invitations")).to_have_count(0)
    viewer.check("members (viewer)")
    vpage.goto(server.url(f"/orgs/{link_org}/tokens"))
    expect(vpage.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(vpage.get_by_label("Token name")).to_have_count(0)
    settle(vpage)
    vpage.goto(server.url(f"/orgs/{link_org}/projects"))
    vpage.get_by_role("link", name="Settings of Web shop").click()
    expect(vpage.get_by_label("Project name")).to_be_disabled()
    expect(vpage.get_by_role("button", name="Save settings")).to_have_count(0)
    expect(vpage.get_by_role("button", name="Delete this project")).to_have_count(0)
    viewer.check("project settings (viewer)")
    viewer.close()

    # Back in as the owner: the project is there, with the new settings; the invitation is gone from pending.
    log_in(page, "ada@example.com")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    expect(page.get_by_text("Europe/Amsterdam · kept 90 days")).to_be_visible()
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_text("No pending invitations.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Role of viv@example.com")).to_have_value("VIEWER")
    owner.check("members after acceptance")

    # Account: this browser's session and one from elsewhere, which can be signed out.
    graphql(server, "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
            {"i": {"email": "ada@example.com", "password": PASSWORD}})
    page.get_by_role("link", name="Your account (ada@example.com)").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("(this browser)")).to_be_visible()
    other = page.get_by_role("button", name="Sign out curl")
    expect(other).to_have_count(1)
    owner.check("account")
    other.click()
    expect(other).to_have_count(0)
    expect(page.get_by_text("(this browser)")).to_be_visible()
    owner.close()
    assert owner.problems == [] and viewer.problems == []


def test_dashboard_at_390px_and_in_dark_mode(web_server, browser):
    server = web_server
    phone = Watched(browser, server, color_scheme="dark")
    page = phone.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url("/signup"))
    phone.check("sign up (390 px, dark)")
    sign_up(page, "grace@example.com", "Hopper Labs")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    page.get_by_label("Project name").fill("App")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Getting started with App")).to_be_visible()
    for name, path_end in (("getting started", None), ("tokens", "tokens"), ("members", "members")):
        if path_end:
            nav = page.get_by_role("navigation", name="Main")
            nav.get_by_role("link", name={"tokens": "API tokens", "members": "Members"}[path_end]).click()
            expect(page.get_by_role("heading", name={"tokens": "API tokens", "members": "Members"}[path_end],
                                    exact=True)).to_be_visible()
        phone.check(f"{name} (390 px, dark)")
        # Nothing but scroll regions (code, the token table) is wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgb(249, 250, 251)") and "0.985" not in background, background
    phone.close()
