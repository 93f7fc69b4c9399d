#!/bin/bash
# Regenerates the layer_job golden UART files from real runs after an intended change of the
# timing model (the counters are part of the output). Run after a build and a ctest run
# (which creates the inputs); review the diff before committing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
for name in layer_job_1x1 layer_job_3x3_pad1 layer_job_3x3_stride2; do
  d="$build/tests/accelerator_interface/$name"
  "$build/ant-vp" run --firmware "$build/sw/layer_job.elf" \
    --load x="$d/x.npy" --load w="$d/w.npy" --load dy="$d/dy.npy" \
    --save y="$d/y.npy" --save dx="$d/dx.npy" --save dw="$d/dw.npy" \
    > "$root/tests/accelerator_interface/golden/$name.txt"
done
