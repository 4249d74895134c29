"""Static checks of the Terraform in terraform/ (there is no `terraform` binary and no provider registry here).

python-hcl2 parses every file; a small reference checker then does, per module directory (the root and each of
terraform/modules/*), what `terraform validate` would do for names: every `var.X`, `local.X`, `module.M.O`,
`data.T.N` and `T.N` in an expression is declared, every module `source` is a local directory, every argument given
to a module is one of its variables and every variable without a default is given. Expressions are taken from
hcl2's parsed values (which keep them as text, comments dropped) with the literal parts of strings and heredocs cut
away, so names inside descriptions or error messages never count. Further tests: every variable has a description
and a type, outputs of sensitive values are sensitive, the example files agree with the root variables, the
README documents every input and output and links only inside the repository, and the database and bucket settings
the application relies on (durable commits, TLS, SSE-KMS, access logging) are present.
"""
import dataclasses
import pathlib
import re

import pytest

from conftest import REPO

TF = REPO / "terraform"
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")
# Arguments of a `module` block that are Terraform's, not the module's variables.
MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}
# Resource types whose values Terraform marks sensitive (so outputs of them must be sensitive).
SENSITIVE_RESOURCE_TYPES = {"random_password", "random_bytes"}


def hcl2_module():
    try:
        import hcl2  # noqa: PLC0415 (a missing tool is a failure with a message, not a collection error)
    except ImportError as error:
        pytest.fail(f"python-hcl2 is missing ({error}): scripts/install-deps.sh --test installs requirements-test.txt")
    return hcl2


def parse(path: pathlib.Path) -> dict:
    hcl2 = hcl2_module()
    options = hcl2.SerializationOptions(with_comments=False)
    try:
        return hcl2.loads(path.read_text(), serialization_options=options)
    except Exception as error:  # the parser raises several types; any of them is a syntax error here
        pytest.fail(f"{path.relative_to(REPO)} does not parse as HCL: {error}")


def hcl_files() -> list[pathlib.Path]:
    files = [p for pattern in ("*.tf", "*.tf.example", "*.tfvars", "*.tfvars.example") for p in TF.rglob(pattern)]
    return sorted(p for p in files if ".terraform" not in p.parts)


def unquote(text) -> str:
    """A label or string literal as hcl2 serialises it ('"name"') without its quotes."""
    if isinstance(text, str) and len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text


# --- Expressions: the code of every value, without the literal text of its strings ---------------------------

HEREDOC_START = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\n")


def scan_template(text: str, i: int, quoted: bool) -> tuple[list[str], int]:
    """The code of each `${...}` / `%{...}` in a template starting at i; stops after the closing quote if quoted."""
    code = []
    while i < len(text):
        if quoted and text[i] == '"':
            return code, i + 1
        if text[i] == "\\":
            i += 2
        elif text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            part, i = scan_expression(text, i + 2)
            code.append(part)
        else:
            i += 1
    if quoted:
        raise ValueError(f"unterminated string in {text!r}")
    return code, i


def scan_expression(text: str, i: int) -> tuple[str, int]:
    """The code of an interpolation starting after `${` up to its closing brace, and the index after it. String
    literals become "" (their own interpolations are kept), heredocs likewise."""
    out = []
    depth = 0
    while i < len(text):
        char = text[i]
        heredoc = HEREDOC_START.match(text, i) if char == "<" else None
        if char == '"':
            inner, i = scan_template(text, i + 1, quoted=True)
            out.append(' "" ' + " ".join(f"({part})" for part in inner) + " ")
        elif heredoc:
            end = re.compile(r"^[ \t]*" + re.escape(heredoc.group(1)) + r"[ \t]*$", re.M).search(text, heredoc.end())
            if not end:
                raise ValueError(f"unterminated heredoc {heredoc.group(1)} in {text!r}")
            inner, _ = scan_template(text[heredoc.end():end.start()], 0, quoted=False)
            out.append(' "" ' + " ".join(f"({part})" for part in inner) + " ")
            i = end.end()
        else:
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    return "".join(out), i + 1
                depth -= 1
            out.append(char)
            i += 1
    raise ValueError(f"unterminated interpolation in {text!r}")


