#!/usr/bin/env python3
"""Checks that the architecture the documentation describes is the one the code has.

  a) The mermaid `graph TD` block in README.md's "Architecture" section lists exactly the project-internal
     dependency edges of Package.swift's non-test, non-benchmark targets (system libraries such as CArgon2 and
     external products are left out of the drawing).
  b) Every `import X` of every target (tests and benchmarks included) names a module the target declares directly:
     a project target, an external product (module named like the product), or a module of the toolchain
     (Foundation, Testing, Glibc, ...). An undeclared import builds only by accident, through a neighbour that
     declares it: an error. A declared dependency never imported is a warning.
  c) Every backticked path in README.md and docs/**/*.md that starts with Sources/, Tests/, e2e/, scripts/,
     migrations/, bench/, Benchmarks/, docs/ or web/ exists, and so does every relative Markdown link target.

Python 3 standard library only. The manifest is read with `swift package dump-package` (which only evaluates
Package.swift; run in a scratch directory of its own) when `swift` is on PATH, else by parsing Package.swift's text.
Exit status: 0 when there are no errors (warnings are printed but do not fail), 1 otherwise.

Usage: scripts/check-architecture.py [--root DIR] [--no-swift]
"""
from __future__ import annotations

import argparse
import glob
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

# Modules that come with the toolchain or the operating system; no target has to declare them.
TOOLCHAIN_MODULES = {
    "Swift", "SwiftShims", "_Concurrency", "_StringProcessing", "RegexBuilder", "Observation", "Distributed",
    "Synchronization", "Cxx", "CxxStdlib",
    "Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
    "Dispatch", "Glibc", "Musl", "Bionic", "Android", "Darwin", "WinSDK", "ucrt", "os", "Testing", "XCTest",
}

# Where well-known products come from, only to make the "declare it" hint precise.
KNOWN_PACKAGES = {
    "NIOCore": "swift-nio", "NIOPosix": "swift-nio", "NIOHTTP1": "swift-nio", "NIOFoundationCompat": "swift-nio",
    "NIOConcurrencyHelpers": "swift-nio", "NIOEmbedded": "swift-nio", "NIOSSL": "swift-nio-ssl",
    "PostgresNIO": "postgres-nio", "Hummingbird": "hummingbird", "HummingbirdCore": "hummingbird",
    "HummingbirdTesting": "hummingbird", "Logging": "swift-log", "Metrics": "swift-metrics",
    "ServiceLifecycle": "swift-service-lifecycle", "Crypto": "swift-crypto", "JWTKit": "jwt-kit",
    "ArgumentParser": "swift-argument-parser", "CompressNIO": "compress-nio", "HTTPTypes": "swift-http-types",
}

PATH_PREFIXES = ("Sources/", "Tests/", "e2e/", "scripts/", "migrations/", "bench/", "Benchmarks/", "docs/", "web/")


@dataclass
class Dependency:
    kind: str  # "byName", "target" or "product"
    name: str
    package: str | None = None


@dataclass
class Target:
    name: str
    type: str  # regular, executable, test, system, binary, plugin, macro
    path: str | None = None
    exclude: list[str] = field(default_factory=list)
    sources: list[str] | None = None
    dependencies: list[Dependency] = field(default_factory=list)


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)


# ---------------------------------------------------------------------------------------------------------------
# The manifest


def load_manifest(root: pathlib.Path, use_swift: bool, report: Report) -> list[Target]:
    if use_swift and shutil.which("swift"):
        try:
            # A scratch directory of its own: the manifest is all it reads, and the repository's .build may be locked
            # by a build running at the same time (SwiftPM would wait for it).
            with tempfile.TemporaryDirectory(prefix="check-architecture-") as scratch:
                result = subprocess.run(["swift", "package", "--scratch-path", scratch, "dump-package"], cwd=root,
                                        capture_output=True, text=True, timeout=120)
            if result.returncode == 0:
                return targets_from_dump(json.loads(result.stdout))
            reason = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError, TypeError) as error:
            reason = str(error)
        report.notes.append(f"`swift package dump-package` failed ({reason}); parsed Package.swift's text instead")
    elif use_swift:
        report.notes.append("`swift` is not on PATH; parsed Package.swift's text instead")
    return targets_from_text((root / "Package.swift").read_text())


