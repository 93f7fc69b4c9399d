#!/usr/bin/python3
"""Benchmark: how long `ant-vp layer` takes to simulate a layer, against PyTorch's dense
CPU computation of the same layer, on the same machine in one run.

Layers: the ResNet-18 CIFAR-10 3x3 (pad 1) convolutions, batch 1 and 8; weights and
activations 10% dense, output gradients 50% dense (seeded). For each layer and op
(fw, bd, bw) it times
  * ant-vp in `ant` and `scnn` mode: the whole process (what a user runs: start-up, .npy
    load, simulation, .npy and stats write), and the simulation alone (`wall_seconds` in
    the stats JSON);
  * PyTorch dense fp32 on the CPU: conv2d (fw), torch.nn.grad.conv2d_input (bd) and
    torch.nn.grad.conv2d_weight (bw) -- in torch 1.13 both call aten::convolution_backward,
    what autograd runs -- median of several repetitions after a warm-up, with
    torch.set_num_threads(<CPUs available>).
It also checks each ant-vp output against PyTorch (max |diff| column).

    /usr/bin/python3 results/bench/layer_vs_pytorch.py [--ant-vp build-cli/ant-vp]

Writes results/bench/layer_vs_pytorch.csv (next to this script) and prints the table and
the geometric-mean ratios per op.
"""
import argparse
import csv
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# (name, C in, K out, H=W in, stride); kernel 3x3, padding 1.
LAYERS = [
    ("conv2_x 64-64 @32 s1", 64, 64, 32, 1),
    ("conv3_1 64-128 @32 s2", 64, 128, 32, 2),
    ("conv3_x 128-128 @16 s1", 128, 128, 16, 1),
    ("conv4_1 128-256 @16 s2", 128, 256, 16, 2),
    ("conv4_x 256-256 @8 s1", 256, 256, 8, 1),
    ("conv5_1 256-512 @8 s2", 256, 512, 8, 2),
    ("conv5_x 512-512 @4 s1", 512, 512, 4, 1),
]
BATCHES = [1, 8]
OPS = ["fw", "bd", "bw"]
MODES = ["ant", "scnn"]
DENSITY_WEIGHT, DENSITY_ACT, DENSITY_GRAD = 0.10, 0.10, 0.50


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def available_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def sparse(rng, shape, density):
    x = rng.standard_normal(shape).astype(np.float32)
    x[rng.random(shape) >= density] = 0
    return x


