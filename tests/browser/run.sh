#!/usr/bin/env bash
# The editor's browser tests: playwright-core + Debian's Chromium against `copyjob serve --port 0`.
#
#   tests/browser/run.sh
#
# Installs or builds what is missing: Chromium (apt-get), the WASM package and the www/dist
# bundle (www/build.sh), the copyjob CLI (cargo build), the test's npm packages (npm ci).
# Respects CARGO_TARGET_DIR. Screenshots: target/browser-test-artifacts/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

"$root/scripts/ensure-chromium"

# The bundle is rebuilt every time (a second or two), so the tests never run a stale page.
"$root/www/build.sh"
(cd "$root" && cargo build -q --locked -p copyjob-cli)
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export COPYJOB_BIN="$target/debug/copyjob"

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
node --test --test-concurrency=1 --test-reporter=spec
