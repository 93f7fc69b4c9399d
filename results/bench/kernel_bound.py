#!/usr/bin/python3
"""How fast `ant-vp layer --mode ant` could become by making its dataflow kernels faster:
the same build without the accumulator-bank counting, and without the kernels at all (no
products computed, no PE timing walk), beside the full build, PyTorch and the floor, in one
run.

The two reduced builds come from kernel_bound.patch applied to a copy of the commit checked
out here (`git archive HEAD`); the full build is compiled from the same copy with the same
flags. Their statistics and tensors are wrong by construction: only their time is used, as a
bound on what any faster kernel could give — what remains in the reduced builds is start-up,
.npy I/O, and the transaction-level model's per-pass work (job sequencer, DMA, DRAM, buffers,
fetch units, kernel stream, post-processing).

    /usr/bin/python3 results/bench/kernel_bound.py [--batches 1,8] [--builds DIR]

Prints one line per job and Markdown tables of the geometric means. --builds keeps the three
builds in DIR (reused when present). Exit 2 with one line on stderr for bad options; 1 if a
build or run fails.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

import layer_speed

HERE = os.path.dirname(os.path.abspath(__file__))
PATCH = os.path.join(HERE, "kernel_bound.patch")
VARIANTS = [("full", 0), ("no bank counting", 1), ("no kernels", 2)]


def build_variants(builds):
    """The three ant-vp binaries, built in `builds` from HEAD with kernel_bound.patch."""
    src = os.path.join(builds, "src")
    commit = subprocess.run(["git", "-C", layer_speed.ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print("builds from the source of commit %s (HEAD) with kernel_bound.patch" % (commit or "?"), flush=True)
    stamp = os.path.join(builds, "commit")
    if os.path.isfile(stamp):
        with open(stamp) as f:
            built = f.read().strip()
        if built != commit:
            raise layer_speed.BenchError("%s holds builds of commit %s, HEAD is %s: give another --builds" %
                                         (builds, built, commit))
    if not os.path.isdir(src):
        os.makedirs(src)
        archive = subprocess.Popen(["git", "-C", layer_speed.ROOT, "archive", "HEAD"], stdout=subprocess.PIPE)
        untar = subprocess.run(["tar", "-x", "-C", src], stdin=archive.stdout)
        if archive.wait() != 0 or untar.returncode != 0:
            raise layer_speed.BenchError("git archive HEAD into %s failed" % src)
        if subprocess.run(["git", "apply", PATCH], cwd=src).returncode != 0:
            raise layer_speed.BenchError("kernel_bound.patch does not apply to HEAD; update it")
        with open(stamp, "w") as f:
            f.write(commit + "\n")
    programs = []
    for name, level in VARIANTS:
        out = os.path.join(builds, "bound%d" % level)
        program = os.path.join(out, "ant-vp")
        if not os.access(program, os.X_OK):
            print("building %s (%s) ..." % (program, name), flush=True)
            for cmd in (["cmake", "-S", src, "-B", out, "-DCMAKE_BUILD_TYPE=Release",
                         "-DCMAKE_C_FLAGS=-DANT_KERNEL_BOUND=%d" % level],
                        ["cmake", "--build", out, "-j%d" % layer_speed.available_cpus(), "--target", "ant-vp"]):
                if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
                    raise layer_speed.BenchError("%s failed" % " ".join(cmd))
        programs.append(program)
    return programs


def run_ant_vp(program, args, work):
    """(process CPU seconds, simulation wall seconds from the statistics) of one run."""
    stats = os.path.join(work, "stats.json")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([program, "layer"] + args + ["--out", os.path.join(work, "out.npy"), "--stats", stats],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        lines = p.stderr.decode(errors="replace").strip().splitlines()
        raise layer_speed.BenchError("%s layer: exit %d: %s" % (program, p.returncode, lines[-1] if lines else ""))
    with open(stats) as f:
        sim = float(json.load(f)["wall_seconds"])
    return r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, sim


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def measure(args, programs, work):
    """Per job: (batch, op, torch 1-thread CPU s, floor CPU s, [process CPU s of each variant],
    [simulation wall s of each variant])."""
    floor = layer_speed.build_floor(work)
    rows = []
    for batch in (int(b) for b in args.batches.split(",")):
        trace, manifest = layer_speed.trace_for(batch, args.trace_root)
        for job in (j for j in manifest["jobs"] if j["op"] != "spmm"):
            a = np.load(os.path.join(trace, job["a"]))
            b = np.load(os.path.join(trace, job["b"]))
            fn = layer_speed.torch_call(job, a, b)
            ref_shape = tuple(fn().shape)
            _, torch_cpu = layer_speed.time_torch(fn, 1, args.reps)
            _, floor_cpu, _, _ = layer_speed.time_floor(floor, job, a, b, ref_shape, work, args.reps)
            vp_args = ["--mode", "ant", "--set", "sim.threads=1"] + layer_speed.ant_vp_args(job, trace)
            runs = [min(run_ant_vp(p, vp_args, work) for _ in range(args.runs)) for p in programs]
            times, sims = [r[0] for r in runs], [r[1] for r in runs]
            rows.append((batch, job["op"], torch_cpu, floor_cpu, times, sims))
            print("%-24s b%d %s  torch %.4f  floor %.4f  process CPU %s  simulation %s" % (
                job["layer"], batch, job["op"], torch_cpu, floor_cpu, " ".join("%.4f" % t for t in times),
                " ".join("%.4f" % t for t in sims)), flush=True)
    return rows


def report(rows, batches):
    groups = [("batch %s" % b, lambda r, b=int(b): r[0] == b) for b in batches.split(",")]
    groups += [(op, lambda r, op=op: r[1] == op) for op in ("fw", "bd", "bw")] + [("all", lambda r: True)]
    print("\nCPU time, geometric means over the jobs of each group (`sim.threads=1`):\n")
    head = "| jobs | n | " + " | ".join("%s / floor | %s / torch 1t" % (n, n) for n, _ in VARIANTS)
    print(head + " | " + " | ".join("%s within 2x of floor" % n for n, _ in VARIANTS) + " |")
    print("|---|---|" + "---|" * (3 * len(VARIANTS)))
    for name, keep in groups:
        sel = [r for r in rows if keep(r)]
        if not sel:
            continue
        cells = []
        for k in range(len(VARIANTS)):
            cells.append("%.2f | %.1f" % (geomean([r[4][k] / r[3] for r in sel]),
                                          geomean([r[4][k] / r[2] for r in sel])))
        within = ["%d of %d" % (sum(r[4][k] <= 2 * r[3] for r in sel), len(sel)) for k in range(len(VARIANTS))]
        print("| %s | %d | %s | %s |" % (name, len(sel), " | ".join(cells), " | ".join(within)))
    print("\nSimulation alone (`wall_seconds` of the statistics: no start-up, file I/O or output), geometric"
          " means of its ratio to PyTorch's one-thread CPU time:\n")
    print("| jobs | n | " + " | ".join("%s sim / torch 1t" % n for n, _ in VARIANTS) + " |")
    print("|---|---|" + "---|" * len(VARIANTS))
    for name, keep in groups:
        sel = [r for r in rows if keep(r)]
        if sel:
            print("| %s | %d | %s |" % (name, len(sel), " | ".join(
                "%.1f" % geomean([r[5][k] / r[2] for r in sel]) for k in range(len(VARIANTS)))))
    print("\nTotal CPU seconds: " + ", ".join("%s %.2f" % (n, sum(r[4][k] for r in rows))
                                           for k, (n, _) in enumerate(VARIANTS))
          + ", PyTorch 1 thread %.2f, floor %.2f" % (sum(r[2] for r in rows), sum(r[3] for r in rows)))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", default="1,8")
    p.add_argument("--reps", type=int, default=3, help="PyTorch and floor repetitions, median (default 3)")
    p.add_argument("--runs", type=int, default=1, help="ant-vp runs per build and job, least taken (default 1)")
    p.add_argument("--builds", help="directory to keep (and reuse) the three builds in")
    p.add_argument("--trace-root", default=os.path.join(layer_speed.ROOT, "build", "traces"))
    args = p.parse_args()
    if args.reps < 1 or args.runs < 1:
        p.error("--reps and --runs must be at least 1")
    try:
        with tempfile.TemporaryDirectory(prefix="ant-kernel-bound-") as work:
            programs = build_variants(args.builds or os.path.join(work, "builds"))
            rows = measure(args, programs, work)
    except layer_speed.BenchError as e:
        print("kernel_bound: %s" % e, file=sys.stderr)
        return 1
    report(rows, args.batches)
    return 0


if __name__ == "__main__":
    sys.exit(main())
