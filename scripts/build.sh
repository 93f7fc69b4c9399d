#!/bin/bash
# Configures and builds into build/ (Release). ANT_WERROR=ON makes warnings errors.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DANT_WERROR="${ANT_WERROR:-OFF}"
cmake --build build -j"$(nproc)"
