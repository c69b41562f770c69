#!/usr/bin/env bash
# The long fuzz campaign: each target in turn (PARALLEL at a time) for SECONDS, at the lowest CPU
# priority, from its committed corpus; new inputs go to fuzz/corpus-work/ (merge them into
# corpus/ with `cargo fuzz cmin` when worth keeping). Logs and the executions per target go to
# fuzz/campaign-logs/ (executions.tsv: target, executions, slowest input in seconds, result).
#
#   fuzz/campaign.sh SECONDS [PARALLEL] [TARGET...]
#
# FUZZ_TIMEOUT (default 1) is libFuzzer's per-input limit in wall-clock seconds. On a machine
# busy with other work a niced process can be starved past 1 s on a fast input, so a timeout
# here is re-timed alone (`replay` below) before it is believed.
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
    -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 -print_final_stats=1 \
    >"campaign-logs/$t.log" 2>&1 && echo "$t: ok" || echo "$t: FAILED (see campaign-logs/$t.log)"
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do sleep 2; done
  run "$t" &
done
wait
for t in "${targets[@]}"; do
  # (`|| true`: a pattern that is absent is an answer here, not a failure of the script.)
  execs=$(grep -E '^stat::number_of_executed_units' "campaign-logs/$t.log" | awk '{print $2}' || true)
  slowest=$(grep -E '^stat::slowest_unit_time_sec' "campaign-logs/$t.log" | awk '{print $2}' || true)
  result=$(grep -oE 'ERROR: libFuzzer: [a-z -]+' "campaign-logs/$t.log" | head -1 | sed 's/ERROR: libFuzzer: //' || true)
  printf '%s\t%s\t%s\t%s\n' "$t" "${execs:-0}" "${slowest:-?}" "${result:-ok}"
done | tee campaign-logs/executions.tsv
# A timeout is re-timed alone, at normal priority: libFuzzer counted wall-clock time.
for t in "${targets[@]}"; do
  for input in artifacts/"$t"/timeout-*; do
    [ -e "$input" ] || continue
    start=$(date +%s%N)
    ./target/x86_64-unknown-linux-gnu/release/"$t" -runs=1 "$input" >/dev/null 2>&1 || true
    echo "re-timed $input alone: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
done