def expression_code(value: str) -> str:
    """All code in one serialised value: '"${var.a}-x"' gives 'var.a'; '${var.b ? "s" : c.d}' gives
    'var.b ? "" : c.d'."""
    template = value[1:-1] if len(value) >= 2 and value[0] == '"' and value[-1] == '"' else value
    parts, _ = scan_template(template, 0, quoted=False)
    return " ; ".join(parts)


def values(node, where: str):
    """(where, code) for every string value and computed key under node."""
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "__is_block__":
                continue
            if "${" in key:
                yield where, expression_code(key)
            yield from values(child, f"{where}.{unquote(key)}")
    elif isinstance(node, list):
        for child in node:
            yield from values(child, where)
    elif isinstance(node, str):
        yield where, expression_code(node)


def blocks(parsed: dict, kind: str):
    """(label, body) of each top-level block of a kind with one label (variable, output, module)."""
    for entry in parsed.get(kind, []):
        for label, body in entry.items():
            yield unquote(label), body


def typed_blocks(parsed: dict, kind: str):
    """(type, name, body) of each resource or data block."""
    for entry in parsed.get(kind, []):
        for type_label, named in entry.items():
            for name, body in named.items():
                yield unquote(type_label), unquote(name), body


def iterator_names(node) -> set[str]:
    """Names of dynamic blocks and their `iterator`s: `ingress.value` inside one is no resource."""
    names = set()
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "dynamic":
                for entry in child:
                    for label, body in entry.items():
                        names.add(unquote(label))
                        if "iterator" in body:
                            names.add(expression_code(body["iterator"]).strip())
            names |= iterator_names(child)
    elif isinstance(node, list):
        for child in node:
            names |= iterator_names(child)
    return names


NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
VAR_REF = re.compile(rf"(?<![\w.-])var\.({NAME})")
LOCAL_REF = re.compile(rf"(?<![\w.-])local\.({NAME})")
MODULE_REF = re.compile(rf"(?<![\w.-])module\.({NAME})(?:\.({NAME}))?")
DATA_REF = re.compile(rf"(?<![\w.-])data\.({NAME})\.({NAME})")
# A resource type always has its provider's prefix and an underscore: aws_s3_bucket, random_password.
RESOURCE_REF = re.compile(rf"(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.({NAME})")
FOR_VARIABLES = re.compile(rf"\bfor\s+({NAME})(?:\s*,\s*({NAME}))?\s+in\b")


@dataclasses.dataclass
class Module:
    """What one directory of .tf files declares, and the code of all its expressions."""

    path: pathlib.Path
    variables: dict
    locals: set
    outputs: dict
    resources: set
    data: set
    calls: dict
    code: list  # (file:where, code)
    local_names: set  # for-expression variables, dynamic blocks and iterators

    @property
    def label(self) -> str:
        return str(self.path.relative_to(REPO))


def load_module(directory: pathlib.Path) -> Module:
    module = Module(directory, {}, set(), {}, set(), set(), {}, [], set())
    files = sorted(directory.glob("*.tf"))
    assert files, f"{directory.relative_to(REPO)} has no .tf file"
    for path in files:
        parsed = parse(path)
        name = path.relative_to(REPO)
        for label, body in blocks(parsed, "variable"):
            assert label not in module.variables, f"{name}: variable {label} declared twice"
            module.variables[label] = body
        for entry in parsed.get("locals", []):
            for key in entry:
                if key != "__is_block__":
                    assert key not in module.locals, f"{name}: local {key} declared twice"
                    module.locals.add(key)
        for label, body in blocks(parsed, "output"):
            assert label not in module.outputs, f"{name}: output {label} declared twice"
            module.outputs[label] = body
        for label, body in blocks(parsed, "module"):
            assert label not in module.calls, f"{name}: module {label} declared twice"
            module.calls[label] = body
        for kind, into in (("resource", module.resources), ("data", module.data)):
            for type_, label, _ in typed_blocks(parsed, kind):
                assert (type_, label) not in into, f"{name}: {kind} {type_}.{label} declared twice"
                into.add((type_, label))
        module.local_names |= iterator_names(parsed)
        module.code += [(f"{name}: {where}", code) for where, code in values(parsed, "")]
    for _, code in module.code:
        for match in FOR_VARIABLES.finditer(code):
            module.local_names |= {name for name in match.groups() if name}
    return module


