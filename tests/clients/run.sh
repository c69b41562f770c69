#!/usr/bin/env bash
# Microsoft's own clients against the emulator, end to end:
#
#   tests/clients/run.sh
#
# Creates a Python venv (venv.sh: target/python-clients/venv, re-created when requirements.txt
# changes) with the pinned fabric-cicd and fab (ms-fabric-cli), builds the emulator and the `copyjob`
# CLI, and runs the unittest scenarios (test_fabric_cicd.py, test_fab.py, test_parameters.py), each
# against a real `copyjob-emulator` process. Respects CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$("$here/venv.sh")"

(cd "$root" && cargo build --locked -q -p copyjob-emulator -p copyjob-cli)

cd "$here"
COPYJOB_EMULATOR="$target/debug/copyjob-emulator" COPYJOB_CLI="$target/debug/copyjob" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m unittest discover --start-directory "$here" --pattern 'test_*.py' --verbose
