#!/bin/bash
# Runs the whole test suite (ctest) on an existing build/.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --test-dir build --output-on-failure -j"$(nproc)"
