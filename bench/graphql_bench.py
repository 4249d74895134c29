#!/usr/bin/env python3
"""GraphQL engine benchmark (make bench): runs InsightVault's engine (release build, in-process) and graphql-js 16
(Debian's node-graphql) on the same schema, data and queries, and prints ops/s for both and their ratio, in the
full-pipeline and execute-only modes."""
import json
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
SECONDS = sys.argv[1] if len(sys.argv) > 1 else "3"
directory = REPO / "bench" / "graphql"
ours = json.loads(subprocess.run([str(REPO / ".build/release/GraphQLBench"), str(directory), SECONDS],
                                 check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
js = json.loads(subprocess.run(["node", str(directory / "bench.js"), SECONDS], check=True, capture_output=True,
                               text=True, env={**os.environ, "NODE_PATH": "/usr/share/nodejs"}).stdout)
print("GraphQL engine benchmark: ops/s (higher is better), InsightVault vs graphql-js 16 on Node, same run")
print(f"{'query':<14}{'mode':<10}{'InsightVault':>14}{'graphql-js':>12}{'ratio':>8}")
for name in ("small", "list", "introspection"):
    for mode in ("full", "execute"):
        a, b = ours[name][mode], js[name][mode]
        print(f"{name:<14}{mode:<10}{a:>14.0f}{b:>12.0f}{a / b:>7.2f}x")
