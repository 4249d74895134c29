"""The architecture the README describes is the one the code has: scripts/check-architecture.py compares the README's
target graph with Package.swift, every target's imports with its declared dependencies, and every path the README
and docs/ name with the repository."""
import subprocess
import sys

from conftest import REPO


def test_readme_graph_imports_and_documented_paths_match_the_code():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts/check-architecture.py")],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"scripts/check-architecture.py exited with {result.returncode}:\n{output}"