def time_ant_vp(ant_vp, args, work, min_total=1.0, max_reps=3):
    """Median whole-process wall time, simulation-only time (stats wall_seconds) and
    process CPU time (user + sys)."""
    out = os.path.join(work, "out.npy")
    stats = os.path.join(work, "stats.json")
    procs, sims, cpus, doc = [], [], [], None
    while True:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([ant_vp, "layer"] + args + ["--out", out, "--stats", stats],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        if p.returncode != 0:
            raise RuntimeError("ant-vp %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                             p.stderr.decode(errors="replace")))
        with open(stats) as f:
            doc = json.load(f)
        sims.append(float(doc["wall_seconds"]))
        if len(procs) >= max_reps or sum(procs) >= min_total:
            break
    return statistics.median(procs), statistics.median(sims), statistics.median(cpus), doc, np.load(out)


def time_torch(fn, threads, min_total=0.5, min_reps=5, max_reps=200):
    """Median wall time and median process CPU time of fn() with `threads` intra-op threads."""
    torch.set_num_threads(threads)
    with torch.no_grad():
        for _ in range(2):
            fn()
        times, cpus = [], []
        while len(times) < min_reps or (sum(times) < min_total and len(times) < max_reps):
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpus), len(times)


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build-cli", "ant-vp"))
    p.add_argument("--csv", default=os.path.join(HERE, "layer_vs_pytorch.csv"))
    p.add_argument("--quick", action="store_true", help="batch 1 only (smoke test)")
    args = p.parse_args()
    ant_vp = os.path.abspath(args.ant_vp)

    threads = available_cpus()
    torch.set_num_threads(threads)
    env_threads = {k: v for k, v in os.environ.items()
                   if k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
                            "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}
    print("machine: %d CPUs available (nproc), %s" % (threads, cpu_model()))
    print("torch %s, torch.get_num_threads() = %d after set_num_threads(%d); thread env: %s"
          % (torch.__version__, torch.get_num_threads(), threads, env_threads or "none set"))
    print("ant-vp: %s" % ant_vp)
    print("load average at the start: %s" % " ".join("%.2f" % x for x in os.getloadavg()))

    rng = np.random.default_rng(2022)
    work = tempfile.mkdtemp(prefix="ant-bench-")
    rows = []
    try:
        for batch in ([1] if args.quick else BATCHES):
            for name, c, k, h, stride in LAYERS:
                ho = (h + 2 - 3) // stride + 1
                act = sparse(rng, (batch, c, h, h), DENSITY_ACT)
                wgt = sparse(rng, (k, c, 3, 3), DENSITY_WEIGHT)
                grad = sparse(rng, (batch, k, ho, ho), DENSITY_GRAD)
                files = {}
                for key, arr in (("act", act), ("wgt", wgt), ("grad", grad)):
                    files[key] = os.path.join(work, key + ".npy")
                    np.save(files[key], arr)
                ta, tw, tg = torch.from_numpy(act), torch.from_numpy(wgt), torch.from_numpy(grad)
                common = ["--stride", str(stride), "--pad", "1"]
                for op in OPS:
                    if op == "fw":
                        vp_args = ["--op", "fw", "--a", files["act"], "--b", files["wgt"]] + common
                        fn = lambda: F.conv2d(ta, tw, stride=stride, padding=1)
                    elif op == "bd":
                        vp_args = ["--op", "bd", "--a", files["grad"], "--b", files["wgt"],
                                   "--in", "%dx%d" % (h, h)] + common
                        fn = lambda: torch.nn.grad.conv2d_input(ta.shape, tw, tg, stride=stride, padding=1)
                    else:
                        vp_args = ["--op", "bw", "--a", files["act"], "--b", files["grad"],
                                   "--kernel", "3x3"] + common
                        fn = lambda: torch.nn.grad.conv2d_weight(ta, tw.shape, tg, stride=stride, padding=1)
                    # PyTorch with all CPUs (the stated setting) and with one thread (on a loaded
                    # 2-CPU machine OpenMP's second thread can make it slower, not faster).
                    t_torch, cpu_torch, reps = time_torch(fn, threads)
                    t_torch1, cpu_torch1, reps1 = time_torch(fn, 1)
                    torch.set_num_threads(threads)
                    with torch.no_grad():
                        ref = fn().double().numpy()
                    t_best = min(t_torch, t_torch1)
                    row = {"layer": name, "batch": batch, "op": op, "C": c, "K": k, "H": h, "W": h,
                           "stride": stride, "Ho": ho, "Wo": ho,
                           "torch_threads": threads, "torch_s": t_torch, "torch_cpu_s": cpu_torch,
                           "torch_reps": reps, "torch_1thread_s": t_torch1, "torch_1thread_cpu_s": cpu_torch1,
                           "torch_best_s": t_best}
                    for mode in MODES:
                        t_proc, t_sim, t_cpu, doc, out = time_ant_vp(ant_vp, vp_args + ["--mode", mode], work)
                        row[mode + "_process_s"] = t_proc
                        row[mode + "_sim_s"] = t_sim
                        row[mode + "_process_cpu_s"] = t_cpu
                        row[mode + "_cycles"] = doc["cycles"]
                        row[mode + "_products_issued"] = doc["products_issued"]
                        row[mode + "_max_abs_diff"] = float(np.abs(out - ref).max())
                        row[mode + "_process_ratio"] = t_proc / t_torch
                        row[mode + "_sim_ratio"] = t_sim / t_torch
                        row[mode + "_process_ratio_vs_best"] = t_proc / t_best
                        row[mode + "_sim_ratio_vs_best"] = t_sim / t_best
                        row[mode + "_cpu_ratio_vs_1thread"] = t_cpu / cpu_torch1
                    rows.append(row)
                    print("%-24s N=%d %s  torch %7.2f ms (%d thr) %7.2f ms (1 thr) | ant %8.2f proc %8.2f sim ms"
                          " (x%6.2f, x%6.2f; vs best x%6.2f) | scnn %8.2f proc %8.2f sim ms (x%6.2f, x%6.2f)" % (
                              name, batch, op, 1e3 * t_torch, threads, 1e3 * t_torch1,
                              1e3 * row["ant_process_s"], 1e3 * row["ant_sim_s"],
                              row["ant_process_ratio"], row["ant_sim_ratio"], row["ant_process_ratio_vs_best"],
                              1e3 * row["scnn_process_s"], 1e3 * row["scnn_sim_s"],
                              row["scnn_process_ratio"], row["scnn_sim_ratio"]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    fields = list(rows[0].keys())
    with open(args.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("%.6g" % v if isinstance(v, float) else v) for k, v in r.items()})
    print("\nwrote %s" % args.csv)

    def table(title, suffix, goal_key):
        print("\n%s (geometric mean over %d layer x batch points per op; < 1: simulation faster)"
              % (title, len(rows) // len(OPS)))
        print("%-4s %10s %10s %10s %10s %18s" % ("op", "ant proc", "ant sim", "scnn proc", "scnn sim",
                                                 "ant proc <= torch"))
        for op in OPS + ["all"]:
            sel = [r for r in rows if op == "all" or r["op"] == op]
            met = sum(1 for r in sel if r[goal_key] <= 1.0)
            print("%-4s %10.3f %10.3f %10.3f %10.3f %11d of %d" % (
                op, geomean([r["ant_process_ratio" + suffix] for r in sel]),
                geomean([r["ant_sim_ratio" + suffix] for r in sel]),
                geomean([r["scnn_process_ratio" + suffix] for r in sel]),
                geomean([r["scnn_sim_ratio" + suffix] for r in sel]), met, len(sel)))

    table("ratio ant-vp wall time / PyTorch wall time with %d threads" % threads, "", "ant_process_ratio")
    table("ratio ant-vp wall time / best PyTorch wall time (min of %d threads and 1 thread)" % threads,
          "_vs_best", "ant_process_ratio_vs_best")
    print("\nCPU-time ratio ant-vp process / PyTorch 1 thread (geometric mean; robust to other load):")
    for op in OPS + ["all"]:
        sel = [r for r in rows if op == "all" or r["op"] == op]
        print("%-4s ant %8.3f   scnn %8.3f" % (op, geomean([r["ant_cpu_ratio_vs_1thread"] for r in sel]),
                                              geomean([r["scnn_cpu_ratio_vs_1thread"] for r in sel])))
    print("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    worst = max(max(r["ant_max_abs_diff"], r["scnn_max_abs_diff"]) for r in rows)
    print("largest |ant-vp - PyTorch| over all outputs: %.3g" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
