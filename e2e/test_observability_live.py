"""Metrics and logs of a real server: `GET /metrics` on the metrics listener after real ingestion (the native
endpoint and the PostHog SDK from PyPI) and GraphQL traffic, with the values checked to have moved by exactly what
was sent; no label value carries a path, an id or an event name; and the JSON access log: one line per request with
the request id echoed in `X-Request-Id`, and no password, session token, ingest token or event property anywhere in
the output."""
import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
from posthog import Posthog

from conftest import Server

PASSWORD = "correct horse battery staple 42"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(server: Server) -> dict[tuple, float]:
    """Every sample of one scrape: {(name, ((label, value), ...)): value}."""
    with urllib.request.urlopen(server.metrics_url(), timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample line: {line!r}"
        name, labels, value = match.groups()
        samples[(name, tuple(sorted(LABEL.findall(labels or ""))))] = float(value)
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def request(server: Server, path: str, body=None, token=None, headers=None, method=None):
    """(status, headers, parsed body) of one request; errors are answers too."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url(path), data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            raw = response.read()
            return response.status, response.headers, raw
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def gql(server, query, variables=None, token=None, name=None, headers=None):
    body = {"query": query, "variables": variables or {}}
    if name:
        body["operationName"] = name
    status, response_headers, raw = request(server, "/graphql", body, token, headers)
    return status, response_headers, json.loads(raw)


def log_lines(server: Server) -> list[dict]:
    """Every line the server wrote (standard output and error), parsed: each must be one JSON object."""
    lines = []
    for line in server.log_path.read_text().splitlines():
        if line.strip():
            lines.append(json.loads(line))
    return lines


def tenant(server: Server, email: str) -> tuple[str, str, str, str]:
    """Signs `email` up (the dashboard's SignUp operation) with an organization, a project and an ingest token:
    (session token, organization id, project id, ingest token)."""
    status, _, signed = gql(server, "mutation SignUp($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                            {"i": {"email": email, "password": PASSWORD, "name": "Ops", "organizationName": "Ops"}},
                            name="SignUp")
    assert status == 200 and "errors" not in signed, signed
    jwt, org = signed["data"]["signUp"]["token"], signed["data"]["signUp"]["organization"]["id"]
    _, _, created = gql(server, "mutation($i: CreateProjectInput!) { createProject(input: $i) { id } }",
                        {"i": {"organizationId": org, "name": "Shop", "timezone": "UTC"}}, jwt)
    project = created["data"]["createProject"]["id"]
    _, _, minted = gql(server, "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }",
                       {"i": {"projectId": project, "name": "ingest", "kind": "INGEST"}}, jwt)
    return jwt, org, project, minted["data"]["createApiToken"]["token"]


@pytest.fixture
def server(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.terminate()


def test_metrics_move_with_ingestion_and_graphql(server):
    before = scrape(server)
    for family in ("insightvault_ingest_events_total", "insightvault_write_buffer_capacity_events",
                   "insightvault_db_pool_connections_max", "insightvault_rollup_lag_seconds", "process_open_fds"):
        assert any(name == family for name, _ in before), f"{family} is not in the first scrape"

    jwt, org, project, ingest = tenant(server, "ops@example.com")

    # Ingestion: 3 native events; 2 through the PostHog SDK plus one it sends without a name (dropped); one request
    # with a token that does not exist and one native request with an invalid event (both refused whole).
    secret_name = f"event-{uuid.uuid4().hex}"
    status, _, _ = request(server, "/v1/events", {"batch": [
        {"event": secret_name, "distinct_id": f"user-{i}", "properties": {"plan": "secret-plan-value"}} for i in range(3)]},
        ingest)
    assert status == 200
    sdk = Posthog(ingest, host=server.url(""), sync_mode=True)
    sdk.capture("signed_up", distinct_id="sdk-user", properties={"plan": "pro"})
    sdk.capture("purchase", distinct_id="sdk-user", properties={"amount": 3})
    status, _, _ = request(server, "/batch", {"api_key": ingest, "batch": [
        {"event": "ok", "distinct_id": "sdk-user", "properties": {}}, {"distinct_id": "sdk-user", "properties": {}}]})
    assert status == 200
    status, _, _ = request(server, "/v1/events", {"event": "x", "distinct_id": "u"}, "iv_ing_" + "0" * 32)
    assert status == 401
    status, _, _ = request(server, "/v1/events", {"event": "", "distinct_id": "u"}, ingest)
    assert status == 400

    # GraphQL: a dashboard operation (a trends report), a name the dashboard never sends, a refused log-in, and a
    # document that does not validate.
    trends = "query Trends($p: ID!, $i: TrendsInput!) { trends(projectId: $p, input: $i) { series { total } } }"
    now = time.time()
    span = {"dateFrom": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now - 86_400)),
            "dateTo": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now + 86_400))}
    status, _, answer = gql(server, trends, {"p": project, "i": {"series": [{"event": secret_name, "math": "TOTAL"}], **span}}, jwt, name="Trends")
    assert status == 200 and answer["data"]["trends"]["series"][0]["total"] == 3, answer
    status, _, answer = gql(server, "query MyOwnDashboardQuery { me { email } }", token=jwt, name="MyOwnDashboardQuery")
    assert status == 200 and answer["data"]["me"]["email"] == "ops@example.com"
    status, _, answer = gql(server, "mutation LogIn($i: LogInInput!) { logIn(input: $i) { token } }",
                            {"i": {"email": "ops@example.com", "password": "not the password"}}, name="LogIn")
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    status, _, answer = gql(server, "{ noSuchField }")
    assert status == 400

    # Paths the router does not know, and dashboard paths with ids in them.
    assert request(server, "/no/such/thing", {}, method="POST")[0] == 404
    assert request(server, f"/orgs/{org}/projects/{project}/trends", method="GET")[0] == 200

    after = scrape(server)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("insightvault_ingest_events_total", kind="native") == 3
    assert moved("insightvault_ingest_events_total", kind="posthog") == 3
    assert moved("insightvault_ingest_events_dropped_total", kind="posthog", reason="invalid_event_name") == 1
    assert moved("insightvault_ingest_requests_refused_total", kind="native", reason="invalid_token") == 1
    assert moved("insightvault_ingest_requests_refused_total", kind="native", reason="invalid_events") == 1
    assert moved("insightvault_write_batch_events_sum") == 6
    assert moved("insightvault_write_batch_events_count") >= 1
    assert moved("insightvault_write_commit_duration_seconds_count") == moved("insightvault_write_batch_events_count")
    assert value(after, "insightvault_write_buffer_events") == 0
    assert value(after, "insightvault_write_buffer_capacity_events") > 0

    assert moved("insightvault_graphql_operations_total", type="query", operation="Trends") == 1
    assert moved("insightvault_graphql_operations_total", type="mutation", operation="SignUp") == 1
    assert moved("insightvault_graphql_operations_total", type="query", operation="other") == 1
    assert moved("insightvault_graphql_errors_total", type="mutation", operation="LogIn") == 1
    assert moved("insightvault_graphql_errors_total", type="none", operation="other") == 1
    assert moved("insightvault_graphql_errors_total", type="query", operation="Trends") == 0
    assert moved("insightvault_graphql_operation_duration_seconds_count", type="query", operation="Trends") == 1
    assert moved("insightvault_login_failures_total", reason="bad_credentials") == 1
    assert moved("insightvault_report_duration_seconds_count", kind="trends") == 1
    assert moved("insightvault_report_admission_wait_seconds_count") == 1
    assert moved("insightvault_db_pool_wait_seconds_count", pool="reports") == 1
    assert moved("insightvault_db_pool_wait_seconds_count", pool="app") >= 5

    http = "insightvault_http_requests_total"
    assert moved(http, route="/v1/events", method="POST", status="200") == 1
    assert moved(http, route="/v1/events", method="POST", status="401") == 1
    assert moved(http, route="/v1/events", method="POST", status="400") == 1
    assert moved(http, route="/batch", method="POST", status="200") >= 2
    assert moved(http, route="/graphql", method="POST", status="400") == 1
    assert moved(http, route="unmatched", method="POST", status="404") == 1
    assert moved("insightvault_http_request_duration_seconds_count", route="/graphql", method="POST", status="200") >= 6

    assert value(after, "insightvault_database_ready") == 1
    assert value(after, "process_resident_memory_bytes") > 10 * 1024 * 1024
    assert 0 < value(after, "process_open_fds") <= value(after, "process_max_fds")
    assert value(after, "insightvault_uptime_seconds") > 0
    assert value(after, "insightvault_build_info", version=next(v for (n, ls), _ in after.items()
                                                                  if n == "insightvault_build_info" for k, v in ls)) == 1
    assert value(after, "insightvault_db_pool_connections_in_use", pool="app") == 0

    # No label value carries an id, a path of the dashboard, an event name or a client-chosen operation name.
    label_values = {v for (_, labels) in after for _, v in labels}
    for secret in (org, project, secret_name, "MyOwnDashboardQuery", "/no/such/thing", "sdk-user"):
        assert not any(secret in v for v in label_values), secret
    routes = {v for (n, labels) in after if n == http for k, v in labels if k == "route"}
    assert routes <= {"/graphql", "/v1/events", "/batch", "/capture", "/readyz", "/healthz", "/**", "unmatched"}, routes


def test_access_log_echoes_request_ids_and_never_shows_secrets(server):
    jwt, org, project, ingest = tenant(server, "log@example.com")

    # A log-in with the password; its answer carries a new session token.
    status, headers, answer = gql(server, "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
                                  {"i": {"email": "log@example.com", "password": PASSWORD}},
                                  headers={"X-Request-Id": "e2e-login-1"})
    assert status == 200 and headers["X-Request-Id"] == "e2e-login-1"
    session = answer["data"]["logIn"]["token"]
    # An event with a property only this request carries; a request without an id; one with an id that is refused.
    status, headers, _ = request(server, "/v1/events", {"event": "paid", "distinct_id": "u-1",
                                                        "properties": {"card": "4111-secret-property"}}, ingest,
                                 headers={"X-Request-Id": "e2e-ingest-1"})
    assert status == 200 and headers["X-Request-Id"] == "e2e-ingest-1"
    status, headers, _ = gql(server, "query($projectId: ID!) { project(id: $projectId) { name } }", {"projectId": project}, session)
    generated = headers["X-Request-Id"]
    assert status == 200 and re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", generated)
    status, headers, _ = request(server, "/healthz", headers={"X-Request-Id": "not an id; " + "x" * 200}, method="GET")
    refused_id = headers["X-Request-Id"]
    assert status == 200 and refused_id != generated and " " not in refused_id and len(refused_id) <= 128

    time.sleep(0.2)  # the lines are written by the request's task right after its response is made
    lines = log_lines(server)
    requests = [line for line in lines if line.get("msg") == "request"]

    def one(request_id):
        found = [line for line in requests if line.get("request_id") == request_id]
        assert len(found) == 1, (request_id, found)
        return found[0]

    login = one("e2e-login-1")
    assert (login["level"], login["route"], login["method"], login["status"]) == ("info", "/graphql", "POST", "200")
    assert float(login["duration_ms"]) > 0 and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", login["ts"])
    ingested = one("e2e-ingest-1")
    assert (ingested["route"], ingested["status"], ingested["org_id"], ingested["project_id"]) == ("/v1/events", "200", org, project)
    read = one(generated)
    assert read["project_id"] == project and "org_id" not in read
    assert one(refused_id)["route"] == "/healthz"

    everything = server.log_path.read_text()
    for secret in (PASSWORD, jwt, session, ingest, "4111-secret-property", "not an id"):
        assert secret not in everything, f"the log shows {secret[:12]}..."


def test_metrics_off_means_no_listener(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log", env={"IV_METRICS_ADDRESS": "off"})
    try:
        server.wait_ready()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(server.metrics_url(), timeout=5)
        # The public port has no metrics either (GET /metrics is the dashboard's page-not-found there).
        assert b"insightvault_http_requests_total" not in request(server, "/metrics", method="GET")[2]
    finally:
        server.terminate()
