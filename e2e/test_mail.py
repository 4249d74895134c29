"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1, AUTH PLAIN): the invitation mail's link accepts the
invitation, the verification mail verifies, the reset mail resets (the old session stops working); tokens are single
use. And `insightvault users reset-password` for servers without mail."""
import email
import email.policy
import json
import os
import re
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import REPO, Server, free_port

PUBLIC_URL = "https://analytics.example.test"
PASSWORD = "correct horse battery"


class Mailbox:
    """aiosmtpd handler keeping every accepted message."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message, session.authenticated))
        return "250 OK"

    def wait_for(self, to: str, path: str, timeout: float = 30):
        """The newest message to `to` whose body has a `/<path>/<token>` link: (message, token, authenticated)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for mail_from, rcpts, message, authenticated in reversed(self.messages):
                    if to in rcpts:
                        body = message.get_body(preferencelist=("plain",)).get_content()
                        found = re.search(rf"{re.escape(PUBLIC_URL)}/{path}/([A-Za-z0-9_-]{{43}})", body)
                        if found:
                            return message, found.group(1), authenticated, mail_from
            time.sleep(0.1)
        raise AssertionError(f"no /{path}/ mail to {to} within {timeout}s; got {len(self.messages)} messages")


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"iv" and auth_data.password == b"s3cret:pass"
    return AuthResult(success=ok)


def graphql(server: Server, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server.url("/graphql"), data=json.dumps({"query": query, "variables": variables or {}}).encode(), headers=headers,
        method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())


def codes(answer: dict) -> list:
    return [error.get("extensions", {}).get("code") for error in answer.get("errors", [])]


def sign_up(server: Server, address: str, organization: str = "Org") -> str:
    answer = graphql(server, "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
                     {"i": {"email": address, "password": PASSWORD, "organizationName": organization}})
    assert not answer.get("errors"), answer
    return answer["data"]["signUp"]["token"]


# AUTH without TLS on 127.0.0.1 is what this test means to exercise (the server speaks plain SMTP only).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_invitation_verification_and_reset_mails(binary, workdir):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    server = Server(binary, workdir / "iv", workdir / "serve.log", env={
        "IV_SMTP_URL": f"smtp://iv:s3cret%3Apass@127.0.0.1:{controller.port}",
        "IV_SMTP_FROM": "Analytics <analytics@example.test>",
        "IV_PUBLIC_URL": PUBLIC_URL,
    })
    try:
        server.wait_ready()
        features = graphql(server, "{ serverFeatures { passwordReset emailVerification invitationEmails } }")
        assert features["data"]["serverFeatures"] == {"passwordReset": True, "emailVerification": True, "invitationEmails": True}

        tag = uuid.uuid4().hex[:8]
        owner_address, invitee_address = f"owner-{tag}@example.com", f"invitee-{tag}@example.com"
        owner = sign_up(server, owner_address, "Acme")

        # Sign-up mails a verification link; it verifies once.
        message, token, authenticated, mail_from = mailbox.wait_for(owner_address, "verify-email")
        assert authenticated and mail_from == "analytics@example.test"
        assert message["From"] == "Analytics <analytics@example.test>" and message["To"] == owner_address
        assert graphql(server, "{ me { emailVerified } }", token=owner)["data"]["me"]["emailVerified"] is False
        assert graphql(server, "mutation($t: String!) { verifyEmail(token: $t) }", {"t": token})["data"]["verifyEmail"] is True
        assert graphql(server, "{ me { emailVerified } }", token=owner)["data"]["me"]["emailVerified"] is True
        assert codes(graphql(server, "mutation($t: String!) { verifyEmail(token: $t) }", {"t": token})) == ["BAD_USER_INPUT"]

        # The invitation: its link comes back to the inviter and by mail to the invitee; it grants nothing until accepted.
        org = graphql(server, "{ me { memberships { organization { id } } } }", token=owner)["data"]["me"]["memberships"][0]
        org_id = org["organization"]["id"]
        invited = graphql(server, """mutation($o: ID!, $e: String!) {
            addMember(input: {organizationId: $o, email: $e, role: MEMBER}) { id email role status link } }""",
                          {"o": org_id, "e": invitee_address}, owner)["data"]["addMember"]
        assert invited["status"] == "PENDING" and invited["role"] == "MEMBER"
        message, token, _, _ = mailbox.wait_for(invitee_address, "invite")
        assert invited["link"] == f"{PUBLIC_URL}/invite/{token}"
        assert "Acme" in message["Subject"]
        invitee = sign_up(server, invitee_address, "Own")
        members = "query($o: ID!) { organization(id: $o) { members { user { email } } } }"
        assert len(graphql(server, members, {"o": org_id}, owner)["data"]["organization"]["members"]) == 1
        accept = "mutation($t: String!) { acceptInvitation(token: $t) { role organization { id } } }"
        accepted = graphql(server, accept, {"t": token}, invitee)
        assert accepted["data"]["acceptInvitation"] == {"role": "MEMBER", "organization": {"id": org_id}}, accepted
        assert len(graphql(server, members, {"o": org_id}, owner)["data"]["organization"]["members"]) == 2
        assert codes(graphql(server, accept, {"t": token}, invitee)) == ["BAD_USER_INPUT"]
        listed = graphql(server, "query($o: ID!) { invitations(organizationId: $o) { status link } }", {"o": org_id}, owner)
        assert listed["data"]["invitations"] == [{"status": "ACCEPTED", "link": None}]

        # Password reset by mail: the old session stops working, the new password logs in, the link works once.
        assert graphql(server, "mutation($e: String!) { requestPasswordReset(email: $e) }",
                       {"e": invitee_address})["data"]["requestPasswordReset"] is True
        assert graphql(server, "mutation($e: String!) { requestPasswordReset(email: $e) }",
                       {"e": f"nobody-{tag}@example.com"})["data"]["requestPasswordReset"] is True
        _, token, _, _ = mailbox.wait_for(invitee_address, "reset-password")
        reset = "mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) }"
        assert graphql(server, reset, {"t": token, "p": "a brand new passphrase"})["data"]["resetPassword"] is True
        assert codes(graphql(server, "{ me { id } }", token=invitee)) == ["UNAUTHENTICATED"]
        log_in = "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }"
        assert codes(graphql(server, log_in, {"e": invitee_address, "p": PASSWORD})) == ["UNAUTHENTICATED"]
        fresh = graphql(server, log_in, {"e": invitee_address, "p": "a brand new passphrase"})["data"]["logIn"]["token"]
        assert graphql(server, "{ me { email emailVerified } }", token=fresh)["data"]["me"] == {
            "email": invitee_address, "emailVerified": True}
        assert codes(graphql(server, reset, {"t": token, "p": "yet another passphrase"})) == ["BAD_USER_INPUT"]
        # Nothing was mailed to an address without an account.
        assert not [m for m in mailbox.messages if f"nobody-{tag}@example.com" in m[1]]
    finally:
        server.terminate()
        controller.stop()


def test_without_mail_the_operator_resets_passwords_with_the_cli(binary, workdir):
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        features = graphql(server, "{ serverFeatures { passwordReset emailVerification } }")
        assert features["data"]["serverFeatures"] == {"passwordReset": False, "emailVerification": False}
        address = f"forgetful-{uuid.uuid4().hex[:8]}@example.com"
        session = sign_up(server, address)
        assert codes(graphql(server, "mutation($e: String!) { requestPasswordReset(email: $e) }",
                             {"e": address})) == ["FEATURE_DISABLED"]

        environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL")}
        environment.update({"IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "warning"})
        command = [binary, "users", "reset-password", "--data-dir", str(server.data_dir), "--email", address.upper()]
        chosen = subprocess.run(command + ["--password-stdin"], input="an operator's passphrase\n", cwd=REPO,
                                env=environment, capture_output=True, text=True, timeout=120)
        assert chosen.returncode == 0, chosen.stderr[-3000:]
        assert chosen.stdout == ""
        assert codes(graphql(server, "{ me { id } }", token=session)) == ["UNAUTHENTICATED"]
        log_in = "mutation($e: String!, $p: String!) { logIn(input: {email: $e, password: $p}) { token } }"
        assert graphql(server, log_in, {"e": address, "p": "an operator's passphrase"})["data"]["logIn"]["token"]

        generated = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)
        assert generated.returncode == 0, generated.stderr[-3000:]
        password = generated.stdout.strip()
        assert re.fullmatch(r"[A-Za-z0-9]{24}", password), generated.stdout
        assert graphql(server, log_in, {"e": address, "p": password})["data"]["logIn"]["token"]

        unknown = subprocess.run([binary, "users", "reset-password", "--data-dir", str(server.data_dir), "--email",
                                  "nobody@example.com"], cwd=REPO, env=environment, capture_output=True, text=True,
                                 timeout=120)
        assert unknown.returncode != 0 and "no account" in unknown.stderr
        short = subprocess.run(command + ["--password-stdin"], input="short\n", cwd=REPO, env=environment,
                               capture_output=True, text=True, timeout=120)
        assert short.returncode != 0 and "password" in short.stderr
    finally:
        server.terminate()