def module_directories() -> list[pathlib.Path]:
    directories = {p.parent for p in TF.rglob("*.tf") if ".terraform" not in p.parts}
    return sorted(directories)


def modules() -> dict[pathlib.Path, Module]:
    return {directory: load_module(directory) for directory in module_directories()}


def call_source(module: Module, call: str) -> pathlib.Path:
    source = unquote(module.calls[call].get("source", ""))
    assert source.startswith(("./", "../")), f"{module.label}: module {call} has source {source!r}, not a local path"
    return (module.path / source).resolve()


def reference_errors(module: Module, all_modules: dict[pathlib.Path, Module]) -> list[str]:
    """Every reference in the module's expressions that names nothing declared, plus bad module calls."""
    errors = []
    for where, code in module.code:
        for match in VAR_REF.finditer(code):
            if match.group(1) not in module.variables:
                errors.append(f"{where}: var.{match.group(1)} is not declared")
        for match in LOCAL_REF.finditer(code):
            if match.group(1) not in module.locals:
                errors.append(f"{where}: local.{match.group(1)} is not declared")
        for match in DATA_REF.finditer(code):
            if match.groups() not in module.data:
                errors.append(f"{where}: data.{match.group(1)}.{match.group(2)} is not declared")
        for match in RESOURCE_REF.finditer(code):
            if match.group(1) in module.local_names:
                continue
            if match.groups() not in module.resources:
                errors.append(f"{where}: resource {match.group(1)}.{match.group(2)} is not declared")
        for match in MODULE_REF.finditer(code):
            call, output = match.groups()
            if call not in module.calls:
                errors.append(f"{where}: module.{call} is not declared")
                continue
            target = all_modules.get(call_source(module, call))
            if target is not None and output is not None and output not in target.outputs:
                errors.append(f"{where}: module.{call}.{output}: {target.label} has no output {output}")
    for call, body in module.calls.items():
        source = call_source(module, call)
        target = all_modules.get(source)
        if target is None:
            errors.append(f"{module.label}: module {call}: source {source} is not a directory of .tf files")
            continue
        passed = {key for key in body if key != "__is_block__"} - MODULE_META_ARGUMENTS
        for argument in sorted(passed - set(target.variables)):
            errors.append(f"{module.label}: module {call} passes {argument}, which {target.label} does not declare")
        required = {name for name, variable in target.variables.items() if "default" not in variable}
        for argument in sorted(required - passed):
            errors.append(f"{module.label}: module {call} does not pass the required variable {argument}")
    return errors


