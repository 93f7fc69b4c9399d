#!/usr/bin/python3
"""Benchmark: how long simulating a ResNet-18 layer takes, side by side with PyTorch's dense
CPU computation of it and with the floor for any functional simulator, in one run.

The jobs are the convolution jobs (fw, bd, bw) of SWAT's ResNet-18 trace (workloads/, CIFAR-10,
density 0.1, seed 0) at batch 1 and batch 8, with the operands SWAT produces. For each job,
one after another so that the machine's load affects every figure alike, it times
  * `ant-vp layer` in `ant` and `scnn` mode: the whole process (start-up, .npy load,
    simulation, output and statistics), wall and CPU time, and the simulation alone
    (`wall_seconds` of the statistics);
  * PyTorch dense fp32 on the CPU with 1 thread and with every available CPU: conv2d (fw),
    torch.nn.grad.conv2d_input (bd), torch.nn.grad.conv2d_weight (bw);
  * valid_products.c, a plain scalar C loop that computes only the valid products (the
    floor): from the dense operands in memory to the dense result.
Every figure is a median of repetitions (--reps; long ant-vp runs once). Each output is
checked against PyTorch, and the floor's product count against ant-vp's products_valid.

    /usr/bin/python3 results/bench/layer_speed.py [--ant-vp build/ant-vp] [--batches 1,8]

Writes layer_speed.csv next to this script (or --csv) and prints the summary as Markdown.
Exit 2 with one line on stderr for bad options or a missing ant-vp; 1 if a run fails.
"""
import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "workloads"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from check_trace import check_trace  # noqa: E402
import summary_table  # noqa: E402

NETWORK, DENSITY, SEED = "resnet18", 0.1, 0
MODES = ["ant", "scnn"]
LONG_RUN_S = 3.0  # an ant-vp run longer than this is not repeated


class BenchError(Exception):
    pass


def available_cpus():
    return len(os.sched_getaffinity(0))


def trace_for(batch, trace_root):
    """The SWAT trace of ResNet-18 at this batch, exported if it is not there yet."""
    path = os.path.join(trace_root, "%s-b%d-d%g-s%d" % (NETWORK, batch, DENSITY, SEED))
    if not os.path.isfile(os.path.join(path, "manifest.json")):
        cmd = [sys.executable, os.path.join(ROOT, "workloads", "export_trace.py"), "--network", NETWORK,
               "--batch", str(batch), "--density", str(DENSITY), "--seed", str(SEED), "--out", trace_root]
        if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
            raise BenchError("exporting the %s trace at batch %d failed" % (NETWORK, batch))
    check_trace(path)
    with open(os.path.join(path, "manifest.json")) as f:
        return path, json.load(f)


def geometry(job):
    """(N, C, H, W, K, R, S, stride, pad) of a conv job from its operand shapes."""
    a, b = job["a_shape"], job["b_shape"]
    if job["op"] == "fw":
        (n, c, h, w), (k, _, r, s) = a, b
    elif job["op"] == "bd":
        (n, k, _, _), (_, c, r, s) = a, b
        h, w = job["in"]
    else:
        (n, c, h, w), (_, k, _, _) = a, b
        r, s = job["kernel"]
    return n, c, h, w, k, r, s, tuple(job["stride"]), tuple(job["pad"])


def torch_call(job, a, b):
    """The dense PyTorch computation of the job, as a function of no arguments."""
    n, c, h, w, k, r, s, stride, pad = geometry(job)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    if job["op"] == "fw":
        return lambda: F.conv2d(ta, tb, stride=stride, padding=pad)
    if job["op"] == "bd":
        return lambda: torch.nn.grad.conv2d_input((n, c, h, w), tb, ta, stride=stride, padding=pad)
    return lambda: torch.nn.grad.conv2d_weight(ta, (k, c, r, s), tb, stride=stride, padding=pad)


def time_torch(fn, threads, reps):
    """Median wall and CPU seconds of fn() with `threads` intra-op threads, after a warm-up.
    With one thread the CPU time is the calling thread's alone: OpenMP's idle threads left
    spinning by an earlier multi-threaded call would otherwise be counted."""
    torch.set_num_threads(threads)
    cpu_clock = time.thread_time if threads == 1 else time.process_time
    with torch.no_grad():
        fn()
        walls, cpus = [], []
        for _ in range(reps):
            c0, t0 = cpu_clock(), time.perf_counter()
            fn()
            walls.append(time.perf_counter() - t0)
            cpus.append(cpu_clock() - c0)
    return statistics.median(walls), statistics.median(cpus)


def ant_vp_args(job, trace):
    n, c, h, w, k, r, s, stride, pad = geometry(job)
    args = ["--op", job["op"], "--a", os.path.join(trace, job["a"]), "--b", os.path.join(trace, job["b"]),
            "--stride", "%dx%d" % stride, "--pad", "%dx%d" % pad]
    if job["op"] == "bd":
        args += ["--in", "%dx%d" % (h, w)]
    if job["op"] == "bw":
        args += ["--kernel", "%dx%d" % (r, s)]
    return args


