#!/usr/bin/env bash
# Runs every test suite against a throwaway PostgreSQL that this script starts and always stops.
# Prints one closing line "N passed, N failed" over the suites and exits non-zero if any suite failed.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
pgdir=$(mktemp -d /tmp/iv-test-pg.XXXXXX)
cleanup() { scripts/test-postgres.sh stop "$pgdir"; }
trap cleanup EXIT INT TERM

if ! scripts/test-postgres.sh start "$pgdir"; then
    echo "run-tests: could not start the test PostgreSQL; refusing to run tests without it" >&2
    exit 1
fi
set -a
# shellcheck disable=SC1091
. "$pgdir/env"
set +a
export IV_BINARY="$PWD/.build/debug/insightvault"

passed=0
failed=0
failures=()
suite() {
    local name=$1
    shift
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
    fi
}

# The readiness test stops and restarts an embedded cluster and then shuts its whole application down. Run next to
# the other suites it hung in that shutdown in 1 of 4 focused runs (every thread idle, no database session); alone it
# passed 12 of 12. Until the cause is found it runs in its own process, after the rest.
isolated="readinessFollowsTheDatabaseGoingDownAndComingBack"
suite "swift test" swift test --skip-build --skip "$isolated"
suite "swift test ($isolated, alone)" swift test --skip-build --filter "$isolated"
suite "end-to-end (pytest)" .venv/bin/python -m pytest -q e2e

echo
[ "$failed" -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
