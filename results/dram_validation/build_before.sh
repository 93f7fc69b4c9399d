#!/bin/bash
# Builds the "before" ant-vp of layer_speed.py: everything as at HEAD except models/memory/,
# which is taken from BASE (default 87f4114, the commit before the DRAM controller work; its
# models/memory/ last changed in e954621) plus before_glue.patch: the timeline hook the
# platform has called since (dram::set_timeline and one line in b_transport, as at HEAD,
# and the ant_timeline link). Built in a detached worktree DIR (default /tmp/ant-vp-before),
# Release, target ant-vp only. Remove it afterwards with `git worktree remove --force DIR`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/ant-vp-before}
base=${2:-87f4114}
repo=$(git -C "$here" rev-parse --show-toplevel)
if [ -e "$dir" ]; then
    echo "build_before.sh: $dir exists; remove it or name another directory" >&2
    exit 1
fi
git -C "$repo" worktree add --detach "$dir" HEAD
git -C "$dir" rm -rq models/memory  # also drops files added since BASE
git -C "$dir" checkout "$base" -- models/memory
git -C "$dir" apply "$here/before_glue.patch"
echo "differs from HEAD in:"
git -C "$dir" diff --stat HEAD
cmake -S "$dir" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$dir/build" --target ant-vp -j"$(nproc)"
echo "built $dir/build/ant-vp"