def time_ant_vp(ant_vp, args, work, reps):
    """Median process wall, simulation (wall_seconds) and process CPU seconds, the last
    statistics and output, and how many runs were made."""
    out, stats = os.path.join(work, "out.npy"), os.path.join(work, "stats.json")
    procs, sims, cpus = [], [], []
    while len(procs) < reps and not (procs and procs[0] > LONG_RUN_S):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([ant_vp, "layer"] + args + ["--out", out, "--stats", stats],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if p.returncode != 0:
            lines = p.stderr.decode(errors="replace").strip().splitlines()
            raise BenchError("ant-vp layer %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                               lines[-1] if lines else ""))
        with open(stats) as f:
            doc = json.load(f)
        sims.append(float(doc["wall_seconds"]))
    return (statistics.median(procs), statistics.median(sims), statistics.median(cpus), doc, np.load(out),
            len(procs))


def time_floor(floor, job, a, b, out_shape, work, reps):
    n, c, h, w, k, r, s, (sh, sw), (ph, pw) = geometry(job)
    paths = [os.path.join(work, x) for x in ("a.f32", "b.f32", "floor.f32")]
    a.tofile(paths[0])
    b.tofile(paths[1])
    cmd = [floor, job["op"]] + [str(x) for x in (n, c, h, w, k, r, s, sh, sw, ph, pw)] + paths + [str(reps)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError("valid_products %s: %s" % (job["op"], p.stderr.strip()))
    fields = dict(x.split("=") for x in p.stdout.split())
    result = np.fromfile(paths[2], dtype=np.float32).reshape(out_shape)
    return float(fields["median_s"]), float(fields["median_cpu_s"]), int(fields["products"]), result


def build_floor(work):
    exe = os.path.join(work, "valid_products")
    cmd = ["cc", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", os.path.join(HERE, "valid_products.c"),
           "-o", exe]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError("compiling valid_products.c failed: %s" % p.stderr.strip())
    return exe


def measure_job(job, trace, batch, ant_vp, settings, floor, threads, work, reps):
    a = np.load(os.path.join(trace, job["a"]))
    b = np.load(os.path.join(trace, job["b"]))
    fn = torch_call(job, a, b)
    with torch.no_grad():
        ref = fn().numpy()
    row = {"layer": job["layer"], "batch": batch, "op": job["op"],
           "a_density": float(np.count_nonzero(a)) / a.size, "b_density": float(np.count_nonzero(b)) / b.size}
    row["torch_1t_s"], row["torch_1t_cpu_s"] = time_torch(fn, 1, reps)
    row["torch_all_s"], row["torch_all_cpu_s"] = time_torch(fn, threads, reps)
    floor_s, floor_cpu_s, floor_products, floor_out = time_floor(floor, job, a, b, ref.shape, work, reps)
    row.update(floor_s=floor_s, floor_cpu_s=floor_cpu_s, floor_products=floor_products)
    row["floor_max_abs_diff"] = float(np.abs(floor_out - ref).max())
    for mode in MODES:
        args = ["--mode", mode] + ant_vp_args(job, trace) + sum((["--set", s] for s in settings), [])
        proc, sim, cpu, doc, out, runs = time_ant_vp(ant_vp, args, work, reps)
        row.update({mode + "_process_s": proc, mode + "_sim_s": sim, mode + "_cpu_s": cpu, mode + "_runs": runs,
                    mode + "_products_valid": doc["products_valid"],
                    mode + "_products_issued": doc["products_issued"],
                    mode + "_max_abs_diff": float(np.abs(out.reshape(ref.shape) - ref).max())})
    return row


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build", "ant-vp"))
    p.add_argument("--batches", default="1,8", help="comma-separated batch sizes (default 1,8)")
    p.add_argument("--layers", help="comma-separated layer names (default every conv layer)")
    p.add_argument("--reps", type=int, default=3, help="repetitions per figure, median taken (default 3)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="ant-vp configuration key for every ant-vp run (repeatable)")
    p.add_argument("--trace-root", default=os.path.join(ROOT, "build", "traces"))
    p.add_argument("--csv", default=os.path.join(HERE, "layer_speed.csv"))
    args = p.parse_args(argv)
    try:
        args.batches = [int(x) for x in args.batches.split(",") if x]
    except ValueError:
        p.error("--batches '%s' is not a list of integers" % args.batches)
    if not args.batches or min(args.batches) < 1:
        p.error("--batches needs batch sizes of at least 1")
    if args.reps < 1:
        p.error("--reps must be at least 1")
    args.ant_vp = os.path.abspath(args.ant_vp)
    if not (os.path.isfile(args.ant_vp) and os.access(args.ant_vp, os.X_OK)):
        p.error("%s is missing or not executable (run bash scripts/build.sh first)" % args.ant_vp)
    args.layers = set(args.layers.split(",")) if args.layers else None
    return args


def main(argv=None):
    args = parse_args(argv)
    threads = available_cpus()
    print("machine: %d CPUs available; torch %s; ant-vp %s"
          % (threads, torch.__version__, os.path.relpath(args.ant_vp, ROOT)))
    if args.set:
        print("ant-vp settings: %s" % " ".join(args.set))
    print("load average at the start: %s" % " ".join("%.2f" % x for x in os.getloadavg()), flush=True)
    work = tempfile.mkdtemp(prefix="ant-bench-")
    rows = []
    try:
        floor = build_floor(work)
        for batch in args.batches:
            trace, manifest = trace_for(batch, args.trace_root)
            jobs = [j for j in manifest["jobs"] if j["op"] != "spmm"
                    and (args.layers is None or j["layer"] in args.layers)]
            for job in jobs:
                row = measure_job(job, trace, batch, args.ant_vp, args.set, floor, threads, work, args.reps)
                rows.append(row)
                print(summary_table.progress_line(row), flush=True)
    except BenchError as e:
        print("layer_speed: error: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not rows:
        print("layer_speed: error: no job matched --layers", file=sys.stderr)
        return 2
    with open(args.csv + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: ("%.6g" % v if isinstance(v, float) else v) for k, v in r.items()})
    os.replace(args.csv + ".tmp", args.csv)
    print("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    print("wrote %s\n" % os.path.relpath(args.csv))
    print(summary_table.markdown(rows, threads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
