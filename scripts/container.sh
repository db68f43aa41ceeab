#!/usr/bin/env bash
# Builds the idplane container image (Dockerfile at the repository root) as
# idplane:<short commit>, passing the commit for `idplane --version`. Needs a running Docker
# daemon (or set DOCKER to a compatible client, e.g. DOCKER=podman); extra arguments go to
# `docker build` (e.g. --platform linux/arm64, -t registry.example.com/idplane:0.1.0).
set -euo pipefail
cd "$(dirname "$0")/.."

docker="${DOCKER:-docker}"
if ! command -v "$docker" >/dev/null 2>&1; then
  echo "container.sh: '$docker' is not installed: the image cannot be built on this machine." >&2
  echo "Install Docker (or set DOCKER=podman), or let CI build it; the Dockerfile is linted by" >&2
  echo "the tests (cargo test -p idplane-cli --test it fleet_files) without Docker." >&2
  exit 1
fi
if ! "$docker" info >/dev/null 2>&1; then
  echo "container.sh: the Docker daemon is not running (or not reachable by '$docker'):" >&2
  echo "the image cannot be built here. Start the daemon, or build where Docker runs." >&2
  exit 1
fi

commit="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
tag="idplane:$(git rev-parse --short HEAD 2>/dev/null || echo dev)"
echo "==> building $tag (commit $commit)" >&2
DOCKER_BUILDKIT=1 "$docker" build --build-arg "IDPLANE_BUILD_COMMIT=$commit" -t "$tag" "$@" .
"$docker" run --rm "$tag" --version
echo "$tag"
