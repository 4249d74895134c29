# InsightVault. `make run` and `make test` do all set-up on a fresh Debian machine.
SWIFT ?= swift

.PHONY: run test lint format deps test-deps build build-tests web screenshots bench fuzz soak clean

## Install what is missing, build, and serve API + dashboard (embedded PostgreSQL unless DATABASE_URL is set).
run: deps build web
	@echo "InsightVault: open http://$${IV_HOST:-127.0.0.1}:$${IV_PORT:-8080}/ once it is listening"
	@echo "Metrics: http://$${IV_METRICS_ADDRESS:-127.0.0.1:9464}/metrics (Prometheus text; IV_METRICS_ADDRESS=off turns them off; docs/observability.md)"
	.build/release/insightvault serve

## Install what is missing, start a throwaway PostgreSQL, run every test suite.
test: test-deps build-tests web
	scripts/run-tests.sh

## Formatting and doc comments (swift format, settings in .swift-format), shell scripts (shellcheck), and the
## architecture check (the README's target graph, Package.swift and every target's imports agree).
lint: test-deps
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Benchmarks Package.swift
	.venv/bin/shellcheck scripts/*.sh .ci/run
	.venv/bin/python scripts/check-architecture.py

## Rewrites the Swift sources in the project's format (what `make lint` checks).
format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Benchmarks Package.swift

deps:
	scripts/install-deps.sh

test-deps:
	scripts/install-deps.sh --test

build:
	$(SWIFT) build -c release --product insightvault

build-tests:
	$(SWIFT) build --build-tests

## The dashboard: type-checks and bundles web/src into web/dist (only when its sources changed).
web: deps
	scripts/build-web.sh

## PNGs of every dashboard page with demo data (seed-demo) in docs/screenshots/, taken with Debian's Chromium.
screenshots: test-deps build-tests web
	.venv/bin/python scripts/screenshots.py

## Benchmarks (not tests): release build, 127.0.0.1 only, bounded; each prints ratios against a baseline.
bench: test-deps build
	$(SWIFT) build -c release --product GraphQLBench
	$(SWIFT) build -c release --product JSONBench
	.build/release/JSONBench
	.venv/bin/python bench/graphql_bench.py
	.venv/bin/python bench/ingest_bench.py
	.venv/bin/python bench/metrics_bench.py
	.venv/bin/python bench/wrk/run.py
	.venv/bin/python bench/reports_bench.py
	.venv/bin/python bench/isolation_bench.py

## libFuzzer on the leaf parsers (JSON, ingestion body decoder, GraphQL lexer/parser): FUZZ_SECONDS (60) each, in
## .build-fuzz/; the minimized corpus goes to fuzz/corpus/, crashes to fuzz/crashes/ (make test replays both).
fuzz:
	scripts/fuzz.sh

## Ten minutes (SOAK_SECONDS) of mixed ingestion, reports and log-ins against a release server; fails on any error
## answer or when its memory keeps growing (docs/reliability.md). Not part of make test.
soak: test-deps build
	.venv/bin/python bench/soak.py

clean:
	rm -rf .build
