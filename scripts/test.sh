#!/usr/bin/env bash
# Runs every test of idplane on a fresh machine: prepares the local AWS emulator's Python venv
# (moto server plus the project's extension), then runs the whole workspace's tests. Tests that
# need the emulator start it themselves and fail loudly when they cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not installed; install Rust (https://rustup.rs) and run again" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "error: python3 (3.9 or newer) is needed for the local AWS emulator" >&2
  exit 1
fi

echo "==> preparing the local AWS emulator (moto server + idplane extension)"
bash tests/emulator/setup.sh
echo "==> preparing the test tools (schema checks of the CI and Kubernetes examples, the AWS CLI)"
bash tests/tools/setup.sh >/dev/null

echo "==> running every test"
cargo test --workspace --all-targets --locked "$@"
cargo test --workspace --doc --locked
