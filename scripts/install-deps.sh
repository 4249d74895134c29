#!/usr/bin/env bash
# Idempotent installer for everything InsightVault builds and tests with.
# Installs Debian packages that are missing and creates the Python venv under .venv.
# Usage: scripts/install-deps.sh [--test]   (--test adds the tools the test suites need)
set -euo pipefail

cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages=(postgresql-15 postgresql-contrib libargon2-dev libpq-dev libssl-dev libjwt-dev pkg-config curl ca-certificates)
if [ "$want_test" = 1 ]; then
    apt_packages+=(node-graphql nodejs python3-venv)
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

if [ "$want_test" = 1 ]; then
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    if ! .venv/bin/python -c "import psycopg" 2>/dev/null || [ requirements-test.txt -nt .venv/.installed ]; then
        .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
        touch .venv/.installed
    fi
fi