def sensitive_output_errors(module: Module, all_modules: dict[pathlib.Path, Module]) -> list[str]:
    """Outputs computed from sensitive values must say `sensitive = true` (terraform plan refuses them otherwise)."""
    sensitive_variables = {name for name, v in module.variables.items() if v.get("sensitive") is True}
    sensitive_locals = set()
    local_code = {}
    for where, code in module.code:
        head = where.split(": ", 1)[1]
        if head.startswith(".locals."):
            local_code.setdefault(head.split(".")[2], []).append(code)

    def sensitive(code: str) -> bool:
        if "nonsensitive(" in code:
            return False
        if any(m.group(1) in sensitive_variables for m in VAR_REF.finditer(code)):
            return True
        if any(m.group(1) in sensitive_locals for m in LOCAL_REF.finditer(code)):
            return True
        if any(m.group(1) in SENSITIVE_RESOURCE_TYPES for m in RESOURCE_REF.finditer(code)):
            return True
        for match in MODULE_REF.finditer(code):
            call, output = match.groups()
            target = all_modules.get(call_source(module, call)) if call in module.calls else None
            if target and output in target.outputs and target.outputs[output].get("sensitive") is True:
                return True
        return False

    changed = True
    while changed:  # locals built from sensitive locals are sensitive too
        changed = False
        for name, codes in local_code.items():
            if name not in sensitive_locals and any(sensitive(code) for code in codes):
                sensitive_locals.add(name)
                changed = True
    errors = []
    for name, body in module.outputs.items():
        code = " ; ".join(code for _, code in values(body.get("value", ""), ""))
        if sensitive(code) and body.get("sensitive") is not True:
            errors.append(f"{module.label}: output {name} shows a sensitive value but is not sensitive = true")
    return errors


# --- The tests ---------------------------------------------------------------------------------------------------


def test_every_terraform_file_parses():
    files = hcl_files()
    assert any(p.name == "main.tf" for p in files), f"no Terraform under {TF}"
    for path in files:
        parsed = parse(path)
        assert parsed, f"{path.relative_to(REPO)} is empty"


def test_expression_scanner_keeps_code_and_drops_literals():
    """The checker's own ground: references inside literal text never count, interpolations always do."""

    def variables(value: str) -> set[str]:
        return {match.group(1) for match in VAR_REF.finditer(expression_code(value))}

    assert variables('"postgres://${var.user}:${urlencode(var.pw)}@host/var.literal"') == {"user", "pw"}
    assert variables('${var.a == "var.literal ${var.b}" ? x.y : "}"} ') == {"a", "b"}
    assert variables('"$${var.escaped} %%{ if var.escaped2 } ${var.yes} \\" var.literal"') == {"yes"}
    assert variables('"<<-EOT\n  a ${var.h} var.literal\n  EOT"') == {"h"}
    assert variables('${jsonencode(<<EOT\n${var.h} var.literal\nEOT\n)} var.literal') == {"h"}
    assert variables('${{for k, v in var.m : k => "${v}-var.literal" if v != null}}') == {"m"}


def test_every_module_directory_has_the_standard_files():
    directories = module_directories()
    assert TF in directories
    for name in ("postgres", "bucket", "kubernetes"):
        assert TF / "modules" / name in directories, f"terraform/modules/{name} is missing"
    for directory in directories:
        for name in MODULE_FILES:
            assert (directory / name).is_file(), f"{directory.relative_to(REPO)} has no {name}"


def test_every_variable_has_a_description_and_a_type():
    problems = []
    for module in modules().values():
        for name, variable in module.variables.items():
            if not unquote(variable.get("description", "")).strip():
                problems.append(f"{module.label}: variable {name} has no description")
            if "type" not in variable:
                problems.append(f"{module.label}: variable {name} has no type")
    assert problems == [], "\n".join(problems)


def test_every_output_has_a_description():
    problems = [f"{module.label}: output {name}"
                for module in modules().values() for name, output in module.outputs.items()
                if not unquote(output.get("description", "")).strip()]
    assert problems == [], "outputs without a description: " + ", ".join(problems)


def test_every_reference_is_declared_and_every_module_call_matches_its_module():
    all_modules = modules()
    errors = [error for module in all_modules.values() for error in reference_errors(module, all_modules)]
    assert errors == [], "\n".join(errors)


def test_every_variable_is_used():
    unused = []
    for module in modules().values():
        # A variable's own validation does not count as a use.
        used = {match.group(1) for where, code in module.code if ": .variable." not in where
                for match in VAR_REF.finditer(code)}
        unused += [f"{module.label}: var.{name}" for name in module.variables if name not in used]
    assert unused == [], "declared but never used: " + ", ".join(unused)


