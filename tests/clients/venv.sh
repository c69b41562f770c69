#!/usr/bin/env bash
# The Python venv of the client tests and tools (tests/clients/run.sh, scripts/fab-emulator):
#
#   venv="$(tests/clients/venv.sh)"
#
# Prints its path, $CARGO_TARGET_DIR/python-clients/venv (target/ by default), after creating it
# with the packages pinned in requirements.txt (fabric-cicd, ms-fabric-cli, cryptography, PyJWT,
# requests, ...), or re-creating it when requirements.txt has changed since. Needs python3 with
# the venv module, and the package index.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${CARGO_TARGET_DIR:-$root/target}/python-clients/venv"

if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  echo "creating $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
echo "$venv"
