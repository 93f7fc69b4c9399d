#!/bin/bash
# Runs every libFuzzer target of tests/fuzz for a time budget: scripts/fuzz.sh BUILD SECONDS.
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>, read only) and grows a
# scratch corpus under BUILD/fuzz-work/. A crash, leak, sanitizer report or timeout leaves
# its input in BUILD/fuzz-work/<target>/findings/ and fails the run: keep that input in
# tests/fuzz/corpus/<target>/ as a regression case once the bug is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-sanitize}"
seconds="${2:-60}"
source scripts/sanitizer.env
# The fuzzer's own log keeps the sanitizer report of a finding next to its input.
export ASAN_OPTIONS="${ASAN_OPTIONS%%:log_path=*}" UBSAN_OPTIONS="${UBSAN_OPTIONS%%:log_path=*}"
status=0
for target in fuzz_npy fuzz_config fuzz_elf fuzz_manifest fuzz_descriptor; do
  work="$build/fuzz-work/$target"
  mkdir -p "$work/corpus" "$work/findings"
  echo "== $target: $seconds s"
  if ! "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/findings/" \
       "$work/corpus" "tests/fuzz/corpus/$target" > "$work/log.txt" 2>&1; then
    echo "FINDING in $target (input in $work/findings/):"
    tail -40 "$work/log.txt"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/log.txt" | tr '\n' ' '
    echo
  fi
done
exit $status
