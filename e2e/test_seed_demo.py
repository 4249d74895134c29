"""`insightvault seed-demo` against a running `serve` (embedded PostgreSQL): exact event count, identity merges."""
import json
import os
import re
import subprocess
import urllib.request
import uuid

import psycopg

from conftest import REPO, Server, owner_dsn


def graphql(server: Server, query: str, variables: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.url("/graphql"), data=json.dumps({"query": query, "variables": variables}).encode(),
                                     headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


def test_seed_demo_writes_exactly_the_requested_events_with_merges(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        signed_up = graphql(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token organization { id } } }",
                            {"i": {"email": f"seed-{uuid.uuid4().hex[:8]}@example.com", "password": "correct horse battery",
                                   "organizationName": "Demo"}})["signUp"]
        session = signed_up["token"]
        project = graphql(server, "mutation($o: ID!) { createProject(input: {organizationId: $o, name: \"demo\"}) { id } }",
                          {"o": signed_up["organization"]["id"]}, session)["createProject"]["id"]
        token = graphql(server, "mutation($p: ID!) { createApiToken(input: {projectId: $p, name: \"seed\", kind: INGEST}) { token } }",
                        {"p": project}, session)["createApiToken"]["token"]

        environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL")}
        environment.update({"IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"})
        result = subprocess.run(
            [binary, "seed-demo", "--data-dir", str(server.data_dir), "--token", token,
             "--events", "20000", "--users", "500", "--days", "14", "--seed", "7"],
            cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        summary = result.stdout.strip().splitlines()[-1]
        assert re.fullmatch(
            rf"seeded 20000 events for 500 users over 14 days into project {project} in \d+\.\ds \(\d+ events/s\)", summary), summary
        # Not a terminal: one progress line per 10%.
        assert "100% 20,000/20,000 events" in result.stderr

        with psycopg.connect(owner_dsn(server.data_dir)) as conn:
            (count,) = conn.execute("SELECT count(*) FROM events WHERE project_id = %s", (project,)).fetchone()
            assert count == 20000
            (merged,) = conn.execute(
                "SELECT count(*) FROM (SELECT person_id FROM person_distinct_ids WHERE project_id = %s "
                "GROUP BY person_id HAVING count(*) > 1) AS merged", (project,)).fetchone()
            assert merged > 0
            names = dict(conn.execute(
                "SELECT event, count(*) FROM events WHERE project_id = %s GROUP BY event", (project,)).fetchall())
            assert names["$pageview"] > names["signed_up"] >= names["activated"] > 0
            assert names["$identify"] == names["signed_up"]
            (numeric,) = conn.execute(
                "SELECT count(*) FROM events WHERE project_id = %s AND event = 'purchase' "
                "AND jsonb_typeof(properties -> 'amount') = 'number'", (project,)).fetchone()
            assert numeric == names["purchase"] > 0
            (users,) = conn.execute(
                "SELECT count(DISTINCT coalesce(p.person_id::text, e.distinct_id)) FROM events e "
                "LEFT JOIN person_distinct_ids p ON p.project_id = e.project_id AND p.distinct_id = e.distinct_id "
                "WHERE e.project_id = %s", (project,)).fetchone()
            assert users == 500
        assert server.terminate() == 0
    finally:
        if server.process.poll() is None:
            server.terminate()