def targets_from_dump(dump: dict) -> list[Target]:
    targets = []
    for item in dump["targets"]:
        dependencies = []
        for dependency in item.get("dependencies", []):
            (kind, values), = dependency.items()
            if kind == "product":
                dependencies.append(Dependency("product", values[0], values[1]))
            elif kind in ("byName", "target"):
                dependencies.append(Dependency(kind, values[0]))
        targets.append(Target(
            name=item["name"], type=item["type"], path=item.get("path"), exclude=list(item.get("exclude") or []),
            sources=item.get("sources"), dependencies=dependencies))
    return targets


def strip_swift_comments(text: str) -> str:
    """Removes // and (nested) /* */ comments, keeping string literals intact."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith('"""', i):
            end = text.find('"""', i + 3)
            end = n if end < 0 else end + 3
            out.append(text[i:end])
            i = end
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"' and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(" ")
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def after_string(text: str, quote: int) -> int:
    """The index just past the string literal whose opening quote is at `quote` (backslash escapes skipped)."""
    j, n = quote + 1, len(text)
    while j < n and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def split_top_level(text: str) -> list[str]:
    """Splits at commas outside brackets and string literals."""
    parts, depth, start, i, n = [], 0, 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i = after_string(text, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def enclosed(text: str, open_index: int) -> str:
    """The text between the bracket at `open_index` and its partner."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth, i, n = 0, open_index, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i = after_string(text, i)
            continue
        if c in pairs:
            depth += 1
        elif c in pairs.values():
            depth -= 1
            if depth == 0:
                return text[open_index + 1:i]
        i += 1
    raise ValueError("unbalanced brackets in Package.swift")


def labelled(arguments: str) -> dict[str, str]:
    result = {}
    for part in split_top_level(arguments):
        match = re.match(r"(\w+)\s*:\s*(.*)\Z", part, re.S)
        if match:
            result[match.group(1)] = match.group(2).strip()
    return result


def string_literal(value: str | None) -> str | None:
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', value.strip()) if value else None
    return match.group(1) if match else None


def string_list(value: str | None) -> list[str]:
    if not value or not value.strip().startswith("["):
        return []
    inner = enclosed(value.strip(), 0)
    return [s for s in (string_literal(p) for p in split_top_level(inner)) if s is not None]


def targets_from_text(manifest: str) -> list[Target]:
    """A careful, partial reading of Package.swift: the `targets:` array of `Package(...)`, literal values only."""
    text = strip_swift_comments(manifest)
    call = re.search(r"\bPackage\s*\(", text)
    if not call:
        raise ValueError("Package.swift has no Package(...) call")
    arguments = labelled(enclosed(text, call.end() - 1))
    if "targets" not in arguments:
        raise ValueError("Package(...) has no targets: argument")
    kinds = {"target": "regular", "executableTarget": "executable", "testTarget": "test", "systemLibrary": "system",
             "binaryTarget": "binary", "plugin": "plugin", "macro": "macro"}
    targets = []
    for element in split_top_level(enclosed(arguments["targets"], arguments["targets"].index("["))):
        match = re.match(r"\.(\w+)\s*\(", element)
        if not match or match.group(1) not in kinds:
            continue
        fields = labelled(enclosed(element, match.end() - 1))
        dependencies = []
        if "dependencies" in fields:
            for dependency in split_top_level(enclosed(fields["dependencies"], fields["dependencies"].index("["))):
                name = string_literal(dependency)
                if name is not None:
                    dependencies.append(Dependency("byName", name))
                    continue
                call_match = re.match(r"\.(product|target|byName)\s*\(", dependency)
                if call_match:
                    inner = labelled(enclosed(dependency, call_match.end() - 1))
                    dependencies.append(Dependency(call_match.group(1), string_literal(inner.get("name")) or "?",
                                                   string_literal(inner.get("package"))))
        targets.append(Target(
            name=string_literal(fields.get("name")) or "?", type=kinds[match.group(1)],
            path=string_literal(fields.get("path")), exclude=string_list(fields.get("exclude")),
            sources=string_list(fields["sources"]) if "sources" in fields else None, dependencies=dependencies))
    return targets


def target_directory(root: pathlib.Path, target: Target) -> pathlib.Path | None:
    if target.path:
        return root / target.path
    candidates = ["Tests", "Sources", "Source", "src", "srcs"] if target.type == "test" else \
        ["Sources", "Source", "src", "srcs"]
    for folder in candidates:
        if (root / folder / target.name).is_dir():
            return root / folder / target.name
    return None


def is_production(root: pathlib.Path, target: Target) -> bool:
    """Neither a test nor a benchmark, nor a system library or binary."""
    if target.type not in ("regular", "executable", "macro", "plugin"):
        return False
    directory = target_directory(root, target)
    relative = (directory.relative_to(root).as_posix() + "/") if directory else f"Sources/{target.name}/"
    if relative.startswith(("Tests/", "Benchmarks/", "bench/")):
        return False
    return not re.search(r"(Bench|Benchmarks?)$", target.name)


# ---------------------------------------------------------------------------------------------------------------
# a) the README's graph


def markdown_sections(text: str, level: int) -> list[tuple[str, str]]:
    """(heading, body) for every heading of `level`, ignoring `#` lines inside fenced blocks."""
    sections, heading, body, fence = [], None, [], None
    for line in text.splitlines():
        stripped = line.strip()
        fence_match = re.match(r"(`{3,}|~{3,})", stripped)
        if fence_match:
            if fence is None:
                fence = fence_match.group(1)
            elif stripped.startswith(fence) and stripped.strip("`~") == "":
                fence = None
        match = re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", line) if fence is None else None
        if match and len(match.group(1)) <= level:
            if heading is not None:
                sections.append((heading, "\n".join(body)))
            heading, body = (match.group(2), []) if len(match.group(1)) == level else (None, [])
            continue
        if heading is not None:
            body.append(line)
    if heading is not None:
        sections.append((heading, "\n".join(body)))
    return sections


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(info string, content) of every fenced code block."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = re.match(r"\s*(`{3,}|~{3,})\s*([^\s`]*)", lines[i])
        if match:
            fence, info, content = match.group(1), match.group(2), []
            i += 1
            while i < len(lines) and not (lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""):
                content.append(lines[i])
                i += 1
            blocks.append((info, "\n".join(content)))
        i += 1
    return blocks


def mermaid_graph(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Nodes and `A --> B` edges of a mermaid flowchart (labels `A[...]` reduced to their ids)."""
    nodes, edges = set(), set()
    node = r"([A-Za-z_][\w.-]*)(?:\s*(?:\[[^\]]*\]|\([^)]*\)|\{[^}]*\}|>[^\]]*\]))?"
    for raw in text.splitlines():
        line = raw.split("%%", 1)[0].strip().rstrip(";")
        if not line or re.match(r"(graph|flowchart)\b|(subgraph|end|classDef|class|style|linkStyle|click)\b", line):
            continue
        pieces = re.split(r"\s*(?:-->|---|==>|-\.->)(?:\|[^|]*\|)?\s*", line)
        groups = []
        for piece in pieces:
            ids = [m.group(1) for m in (re.fullmatch(node, p.strip()) for p in piece.split("&")) if m]
            nodes.update(ids)
            groups.append(ids)
        for left, right in zip(groups, groups[1:]):
            edges.update((a, b) for a in left for b in right)
    return nodes, edges


def check_graph(root: pathlib.Path, targets: list[Target], report: Report) -> None:
    readme = root / "README.md"
    if not readme.exists():
        report.error("README.md is missing")
        return
    sections = [body for heading, body in markdown_sections(readme.read_text(), 2) if "architecture" in heading.lower()]
    if not sections:
        report.error("README.md has no '## Architecture' section")
        return
    graphs = [content for info, content in fenced_blocks(sections[0])
              if info == "mermaid" and re.match(r"\s*(graph|flowchart)\s+TD\b", content)]
    if not graphs:
        report.error("README.md's Architecture section has no ```mermaid block starting with `graph TD`")
        return
    drawn_nodes, drawn = mermaid_graph(graphs[0])

    by_name = {t.name: t for t in targets}
    production = {t.name for t in targets if is_production(root, t)}
    drawable = {t.name for t in targets if t.type not in ("system", "binary")}
    actual = {(t.name, d.name) for t in targets if t.name in production
              for d in t.dependencies if d.kind != "product" and d.name in drawable}
    actual_nodes = production | {b for _, b in actual}

    for a, b in sorted(actual - drawn):
        report.error(f"graph: Package.swift has {a} --> {b}, the README's graph does not")
    for a, b in sorted(drawn - actual):
        if a not in by_name or b not in by_name:
            missing = ", ".join(n for n in (a, b) if n not in by_name)
            report.error(f"graph: the README draws {a} --> {b}, but Package.swift has no target {missing}")
        else:
            report.error(f"graph: the README draws {a} --> {b}, Package.swift does not declare it")
    for name in sorted(actual_nodes - drawn_nodes):
        report.error(f"graph: target {name} is missing from the README's graph")
    for name in sorted(drawn_nodes - actual_nodes):
        if name in by_name and not any(name in edge for edge in drawn - actual):
            report.error(f"graph: the README draws {name}, which is a test, benchmark or system target")
        elif name not in by_name and not any(name in edge for edge in drawn):
            report.error(f"graph: the README draws {name}, but Package.swift has no such target")


# ---------------------------------------------------------------------------------------------------------------
# b) imports

IMPORT = re.compile(
    r"^\s*(?:@[\w]+(?:\([^)]*\))?\s+)*"                     # @testable, @preconcurrency, @_exported, @_implementationOnly
    r"(?:(?:public|package|internal|fileprivate|private)\s+)?"  # access-level imports
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?"
    r"([A-Za-z_]\w*)", re.M)


def strip_swift_strings_and_comments(text: str) -> str:
    text = strip_swift_comments(text)
    text = re.sub(r'#*"""[\s\S]*?"""#*', '""', text)  # multi-line string literals (test documents, SQL)
    return text


def swift_files(root: pathlib.Path, target: Target) -> list[pathlib.Path]:
    directory = target_directory(root, target)
    if directory is None or not directory.is_dir():
        return []
    excluded = [(directory / e).resolve() for e in target.exclude]
    included = [(directory / s).resolve() for s in target.sources] if target.sources is not None else None

    def inside(path: pathlib.Path, folders: list[pathlib.Path]) -> bool:
        return any(path == f or f in path.parents for f in folders)

    files = []
    for path in sorted(directory.rglob("*.swift")):
        resolved = path.resolve()
        if inside(resolved, excluded) or (included is not None and not inside(resolved, included)):
            continue
        files.append(path)
    return files


def check_imports(root: pathlib.Path, targets: list[Target], report: Report) -> None:
    by_name = {t.name: t for t in targets}
    production = {t.name for t in targets if is_production(root, t)}

    def reachable(name: str, seen: set[str] | None = None) -> set[str]:
        """Every module a target's declared dependencies bring along, directly or further down."""
        seen = set() if seen is None else seen
        for dependency in by_name[name].dependencies if name in by_name else []:
            if dependency.name not in seen:
                seen.add(dependency.name)
                reachable(dependency.name, seen)
        return seen

    for target in targets:
        if target.type in ("system", "binary"):
            continue
        files = swift_files(root, target)
        if not files:
            if target.type != "plugin":
                report.warning(f"imports: target {target.name} has no Swift files where Package.swift puts it")
            continue
        declared = {d.name: d for d in target.dependencies}
        imported: dict[str, list[str]] = {}
        for path in files:
            for module in IMPORT.findall(strip_swift_strings_and_comments(path.read_text(errors="replace"))):
                imported.setdefault(module, []).append(path.relative_to(root).as_posix())

        for module, where in sorted(imported.items()):
            if module in declared or module == target.name or module in TOOLCHAIN_MODULES:
                continue
            first = where[0] + (f" and {len(where) - 1} more" if len(where) > 1 else "")
            through = [name for name in declared if name in by_name and module in reachable(name)]
            how = f"it builds by accident through {', '.join(through)}" if through else \
                "it is not reachable through its dependencies either"
            if module in by_name:
                report.error(f"imports: {target.name} imports {module} ({first}) but does not declare it ({how}); "
                             f'add "{module}" to its dependencies')
                if target.name in production and not is_production(root, by_name[module]):
                    report.error(f"imports: production target {target.name} imports test/benchmark target {module}")
            else:
                package = KNOWN_PACKAGES.get(module, "<package>")
                report.error(f"imports: {target.name} imports {module} ({first}) but does not declare it ({how}); "
                             f'add .product(name: "{module}", package: "{package}")')

        for name, dependency in declared.items():
            if name in imported:
                continue
            what = "product" if dependency.kind == "product" or name not in by_name else "target"
            report.warning(f"imports: {target.name} declares {what} {name} but no file of it imports {name}")


# ---------------------------------------------------------------------------------------------------------------
# c) paths in the documentation


def documentation_files(root: pathlib.Path) -> list[pathlib.Path]:
    files = [root / "README.md"] if (root / "README.md").exists() else []
    if (root / "docs").is_dir():
        files += sorted((root / "docs").rglob("*.md"))
    return files


def without_fences(text: str) -> str:
    out, fence = [], None
    for line in text.splitlines():
        stripped = line.strip()
        match = re.match(r"(`{3,}|~{3,})", stripped)
        if match and (fence is None or (stripped.startswith(fence) and stripped.strip(fence[0]) == "")):
            fence = match.group(1) if fence is None else None
            out.append("")
            continue
        out.append("" if fence else line)
    return "\n".join(out)


def check_paths(root: pathlib.Path, report: Report) -> None:
    for document in documentation_files(root):
        name = document.relative_to(root).as_posix()
        text = without_fences(document.read_text())
        for number, line in enumerate(text.splitlines(), 1):
            for match in re.finditer(r"(`+)(.+?)(?<!`)\1(?!`)", line):
                span = match.group(2).strip()
                if not span.startswith(PATH_PREFIXES) or re.search(r"\s", span):
                    continue
                path = re.sub(r"(::\w+|:\d+(:\d+)?|#L\d+(-L?\d+)?)$", "", span)
                if re.search(r"[<>{}…]|\.\.\.", path):
                    continue  # a pattern such as Tests/<Target>Tests, not a path
                if re.search(r"[*?\[]", path):
                    if not glob.glob(str(root / path), recursive=True):
                        report.error(f"paths: {name}:{number}: `{span}` matches no file")
                elif not (root / path).exists():
                    report.error(f"paths: {name}:{number}: `{span}` does not exist")
            line_without_code = re.sub(r"(`+).+?\1", "", line)
            for match in re.finditer(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", line_without_code):
                target = match.group(1)
                if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
                    continue
                relative = target.split("#", 1)[0]
                resolved = (document.parent / relative).resolve()
                if relative and not resolved.exists():
                    report.error(f"paths: {name}:{number}: link target {target} does not exist")
                elif relative and root.resolve() not in (resolved, *resolved.parents):
                    report.error(f"paths: {name}:{number}: link target {target} is outside the repository")


# ---------------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[1]),
                        help="repository root (default: the parent of scripts/)")
    parser.add_argument("--no-swift", action="store_true", help="parse Package.swift's text, do not run swift")
    options = parser.parse_args()
    root = pathlib.Path(options.root).resolve()
    report = Report()

    try:
        targets = load_manifest(root, not options.no_swift, report)
    except (OSError, ValueError) as error:
        print(f"error: cannot read the package manifest: {error}")
        return 1
    check_graph(root, targets, report)
    check_imports(root, targets, report)
    check_paths(root, report)

    for note in report.notes:
        print(f"note: {note}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    for error in report.errors:
        print(f"error: {error}")
    print(f"check-architecture: {len(targets)} targets; {len(report.errors)} errors, {len(report.warnings)} warnings")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
