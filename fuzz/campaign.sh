#!/usr/bin/env bash
# The long fuzz campaign: each target in turn (PARALLEL at a time) for SECONDS, at the lowest CPU
# priority, from its committed corpus; new inputs go to fuzz/corpus-work/ (merge them into
# corpus/ with `cargo fuzz cmin` when worth keeping). Logs and the executions per target go to
# fuzz/campaign-logs/ (executions.tsv).
#
#   fuzz/campaign.sh SECONDS [PARALLEL] [TARGET...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
secs="$1"; shift
parallel="${1:-2}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
mkdir -p campaign-logs corpus-work
cargo +nightly fuzz build -O -s none
run() {
  local t="$1"
  mkdir -p "corpus-work/$t" "corpus/$t"
  nice -n 19 cargo +nightly fuzz run -O -s none "$t" "corpus-work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
    >"campaign-logs/$t.log" 2>&1 && echo "$t: ok" || echo "$t: FAILED (see campaign-logs/$t.log)"
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do sleep 2; done
  run "$t" &
done
wait
for t in "${targets[@]}"; do
  printf '%s\t' "$t"
  grep -E '^stat::number_of_executed_units' "campaign-logs/$t.log" | awk '{print $2}'
done | tee campaign-logs/executions.tsv
