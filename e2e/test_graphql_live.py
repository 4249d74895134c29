"""The GraphQL API through a real `insightvault serve` and Python's `gql` client (schema loaded by introspection)."""
import json
import urllib.request
import uuid

from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport

from conftest import Server


def client(server: Server, token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = RequestsHTTPTransport(url=server.url("/graphql"), headers=headers, timeout=30, retries=0)
    return Client(transport=transport, fetch_schema_from_transport=True)


def test_gql_client_introspects_signs_up_and_reads_me(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        email = f"gql-{uuid.uuid4().hex[:8]}@example.com"
        with client(server) as session:
            # The schema came from introspection: gql validates documents against it locally.
            assert session.client.schema is not None
            assert session.client.schema.get_type("SignUpInput") is not None
            result = session.execute(GraphQLRequest(
                "mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email } organization { id name } } }",
                variable_values={"input": {"email": email, "password": "correct horse battery", "organizationName": "Acme"}},
            ))
        payload = result["signUp"]
        assert payload["user"]["email"] == email
        assert payload["organization"]["name"] == "Acme"

        with client(server, payload["token"]) as session:
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
