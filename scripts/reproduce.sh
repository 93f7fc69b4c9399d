#!/bin/bash
# The main job: the paper's five networks, one SWAT training iteration each at batch 1, ANT vs
# SCNN+ with SCNN's 50 GB/s DRAM, printed as a table next to the paper's values
# (results/reproduction/reproduce.py --quick; results in build/reproduction-quick/; a failed job
# is named and its network marked failed while the others are still reported). Extra
# arguments go to reproduce.py, e.g. --networks resnet18 or --jobs 1.
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 results/reproduction/reproduce.py --quick --keep-going "$@"
