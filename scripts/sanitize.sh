#!/bin/bash
# The sanitizer build (docs/robustness.md): configures build-sanitize/ with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer (any finding fatal) and the libFuzzer
# targets, builds it, runs the command-line, platform, accelerator-interface, ISS and
# fuzz-corpus suites in it (the Boost unit tests and the long Python-driven suites run in
# the normal build) and then every fuzz target for FUZZ_SECONDS (default 60) each. Exit
# status non-zero on any failure or finding.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DANT_SANITIZE=ON -DANT_FUZZ=ON -DANT_WERROR=OFF > /dev/null
# What the sanitized suites below run: the programs, the firmware and the fuzz targets (the
# Boost unit-test binaries of models/ stay in the normal build, keeping this one short).
cmake --build build-sanitize -j"$(nproc)" --target ant-vp iss_tests platform_test_programs \
  accelerator_interface_programs fuzz_npy fuzz_config fuzz_elf fuzz_manifest fuzz_descriptor
source scripts/sanitizer.env
rm -rf "$ANT_SANITIZER_LOGS" && mkdir -p "$ANT_SANITIZER_LOGS"
ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" \
  -R '^(cli|platform|accelerator_interface|iss|fuzz)\.'
# Any sanitizer report fails the run, except SystemC's main-stack warning (sanitizer.env).
tolerated='WARNING: ASan is ignoring requested __asan_handle_no_return|False positive error reports may follow|For details see https://github.com/google/sanitizers/issues/189'
reports=0
for log in "$ANT_SANITIZER_LOGS"/*; do
  [ -e "$log" ] || continue
  if grep -Ev "^==[0-9]+==($tolerated)|^($tolerated)|^\s*$" "$log" | grep -q .; then
    echo "sanitizer report in $log:"
    cat "$log"
    reports=1
  fi
done
[ "$reports" = 0 ] || exit 1
bash scripts/fuzz.sh build-sanitize "${FUZZ_SECONDS:-60}"
