"""The operator-facing observability files in deploy/observability/ and docs/observability.md.

Static tests: promtool checks the Prometheus configuration and the alert rules and runs their unit tests
(alerts.test.yml); every expression of the Grafana dashboard parses; Promtail promotes no high-cardinality field to a
Loki label; every alert has a runbook heading and every metric family a row in the documentation. The live test (its
name contains `live`) starts the real server and checks that every metric the dashboard and the alerts use is in its
/metrics. The access log Promtail reads is checked by test_observability_live.py.
"""
import json
import pathlib
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import yaml

from conftest import REPO, Server

OBS = REPO / "deploy/observability"
DOC = REPO / "docs/observability.md"

# The metric families the server exposes (docs/observability.md has the table), with their types.
CATALOGUE = {
    "insightvault_http_requests_total": "counter",
    "insightvault_http_request_duration_seconds": "histogram",
    "insightvault_ingest_events_total": "counter",
    "insightvault_ingest_events_dropped_total": "counter",
    "insightvault_ingest_requests_refused_total": "counter",
    "insightvault_write_buffer_events": "gauge",
    "insightvault_write_buffer_capacity_events": "gauge",
    "insightvault_write_batch_events": "histogram",
    "insightvault_write_commit_duration_seconds": "histogram",
    "insightvault_db_pool_connections_in_use": "gauge",
    "insightvault_db_pool_connections_max": "gauge",
    "insightvault_db_pool_wait_seconds": "histogram",
    "insightvault_graphql_operations_total": "counter",
    "insightvault_graphql_operation_duration_seconds": "histogram",
    "insightvault_graphql_errors_total": "counter",
    "insightvault_report_duration_seconds": "histogram",
    "insightvault_report_admission_wait_seconds": "histogram",
    "insightvault_report_admission_refused_total": "counter",
    "insightvault_reports_running": "gauge",
    "insightvault_reports_waiting": "gauge",
    "insightvault_rollup_lag_seconds": "gauge",
    "insightvault_rollup_passes_total": "counter",
    "insightvault_partition_maintenance_runs_total": "counter",
    "insightvault_login_failures_total": "counter",
    "insightvault_database_ready": "gauge",
    "insightvault_uptime_seconds": "gauge",
    "insightvault_build_info": "gauge",
    "process_resident_memory_bytes": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
    "process_start_time_seconds": "gauge",
}
# Catalogue families the dashboard need not chart.
NOT_CHARTED = {"process_start_time_seconds"}

# Request fields that must never become Loki labels (each value would make a stream of its own).
FORBIDDEN_LOKI_LABELS = {"request_id", "route", "org_id", "project_id", "user_id", "path", "status"}
ALLOWED_LOKI_LABELS = {"namespace", "app", "pod", "container", "level"}

METRIC_NAME = re.compile(r"(?<![A-Za-z0-9_:])((?:insightvault|process)_[A-Za-z0-9_:]*)")


# ---------------------------------------------------------------------------------------------------------------------
# helpers


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not on PATH: run scripts/install-deps.sh --test (it installs Debian's prometheus "
                    "package, which has promtool)")
    return path


def run_promtool(*args: str, cwd: pathlib.Path | None = None) -> subprocess.CompletedProcess:
    cwd = cwd or OBS
    result = subprocess.run([promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        f"promtool {' '.join(args)} (in {cwd}) exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def load_yaml(name: str):
    return yaml.safe_load((OBS / name).read_text())


def alert_rules() -> list[dict]:
    groups = load_yaml("alerts.yml")["groups"]
    assert [group["name"] for group in groups] == ["insightvault"]
    return [rule for rule in groups[0]["rules"] if "alert" in rule]


def dashboard() -> dict:
    return json.loads((OBS / "grafana-dashboard.json").read_text())


def all_panels(panels: list[dict]) -> list[dict]:
    """Every panel, rows and the panels inside (collapsed) rows included."""
    found = []
    for panel in panels:
        found.append(panel)
        found += all_panels(panel.get("panels", []))
    return found


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in all_panels(dashboard()["panels"]) for target in panel.get("targets", [])
            if "expr" in target]


def concrete(expr: str, variables: list[str]) -> str:
    """The expression with Grafana's variables replaced by concrete values, as Grafana sends it."""
    durations = {"__rate_interval": "1m", "__interval": "1m", "__range": "1h", "__interval_ms": "60000",
                 "__range_s": "3600", "__range_ms": "3600000"}
    for name, value in sorted(durations.items(), key=lambda item: -len(item[0])):
        expr = re.sub(r"\$\{" + name + r"\}|\$" + name + r"(?![A-Za-z0-9_])", value, expr)
    for name in variables:
        # Every dashboard variable stands inside a regex matcher (instance=~"$instance").
        expr = re.sub(r"\$\{" + name + r"(?::[a-z]+)?\}|\$" + name + r"(?![A-Za-z0-9_])", ".*", expr)
    assert "$" not in expr, f"unknown Grafana variable left in {expr!r}"
    return expr


def metric_names(expr: str) -> set[str]:
    return set(METRIC_NAME.findall(expr))


def github_anchor(heading: str) -> str:
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def doc_anchors() -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in DOC.read_text().splitlines() if re.match(r"#{1,6} ", line)}


