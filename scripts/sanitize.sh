#!/bin/bash
# The sanitizer build (docs/robustness.md): configures build-sanitize/ with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer (any finding fatal) and the libFuzzer
# targets, builds everything, runs the whole test suite in it, fails on any sanitizer report,
# runs the PE array's threaded test under ThreadSanitizer (scripts/tsan.sh), then runs every
# fuzz target for FUZZ_SECONDS (default 60) each. Exit status non-zero on any
# failure or finding.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DANT_SANITIZE=ON -DANT_FUZZ=ON -DANT_WERROR=OFF > /dev/null
cmake --build build-sanitize -j"$(nproc)"
source scripts/sanitizer.env
rm -rf "$ANT_SANITIZER_LOGS" && mkdir -p "$ANT_SANITIZER_LOGS"
ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)"
# Any sanitizer report fails the run, except ASan's warning about SystemC's main stack and
# LeakSanitizer's note that it could not read an exiting thread's registers
# (scripts/sanitizer.env explains both), matched line by line.
tolerated='WARNING: ASan is ignoring requested __asan_handle_no_return: stack type: default top: 0x[0-9a-f]+; bottom 0x[0-9a-f]+; size: 0x[0-9a-f]+ \(-?[0-9]+\)|False positive error reports may follow|For details see https://github.com/google/sanitizers/issues/189|Unable to get registers from thread [0-9]+\.'
reports=0
for log in "$ANT_SANITIZER_LOGS"/*; do
  [ -e "$log" ] || continue
  if grep -Ev "^(==[0-9]+==)?($tolerated)$|^\s*$" "$log" | grep -q .; then
    echo "sanitizer report in $log:"
    cat "$log"
    reports=1
  fi
done
[ "$reports" = 0 ] || exit 1
echo "sanitized suite: no sanitizer report"
# The PE array's worker threads under ThreadSanitizer (a small separate build, seconds).
bash scripts/tsan.sh
bash scripts/fuzz.sh build-sanitize "${FUZZ_SECONDS:-60}"
