#!/usr/bin/env bash
# Creates (or refreshes) the Python virtual environment of the test tools (check-jsonschema and
# kubernetes-validate, used offline by crates/idplane-cli/tests/it/fleet_files.rs) and prints
# its path.
#
# The venv lives at ${IDPLANE_TOOLS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/idplane/tools-venv}.
# It is keyed by a hash of requirements.txt and of the Python version: when either changes, the
# venv is rebuilt; otherwise this script returns at once. Concurrent runs wait on a lock file.
# Progress goes to stderr; stdout carries only the venv path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${IDPLANE_PYTHON:-python3}"
venv="${IDPLANE_TOOLS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/idplane/tools-venv}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup.sh: '$python' not found; install Python 3.9+ or set IDPLANE_PYTHON" >&2
  exit 1
fi

hash_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

want="$({ cat "$here/requirements.txt"; "$python" --version 2>&1; } | hash_stdin)"
stamp="$venv/.idplane-requirements-sha256"

is_current() { [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" ]]; }

if is_current; then
  echo "$venv"
  exit 0
fi

mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# Another process may have finished the job while we waited for the lock.
if is_current; then
  echo "$venv"
  exit 0
fi

echo "setup.sh: building the test tools venv at $venv (takes about ten seconds)" >&2
start=$(date +%s)
rm -rf "$venv"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
echo "$want" >"$stamp"
echo "setup.sh: venv ready in $(( $(date +%s) - start ))s" >&2
echo "$venv"
