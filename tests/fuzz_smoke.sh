#!/usr/bin/env bash
# A short coverage-guided libFuzzer run of every parser target in fuzz/ (clang only).
# Builds the fuzz preset into build-fuzz/ (reused between runs), then runs each target
# for FUZZ_SECONDS (default 20). Skips with a message when clang is not installed.
set -euo pipefail
root=${1:-.}
seconds=${FUZZ_SECONDS:-20}
cd "$root"
if ! command -v clang++ >/dev/null; then
  echo "fuzz_smoke: clang++ not installed; skipped"
  exit 0
fi
build_log=$(mktemp)
if ! { cmake --preset fuzz && cmake --build build-fuzz -j "$(nproc)"; } >"$build_log" 2>&1; then
  echo "fuzz_smoke: building the fuzz preset failed:"
  grep -E "error|Error" "$build_log" | head -40 || tail -40 "$build_log"
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"
status=0
for target in build-fuzz/*_fuzz; do
  corpus=$(mktemp -d)
  echo "fuzz_smoke: $(basename "$target") for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>"$corpus.log"; then
    tail -40 "$corpus.log"
    status=1
  else
    grep -E "stat::number_of_executed_units" "$corpus.log" || true
  fi
  rm -rf "$corpus" "$corpus.log"
done
exit $status
