"""Event explorer, live tail and pickers over GraphQL against a live server, after native ingestion."""
import datetime as dt
import time

from conftest import Server
from test_reports_crosscheck import must, post_json, setup_project

EVENT = "id event distinctId personId timestamp properties"


def test_explorer_live_tail_and_pickers(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log", env={"LOG_LEVEL": "warning"})
    try:
        server.wait_ready()
        jwt, project, token = setup_project(server)
        start = must(server, "query($p: ID!) { liveEvents(projectId: $p) { events { id } cursor } }", {"p": project}, jwt)
        assert start["liveEvents"]["events"] == []
        cursor = start["liveEvents"]["cursor"]
        now = dt.datetime.now(dt.timezone.utc)
        batch = [
            {"event": "$pageview", "user_id": "anon-1", "timestamp": (now - dt.timedelta(minutes=5)).isoformat(),
             "properties": {"path": "/", "browser": "Firefox"}},
            {"event": "signed_up", "user_id": "user-1", "timestamp": (now - dt.timedelta(minutes=4)).isoformat(),
             "properties": {"plan": "pro"}},
            {"event": "$identify", "user_id": "user-1", "timestamp": (now - dt.timedelta(minutes=4)).isoformat(),
             "properties": {"$anon_distinct_id": "anon-1"}},
            # A late event: received now, timestamped last year.
            {"event": "$pageview", "user_id": "old-1", "timestamp": "2025-06-01T10:00:00Z", "properties": {"path": "/a"}},
        ]
        status, body = post_json(server.url("/v1/events"), batch, token)
        assert (status, body) == (200, {"accepted": 4})

        # The live tail shows every new event (the late one too) once, within a few polls.
        seen = []
        deadline = time.monotonic() + 15
        while len(seen) < 4 and time.monotonic() < deadline:
            page = must(server, f"query($p: ID!, $a: String) {{ liveEvents(projectId: $p, after: $a) {{ events {{ {EVENT} }} cursor }} }}",
                        {"p": project, "a": cursor}, jwt)["liveEvents"]
            seen += page["events"]
            cursor = page["cursor"]
            time.sleep(0.3)
        assert sorted(e["distinctId"] + ":" + e["event"] for e in seen) == [
            "anon-1:$pageview", "old-1:$pageview", "user-1:$identify", "user-1:signed_up"]
        again = must(server, "query($p: ID!, $a: String) { liveEvents(projectId: $p, after: $a) { events { id } cursor } }",
                     {"p": project, "a": cursor}, jwt)["liveEvents"]
        assert again["events"] == [] and again["cursor"] == cursor

        # The native $identify merged anon-1 into user-1's person.
        persons = {e["distinctId"]: e["personId"] for e in seen}
        assert persons["anon-1"] is not None and persons["anon-1"] == persons["user-1"]
        assert persons["old-1"] is None

        # Explorer: newest first, two pages, no repeats; filters.
        query = f"""query($p: ID!, $a: String, $f: EventFilter) {{ events(projectId: $p, first: 2, after: $a, filter: $f) {{
                      edges {{ cursor node {{ {EVENT} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
        first = must(server, query, {"p": project}, jwt)["events"]
        assert first["pageInfo"]["hasNextPage"] is True
        second = must(server, query, {"p": project, "a": first["pageInfo"]["endCursor"]}, jwt)["events"]
        assert second["pageInfo"]["hasNextPage"] is False
        nodes = [e["node"] for e in first["edges"] + second["edges"]]
        assert len({n["id"] for n in nodes}) == 4
        times = [n["timestamp"] for n in nodes]
        assert times == sorted(times, reverse=True) and nodes[-1]["distinctId"] == "old-1"
        assert nodes[-1]["properties"] == {"path": "/a"}
        pro = must(server, query, {"p": project, "f": {"properties": [{"key": "plan", "operator": "EQ", "value": "pro"}]}},
                   jwt)["events"]
        assert [e["node"]["event"] for e in pro["edges"]] == ["signed_up"]
        bad = post_json(server.url("/graphql"), {"query": query, "variables": {"p": project, "a": "not-a-cursor"}}, jwt)[1]
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

        pickers = must(server, "query($p: ID!) { eventNames(projectId: $p) propertyKeys(projectId: $p) }", {"p": project}, jwt)
        assert pickers["eventNames"] == ["$pageview", "$identify", "signed_up"]
        assert set(pickers["propertyKeys"]) == {"path", "browser", "plan", "$anon_distinct_id"}
        assert pickers["propertyKeys"][0] == "path"
    finally:
        server.terminate()
