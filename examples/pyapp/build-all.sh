#!/usr/bin/env bash
# Builds every variant of this example by hand with the docker CLI, runs each image's own
# CMD without network, and prints size and outcome (the numbers in README.md).
# Usage: BASE_IMAGE=layerboard/bookworm-base:local examples/pyapp/build-all.sh
# LAYERBOARD_NETWORK_MODE=host builds with the host network (an engine without a bridge).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base="${BASE_IMAGE:-debian:bookworm-slim}"
prefix="${TAG_PREFIX:-layerdemo}"

net=()
[ -n "${LAYERBOARD_NETWORK_MODE:-}" ] && net=(--network "$LAYERBOARD_NETWORK_MODE")
build() { docker build -q --force-rm "${net[@]}" --build-arg BASE_IMAGE="$base" -f "$1" -t "$2" "$3" >/dev/null; }

report() {
  local tag=$1 size out rc=0
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  out=$(docker run --rm --network none "$tag" 2>&1) || rc=$?
  printf '%-22s %10s bytes %7.1f MB  exit %-3s %s\n' "$tag" "$size" "$(awk -v s="$size" 'BEGIN { print s / 1000000 }')" "$rc" "$out"
}

for v in single multi copies; do
  build "$here/Dockerfile.$v" "$prefix:$v" "$here"
done

# Builder pattern: build image -> copy the artefact out -> runtime image from a fresh context.
build "$here/Dockerfile.build" "$prefix:build" "$here"
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"; [ -n "${cid:-}" ] && docker rm -f "$cid" >/dev/null' EXIT
cid=$(docker create "$prefix:build")
mkdir -p "$ctx/artifact"
docker cp "$cid:/out/venv.tar.gz" "$ctx/artifact/venv.tar.gz"
cp "$here/Dockerfile.runtime" "$ctx/Dockerfile"
build "$ctx/Dockerfile" "$prefix:runtime" "$ctx"

echo "base $base: $(docker image inspect -f '{{.Size}}' "$base") bytes"
for v in single multi copies runtime; do report "$prefix:$v"; done
