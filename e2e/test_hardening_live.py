"""The real `insightvault serve`: private data directory and secret files, HTTP read and idle timeouts.

No timings are asserted: the tests wait (bounded) for the server to close a connection, or for a process to exit.
"""
import os
import socket
import stat
import time

from conftest import Server


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def read_until_closed(sock: socket.socket, limit: float = 20) -> tuple[bytes, bool]:
    """What the server sent until it closed the connection, and whether it did within `limit` seconds."""
    received = b""
    deadline = time.monotonic() + limit
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk
    return received, False


def test_secrets_are_private_and_slow_or_idle_connections_are_closed(binary, workdir):
    data_dir = workdir / "iv"
    server = Server(binary, data_dir, workdir / "serve.log",
                    env={"IV_HTTP_READ_TIMEOUT_SECONDS": "1", "IV_HTTP_IDLE_TIMEOUT_SECONDS": "2"})
    try:
        server.wait_ready()
        # 0700, or 0710 for the PostgreSQL OS user's group when the server runs as root.
        assert mode(data_dir) == (0o710 if os.geteuid() == 0 else 0o700)
        assert mode(data_dir / "secrets.json") == 0o600
        assert mode(data_dir / "jwt-keys.json") == 0o600
        assert not any(name.endswith(".tmp") or name == ".initdb-password" for name in os.listdir(data_dir))

        # Headers that never finish: 408, then the connection is closed.
        with socket.create_connection(("127.0.0.1", server.port)) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slo")
            received, closed = read_until_closed(slow)
        assert closed
        assert received.startswith(b"HTTP/1.1 408"), received

        # An answered keep-alive connection left idle is closed by the server.
        with socket.create_connection(("127.0.0.1", server.port)) as idle:
            idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            received, closed = read_until_closed(idle)
        assert closed
        assert received.startswith(b"HTTP/1.1 200"), received
    finally:
        assert server.terminate() == 0

    # A secrets file other users can read stops the next start, saying what to do.
    os.chmod(data_dir / "secrets.json", 0o644)
    os.chmod(data_dir, 0o755)
    refused = Server(binary, data_dir, workdir / "refused.log")
    try:
        code = refused.process.wait(timeout=60)
    finally:
        refused.terminate()
    assert code != 0
    log = (workdir / "refused.log").read_text()
    assert "chmod 600" in log and "secrets.json" in log, log[-2000:]
    # The open data directory was tightened before the secrets were looked at.
    assert mode(data_dir) == (0o710 if os.geteuid() == 0 else 0o700)
