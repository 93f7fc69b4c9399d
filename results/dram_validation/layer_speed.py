#!/usr/bin/python3
"""Simulation speed of `ant-vp layer --mode ant` with the DRAM model of before and after the
controller work (issue 12): two ant-vp binaries that differ only in models/memory/.

    /usr/bin/python3 results/dram_validation/layer_speed.py \\
        --before /tmp/ant-vp-before/build/ant-vp --after build/ant-vp --reps 7 \\
        --callgrind conv5_x:fw,conv4_x:fw,conv3_1:bw --csv results/dram_validation/layer_speed.csv

Both binaries run the seeded ResNet-18 layers of results/sweep/sweep.py (fw/bd/bw) with
`--set dram.preset=ddr4-3200` and `dram.model=detailed`, then `dram.model=simple`. Runs are
interleaved: for every repetition, layer, op and model the two binaries run back to back,
in alternating order (before first on even repetitions, after first on odd ones), so load
changes on the machine hit both alike. Per layer/op/model it reports the median simulation
time (`wall_seconds` of the stats JSON) and the median process CPU time (user + system) of
each binary and the ratios after/before, then geometric means and totals. The output
tensors of the two binaries must be identical (only DRAM timing differs); the simulated
cycles of each are listed (the timing model changed, so they differ).

With --callgrind, the listed layer:op pairs also run once per binary and model under
valgrind --tool=callgrind; its instruction count is repeatable, so the ratio of the two is
the comparison free of machine noise.
"""
import argparse
import csv
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "sweep"))
import sweep  # noqa: E402  (layers, seeded tensors, per-op arguments)

MODELS = ["detailed", "simple"]
BINARIES = ["before", "after"]


def run(binary, layer, op, model, files, work, prefix=()):
    """Runs one layer job; returns (stats dict, output path, child CPU seconds)."""
    out = os.path.join(work, "out.npy")  # read before the next run overwrites it
    stats = os.path.join(work, "stats.json")
    cmd = list(prefix) + [binary, "layer", "--mode", "ant"] + sweep.layer_args(layer, op, files) + \
        ["--out", out, "--stats", stats, "--set", "dram.preset=ddr4-3200", "--set", "dram.model=" + model]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.decode(errors="replace")))
    with open(stats) as f:
        doc = json.load(f)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return doc, out, cpu, r.stderr.decode(errors="replace")