# ---------------------------------------------------------------------------------------------------------------------
# Prometheus configuration and alert rules


def promtool_has_kubernetes_discovery(tmp_path: pathlib.Path) -> bool:
    probe = tmp_path / "probe.yml"
    probe.write_text("scrape_configs:\n  - job_name: probe\n    kubernetes_sd_configs:\n      - role: endpoints\n")
    result = subprocess.run([promtool(), "check", "config", str(probe)], capture_output=True, text=True,
                            timeout=60)
    if result.returncode == 0:
        return True
    assert "kubernetes_sd_configs not found" in result.stdout + result.stderr, result.stdout + result.stderr
    return False


def test_prometheus_config_passes_promtool(tmp_path):
    config = load_yaml("prometheus.yml")
    assert config["global"]["scrape_interval"] == "15s"
    assert config["rule_files"] == ["alerts.yml"]
    [job] = config["scrape_configs"]
    assert job["job_name"] == "insightvault"
    assert job["kubernetes_sd_configs"] == [{"role": "endpoints"}]
    relabel = job["relabel_configs"]
    keeps = {(tuple(rule["source_labels"]), rule["regex"]) for rule in relabel if rule.get("action") == "keep"}
    assert keeps == {(("__meta_kubernetes_service_label_app_kubernetes_io_name",), "insightvault"),
                     (("__meta_kubernetes_endpoint_port_name",), "metrics")}
    targets = {rule["target_label"]: rule["source_labels"] for rule in relabel if "target_label" in rule}
    assert targets == {"namespace": ["__meta_kubernetes_namespace"], "pod": ["__meta_kubernetes_pod_name"],
                       "service": ["__meta_kubernetes_service_name"]}

    if promtool_has_kubernetes_discovery(tmp_path):
        run_promtool("check", "config", "prometheus.yml")
    else:
        # Debian builds Prometheus without Kubernetes discovery, so its promtool rejects that one field. Everything
        # else is checked: the same file, next to the same alerts.yml, with that discovery swapped for a target.
        del job["kubernetes_sd_configs"]
        job["static_configs"] = [{"targets": ["127.0.0.1:9464"]}]
        (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
        shutil.copy(OBS / "alerts.yml", tmp_path / "alerts.yml")
        output = run_promtool("check", "config", "prometheus.yml", cwd=tmp_path).stdout
        assert "SUCCESS: 1 rule files found" in output, output


def test_single_machine_job_in_the_prometheus_config_passes_promtool(tmp_path):
    """The commented single-machine job, uncommented in place of the Kubernetes one, is a valid configuration."""
    lines = (OBS / "prometheus.yml").read_text().splitlines()
    start = lines.index("  # - job_name: insightvault")
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("  #   "):
            break
        block.append(line)
    [job] = yaml.safe_load("\n".join(line.replace("  # ", "", 1) for line in block))
    assert job == {"job_name": "insightvault", "static_configs": [{"targets": ["127.0.0.1:9464"]}]}
    config = load_yaml("prometheus.yml")
    config["scrape_configs"] = [job]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    shutil.copy(OBS / "alerts.yml", tmp_path / "alerts.yml")
    run_promtool("check", "config", "prometheus.yml", cwd=tmp_path)


def test_alert_rules_pass_promtool_check():
    output = run_promtool("check", "rules", "alerts.yml").stdout
    assert f"SUCCESS: {len(alert_rules())} rules found" in output, output


def test_alert_rules_unit_tests_pass():
    output = run_promtool("test", "rules", "alerts.test.yml").stdout
    assert "SUCCESS" in output, output


def test_every_alert_fires_and_stays_quiet_in_the_unit_tests():
    fired: set[str] = set()
    quiet: set[str] = set()
    for test in load_yaml("alerts.test.yml")["tests"]:
        for case in test.get("alert_rule_test", []):
            (fired if case.get("exp_alerts") else quiet).add(case["alertname"])
            for alert in case.get("exp_alerts") or []:
                assert "severity" in alert["exp_labels"], alert
                assert set(alert["exp_annotations"]) == {"summary", "description", "runbook"}, alert
    names = {rule["alert"] for rule in alert_rules()}
    assert names - fired == set(), "alerts never tested firing"
    assert names - quiet == set(), "alerts never tested not firing (exp_alerts: [])"
    assert (fired | quiet) - names == set(), "tests of alerts that do not exist"


def test_every_alert_has_severity_annotations_and_a_runbook_heading():
    anchors = doc_anchors()
    names = [rule["alert"] for rule in alert_rules()]
    assert len(names) == len(set(names))
    required = {"InsightVaultDown", "InsightVaultDatabaseNotReady", "InsightVaultIngestRefusing",
                "InsightVaultWriteBufferHigh", "InsightVaultCommitLatencyHigh", "InsightVaultErrorRateHigh",
                "InsightVaultRollupLag", "InsightVaultPartitionMaintenanceFailing", "InsightVaultReportsRefused"}
    assert required <= set(names)
    for rule in alert_rules():
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        assert set(rule["annotations"]) == {"summary", "description", "runbook"}, rule["alert"]
        runbook = rule["annotations"]["runbook"]
        assert runbook == f"docs/observability.md#{rule['alert'].lower()}", runbook
        assert rule["alert"].lower() in anchors, f"docs/observability.md has no heading for {rule['alert']}"


def test_ingest_refusing_alert_pages_on_server_side_reasons_only():
    [rule] = [rule for rule in alert_rules() if rule["alert"] == "InsightVaultIngestRefusing"]
    reasons = re.search(r'reason=~"([^"]+)"', rule["expr"]).group(1)
    assert set(reasons.split("|")) == {"overloaded", "shutting_down", "storage_failed", "database_unavailable"}


# ---------------------------------------------------------------------------------------------------------------------
# Grafana


def test_dashboard_uses_its_datasource_and_instance_variables():
    board = dashboard()
    assert board["schemaVersion"] == 39
    variables = {variable["name"]: variable for variable in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert variables["instance"]["type"] == "query"
    assert variables["instance"]["datasource"]["uid"] == "${datasource}"
    panels = all_panels(board["panels"])
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    rows = [panel["title"] for panel in panels if panel["type"] == "row"]
    assert rows == ["Ingestion", "Queries and reports", "HTTP and errors", "Database", "Process"]
    charts = [panel for panel in panels if panel["type"] != "row"]
    assert len(charts) >= 20
    for panel in charts:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]
            assert 'instance=~"$instance"' in target["expr"], (panel["title"], target["expr"])
    used = set().union(*(metric_names(expr) for expr in dashboard_exprs()))
    families = {re.sub(r"_(bucket|sum|count)$", "", name) if CATALOGUE.get(
        re.sub(r"_(bucket|sum|count)$", "", name)) == "histogram" else name for name in used}
    assert families - set(CATALOGUE) == set(), "the dashboard uses metrics the server does not have"
    assert set(CATALOGUE) - NOT_CHARTED - families == set(), "metric families the dashboard does not chart"


def test_every_dashboard_expression_parses(tmp_path):
    board = dashboard()
    variables = [variable["name"] for variable in board["templating"]["list"]]
    exprs = dashboard_exprs()
    assert exprs
    rules = [{"record": f"check:expr_{index}", "expr": concrete(expr, variables)} for index, expr in enumerate(exprs)]
    (tmp_path / "dashboard-exprs.yml").write_text(yaml.safe_dump({"groups": [{"name": "x", "rules": rules}]}))
    output = run_promtool("check", "rules", "dashboard-exprs.yml", cwd=tmp_path).stdout
    assert f"SUCCESS: {len(rules)} rules found" in output, output


def test_grafana_datasources_provision_prometheus_and_loki():
    provisioning = load_yaml("grafana-datasources.yml")
    assert provisioning["apiVersion"] == 1
    kinds = sorted(source["type"] for source in provisioning["datasources"])
    assert kinds == ["loki", "prometheus"]
    [prometheus] = [source for source in provisioning["datasources"] if source["type"] == "prometheus"]
    # $__rate_interval is at least four scrape intervals only when Grafana knows the scrape interval.
    assert prometheus["jsonData"]["timeInterval"] == load_yaml("prometheus.yml")["global"]["scrape_interval"]


# ---------------------------------------------------------------------------------------------------------------------
# Promtail


def promtail_stages(stages: list[dict]) -> list[dict]:
    """Every stage, the stages inside `match` stages included."""
    found = []
    for stage in stages:
        found.append(stage)
        for body in stage.values():
            if isinstance(body, dict) and isinstance(body.get("stages"), list):
                found += promtail_stages(body["stages"])
    return found


def test_promtail_keeps_request_fields_out_of_loki_labels():
    config = load_yaml("promtail.yml")
    assert config["scrape_configs"]
    labels: set[str] = set()
    for job in config["scrape_configs"]:
        assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
        keeps = [rule for rule in job["relabel_configs"] if rule.get("action") == "keep"]
        assert [(rule["source_labels"], rule["regex"]) for rule in keeps] == [
            (["__meta_kubernetes_pod_label_app_kubernetes_io_name"], "insightvault")]
        for rule in job["relabel_configs"]:
            # labelmap would copy every pod label, whatever its values.
            assert rule.get("action", "replace") in ("keep", "drop", "replace"), rule
            target = rule.get("target_label")
            if target and not target.startswith("__"):
                labels.add(target)
        stages = promtail_stages(job["pipeline_stages"])
        [json_stage] = [stage["json"] for stage in stages if "json" in stage]
        assert {"level", "msg", "route", "status"} <= set(json_stage["expressions"])
        for stage in stages:
            labels |= set(stage.get("labels") or {})
            labels |= set(stage.get("static_labels") or {})
            assert "labelallow" not in stage and "pack" not in stage, stage
    assert labels & FORBIDDEN_LOKI_LABELS == set()
    assert labels <= ALLOWED_LOKI_LABELS, labels - ALLOWED_LOKI_LABELS
    assert {"namespace", "app", "level"} <= labels


# ---------------------------------------------------------------------------------------------------------------------
# docs/observability.md


def test_the_documentation_describes_every_metric_and_links_inside_the_repository():
    text = DOC.read_text()
    for name, kind in CATALOGUE.items():
        assert re.search(rf"`{name}`.*\b{kind}\b", text), f"docs/observability.md: no table row for {name} ({kind})"
    external = re.findall(r"\]\((?:https?:|//)[^)]*\)", text)
    assert external == [], external
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        assert (DOC.parent / target).resolve().exists(), f"docs/observability.md links to missing {target}"


# ---------------------------------------------------------------------------------------------------------------------
# the live server


def post_graphql(server: Server) -> tuple[int, dict]:
    request = urllib.request.Request(
        server.url("/graphql"), data=json.dumps({"query": "{ __typename }"}).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers


def scrape(server: Server) -> dict[str, list[str]]:
    """Sample name -> the label sets of its samples, from the server's /metrics."""
    with urllib.request.urlopen(server.metrics_url(), timeout=10) as response:
        assert response.status == 200
        text = response.read().decode()
    samples: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s", line)
        assert match, f"not a sample line of the Prometheus text format: {line!r}"
        samples.setdefault(match.group(1), []).append(match.group(2) or "")
    return samples


def test_live_server_exposes_every_metric_the_dashboard_and_alerts_use(binary, workdir):
    used = set().union(*(metric_names(expr) for expr in dashboard_exprs()))
    used |= set().union(*(metric_names(rule["expr"]) for rule in alert_rules()))
    assert len(used) > 30
    server = Server(binary, workdir / "iv", workdir / "serve.log")
    try:
        server.wait_ready()
        # One request first, so that the request metrics have samples.
        status, _ = post_graphql(server)
        assert status < 500, status
        deadline = time.monotonic() + 15
        while True:
            samples = scrape(server)
            missing = used - set(samples)
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        code = server.terminate()
    # Histograms are used as their _bucket/_sum/_count samples, which is what the scrape lists too.
    assert missing == set(), f"used by the dashboard or the alerts but not in /metrics: {sorted(missing)}"
    # InsightVaultPartitionMaintenanceFailing clears on an increase of the success count: a series that first appears
    # at 1 has no increase, so both outcomes must be there from the start (at 0 until a pass ends).
    outcomes = samples["insightvault_partition_maintenance_runs_total"]
    for outcome in ("success", "failure"):
        assert any(f'outcome="{outcome}"' in labels for labels in outcomes), (outcome, outcomes)
    assert code == 0, code
