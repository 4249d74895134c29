"""Repository-wide lint: yamllint on every YAML file and shellcheck on every shell script the repository has.

"The repository's files" are the ones git knows plus the untracked ones it does not ignore (a file being written is
checked before it is committed); generated and installed trees (.build, .venv, web/dist, ...) are ignored by
.gitignore. yamllint runs with the repository's `.yamllint` and `--strict` (a warning fails too). A shell script is
any `*.sh`, `.ci/run`, and any file whose first line is a sh or bash shebang; shellcheck runs on them with its
defaults, as `make lint` does for scripts/ and .ci/run.
"""
import re
import subprocess

import pytest

from conftest import REPO

VENV_BIN = REPO / ".venv" / "bin"
SHEBANG = re.compile(rb"^#!\s*\S*/(?:env\s+(?:-\S+\s+)*)?(?:ba)?sh(?:\s|$)")


def tool(name: str) -> str:
    path = VENV_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: scripts/install-deps.sh --test installs it (requirements-test.txt)")
    return str(path)


def repository_files(*patterns: str) -> list[str]:
    """Tracked and untracked-but-not-ignored files (relative paths) matching the git pathspecs, that exist."""
    names = set()
    for extra in ([], ["--others", "--exclude-standard"]):
        result = subprocess.run(["git", "ls-files", "-z", *extra, "--", *patterns], cwd=REPO, capture_output=True,
                                timeout=60)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        names.update(name.decode() for name in result.stdout.split(b"\0") if name)
    return sorted(name for name in names if (REPO / name).is_file())


def shell_scripts() -> list[str]:
    scripts = set(repository_files("*.sh"))
    scripts.add(".ci/run")
    for name in repository_files():
        path = REPO / name
        if path.is_symlink():
            continue
        with path.open("rb") as file:
            if SHEBANG.match(file.readline(200)):
                scripts.add(name)
    return sorted(scripts)


def test_every_yaml_file_passes_yamllint():
    yamllint = tool("yamllint")
    config = REPO / ".yamllint"
    assert config.is_file(), ".yamllint (the repository's yamllint settings) is missing"
    files = repository_files("*.yml", "*.yaml")
    assert ".github/workflows/ci.yml" in files and "deploy/observability/alerts.yml" in files, files
    result = subprocess.run([yamllint, "--strict", "--format", "parsable", "--config-file", str(config), *files],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"yamllint ({len(files)} files):\n{result.stdout}{result.stderr}"


def test_every_shell_script_passes_shellcheck():
    shellcheck = tool("shellcheck")
    scripts = shell_scripts()
    assert {"scripts/install-deps.sh", "scripts/run-tests.sh", ".ci/run"} <= set(scripts), scripts
    result = subprocess.run([shellcheck, "--format", "gcc", *scripts], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"shellcheck ({len(scripts)} scripts):\n{result.stdout}{result.stderr}"


def test_shebang_detection():
    """The shebangs that make a file a shell script, and some that do not."""
    for line in (b"#!/bin/sh", b"#!/bin/bash", b"#!/usr/bin/env bash", b"#!/usr/bin/env sh\n", b"#!/bin/bash -eu",
                 b"#! /bin/sh", b"#!/usr/bin/env -S bash -e"):
        assert SHEBANG.match(line), line
    for line in (b"#!/usr/bin/env python3", b"#!/bin/zsh", b"#!/usr/bin/env fish", b"# bash", b"#!/bin/shell",
                 b"#!/usr/bin/env node"):
        assert not SHEBANG.match(line), line
