#!/bin/bash
# Measures ISS speed in MIPS on a compute-bound integer + load/store loop (bench.c) run by
# iss-run with DMI. Checks the simulated checksum against the same kernel built natively.
# Usage: results/iss/bench.sh [build-dir]   (default build-iss; build it Release first:
#   cmake -S . -B build-iss -DCMAKE_BUILD_TYPE=Release && cmake --build build-iss -j2 --target iss-run)
# Environment: ROUNDS (kernel rounds, default 5000 ~ 0.3 G instructions), RUNS (default 3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-iss}
rounds=${ROUNDS:-5000}
runs=${RUNS:-3}
runner=$build/platform/iss/iss-run
[ -x "$runner" ] || { echo "bench.sh: $runner not found; build the iss-run target first" >&2; exit 1; }
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" ||
  echo "bench.sh: warning: $build is not a Release build" >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
riscv64-unknown-elf-gcc -O2 -march=rv32imac_zicsr_zifencei -mabi=ilp32 -nostdlib -nostartfiles \
  -ffreestanding -Wl,--no-warn-rwx-segments -T "$root/tests/iss/link.ld" -DROUNDS="$rounds" \
  "$here/bench_crt.S" "$here/bench.c" -o "$tmp/bench.elf"
gcc -O2 -DHOST -DROUNDS="$rounds" "$here/bench.c" -o "$tmp/bench_host"
expected=$("$tmp/bench_host")

best=0
for i in $(seq "$runs"); do
  got=$("$runner" --stats "$tmp/bench.elf" 2>"$tmp/stats")
  if [ "$got" != "$expected" ]; then
    echo "bench.sh: checksum mismatch: simulated $got, native $expected" >&2
    exit 1
  fi
  line=$(cat "$tmp/stats")
  echo "run $i: $line"
  mips=$(sed -E 's/.*= ([0-9.]+) MIPS/\1/' <<<"$line")
  best=$(awk -v a="$best" -v b="$mips" 'BEGIN { print (b > a) ? b : a }')
done
echo "checksum $got matches native; best of $runs: $best MIPS"
