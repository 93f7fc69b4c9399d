#!/usr/bin/python3
"""Simulation speed of `ant-vp layer --mode ant` before and after the memory system (issue 3).

"before" is an ant-vp built from commit 5fe399a (no DMA/DRAM path), "after" the current one,
run with `--set dram.model=simple` (the runner's default preset, SCNN's 50 GB/s) and with
`--set dram.preset=ddr4-3200` (detailed JEDEC model). The same seeded layers and ops are run
alternately (before, after simple, after detailed, then the next layer/op; the whole list
`--reps` times), so that load changes on the machine hit all three alike. For each it
records the median simulation time (`wall_seconds` of the stats JSON) and the median process
wall time, and the ratios after/before.

    /usr/bin/python3 results/speed/layer_speed.py --before /tmp/ant-before/build/ant-vp \\
        --after /tmp/ant-after/build/ant-vp --reps 5

Writes layer_speed.csv next to this script (temp file + rename) and prints the table.
"""
import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "sweep"))
import sweep  # noqa: E402  (layers, seeded tensors, per-op arguments)

VARIANTS = [
    ("before", "before", []),
    ("after_simple", "after", ["--set", "dram.model=simple"]),
    ("after_detailed", "after", ["--set", "dram.preset=ddr4-3200"]),
]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="ant-vp built from 5fe399a")
    p.add_argument("--after", required=True, help="ant-vp built from the current commit")
    p.add_argument("--layers", default=",".join(sweep.DEFAULT_LAYERS))
    p.add_argument("--ops", default="fw,bd,bw")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--csv", default=os.path.join(HERE, "layer_speed.csv"))
    args = p.parse_args()
    binaries = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    layers = args.layers.split(",")
    ops = args.ops.split(",")

    work = tempfile.mkdtemp(prefix="ant-speed-")
    files = sweep.make_inputs(work, layers, 1)
    sim = {}   # (layer, op, variant) -> [wall_seconds]
    proc = {}  # (layer, op, variant) -> [process seconds]
    cycles = {}
    outputs = {}
    print("load average at the start: %s" % " ".join("%.2f" % x for x in os.getloadavg()), flush=True)
    try:
        for rep in range(args.reps):
            for layer in layers:
                for op in ops:
                    for name, binary, extra in VARIANTS:
                        out = os.path.join(work, "out.npy")
                        stats = os.path.join(work, "stats.json")
                        cmd = [binaries[binary], "layer", "--mode", "ant"] + sweep.layer_args(layer, op, files) + \
                              ["--out", out, "--stats", stats] + extra
                        t0 = time.perf_counter()
                        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                        dt = time.perf_counter() - t0
                        if r.returncode != 0:
                            raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), r.returncode,
                                                                     r.stderr.decode(errors="replace")))
                        with open(stats) as f:
                            doc = json.load(f)
                        key = (layer, op, name)
                        sim.setdefault(key, []).append(float(doc["wall_seconds"]))
                        proc.setdefault(key, []).append(dt)
                        cycles[key] = doc["cycles"]
                        if rep == 0:
                            outputs[key] = np.load(out)
            print("rep %d/%d done" % (rep + 1, args.reps), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))

    rows = []
    for layer in layers:
        for op in ops:
            row = {"layer": layer, "op": op, "mode": "ant", "reps": args.reps}
            for name, _, _ in VARIANTS:
                key = (layer, op, name)
                row[name + "_sim_s"] = statistics.median(sim[key])
                row[name + "_process_s"] = statistics.median(proc[key])
                row[name + "_cycles"] = cycles[key]
            for name in ("after_simple", "after_detailed"):
                row[name + "_sim_ratio"] = row[name + "_sim_s"] / row["before_sim_s"]
                row[name + "_process_ratio"] = row[name + "_process_s"] / row["before_process_s"]
                row[name + "_max_abs_diff_vs_before"] = float(np.abs(
                    outputs[(layer, op, name)].astype(np.float64) - outputs[(layer, op, "before")]).max())
            rows.append(row)

    fields = list(rows[0].keys())
    tmp = args.csv + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("%.6g" % v if isinstance(v, float) else v) for k, v in r.items()})
    os.replace(tmp, args.csv)

    print("%-8s %-3s %10s %10s %10s | %8s %8s | %8s %8s" % (
        "layer", "op", "before ms", "simple ms", "ddr4 ms", "simple x", "ddr4 x", "proc s x", "proc d x"))
    for r in rows:
        print("%-8s %-3s %10.1f %10.1f %10.1f | %8.2f %8.2f | %8.2f %8.2f" % (
            r["layer"], r["op"], 1e3 * r["before_sim_s"], 1e3 * r["after_simple_sim_s"],
            1e3 * r["after_detailed_sim_s"], r["after_simple_sim_ratio"], r["after_detailed_sim_ratio"],
            r["after_simple_process_ratio"], r["after_detailed_process_ratio"]))
    for what in ("sim", "process"):
        print("geometric mean %s-time ratio: simple %.3f, detailed %.3f; worst: simple %.3f, detailed %.3f" % (
            what, geomean([r["after_simple_%s_ratio" % what] for r in rows]),
            geomean([r["after_detailed_%s_ratio" % what] for r in rows]),
            max(r["after_simple_%s_ratio" % what] for r in rows),
            max(r["after_detailed_%s_ratio" % what] for r in rows)))
    tot = {n: sum(r[n + "_sim_s"] for r in rows) for n, _, _ in VARIANTS}
    print("total simulation time: before %.3f s, simple %.3f s (x%.3f), detailed %.3f s (x%.3f)" % (
        tot["before"], tot["after_simple"], tot["after_simple"] / tot["before"], tot["after_detailed"],
        tot["after_detailed"] / tot["before"]))
    print("largest |after - before| output difference: %.3g" % max(
        max(r["after_simple_max_abs_diff_vs_before"], r["after_detailed_max_abs_diff_vs_before"]) for r in rows))
    print("wrote %s" % args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
