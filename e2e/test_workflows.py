"""The GitHub Actions workflows in .github/workflows (docs/ci.md), checked offline.

actionlint (with shellcheck on every `run:` script) passes; every action is pinned to an exact release or to a full
commit SHA with the release in a comment; every workflow sets its permissions at the top and grants writes only
where listed here; no script interpolates an expression (values reach scripts through `env:`); nothing runs on
`pull_request_target`; the deployment job runs in a GitHub environment and deploys only the digest the release
signed; the release build records provenance and an SBOM and signs the image. checkov's own run is
e2e/test_checkov.py; the test here makes sure checkov reads every workflow (it silently drops a file its schema does
not accept, which would let that file pass unchecked).
"""
import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
VENV_BIN = REPO / ".venv" / "bin"
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"

# Either an exact release (owner/repo@v1.2.3) or a full commit SHA followed by the release it is, as a comment
# (owner/repo@<40 hex>  # v1.2.3). Branches and moving major tags (@main, @master, @v4) are neither.
EXACT_RELEASE = re.compile(r"@v\d+\.\d+\.\d+$")
COMMIT_SHA = re.compile(r"@[0-9a-f]{40}$")
RELEASE_COMMENT = re.compile(r"^\s+#\s*v\d+\.\d+\.\d+\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(['\"]?)([^'\"\s#]+)\1(.*)$")

# The only write permissions any job has, and why: everything else reads.
WRITES = {
    ("release.yml", "image"): {"packages", "id-token"},  # push to ghcr.io; keyless cosign signing
}


def tool(name: str) -> str:
    path = VENV_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: scripts/install-deps.sh --test installs it (requirements-test.txt)")
    return str(path)


def workflow_files() -> list:
    files = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
    assert files, f"no workflow in {WORKFLOWS}"
    return files


def load(path) -> dict:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict), f"{path.name} is not a mapping"
    # YAML 1.1 reads the key `on` as true.
    if True in document:
        document["on"] = document.pop(True)
    return document


