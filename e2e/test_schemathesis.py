"""schemathesis against /graphql with a real session: generated queries and mutations for every root field (fuzzing),
then schemathesis' GraphQL stateful runs, which feed ids that answers returned (a created project, token, report,
...) into later operations. A run fails only on a server error: a 5xx, or a GraphQL error whose `extensions.code` is
`INTERNAL`. Application errors (NOT_FOUND, BAD_USER_INPUT, FORBIDDEN, ...) are counted apart and expected: most
generated ids are random, and schemathesis' own GraphQL check, which fails on every error, is not used.

Seeding: the session belongs to a user with an organization, a project with events, so the generated operations
find real ids where schemathesis reuses them. Bounded: a few examples per operation and a few stateful steps, about
a minute in all."""
import collections
import json
import shutil
import tempfile
import pathlib
import urllib.request

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from conftest import Server

# Generated examples per root field (fuzzing), and stateful scenarios.
EXAMPLES_PER_OPERATION = 8
STATEFUL_EXAMPLES = 15
STATEFUL_STEPS = 6

# The schema's own scalars: RFC 3339 date-times (some outside any sensible range), and JSON values (the property
# filters' `value`), as GraphQL literals.
schemathesis.graphql.scalar("DateTime", st.one_of(
    st.datetimes(timezones=st.just(__import__("datetime").timezone.utc)).map(lambda d: nodes.String(d.isoformat())),
    st.text(max_size=30).map(nodes.String)))
schemathesis.graphql.scalar("JSON", st.one_of(
    st.text(max_size=20).map(nodes.String), st.integers(-10**6, 10**6).map(nodes.Int), st.booleans().map(nodes.Boolean),
    st.just(nodes.Null), st.lists(st.text(max_size=5).map(nodes.String), max_size=3).map(nodes.List)))


@pytest.fixture(scope="module")
def session_server(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="iv-schemathesis-", dir="/tmp"))
    root.chmod(0o755)
    server = Server(binary, root / "iv", root / "serve.log")
    server.wait_ready()
    try:
        signed = gql(server, None, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                     {"i": {"email": "fuzz@example.com", "password": "correct horse battery staple",
                            "organizationName": "Fuzz"}})["signUp"]
        token = signed["token"]
        project = gql(server, token, "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"web\"}) { id } }",
                      {"o": signed["organization"]["id"]})["createProject"]["id"]
        ingest = gql(server, token,
                     "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"t\", kind: INGEST}) { token } }",
                     {"p": project})["createApiToken"]["token"]
        events = json.dumps([{"event": "signed_up", "user_id": f"u{i}", "properties": {"plan": "pro"}} for i in range(20)])
        request = urllib.request.Request(server.url("/v1/events"), data=events.encode(), method="POST",
                                         headers={"Authorization": f"Bearer {ingest}", "Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).read()
        yield server
    finally:
        if server.process.poll() is None:
            server.terminate()
        shutil.rmtree(root, ignore_errors=True)


# Operations that end the run's own session: they are fuzzed last (fuzzing) or their effect is undone by a new
# log-in before each stateful scenario.
SESSION_ENDING = {"logOut", "logOutEverywhere", "revokeSession", "changePassword"}


def log_in(server) -> str:
    return gql(server, None, "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
               {"i": {"email": "fuzz@example.com", "password": "correct horse battery staple"}})["logIn"]["token"]


def gql(server, token, query, variables):
    request = urllib.request.Request(
        server.url("/graphql"), data=json.dumps({"query": query, "variables": variables}).encode(), method="POST",
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert not answer.get("errors"), answer
    return answer["data"]


class Tally:
    """Error codes seen, and the server errors (which fail the test)."""

    def __init__(self):
        self.codes = collections.Counter()
        self.server_errors: list[str] = []
        self.calls = 0

    def check(self, response, case) -> None:
        self.calls += 1
        body = response.text if hasattr(response, "text") else response.content.decode(errors="replace")
        query = (case.body or {}).get("query", "") if isinstance(case.body, dict) else str(case.body)
        if response.status_code >= 500:
            self.server_errors.append(f"{response.status_code} for {query[:300]}: {body[:300]}")
            return
        try:
            answer = json.loads(body)
        except ValueError:
            self.server_errors.append(f"not JSON ({response.status_code}) for {query[:300]}: {body[:300]}")
            return
        for error in answer.get("errors") or []:
            code = (error.get("extensions") or {}).get("code", "NO_CODE")
            self.codes[code] += 1
            if code == "INTERNAL":
                self.server_errors.append(f"INTERNAL for {query[:300]}: {json.dumps(error)[:300]}")


def load_schema(server, token):
    # Introspection needs an authenticated caller by default: the schema is loaded with the session too.
    return schemathesis.graphql.from_url(server.url("/graphql"), headers={"Authorization": f"Bearer {token}"},
                                         timeout=30)


def test_generated_operations_never_fail_the_server(session_server):
    server = session_server
    token = log_in(server)
    schema = load_schema(server, token)
    tally = Tally()
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "introspection found too few operations"
    operations.sort(key=lambda operation: operation.label.split(".")[-1].split(" ")[-1] in SESSION_ENDING)
    for operation in operations:
        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck), phases=[Phase.generate],
                             derandomize=True)
        @hypothesis.given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers, timeout=30)
            tally.check(response, case)
        run()
    print(f"fuzzing: {tally.calls} calls over {len(operations)} operations, error codes {dict(tally.codes)}")
    assert tally.server_errors == [], tally.server_errors[:5]
    assert tally.calls >= len(operations)


def test_stateful_runs_never_fail_the_server(session_server):
    server = session_server
    schema = load_schema(server, log_in(server))
    tally = Tally()
    headers = {}

    class Machine(schema.as_state_machine()):
        def setup(self):
            # A scenario may have logged its session out: each starts with a fresh one.
            headers["Authorization"] = f"Bearer {log_in(server)}"

        def get_call_kwargs(self, case):
            return {"headers": headers, "timeout": 30}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            tally.check(response, case)

    Machine.run(settings=hypothesis.settings(
        max_examples=STATEFUL_EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None, database=None,
        suppress_health_check=list(HealthCheck), phases=[Phase.generate], derandomize=True))
    print(f"stateful: {tally.calls} calls, error codes {dict(tally.codes)}")
    assert tally.server_errors == [], tally.server_errors[:5]
    assert tally.calls > STATEFUL_EXAMPLES
