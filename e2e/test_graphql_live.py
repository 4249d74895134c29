"""The GraphQL API through a real `insightvault serve` and Python's `gql` client (schema loaded by introspection, signed in)."""
import json
import urllib.error
import urllib.request
import uuid

from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport

from conftest import Server


def client(server: Server, token: str | None = None) -> Client:
    """A gql client; signed in (token) it loads the schema by introspection, which needs a signed-in caller."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = RequestsHTTPTransport(url=server.url("/graphql"), headers=headers, timeout=30, retries=0)
    return Client(transport=transport, fetch_schema_from_transport=token is not None)


def test_gql_client_signs_up_introspects_and_reads_me(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        email = f"gql-{uuid.uuid4().hex[:8]}@example.com"
        with client(server) as session:
            result = session.execute(GraphQLRequest(
                "mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email } organization { id name } } }",
                variable_values={"input": {"email": email, "password": "correct horse battery", "organizationName": "Acme"}},
            ))
        payload = result["signUp"]
        assert payload["user"]["email"] == email
        assert payload["organization"]["name"] == "Acme"

        # Introspection needs a signed-in caller (IV_GRAPHQL_INTROSPECTION=authenticated, the default).
        anonymous = urllib.request.Request(
            server.url("/graphql"), data=json.dumps({"query": "{ __schema { queryType { name } } }"}).encode(),
            method="POST", headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(anonymous, timeout=10)
            raise AssertionError("anonymous introspection was answered")
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
            assert [e["extensions"]["code"] for e in json.loads(refused.read())["errors"]] == ["UNAUTHENTICATED"]

        with client(server, payload["token"]) as session:
            # The schema came from introspection: gql validates documents against it locally.
            assert session.client.schema is not None
            assert session.client.schema.get_type("SignUpInput") is not None
            me = session.execute(GraphQLRequest(
                "query { me { id email memberships { role organization { id name projects { id name } } } } }"))
        assert me["me"]["id"] == payload["user"]["id"]
        assert me["me"]["memberships"] == [
            {"role": "OWNER", "organization": {"id": payload["organization"]["id"], "name": "Acme", "projects": []}}
        ]

        # The spec's media type is honoured over a real socket too.
        request = urllib.request.Request(
            server.url("/graphql"), data=json.dumps({"query": "{ __typename }"}).encode(), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/graphql-response+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/graphql-response+json")
            assert json.loads(response.read()) == {"data": {"__typename": "Query"}}
    finally:
        assert server.terminate() == 0
