#!/usr/bin/env bash
# Pins the base images of a Dockerfile to their registry digests: every `FROM image:tag` (or `FROM image:tag@sha256:…`,
# which is refreshed) becomes `FROM image:tag@sha256:<digest of the tag now>`. The tag stays for people to read; the
# digest is what Docker pulls. The digest is the one of the tag's manifest list (index) when the image has one, so the
# pin holds for every platform.
#
# It asks the registry with the first of these that is installed: `docker buildx imagetools inspect`, `skopeo inspect`,
# `crane digest`. It never writes a digest it did not get from the registry: without a tool, without a reachable
# registry, or with an answer that is not a sha256 digest, it changes nothing and exits non-zero.
#
# Usage: scripts/pin-image-digests.sh [--dry-run] [DOCKERFILE]   (default: the repository's Dockerfile)
#   --dry-run   print the rewritten lines, write nothing
set -euo pipefail

usage() {
    echo "usage: $0 [--dry-run] [DOCKERFILE]" >&2
    exit 2
}

dry_run=0
dockerfile=""
for arg in "$@"; do
    case "$arg" in
        --dry-run) dry_run=1 ;;
        -h | --help) usage ;;
        -*) usage ;;
        *)
            [ -z "$dockerfile" ] || usage
            dockerfile=$arg
            ;;
    esac
done
if [ -z "$dockerfile" ]; then
    dockerfile="$(cd "$(dirname "$0")/.." && pwd)/Dockerfile"
fi
if [ ! -f "$dockerfile" ]; then
    echo "pin-image-digests: $dockerfile does not exist" >&2
    exit 1
fi

# The tool that answers; each prints nothing but the digest.
tool=""
if command -v docker >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
    tool=buildx
elif command -v skopeo >/dev/null 2>&1; then
    tool=skopeo
elif command -v crane >/dev/null 2>&1; then
    tool=crane
else
    echo "pin-image-digests: none of docker buildx, skopeo or crane is installed; install one of them" \
        "(with access to the registry) and run again. Nothing was changed." >&2
    exit 1
fi

resolve() {
    local ref=$1
    case "$tool" in
        buildx) docker buildx imagetools inspect --format '{{.Manifest.Digest}}' "$ref" ;;
        # .Digest is the top-level manifest's (the index of a multi-platform image), as skopeo-inspect(1) says.
        skopeo) skopeo inspect --format '{{.Digest}}' "docker://$ref" ;;
        crane) crane digest "$ref" ;;
    esac
}

# Stage names defined so far: `FROM build` refers to one of them, not to an image.
declare -A stages=()
tmp=$(mktemp "${TMPDIR:-/tmp}/pin-image-digests.XXXXXX")
trap 'rm -f "$tmp"' EXIT

from_re='^([[:space:]]*[Ff][Rr][Oo][Mm][[:space:]]+)((--[^[:space:]]+[[:space:]]+)*)([^[:space:]]+)(.*)$'
as_re='[[:space:]][Aa][Ss][[:space:]]+([^[:space:]]+)'
pinned=0
while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ $from_re ]]; then
        prefix=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
        image=${BASH_REMATCH[4]}
        rest=${BASH_REMATCH[5]}
        stage=""
        if [[ $rest =~ $as_re ]]; then stage=${BASH_REMATCH[1],,}; fi
        if [ "$image" = scratch ] || [ -n "${stages[${image,,}]:-}" ]; then
            :
        elif [[ $image == *'$'* ]]; then
            echo "pin-image-digests: $image is built from build arguments; pin it by hand. Nothing was changed." >&2
            exit 1
        else
            name=${image%@*}
            last=${name##*/}
            if [[ $last != *:* ]]; then
                echo "pin-image-digests: $image has no tag; give it an exact tag first. Nothing was changed." >&2
                exit 1
            fi
            if ! digest=$(resolve "$name" 2>"$tmp.err"); then
                echo "pin-image-digests: could not resolve $name with $tool (is the registry reachable?):" >&2
                cat "$tmp.err" >&2
                rm -f "$tmp.err"
                echo "Nothing was changed." >&2
                exit 1
            fi
            rm -f "$tmp.err"
            digest=$(printf '%s' "$digest" | tr -d '[:space:]')
            if [[ ! $digest =~ ^sha256:[0-9a-f]{64}$ ]]; then
                echo "pin-image-digests: $tool answered '$digest' for $name, not a sha256 digest. Nothing was changed." >&2
                exit 1
            fi
            echo "pin-image-digests: $name -> $digest" >&2
            line="$prefix$name@$digest$rest"
            pinned=$((pinned + 1))
        fi
        if [ -n "$stage" ]; then stages[$stage]=1; fi
    fi
    printf '%s\n' "$line" >>"$tmp"
done <"$dockerfile"

if [ "$pinned" -eq 0 ]; then
    echo "pin-image-digests: no image to pin in $dockerfile" >&2
    exit 1
fi
if [ "$dry_run" = 1 ]; then
    grep -iE '^[[:space:]]*FROM[[:space:]]' "$tmp"
else
    cat "$tmp" >"$dockerfile"
    echo "pin-image-digests: pinned $pinned image(s) in $dockerfile" >&2
fi