def triggers(document: dict) -> dict:
    on = document["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def run_scripts(document: dict):
    for job_id, job in document["jobs"].items():
        for index, step in enumerate(job.get("steps") or []):
            if "run" in step:
                yield job_id, step.get("name", f"step {index + 1}"), step["run"]


def test_actionlint_passes_with_shellcheck_on_every_script(tmp_path):
    actionlint, shellcheck = tool("actionlint"), tool("shellcheck")
    environment = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    command = [actionlint, "-no-color", "-shellcheck", shellcheck, "-pyflakes", ""]
    result = subprocess.run([*command, *map(str, workflow_files())], cwd=REPO, env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"

    # The same actionlint does run shellcheck: a script it must flag (SC2086, an unquoted variable) is flagged.
    probe = tmp_path / ".github" / "workflows" / "probe.yml"
    probe.parent.mkdir(parents=True)
    probe.write_text("on: push\npermissions: {}\njobs:\n  probe:\n    runs-on: ubuntu-24.04\n"
                     "    steps:\n      - run: echo $HOME\n")
    result = subprocess.run([*command, str(probe)], cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1 and "SC2086" in result.stdout, f"shellcheck did not run:\n{result.stdout}"


def test_every_action_is_pinned_to_an_exact_release_or_a_commit():
    problems, seen = [], 0
    for path in workflow_files():
        lines = path.read_text().splitlines()
        matched = [USES_LINE.match(line) for line in lines]
        pinned = [(number, m.group(2), m.group(3)) for number, m in enumerate(matched, 1) if m]
        # Every `uses:` the YAML has is one this line scan checked (none hides in a flow mapping).
        document = load(path)
        declared = [step["uses"] for job in document["jobs"].values() for step in job.get("steps") or []
                    if "uses" in step] + [job["uses"] for job in document["jobs"].values() if "uses" in job]
        assert sorted(declared) == sorted(reference for _, reference, _ in pinned), path.name
        for number, reference, rest in pinned:
            seen += 1
            where = f"{path.name}:{number}: {reference}"
            if reference.startswith("./"):
                continue  # an action of this repository, at this commit
            if reference.startswith("docker://"):
                if not re.search(r"@sha256:[0-9a-f]{64}$", reference):
                    problems.append(f"{where}: a docker:// action needs an @sha256: digest")
                continue
            if "@" not in reference:
                problems.append(f"{where}: no version at all")
            elif EXACT_RELEASE.search(reference):
                continue
            elif COMMIT_SHA.search(reference):
                if not RELEASE_COMMENT.match(rest):
                    problems.append(f"{where}: a commit SHA needs the release it is as a comment (# v1.2.3)")
            else:
                problems.append(f"{where}: not an exact release (@v1.2.3) or a full commit SHA")
    assert seen > 0
    assert problems == [], "\n".join(problems)


def test_job_containers_name_an_exact_image_version():
    for path in workflow_files():
        for job_id, job in load(path)["jobs"].items():
            images = []
            container = job.get("container")
            if container:
                images.append(container if isinstance(container, str) else container["image"])
            images += [service["image"] for service in (job.get("services") or {}).values()]
            for image in images:
                assert re.search(r":\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$", image), \
                    f"{path.name} {job_id}: {image} is not an exact version"


def test_permissions_are_set_at_the_top_and_write_only_where_needed():
    for path in workflow_files():
        document = load(path)
        assert "permissions" in document, f"{path.name}: no top-level permissions (the token would get the default)"
        top = document["permissions"]
        assert top != "write-all" and top != "read-all", f"{path.name}: top-level permissions {top!r}"
        assert isinstance(top, dict) and all(level in ("read", "none") for level in top.values()), \
            f"{path.name}: the top-level permissions may only read; jobs ask for their writes: {top}"
        for job_id, job in document["jobs"].items():
            granted = job.get("permissions", {})
            assert granted != "write-all", f"{path.name} {job_id}: write-all"
            assert isinstance(granted, dict), f"{path.name} {job_id}: permissions {granted!r}"
            writes = {scope for scope, level in granted.items() if level == "write"}
            allowed = WRITES.get((path.name, job_id), set())
            assert writes <= allowed, f"{path.name} {job_id}: writes {sorted(writes - allowed)} are not needed"


def test_no_pull_request_target_and_no_expression_inside_a_script():
    for path in workflow_files():
        document = load(path)
        assert "pull_request_target" not in triggers(document), \
            f"{path.name}: pull_request_target runs fork code with this repository's token and secrets"
        for job_id, step, script in run_scripts(document):
            # An expression would be pasted into the script before it runs (script injection, secrets in the
            # command line); scripts read values from env: instead.
            assert "${{" not in script, f"{path.name} {job_id} '{step}': an expression inside run:, use env:"


def test_only_the_deployment_takes_inputs():
    """checkov's CKV_GHA_7 (workflow_dispatch inputs must be empty) is skipped for deploy.yml's inputs only
    (deploy/checkov-skips.yaml); no building workflow may take any."""
    for path in workflow_files():
        dispatch = triggers(load(path)).get("workflow_dispatch") or {}
        if path.name != "deploy.yml":
            assert not dispatch.get("inputs"), f"{path.name}: workflow_dispatch inputs"


def test_deployment_runs_in_the_chosen_environment():
    document = load(WORKFLOWS / "deploy.yml")
    choice = triggers(document)["workflow_dispatch"]["inputs"]["environment"]
    assert choice["type"] == "choice" and choice["options"] == ["dev", "prod"]
    assert "workflow_run" in triggers(document) and triggers(document)["workflow_run"]["workflows"] == ["Release"]
    assert document["permissions"] == {"contents": "read", "packages": "read"}
    for job_id, job in document["jobs"].items():
        environment = job.get("environment")
        name = environment.get("name") if isinstance(environment, dict) else environment
        assert name and "inputs.environment" in name, f"deploy.yml {job_id}: no environment (no protection rules)"
        scripts = "\n".join(step.get("run", "") for step in job["steps"])
        # Only the digest release.yml signed for the tag is deployed.
        assert 'cosign verify "$IMAGE@$digest" --certificate-identity "$signer"' in scripts
        assert "/.github/workflows/release.yml@refs/tags/v$TAG" in scripts
        assert "kubectl rollout status" in scripts and "--for=condition=complete" in scripts
        # The migration Job (deploy/k8s/migrate/<env>) completes before the server's manifests are applied.
        assert 'kubectl apply -f "$MIGRATE"' in scripts
        assert scripts.index("--for=condition=complete") < scripts.index('kubectl apply -f "$RELEASE"')


def test_release_records_provenance_and_sbom_and_signs_the_image():
    document = load(WORKFLOWS / "release.yml")
    assert triggers(document)["push"] == {"tags": ["v*"]}
    steps = [step for job in document["jobs"].values() for step in job["steps"]]
    builds = [step for step in steps if step.get("uses", "").startswith("docker/build-push-action@")]
    assert len(builds) == 1
    build = builds[0]["with"]
    assert build["provenance"] == "mode=max" and build["sbom"] is True and build["push"] is True
    after = steps[steps.index(builds[0]) + 1:]
    scripts = "\n".join(step.get("run", "") for step in after)
    assert 'cosign sign --yes "$IMAGE@$DIGEST"' in scripts
    assert "cosign attest --yes --type spdxjson" in scripts


def test_ci_runs_what_developers_run():
    document = load(WORKFLOWS / "ci.yml")
    assert {"push", "pull_request"} <= set(triggers(document))
    assert document["concurrency"]["cancel-in-progress"] is True
    (job,) = document["jobs"].values()
    assert job["runs-on"] == "ubuntu-24.04" and job["container"]["image"].startswith("swift:6.3.")
    scripts = [step.get("run", "") for step in job["steps"]]
    assert any(script.strip() == "make lint" for script in scripts)
    assert any(script.lstrip().startswith("make test") or "\nmake test" in script for script in scripts)


def test_checkov_reads_every_workflow():
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: scripts/install-deps.sh --test installs checkov in .venv-checkov")
    result = subprocess.run([str(CHECKOV), "--framework", "github_actions", "--skip-download", "--output", "json",
                             "--compact", "--directory", str(WORKFLOWS)],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    output = json.loads(result.stdout)
    reports = output if isinstance(output, list) else [output]
    checked = {check["file_path"].rsplit("/", 1)[-1] for report in reports
               for kind in ("passed_checks", "failed_checks") for check in report["results"][kind]}
    assert checked == {path.name for path in workflow_files()}, \
        "checkov did not read every workflow: its schema refuses the others (an unknown key, e.g. a new permission)"
