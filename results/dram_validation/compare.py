#!/usr/bin/python3
"""Bandwidth and read latency of the DRAM model on five address streams, side by side with a
reference simulator (DRAMsim3) driven by the same streams, in one run.

    /usr/bin/python3 results/dram_validation/compare.py --harness build/tests/memory/dram_stream_harness \\
        [--reference /path/to/driver --reference-config aligned.ini --reference-stock-config stock.ini]

The reference driver is not part of this repository (README.md says what it does). Without
--reference only our numbers are produced. Writes comparison.csv next to this script (temp
file + rename) and prints a Markdown table with the ratios ours / reference.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GIB = 1 << 30
MIB = 1 << 20

# name, harness arguments (both simulators take the same stream options)
STREAMS = [
    ("sequential 16 MiB", ["--stream", "sequential", "--range", str(16 * MIB), "--requests", "262144", "--window", "32"]),
    ("random over 1 GiB", ["--stream", "random", "--range", str(GIB), "--requests", "200000", "--window", "32"]),
    ("random, one per 200 ns", ["--stream", "random", "--range", str(GIB), "--requests", "50000", "--interval-ns", "200"]),
    ("read-read-write sequential", ["--stream", "rrw", "--range", str(16 * MIB), "--requests", "262144", "--window", "32"]),
    ("8 KiB stride", ["--stream", "stride", "--stride", "8192", "--range", str(GIB), "--requests", "200000", "--window", "32"]),
    ("random, 128 in flight", ["--stream", "random", "--range", str(GIB), "--requests", "200000", "--window", "128"]),
]

# Our model's side of each configuration (the reference side is its .ini file).
CONFIGS = {
    # DRAMsim3 DDR4_8Gb_x8_3200 with 1 rank, tCK 0.625 ns and our preset's bit layout
    "aligned": ["--set", "preset=ddr4-3200"],
    # DRAMsim3 DDR4_8Gb_x8_3200 as shipped: 2 ranks (16 GiB), tCK 0.63 ns, rochrababgco
    "stock": ["--set", "preset=ddr4-3200", "--set", "ranks=2", "--set", "size_bytes=17179869184",
              "--set", "timing.tCK_ns=0.63", "--set", "address_mapping=row:channel:rank:bank:bankgroup:column",
              "--set", "timing.tRTW=11"],
    # our detailed model with the strict arrival-order controller of earlier versions
    "aligned_fcfs": ["--set", "preset=ddr4-3200", "--set", "scheduler=fcfs", "--set", "write_buffer=0"],
    # the simple model derived from the preset
    "aligned_simple": ["--set", "preset=ddr4-3200", "--set", "model=simple"],
}


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--harness", required=True)
    p.add_argument("--reference", help="reference driver (DRAMsim3), same stream options plus --config")
    p.add_argument("--reference-config", help="reference configuration aligned with ddr4-3200")
    p.add_argument("--reference-stock-config", help="reference configuration as shipped")
    p.add_argument("--csv", default=os.path.join(HERE, "comparison.csv"))
    args = p.parse_args()

    rows = []
    for config, sets in CONFIGS.items():
        ref_cfg = {"aligned": args.reference_config, "stock": args.reference_stock_config}.get(config)
        for name, stream in STREAMS:
            ours = run([args.harness] + stream + sets)
            ref = run([args.reference, "--config", ref_cfg] + stream) if args.reference and ref_cfg else None
            row = {"config": config, "stream": name}
            for key in ("gbps", "read_latency_avg_ns", "read_latency_p50_ns", "read_latency_p99_ns"):
                row["ours_" + key] = ours[key]
                row["ref_" + key] = ref[key] if ref else ""
                row["ratio_" + key] = ours[key] / ref[key] if ref and ref[key] else ""
            rows.append(row)
            print("%-14s %-28s ours %7.2f GB/s %7.1f ns (p50 %6.1f)%s" % (
                config, name, ours["gbps"], ours["read_latency_avg_ns"], ours["read_latency_p50_ns"],
                "   ref %7.2f GB/s %7.1f ns (p50 %6.1f)   ratio %.3f / %.3f" % (
                    ref["gbps"], ref["read_latency_avg_ns"], ref["read_latency_p50_ns"],
                    row["ratio_gbps"], row["ratio_read_latency_avg_ns"] or float("nan")) if ref else ""),
                flush=True)
    tmp = args.csv + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
