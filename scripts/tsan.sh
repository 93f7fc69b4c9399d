#!/bin/bash
# ThreadSanitizer on the PE array's worker threads (docs/compute_model.md, "Simulation speed"):
# builds the algorithm library and its fast-path test with clang -fsanitize=thread in
# build-tsan/ and runs the test, which runs every dataflow on 1, 2 and 3 threads. Any report
# fails. Only this target: the rest of the simulator runs its threads nowhere else, and
# SystemC's coroutines confuse TSan.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANT_WERROR=OFF \
  -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread > /dev/null
cmake --build build-tsan --target algo.fast_path -j"$(nproc)"
TSAN_OPTIONS="halt_on_error=1:exitcode=66" build-tsan/tests/algo/algo.fast_path
echo "ThreadSanitizer: no report"
