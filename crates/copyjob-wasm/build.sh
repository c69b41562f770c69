#!/usr/bin/env bash
# Builds the npm package @copyjob/copyjob from scratch into crates/copyjob-wasm/pkg/.
#
#   crates/copyjob-wasm/build.sh
#
# Installs what is missing: the wasm32-unknown-unknown target (rustup), the wasm-bindgen CLI of
# exactly the version Cargo.lock pins, and wasm-opt from the npm package binaryen of exactly the
# version tools/package-lock.json pins (npm ci). Uses the workspace's target dir unless
# CARGO_TARGET_DIR is set. Prints the .wasm size raw and gzipped.
set -euo pipefail
crate="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$crate/../.." && pwd)"
cd "$root"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
say() { echo "build.sh: $*" >&2; }

# -- tools -------------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
[ -n "$wbg_version" ] || { say "wasm-bindgen is not in Cargo.lock"; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (about 2 minutes)"
  # No --locked: its lockfile wants a webpki-roots version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi
tools="$crate/tools"
wasm_opt="$tools/node_modules/.bin/wasm-opt"
binaryen_version="$(node -p 'require(process.argv[1]).devDependencies.binaryen' "$tools/package.json")"
if [ "$(node -p 'try { require(process.argv[1]).version } catch { "" }' "$tools/node_modules/binaryen/package.json")" \
     != "$binaryen_version" ] || [ ! -x "$wasm_opt" ]; then
  say "installing binaryen $binaryen_version (wasm-opt) into ${tools#"$root"/}/node_modules"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# -- compile -----------------------------------------------------------------------------------
# The size-tuned profile `wasm-release` is in the root Cargo.toml.
# strip stays off: wasm-bindgen needs the target_features section (it removes names itself).
say "cargo build (profile wasm-release: opt-level z, lto, codegen-units 1, panic abort)"
cargo build --locked -p copyjob-wasm --target wasm32-unknown-unknown --profile wasm-release
target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')}"
raw_wasm="$target_dir/wasm32-unknown-unknown/wasm-release/copyjob_wasm.wasm"

# -- package -----------------------------------------------------------------------------------
pkg="$crate/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
# One glue for every environment: the web target (ES module, `init` from a URL or bytes,
# `initSync`). The node entry instantiates it synchronously from the file next to it.
wasm-bindgen "$raw_wasm" --target web --out-dir "$pkg" --out-name copyjob \
  --remove-name-section --remove-producers-section
# The raw exports' externref parameters are typed `any` by wasm-bindgen; they are not for callers
# (InitOutput), but the public .d.ts must have no `any`: `unknown` is what they are.
sed -i -E 's/\b([a-z]): any\b/\1: unknown/g' "$pkg/copyjob.d.ts" "$pkg/copyjob_bg.wasm.d.ts"
# wasm-opt on the final module. The wasm features are those rustc used, read from the module's
# target_features section (binaryen's default; the section is then stripped). -Oz less three
# passes: inlining, local CSE and similar-function merging make the code a little smaller raw
# but worse for gzip (measured: plain -Oz is 8.5 % smaller raw and 4 % larger gzipped; this set
# is 5.8 % and 2.5 % smaller). lint in Node is as fast as before; plain -Oz, which inlines, is
# 5-15 % faster.
say "wasm-opt -Oz (binaryen $binaryen_version)"
"$wasm_opt" "$pkg/copyjob_bg.wasm" -o "$pkg/copyjob_bg.wasm" -Oz \
  --skip-pass=inlining-optimizing --skip-pass=local-cse --skip-pass=merge-similar-functions \
  --strip-debug --strip-producers --strip-target-features
cp "$crate/js/node.js" "$crate/js/node.d.ts" "$pkg/"
cp "$crate/README.md" "$pkg/README.md"

metadata="$(cargo metadata --format-version 1 --no-deps)"
PKG_DIR="$pkg" node --input-type=module -e '
import { writeFileSync } from "node:fs";
let s = ""; for await (const d of process.stdin) s += d;
const crate = JSON.parse(s).packages.find((p) => p.name === "copyjob-wasm");
const pkg = {
  name: "@copyjob/copyjob",
  version: crate.version,
  description: "Pack, unpack, validate and lint Microsoft Fabric Copy job definitions (WebAssembly)",
  license: crate.license,
  repository: crate.repository ? { type: "git", url: crate.repository } : undefined,
  type: "module",
  main: "./node.js",
  module: "./copyjob.js",
  browser: "./copyjob.js",
  types: "./copyjob.d.ts",
  exports: {
    ".": {
      node: { types: "./node.d.ts", default: "./node.js" },
      types: "./copyjob.d.ts",
      browser: "./copyjob.js",
      default: "./copyjob.js",
    },
    "./copyjob_bg.wasm": "./copyjob_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["copyjob.js", "copyjob.d.ts", "copyjob_bg.wasm", "copyjob_bg.wasm.d.ts", "node.js", "node.d.ts", "README.md"],
  sideEffects: ["./node.js"],
  engines: { node: ">=20" },
  keywords: ["microsoft-fabric", "copy-job", "lint", "json-schema", "wasm"],
};
writeFileSync(process.env.PKG_DIR + "/package.json", JSON.stringify(pkg, null, 2) + "\n");
' <<<"$metadata"

# -- report ------------------------------------------------------------------------------------
wasm="$pkg/copyjob_bg.wasm"
raw=$(wc -c <"$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "copyjob_bg.wasm: %d bytes raw (%.2f MiB), %d bytes gzip -9 (%.0f KiB)\n", r, r / 1048576, g, g / 1024 }'
say "package ready in ${pkg#"$root"/}"
