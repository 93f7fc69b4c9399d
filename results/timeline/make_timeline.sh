#!/bin/bash
# The committed timeline picture: the layer_job firmware runs FW, BD and BW of one small
# convolution layer through the accelerator (inputs made by tests/accelerator_interface/
# make_inputs.py) with --timeline; plot_timeline.py draws the three jobs, then the first job
# alone.
# Usage: results/timeline/make_timeline.sh [build-dir]   (default build; ant-vp and the
# firmware built)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# N C K H W R S stride pad density seed
"$py" "$root/tests/accelerator_interface/make_inputs.py" "$tmp" 1 16 16 16 16 3 3 1 1 0.3 5
"$build/ant-vp" run --firmware "$build/sw/layer_job.elf" --load x="$tmp/x.npy" --load w="$tmp/w.npy" \
  --load dy="$tmp/dy.npy" --timeline "$here/layer_job.json" --stats "$tmp/stats.json" | tee "$here/layer_job_uart.txt"
"$py" "$here/plot_timeline.py" "$here/layer_job.json" "$here/layer_job.png" \
  --title "layer_job: FW, BD, BW of a 16x16x16 3x3 layer (30 % dense) in ant mode"
first_job=$("$py" -c "
import json, sys
d = json.load(open(sys.argv[1]))
names = {(e['pid'], e['tid']): e['args']['name'] for e in d['traceEvents'] if e['ph'] == 'M' and e['name'] == 'thread_name'}
jobs = sorted((e for e in d['traceEvents'] if e['ph'] == 'X' and names[(e['pid'], e['tid'])] == 'job sequencer'), key=lambda e: e['ts'])
j = jobs[0]; pad = 0.03 * j['dur']
print(j['ts'] - pad, j['ts'] + j['dur'] + pad)" "$here/layer_job.json")
read -r start end <<<"$first_job"
"$py" "$here/plot_timeline.py" "$here/layer_job.json" "$here/layer_job_fw.png" --start "$start" --end "$end" \
  --title "the FW job alone"