def test_outputs_of_sensitive_values_are_sensitive():
    all_modules = modules()
    errors = [error for module in all_modules.values() for error in sensitive_output_errors(module, all_modules)]
    assert errors == [], "\n".join(errors)


def test_every_module_pins_terraform_and_its_providers():
    for directory in module_directories():
        parsed = [parse(p) for p in directory.glob("*.tf")]
        settings = [block for p in parsed for block in p.get("terraform", [])]
        assert settings, f"{directory.relative_to(REPO)} has no terraform block"
        versions = [unquote(s["required_version"]) for s in settings if "required_version" in s]
        assert versions and re.match(r">= ?1\.([6-9]|[1-9][0-9])", versions[0]), versions
        providers = [group for s in settings for group in s.get("required_providers", [])]
        assert providers, f"{directory.relative_to(REPO)} declares no required_providers"
        for group in providers:
            for name, spec in group.items():
                if name == "__is_block__":
                    continue
                assert unquote(spec.get("source", "")).startswith("hashicorp/"), (directory, name, spec)
                assert unquote(spec.get("version", "")), f"{directory.relative_to(REPO)}: provider {name} unpinned"


def test_the_examples_use_only_root_variables_and_give_every_required_one():
    root = load_module(TF)
    tfvars = parse(TF / "terraform.tfvars.example")
    given = {key for key in tfvars if not key.startswith("__")}
    assert given - set(root.variables) == set(), "terraform.tfvars.example sets undeclared variables"
    required = {name for name, variable in root.variables.items() if "default" not in variable}
    assert required - given == set(), "terraform.tfvars.example misses required variables"
    backend = parse(TF / "backend.tf.example")
    s3 = [body for block in backend["terraform"] for entry in block.get("backend", []) for label, body in entry.items()
          if unquote(label) == "s3"]
    assert s3, "backend.tf.example has no s3 backend"
    assert s3[0].get("encrypt") is True and "dynamodb_table" in s3[0] and "kms_key_id" in s3[0], s3[0]


def test_the_readme_documents_every_input_and_output_and_links_inside_the_repository():
    readme = (TF / "README.md").read_text()
    root = load_module(TF)
    missing = [name for name in [*root.variables, *root.outputs] if f"`{name}`" not in readme]
    assert missing == [], "terraform/README.md does not list these inputs/outputs"
    for target in re.findall(r"\]\(([^)\s]+)\)", readme):
        assert not re.match(r"[a-z]+:", target), f"terraform/README.md links outside the repository: {target}"
        path = (TF / target.split("#", 1)[0]).resolve()
        assert path.exists() and REPO in path.parents, f"terraform/README.md links to a missing path: {target}"


def resource_bodies(directory: pathlib.Path, type_: str) -> dict[str, dict]:
    bodies = {}
    for path in directory.glob("*.tf"):
        for found_type, name, body in typed_blocks(parse(path), "resource"):
            if found_type == type_:
                bodies[name] = body
    return bodies


def local_values(directory: pathlib.Path) -> dict:
    return {key: value for path in directory.glob("*.tf") for entry in parse(path).get("locals", [])
            for key, value in entry.items() if key != "__is_block__"}


