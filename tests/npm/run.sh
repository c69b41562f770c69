#!/usr/bin/env bash
# Builds the npm package and runs its Node and browser tests:
#
#   tests/npm/run.sh
#
# Installs what is missing on a fresh machine: Chromium (apt-get), the wasm target and the pinned
# wasm-bindgen CLI (build.sh), and the test's npm packages (npm ci). Also builds the copyjob CLI
# for the consistency test. Respects CARGO_TARGET_DIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

"$root/scripts/ensure-chromium"

"$root/crates/copyjob-wasm/build.sh"
# The size budget (deterministic): fails when the .wasm grows past it.
"$root/scripts/check-wasm-size"
(cd "$root" && cargo build -q -p copyjob-cli)

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/esbuild ] || [ ! -d node_modules/typescript ] \
   || [ ! -e node_modules/@copyjob/copyjob/package.json ]; then
  npm ci --no-audit --no-fund
fi
node --test --test-reporter=spec
