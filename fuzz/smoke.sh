#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short while on its committed corpus, so the
# targets keep building and the invariants hold on the corpus and a little beyond.
#
#   fuzz/smoke.sh [SECONDS_PER_TARGET]    (default 10)
#
# Installs what is missing: the nightly toolchain (rustup) and cargo-fuzz (cargo install).
# New inputs go to a scratch directory; the committed corpora are only read. A crash fails the
# script and leaves the input in fuzz/artifacts/<target>/. The per-input timeout is 5 s here (a
# shared CI machine is noisy); the campaign (campaign.sh) holds inputs to 1 s.
# The random seed is fixed (FUZZ_SEED, default 1), so a run explores the same inputs in the same
# order on every machine: a slower machine runs a shorter prefix of the same sequence, and a
# crash found here is found again by running the smoke locally. New ground is the campaign's job.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
secs="${1:-10}"
seed="${FUZZ_SEED:-1}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

cd "$here"
cargo +nightly fuzz build -O -s none
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$target" "corpus/$target"
  echo "fuzz smoke: $target (${secs}s)"
  cargo +nightly fuzz run -O -s none "$target" "$scratch/$target" "corpus/$target" -- \
    -seed="$seed" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 2>"$scratch/$target.log" \
    || { tail -60 "$scratch/$target.log"; exit 1; }
  grep -E '^stat::number_of_executed_units' "$scratch/$target.log" | sed "s/^/  $target /"
done
