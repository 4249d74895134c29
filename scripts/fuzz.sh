#!/usr/bin/env bash
# Fuzzes the leaf parsers with libFuzzer (make fuzz): the JSON parser, the ingestion body decoder and the GraphQL
# lexer/parser. Builds the executables of the separate package in fuzz/ in release mode with
# -sanitize=fuzzer,address into .build-fuzz/ (the normal build never builds them), then runs each for FUZZ_SECONDS
# (default 60) on its corpus in fuzz/corpus/<target>/, merges what it found into a minimized corpus, and keeps any
# crash in fuzz/crashes/<target>/. `make test` replays both directories (Tests/FuzzTargetsTests).
#   scripts/fuzz.sh [target ...]    targets: json body-decoder graphql (default: all)
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(json body-decoder graphql)

# The fuzz package resolves the root package's dependencies at the versions the root has pinned.
[ -f Package.resolved ] && cp Package.resolved fuzz/Package.resolved
swift build -c release --package-path fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address

status=0
for target in "${targets[@]}"; do
    case "$target" in
    json) executable=FuzzJSON ;;
    body-decoder) executable=FuzzBodyDecoder ;;
    graphql) executable=FuzzGraphQL ;;
    *)
        echo "fuzz: unknown target '$target' (json, body-decoder, graphql)" >&2
        exit 2
        ;;
    esac
    corpus=fuzz/corpus/$target
    crashes=fuzz/crashes/$target
    found=$(mktemp -d "/tmp/fuzz-$target.XXXXXX")
    mkdir -p "$corpus" "$crashes"
    echo "=== $target: fuzzing for $seconds s"
    # New inputs go to $found; the kept corpus is only read, then rebuilt minimized by -set_cover_merge below.
    if ! ASAN_OPTIONS=detect_leaks=0:symbolize=1 ".build-fuzz/release/$executable" "$found" "$corpus" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="$crashes/" -print_final_stats=1 2>"$found.log"; then
        echo "fuzz: $target found a crash (kept in $crashes/):" >&2
        tail -40 "$found.log" >&2
        status=1
    fi
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE" "$found.log" || true
    # Minimize: a small set of inputs that covers every feature seen (set cover).
    merged=$(mktemp -d "/tmp/fuzz-$target-merged.XXXXXX")
    ASAN_OPTIONS=detect_leaks=0 ".build-fuzz/release/$executable" -set_cover_merge=1 "$merged" "$corpus" "$found" \
        -max_len=65536 -timeout=10 2>>"$found.log" >/dev/null
    rm -rf "$corpus" "$found" "$found.log"
    mv "$merged" "$corpus"
    chmod 755 "$corpus"
    echo "=== $target: corpus $(find "$corpus" -type f | wc -l) files, crashes $(find "$crashes" -type f | wc -l) files"
done
exit "$status"