def test_postgres_keeps_commits_durable_and_tls_required():
    """What the application promises (a 2xx means on disk) and needs (TLS, bounded idle transactions)."""
    groups = resource_bodies(TF / "modules" / "postgres", "aws_db_parameter_group")
    assert len(groups) == 1
    group = next(iter(groups.values()))
    assert unquote(group["family"]) == "postgres15"
    parameters = {unquote(p["name"]): p for p in group["parameter"]}
    value = {name: unquote(p["value"]) for name, p in parameters.items()}
    assert value["fsync"] == "1" and value["synchronous_commit"] == "on"
    assert value["backend_flush_after"] == "32"
    assert (value["bgwriter_delay"], value["bgwriter_lru_maxpages"], value["bgwriter_lru_multiplier"]) == ("20", "1000", "4")
    assert value["rds.force_ssl"] == "1"
    assert value["idle_in_transaction_session_timeout"] == "60000"
    assert "shared_preload_libraries" not in value and "jit" not in value
    assert unquote(parameters["max_connections"]["apply_method"]) == "pending-reboot"
    instance = resource_bodies(TF / "modules" / "postgres", "aws_db_instance")["this"]
    expected = {"storage_encrypted": True, "publicly_accessible": False, "deletion_protection": True,
                "skip_final_snapshot": False, "copy_tags_to_snapshot": True, "manage_master_user_password": True,
                "performance_insights_enabled": True, "auto_minor_version_upgrade": True}
    assert {key: instance.get(key) for key in expected} == expected
    assert "password" not in instance, "the master password is managed by RDS in Secrets Manager"
    assert instance["enabled_cloudwatch_logs_exports"] == "${local.cloudwatch_log_exports}"
    exports = local_values(TF / "modules" / "postgres")["cloudwatch_log_exports"]
    assert sorted(unquote(name) for name in exports) == ["postgresql", "upgrade"]


def test_the_exports_bucket_uses_sse_kms_access_logging_and_a_tls_only_policy():
    """checkov's CKV_AWS_145 is skipped (for the SSE-S3 log bucket): the exports bucket's encryption is checked here."""
    directory = TF / "modules" / "bucket"
    encryption = resource_bodies(directory, "aws_s3_bucket_server_side_encryption_configuration")["this"]
    default = encryption["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert unquote(default["sse_algorithm"]) == "aws:kms" and default["kms_master_key_id"] == "${local.kms_key_arn}"
    assert resource_bodies(directory, "aws_s3_bucket_logging")["this"]["bucket"] == "${aws_s3_bucket.this.id}"
    block = resource_bodies(directory, "aws_s3_bucket_public_access_block")["this"]
    assert all(block[key] is True for key in
               ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"))
    ownership = resource_bodies(directory, "aws_s3_bucket_ownership_controls")["this"]
    assert unquote(ownership["rule"][0]["object_ownership"]) == "BucketOwnerEnforced"
    policies = {name: body for path in directory.glob("*.tf")
                for type_, name, body in typed_blocks(parse(path), "data") if type_ == "aws_iam_policy_document"}
    policy = resource_bodies(directory, "aws_s3_bucket_policy")["this"]["policy"]
    assert policy == "${data.aws_iam_policy_document.this.json}"
    denies_plain_http = [
        statement for statement in policies["this"]["statement"]
        if unquote(statement["effect"]) == "Deny" and statement["actions"] == ['"s3:*"']
        and any(unquote(c["variable"]) == "aws:SecureTransport" and c["values"] == ['"false"']
                for c in statement["condition"])
    ]
    assert denies_plain_http, "the bucket policy must deny requests without TLS (aws:SecureTransport false)"


def test_the_secret_has_the_keys_the_server_reads():
    secret = resource_bodies(TF / "modules" / "kubernetes", "kubernetes_secret_v1")["this"]
    assert unquote(secret["metadata"][0]["name"]) == "${var.secret_name}"
    assert set(secret["data"]) - {"__is_block__"} == {"DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS", "IV_SMTP_URL"}
    variables = load_module(TF / "modules" / "kubernetes").variables
    assert unquote(variables["secret_name"]["default"]) == "insightvault-secrets"
    for name in ("database_url", "app_database_url", "jwt_keys", "smtp_url"):
        assert variables[name].get("sensitive") is True, f"variable {name} must be sensitive"
    random = resource_bodies(TF / "modules" / "kubernetes", "random_bytes")["jwt_key"]
    assert random["length"] == 32, "IV_JWT_KEYS secrets are 32 bytes"
