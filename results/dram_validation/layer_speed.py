#!/usr/bin/python3
"""Simulation speed of `ant-vp layer --mode ant` with the detailed DRAM model (ddr4-3200),
before and after the controller of issue 12, measured alternately in one run.

    /usr/bin/python3 results/dram_validation/layer_speed.py --before /tmp/before/ant-vp \\
        --after build/ant-vp --reps 3

Prints, per layer and op, the median simulation time (`wall_seconds` of the stats JSON) of
each binary, the ratio after/before and the simulated cycles of each (the timing itself
changed), then the geometric mean and total ratios.
"""
import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "sweep"))
import sweep  # noqa: E402  (layers, seeded tensors, per-op arguments)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True)
    p.add_argument("--after", required=True)
    p.add_argument("--layers", default=",".join(sweep.DEFAULT_LAYERS))
    p.add_argument("--ops", default="fw,bd,bw")
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args()
    binaries = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    layers, ops = args.layers.split(","), args.ops.split(",")
    work = tempfile.mkdtemp(prefix="ant-dram-speed-")
    sim, cycles = {}, {}
    print("load average at the start: %s" % " ".join("%.2f" % x for x in os.getloadavg()), flush=True)
    try:
        files = sweep.make_inputs(work, layers, 1)
        for _ in range(args.reps):
            for layer in layers:
                for op in ops:
                    for name, binary in binaries.items():
                        stats = os.path.join(work, "stats.json")
                        cmd = [binary, "layer", "--mode", "ant"] + sweep.layer_args(layer, op, files) + \
                              ["--out", os.path.join(work, "out.npy"), "--stats", stats,
                               "--set", "dram.preset=ddr4-3200"]
                        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                        if r.returncode != 0:
                            raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), r.returncode,
                                                                     r.stderr.decode(errors="replace")))
                        with open(stats) as f:
                            doc = json.load(f)
                        sim.setdefault((layer, op, name), []).append(float(doc["wall_seconds"]))
                        cycles[(layer, op, name)] = doc["cycles"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    print("%-8s %-3s %10s %10s %7s %12s %12s" % ("layer", "op", "before ms", "after ms", "ratio",
                                                 "cycles bef.", "cycles aft."))
    ratios, tot = [], {"before": 0.0, "after": 0.0}
    for layer in layers:
        for op in ops:
            m = {n: statistics.median(sim[(layer, op, n)]) for n in binaries}
            ratios.append(m["after"] / m["before"])
            for n in binaries:
                tot[n] += m[n]
            print("%-8s %-3s %10.1f %10.1f %7.3f %12d %12d" % (
                layer, op, 1e3 * m["before"], 1e3 * m["after"], ratios[-1],
                cycles[(layer, op, "before")], cycles[(layer, op, "after")]))
    print("geometric mean ratio after/before: %.3f; worst %.3f; total %.3f s -> %.3f s (x%.3f)" % (
        math.exp(sum(math.log(r) for r in ratios) / len(ratios)), max(ratios), tot["before"], tot["after"],
        tot["after"] / tot["before"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
