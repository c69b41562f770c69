#!/usr/bin/env bash
# Builds the browser editor into www/dist/: the WASM package first when crates/copyjob-wasm/pkg
# is missing, `npm ci` when node_modules is missing, then the esbuild bundle (build.mjs).
#
#   www/build.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ ! -f "$root/crates/copyjob-wasm/pkg/copyjob_bg.wasm" ] || [ ! -f "$root/crates/copyjob-wasm/pkg/package.json" ]; then
  echo "www/build.sh: building the WASM package (crates/copyjob-wasm/build.sh)" >&2
  "$root/crates/copyjob-wasm/build.sh"
fi
cd "$here"
if [ ! -d node_modules/esbuild ] || [ ! -d node_modules/codemirror ] || [ ! -d node_modules/@azure/msal-browser ] \
   || [ ! -e node_modules/@copyjob/copyjob/package.json ]; then
  npm ci --no-audit --no-fund
fi
node build.mjs
