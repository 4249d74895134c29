"""checkov (its own venv, `.venv-checkov`, offline with --skip-download) on the deployment files: the Terraform
modules, both rendered Kustomize overlays, the Dockerfile and the GitHub workflows. A check may be skipped only when
`deploy/checkov-skips.yaml` lists it for that framework with a reason; every other skip (an inline `checkov:skip`
comment) and every failed check fails the test."""
import json
import pathlib
import subprocess

import pytest
import yaml

from conftest import REPO

CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
SKIPS_FILE = REPO / "deploy" / "checkov-skips.yaml"
FRAMEWORKS = ("terraform", "kubernetes", "dockerfile", "github_actions")


def skips() -> dict[str, dict[str, str]]:
    """{framework: {check id: reason}} from the skip list, which must be well-formed."""
    listed = yaml.safe_load(SKIPS_FILE.read_text())["skips"] or []
    by_framework: dict[str, dict[str, str]] = {framework: {} for framework in FRAMEWORKS}
    for entry in listed:
        assert set(entry) == {"id", "framework", "reason"}, entry
        assert entry["framework"] in FRAMEWORKS, entry
        assert entry["id"].startswith("CKV") and len(entry["reason"].split()) >= 4, entry
        assert entry["id"] not in by_framework[entry["framework"]], f"listed twice: {entry}"
        by_framework[entry["framework"]][entry["id"]] = entry["reason"]
    return by_framework


def checkov(framework: str, *target: str) -> list[dict]:
    """checkov's JSON reports (one per framework it ran) for `target`, with the listed skips of `framework`."""
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: scripts/install-deps.sh --test installs checkov in .venv-checkov")
    command = [str(CHECKOV), "--framework", framework, "--skip-download", "--output", "json", "--compact", *target]
    listed = skips()[framework]
    if listed:
        command += ["--skip-check", ",".join(sorted(listed))]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    output = json.loads(result.stdout)
    reports = output if isinstance(output, list) else [output]
    assert reports and all("results" in report for report in reports), result.stdout[:2000]
    return reports


def assert_clean(framework: str, reports: list[dict]) -> None:
    listed = skips()[framework]
    failed = [(c["check_id"], c["resource"], c.get("file_path"), c.get("check_name"))
              for report in reports for c in report["results"]["failed_checks"]]
    assert failed == [], f"{framework}: failed checks {failed}"
    unlisted = [(c["check_id"], c["resource"], c.get("suppress_comment"))
                for report in reports for c in report["results"]["skipped_checks"] if c["check_id"] not in listed]
    assert unlisted == [], f"{framework}: skips not in {SKIPS_FILE.name}: {unlisted}"
    passed = sum(len(report["results"]["passed_checks"]) for report in reports)
    assert passed > 0, f"{framework}: checkov ran no check at all"


def test_terraform_passes_checkov():
    assert_clean("terraform", checkov("terraform", "--directory", "terraform"))


def test_kustomize_overlays_pass_checkov(tmp_path):
    for overlay in ("dev", "prod"):
        rendered = subprocess.run(["kubectl", "kustomize", str(REPO / "deploy" / "k8s" / "overlays" / overlay)],
                                  capture_output=True, text=True, timeout=120)
        assert rendered.returncode == 0, rendered.stderr
        (tmp_path / f"{overlay}.yaml").write_text(rendered.stdout)
    assert_clean("kubernetes", checkov("kubernetes", "--directory", str(tmp_path)))


def test_dockerfile_passes_checkov():
    assert_clean("dockerfile", checkov("dockerfile", "--file", "Dockerfile"))


def test_workflows_pass_checkov():
    reports = checkov("github_actions", "--directory", ".github/workflows")
    assert_clean("github_actions", reports)
    # checkov skips a workflow it cannot read without a word (an unknown permission did that once): all were read.
    scanned = {c["file_path"].rsplit("/", 1)[-1] for report in reports
               for kind in ("passed_checks", "failed_checks") for c in report["results"][kind]}
    assert scanned == {p.name for p in (REPO / ".github" / "workflows").glob("*.y*ml")}


def test_every_listed_skip_has_a_known_framework_and_a_reason():
    listed = skips()
    assert sum(len(ids) for ids in listed.values()) == len(yaml.safe_load(SKIPS_FILE.read_text())["skips"] or [])
