#!/bin/bash
# ISS speed in MIPS on the full SystemC platform (`ant-vp run`: quantum keeper, DMI pages
# from ant::dram, CLINT, UART, bus) with a large quantum, on the compute-bound kernel of
# results/iss/bench.c. The same ELF also runs under the bare `iss-run` host, alternating, so
# the two figures see the same machine load. The simulated checksum must match the kernel
# built natively.
# Usage: results/platform/bench.sh [build-dir]   (default build-soc, a Release build with the
#   ant-vp and iss-run targets built)
# Environment: ROUNDS (default 5000, ~0.43 G instructions), RUNS (default 5),
#   QUANTUM_NS (default 1000000 = 1 ms).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-soc}
rounds=${ROUNDS:-5000}
runs=${RUNS:-5}
quantum=${QUANTUM_NS:-1000000}
vp=$build/ant-vp
iss=$build/platform/iss/iss-run
for exe in "$vp" "$iss"; do
  [ -x "$exe" ] || { echo "bench.sh: $exe not found; build ant-vp and iss-run first" >&2; exit 1; }
done
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" ||
  echo "bench.sh: warning: $build is not a Release build" >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
riscv64-unknown-elf-gcc -O2 -march=rv32imac_zicsr_zifencei -mabi=ilp32 -nostdlib -nostartfiles \
  -ffreestanding -Wl,--no-warn-rwx-segments -T "$root/tests/iss/link.ld" -DROUNDS="$rounds" \
  "$root/results/iss/bench_crt.S" "$root/results/iss/bench.c" -o "$tmp/bench.elf"
gcc -O2 -DHOST -DROUNDS="$rounds" "$root/results/iss/bench.c" -o "$tmp/bench_host"
expected=$("$tmp/bench_host")

best_vp=0
best_iss=0
for i in $(seq "$runs"); do
  got=$("$vp" run --firmware "$tmp/bench.elf" --quantum-ns "$quantum" --summary 2>"$tmp/vp")
  [ "$got" = "$expected" ] || { echo "bench.sh: checksum mismatch: ant-vp $got, native $expected" >&2; exit 1; }
  got=$("$iss" --stats "$tmp/bench.elf" 2>"$tmp/iss")
  [ "$got" = "$expected" ] || { echo "bench.sh: checksum mismatch: iss-run $got, native $expected" >&2; exit 1; }
  vp_line=$(cat "$tmp/vp")
  iss_line=$(cat "$tmp/iss")
  echo "run $i: $vp_line"
  echo "       $iss_line"
  m=$(sed -E 's/.* ([0-9.]+) MIPS.*/\1/' <<<"$vp_line")
  best_vp=$(awk -v a="$best_vp" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
  m=$(sed -E 's/.*= ([0-9.]+) MIPS/\1/' <<<"$iss_line")
  best_iss=$(awk -v a="$best_iss" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
done
echo "checksum $expected matches native; best of $runs: ant-vp run (full platform, quantum ${quantum} ns) $best_vp MIPS, iss-run (bare) $best_iss MIPS"
