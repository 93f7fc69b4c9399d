#!/usr/bin/python3
"""Two `ant-vp` builds (or one build with two settings) side by side on every job of
layer_speed.py: CPU and wall time of each whole process, interleaved job by job so that the
machine's load affects both alike, and whether the two give identical statistics (all but
host time, the configuration and keys only one build has) and identical output tensors.

    /usr/bin/python3 results/bench/compare_builds.py --old OLD/ant-vp --new build/ant-vp \
        [--old-set KEY=VALUE] [--new-set sim.threads=1] [--batches 1,8] [--modes ant,scnn] [--layers A,B]

Prints one line per group: the geometric mean, least and largest of old CPU / new CPU, and
the geometric mean of old wall / new wall.
Exit 2 with one line on stderr for a missing program or trace; 1 if a run fails.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

import layer_speed


def run(program, args, work):
    out, stats = os.path.join(work, "out.npy"), os.path.join(work, "stats.json")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([program, "layer"] + args + ["--out", out, "--stats", stats],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        lines = p.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError("%s layer %s: exit %d: %s" % (program, " ".join(args), p.returncode,
                                                         lines[-1] if lines else ""))
    with open(stats) as f:
        doc = json.load(f)
    with open(out, "rb") as f:
        tensor = f.read()
    return (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, wall), doc, tensor


def comparable(a, b):
    """The parts of two statistics documents both builds report, without host time."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [k for k in a if k in b and k not in ("wall_seconds", "config")]
        pairs = [comparable(a[k], b[k]) for k in keys]
        return dict(zip(keys, (x for x, _ in pairs))), dict(zip(keys, (y for _, y in pairs)))
    return a, b


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def compare(args):
    """Runs every job with both builds; returns the CPU-time ratios by (mode, batch, op) and
    the counts of runs, identical statistics and identical tensors."""
    ratios, runs, same_stats, same_out = {}, 0, 0, 0
    with tempfile.TemporaryDirectory(prefix="ant-compare-") as work:
        for batch in (int(b) for b in args.batches.split(",")):
            trace, manifest = layer_speed.trace_for(batch, args.trace_root)
            for job in (j for j in manifest["jobs"] if j["op"] != "spmm"
                        and (not args.layers or j["layer"] in args.layers.split(","))):
                for mode in args.modes.split(","):
                    vp_args = ["--mode", mode] + layer_speed.ant_vp_args(job, trace)
                    t_old, s_old, o_old = run(args.old, vp_args + sum((["--set", s] for s in args.old_set), []), work)
                    t_new, s_new, o_new = run(args.new, vp_args + sum((["--set", s] for s in args.new_set), []), work)
                    a, b = comparable(s_old, s_new)
                    runs += 1
                    same_stats += a == b
                    same_out += o_old == o_new
                    ratios.setdefault((mode, batch, job["op"]), []).append(
                        (t_old[0] / t_new[0], t_old[1] / t_new[1]))
    return ratios, runs, same_stats, same_out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old", required=True, help="the reference ant-vp")
    p.add_argument("--new", required=True, help="the ant-vp under test")
    p.add_argument("--old-set", action="append", default=[], metavar="KEY=VALUE",
                   help="configuration key for the old build only")
    p.add_argument("--new-set", action="append", default=[], metavar="KEY=VALUE",
                   help="configuration key for the new build only (e.g. sim.threads=1)")
    p.add_argument("--batches", default="1,8")
    p.add_argument("--modes", default="ant,scnn")
    p.add_argument("--layers", help="comma-separated layer names (default every conv layer)")
    p.add_argument("--trace-root", default=os.path.join(layer_speed.ROOT, "build", "traces"))
    args = p.parse_args()
    for program in (args.old, args.new):
        if not os.access(program, os.X_OK):
            p.error("no executable ant-vp at %s" % program)
    try:
        ratios, runs, same_stats, same_out = compare(args)
    except (RuntimeError, layer_speed.BenchError) as e:
        print("compare_builds: %s" % e, file=sys.stderr)
        return 1
    print("runs: %d; statistics identical: %d; output tensors identical: %d" % (runs, same_stats, same_out))
    for mode in args.modes.split(","):
        groups = [("batch %s" % b, lambda k, b=int(b): k[1] == b) for b in args.batches.split(",")]
        groups += [(op, lambda k, op=op: k[2] == op) for op in ("fw", "bd", "bw")]
        for name, keep in groups:
            sel = [r for k, rs in ratios.items() if k[0] == mode and keep(k) for r in rs]
            if sel:
                cpu = [c for c, _ in sel]
                print("%s, %s: old / new CPU time geomean %.2f, least %.2f, largest %.2f; wall time geomean %.2f"
                      " (%d jobs)" % (mode, name, geomean(cpu), min(cpu), max(cpu), geomean([w for _, w in sel]),
                                      len(sel)))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
