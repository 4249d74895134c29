"""The README's five-minute tour works when pasted: its ```sh blocks, in order, run as one bash script against a fresh
`insightvault serve` (embedded PostgreSQL), with `python3` resolving to the test venv's Python (which has `posthog`)."""
import json
import os
import pathlib
import re
import subprocess
import sys

from conftest import REPO, Server


def tour_blocks(readme: str) -> list[str]:
    """The ```sh blocks of the level-2 section whose heading mentions the tour, in order."""
    sections = re.split(r"^## ", readme, flags=re.M)
    tour = [s for s in sections if "tour" in s.splitlines()[0].lower()]
    assert len(tour) == 1, "README.md has no single '## …tour…' section"
    return re.findall(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", tour[0], flags=re.M | re.S)


def test_tour_blocks_are_found():
    blocks = tour_blocks((REPO / "README.md").read_text())
    script = "\n".join(blocks)
    assert len(blocks) >= 5
    # The tour defines the server's address with a default the test can override.
    assert re.search(r"^IV=\$\{IV:-http://127\.0\.0\.1:8080\}$", script, flags=re.M)
    assert "pip install" not in script, "installing packages must not be part of the executed tour"


def test_readme_tour_runs_against_a_live_server(binary, workdir):
    blocks = tour_blocks((REPO / "README.md").read_text())
    script = "set -euo pipefail\n" + "\n\n".join(blocks)
    (workdir / "tour.sh").write_text(script)

    server = Server(binary, workdir / "iv", workdir / "serve.log", env={"LOG_LEVEL": "warning"})
    try:
        server.wait_ready()
        env = dict(os.environ)
        env["IV"] = server.url("")
        # `python3` in the tour must be the venv's (posthog is installed there); sys.executable's folder first.
        env["PATH"] = str(pathlib.Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.pop("SESSION", None)
        result = subprocess.run(["bash", str(workdir / "tour.sh")], cwd=workdir, env=env,
                                capture_output=True, text=True, timeout=300)
    finally:
        code = server.terminate()

    report = (f"exit {result.returncode}\n--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}\n"
              f"--- serve.log\n{(workdir / 'serve.log').read_text()[-3000:]}")
    assert result.returncode == 0, report
    assert code == 0, report

    lines = [line for line in result.stdout.splitlines() if line.strip()]
    # The native endpoint acknowledged both events.
    assert any(json.loads(line) == {"accepted": 2} for line in lines if line.startswith("{\"accepted\"")), report
    # The last two lines are the two series' totals: 4 events (2 by curl, 2 by the PostHog SDK), 2 users signed up.
    assert [float(x) for x in lines[-2:]] == [4.0, 2.0], report
    # The pretty-printed trends answer in between: two daily buckets (yesterday and today, UTC) holding the events.
    start = next(i for i, line in enumerate(lines) if line == "{")
    series = json.loads("\n".join(lines[start:-2]))["data"]["trends"]["series"]
    assert [(s["label"], s["math"]) for s in series] == [
        ("All events", "TOTAL"), ("signed_up (unique users)", "UNIQUE_USERS")], report
    assert [len(s["points"]) for s in series] == [2, 2], report
    assert sum(p["value"] for p in series[0]["points"]) == 4.0, report
