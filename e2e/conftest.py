"""Shared fixtures for end-to-end tests: the built `insightvault` binary run as a real process."""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workdir():
    """A scratch directory the unprivileged PostgreSQL user can traverse (pytest's tmp_path is 0700 under root)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="iv-e2e-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def binary() -> str:
    path = os.environ.get("IV_BINARY") or str(REPO / ".build/debug/insightvault")
    if not os.access(path, os.X_OK):
        pytest.fail(f"insightvault binary not found at {path}: build it first (make test does)")
    return path


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Server:
    """One `insightvault serve` process with its own port; stopped with SIGTERM like a container runtime does."""

    def __init__(self, binary: str, data_dir: pathlib.Path, log_path: pathlib.Path, env: dict | None = None):
        self.port = free_port()
        # The metrics listener (GET /metrics), on a port of its own as in production, so servers never share one.
        self.metrics_port = free_port()
        self.data_dir = data_dir
        self.log_path = log_path
        environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL")}
        environment.update({"IV_MIGRATIONS_DIR": str(REPO / "migrations"), "LOG_LEVEL": "info",
                            "IV_METRICS_ADDRESS": f"127.0.0.1:{self.metrics_port}"})
        # Every test client comes from 127.0.0.1: allow more than the default 10 sign-ups an hour from one address.
        environment.setdefault("IV_SIGNUP_MAX_PER_ADDRESS_PER_HOUR", "1000")
        environment.update(env or {})
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(self.port), "--data-dir", str(data_dir)],
            cwd=REPO, env=environment, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}")
            if http_status(self.url("/readyz")) == 200:
                return
            time.sleep(0.25)
        raise AssertionError(f"serve not ready after {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def terminate(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.log.close()
        return code


def owner_dsn(data_dir: pathlib.Path) -> str:
    secrets = json.loads((data_dir / "secrets.json").read_text())
    state = json.loads((data_dir / "postgres.json").read_text())
    return (f"host=127.0.0.1 port={state['port']} dbname=insightvault user=insightvault_owner "
            f"password={secrets['ownerPassword']} connect_timeout=5")