def callgrind_count(binary, layer, op, model, files, work):
    prefix = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.path.join(work, "callgrind.out")]
    _, _, _, err = run(binary, layer, op, model, files, work, prefix)
    m = re.search(r"Collected : (\d+)", err)
    if not m:
        raise SystemExit("no instruction count in valgrind's output:\n" + err)
    return int(m.group(1))


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="ant-vp with the DRAM model before the controller work")
    p.add_argument("--after", required=True, help="ant-vp with the current DRAM model")
    p.add_argument("--layers", default=",".join(sweep.DEFAULT_LAYERS))
    p.add_argument("--ops", default="fw,bd,bw")
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--callgrind", default="", metavar="LAYER:OP,...",
                   help="also count instructions under callgrind for these layer/ops")
    p.add_argument("--csv", help="write every median and ratio here")
    args = p.parse_args()
    binaries = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    for name, path in binaries.items():
        if not os.access(path, os.X_OK):
            raise SystemExit("--%s %s: not an executable" % (name, path))
    layers, ops, models = args.layers.split(","), args.ops.split(","), args.models.split(",")
    cg_pairs = [tuple(x.split(":")) for x in args.callgrind.split(",") if x]
    if cg_pairs and shutil.which("valgrind") is None:
        raise SystemExit("--callgrind needs valgrind on PATH")

    work = tempfile.mkdtemp(prefix="ant-dram-speed-")
    sim, cpu, cycles, same = {}, {}, {}, {}
    print("load average at the start: %s" % " ".join("%.2f" % x for x in os.getloadavg()), flush=True)
    try:
        files = sweep.make_inputs(work, layers, 1)
        for rep in range(args.reps):
            order = BINARIES if rep % 2 == 0 else BINARIES[::-1]
            for layer in layers:
                for op in ops:
                    for model in models:
                        outs = {}
                        for name in order:
                            doc, out, t, _ = run(binaries[name], layer, op, model, files, work)
                            key = (layer, op, model, name)
                            sim.setdefault(key, []).append(float(doc["wall_seconds"]))
                            cpu.setdefault(key, []).append(t)
                            cycles[key] = doc["cycles"]
                            outs[name] = np.load(out)
                        same[(layer, op, model)] = same.get((layer, op, model), True) and \
                            np.array_equal(outs["before"], outs["after"])
            print("repetition %d of %d done" % (rep + 1, args.reps), file=sys.stderr, flush=True)
        print("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
        counts = {}
        for layer, op in cg_pairs:
            for model in models:
                for name in BINARIES:
                    counts[(layer, op, model, name)] = callgrind_count(binaries[name], layer, op, model, files, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = []
    for model in models:
        print("\ndram.model=%s (preset ddr4-3200), medians of %d runs" % (model, args.reps))
        print("%-8s %-3s %9s %9s %6s %9s %9s %6s %9s %9s %5s" % (
            "layer", "op", "sim bef.", "sim aft.", "ratio", "cpu bef.", "cpu aft.", "ratio",
            "cyc bef.", "cyc aft.", "same"))
        sim_r, cpu_r, tot = [], [], {k: 0.0 for k in ("sb", "sa", "cb", "ca")}
        for layer in layers:
            for op in ops:
                m = {(kind, n): statistics.median(src[(layer, op, model, n)])
                     for kind, src in (("sim", sim), ("cpu", cpu)) for n in BINARIES}
                rs, rc = m[("sim", "after")] / m[("sim", "before")], m[("cpu", "after")] / m[("cpu", "before")]
                sim_r.append(rs)
                cpu_r.append(rc)
                tot["sb"] += m[("sim", "before")]
                tot["sa"] += m[("sim", "after")]
                tot["cb"] += m[("cpu", "before")]
                tot["ca"] += m[("cpu", "after")]
                row = {"model": model, "layer": layer, "op": op,
                       "sim_before_ms": 1e3 * m[("sim", "before")], "sim_after_ms": 1e3 * m[("sim", "after")],
                       "sim_ratio": rs,
                       "cpu_before_ms": 1e3 * m[("cpu", "before")], "cpu_after_ms": 1e3 * m[("cpu", "after")],
                       "cpu_ratio": rc,
                       "cycles_before": cycles[(layer, op, model, "before")],
                       "cycles_after": cycles[(layer, op, model, "after")],
                       "outputs_identical": same[(layer, op, model)]}
                rows.append(row)
                print("%-8s %-3s %9.1f %9.1f %6.3f %9.1f %9.1f %6.3f %9d %9d %5s" % (
                    layer, op, row["sim_before_ms"], row["sim_after_ms"], rs, row["cpu_before_ms"],
                    row["cpu_after_ms"], rc, row["cycles_before"], row["cycles_after"],
                    "yes" if row["outputs_identical"] else "NO"))
        print("geometric mean ratio after/before: simulation time %.3f, CPU time %.3f" % (
            geomean(sim_r), geomean(cpu_r)))
        print("median ratio: simulation time %.3f, CPU time %.3f; worst: %.3f, %.3f" % (
            statistics.median(sim_r), statistics.median(cpu_r), max(sim_r), max(cpu_r)))
        print("total: simulation time %.3f s -> %.3f s (x%.3f), CPU time %.3f s -> %.3f s (x%.3f)" % (
            tot["sb"], tot["sa"], tot["sa"] / tot["sb"], tot["cb"], tot["ca"], tot["ca"] / tot["cb"]))
    if counts:
        print("\ncallgrind instruction counts (repeatable)")
        print("%-8s %-3s %-8s %14s %14s %6s" % ("layer", "op", "model", "before", "after", "ratio"))
        for layer, op in cg_pairs:
            for model in models:
                b, a = counts[(layer, op, model, "before")], counts[(layer, op, model, "after")]
                print("%-8s %-3s %-8s %14d %14d %6.3f" % (layer, op, model, b, a, a / b))
                rows.append({"model": model, "layer": layer, "op": op, "instructions_before": b,
                             "instructions_after": a, "instructions_ratio": a / b})
    if args.csv:
        fields = []
        for r in rows:
            fields += [k for k in r if k not in fields]
        tmp = args.csv + ".tmp"
        with open(tmp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            for r in rows:
                w.writerow({k: ("%.4f" % v if isinstance(v, float) else v) for k, v in r.items()})
        os.replace(tmp, args.csv)
    if not all(same.values()):
        print("outputs differ between the binaries for some layer/op (see 'same')", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
