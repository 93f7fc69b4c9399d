#!/usr/bin/python3
"""Sweep `ant-vp layer` over layers, ops, modes and any configuration keys; one CSV row per run.

Layers are ResNet-18 (CIFAR-10) 3x3 convolutions with padding 1. Input tensors are generated
once per layer from a fixed seed (weights and activations 10 % dense, output gradients 50 %
dense) and saved as .npy; every (layer, op, mode, grid point) is one `ant-vp layer` process
with `--stats`, and the CSV gets the grid values and the key statistics of that run.

    /usr/bin/python3 results/sweep/sweep.py \\
        --grid dram.bandwidth_gbps=2,4,8,16,32,64,128,256,512 \\
        --set dram.model=simple --set dram.latency_ns=100 --out results/sweep/bandwidth.csv

Needs Debian's /usr/bin/python3 (numpy); the `python3` first on PATH may be another one.
"""
import argparse
import concurrent.futures
import csv
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name -> (C in, K out, H = W in, stride); kernel 3x3, padding 1.
LAYERS = {
    "conv1": (3, 64, 32, 1),
    "conv2_x": (64, 64, 32, 1),
    "conv3_1": (64, 128, 32, 2),
    "conv3_x": (128, 128, 16, 1),
    "conv4_1": (128, 256, 16, 2),
    "conv4_x": (256, 256, 8, 1),
    "conv5_1": (256, 512, 8, 2),
    "conv5_x": (512, 512, 4, 1),
}
DEFAULT_LAYERS = ["conv2_x", "conv3_1", "conv4_x", "conv5_x"]
DENSITY_WEIGHT, DENSITY_ACT, DENSITY_GRAD = 0.10, 0.10, 0.50
SEED = 2022

# CSV column -> where it comes from in the stats JSON (top-level key or blocks.<block>.<stat>).
STATS = [
    ("cycles", "cycles"),
    ("compute_cycles", "compute_cycles"),
    ("stall_cycles", "stall_cycles"),
    ("load_stall_cycles", "blocks.job_sequencer.load_stall_cycles"),
    ("pe_array_cycles", "blocks.pe_array.cycles"),
    ("drain_cycles", "blocks.job_sequencer.drain_cycles"),
    ("stationary_loads", "blocks.job_sequencer.stationary_loads"),
    ("broadcast_loads", "blocks.job_sequencer.broadcast_loads"),
    ("output_groups", "blocks.job_sequencer.output_groups"),
    ("dram_read_bytes", "dram_read_bytes"),
    ("dram_write_bytes", "dram_write_bytes"),
    ("bandwidth_achieved_gbps", "blocks.dram.bandwidth_achieved"),
    ("bandwidth_peak_gbps", "blocks.dram.bandwidth_peak"),
    ("bandwidth_utilisation", "blocks.dram.bandwidth_utilisation"),
    ("read_transactions", "blocks.dram.read_transactions"),
    ("write_transactions", "blocks.dram.write_transactions"),
    ("read_latency_avg_ns", "blocks.dram.read_latency_avg"),
    ("read_latency_p95_ns", "blocks.dram.read_latency_p95"),
    ("row_hit_rate", "blocks.dram.row_hit_rate"),
    ("products_valid", "products_valid"),
    ("products_rcp", "products_rcp"),
    ("products_issued", "products_issued"),
    ("simulated_ns", "simulated_ns"),
    ("wall_seconds", "wall_seconds"),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sparse(rng, shape, density):
    x = rng.standard_normal(shape).astype(np.float32)
    x[rng.random(shape) >= density] = 0
    return x


def make_inputs(work, names, batch):
    """Seeded activation, weight and output gradient per layer, saved once as .npy."""
    files = {}
    for name in names:
        c, k, h, stride = LAYERS[name]
        ho = (h + 2 - 3) // stride + 1
        # One generator per layer so a layer's tensors do not depend on the others chosen.
        rng = np.random.default_rng([SEED, list(LAYERS).index(name), batch])
        d = {}
        for key, shape, density in (("act", (batch, c, h, h), DENSITY_ACT),
                                    ("wgt", (k, c, 3, 3), DENSITY_WEIGHT),
                                    ("grad", (batch, k, ho, ho), DENSITY_GRAD)):
            d[key] = os.path.join(work, "%s_n%d_%s.npy" % (name, batch, key))
            np.save(d[key], sparse(rng, shape, density))
        files[name] = d
    return files


def layer_args(name, op, files):
    c, k, h, stride = LAYERS[name]
    f = files[name]
    common = ["--stride", str(stride), "--pad", "1"]
    if op == "fw":
        return ["--op", "fw", "--a", f["act"], "--b", f["wgt"]] + common
    if op == "bd":
        return ["--op", "bd", "--a", f["grad"], "--b", f["wgt"], "--in", "%dx%d" % (h, h)] + common
    if op == "bw":
        return ["--op", "bw", "--a", f["act"], "--b", f["grad"], "--kernel", "3x3"] + common
    raise ValueError(op)


def lookup(doc, path):
    v = doc
    for part in path.split(".") if path.startswith("blocks.") else [path]:
        if part not in v:
            return ""
        v = v[part]
    if path.startswith("blocks."):
        v = v.get("value", "") if isinstance(v, dict) else v
    return v


def parse_grid(items):
    grid = []
    for item in items:
        if "=" not in item or item.startswith("="):
            raise SystemExit("--grid '%s' is not key=v1,v2,..." % item)
        key, values = item.split("=", 1)
        vals = [v for v in values.split(",") if v != ""]
        if not vals:
            raise SystemExit("--grid '%s' has no values" % item)
        grid.append((key, vals))
    return grid


def fmt(v):
    if isinstance(v, float):
        return "%.6g" % v
    return v


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build-sweep", "ant-vp"))
    p.add_argument("--layers", default=",".join(DEFAULT_LAYERS),
                   help="comma-separated layer names (%s) or 'all'" % ", ".join(LAYERS))
    p.add_argument("--ops", default="fw,bd,bw")
    p.add_argument("--modes", default="ant,scnn,dense")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="swept configuration key (repeatable; Cartesian product)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="fixed configuration key")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--out", required=True, help="CSV to write")
    p.add_argument("--timeout", type=float, default=600, help="seconds per ant-vp run")
    p.add_argument("--keep-work", action="store_true", help="keep the temporary folder (inputs, outputs, stats)")
    args = p.parse_args()

    names = list(LAYERS) if args.layers == "all" else [x for x in args.layers.split(",") if x]
    for n in names:
        if n not in LAYERS:
            raise SystemExit("unknown layer '%s' (known: %s)" % (n, ", ".join(LAYERS)))
    ops = [x for x in args.ops.split(",") if x]
    for op in ops:
        if op not in ("fw", "bd", "bw"):
            raise SystemExit("unknown op '%s' (fw, bd, bw)" % op)
    modes = [x for x in args.modes.split(",") if x]
    grid = parse_grid(args.grid)
    for s in args.set:
        if "=" not in s or s.startswith("="):
            raise SystemExit("--set '%s' is not key=value" % s)
    ant_vp = os.path.abspath(args.ant_vp)
    if not os.access(ant_vp, os.X_OK):
        raise SystemExit("%s is not an executable (build it, or pass --ant-vp)" % ant_vp)

    points = [dict(zip([k for k, _ in grid], combo)) for combo in itertools.product(*[v for _, v in grid])]
    tasks = [(layer, op, mode, point) for layer in names for op in ops for mode in modes for point in points]
    work = tempfile.mkdtemp(prefix="ant-sweep-")
    log("sweep: %d runs (%d layers x %d ops x %d modes x %d grid points), %d jobs, work %s"
        % (len(tasks), len(names), len(ops), len(modes), len(points), args.jobs, work))
    files = make_inputs(work, names, args.batch)

    done = [0]
    lock = threading.Lock()
    t_start = time.perf_counter()

    def run(index):
        layer, op, mode, point = tasks[index]
        out = os.path.join(work, "out_%d.npy" % index)
        stats = os.path.join(work, "stats_%d.json" % index)
        cmd = [ant_vp, "layer", "--mode", mode] + layer_args(layer, op, files) + ["--out", out, "--stats", stats]
        for s in args.set:
            cmd += ["--set", s]
        for k, v in point.items():
            cmd += ["--set", "%s=%s" % (k, v)]
        c, k, h, stride = LAYERS[layer]
        row = {"layer": layer, "op": op, "mode": mode, "batch": args.batch, "C": c, "K": k, "H": h,
               "stride": stride}
        row.update(point)
        t0 = time.perf_counter()
        try:
            pr = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=args.timeout)
            rc, err = pr.returncode, pr.stderr.decode(errors="replace").strip()
        except subprocess.TimeoutExpired:
            rc, err = -1, "timeout after %g s" % args.timeout
        row["process_seconds"] = time.perf_counter() - t0
        row["exit"] = rc
        row["error"] = err.splitlines()[-1] if rc != 0 and err else ""
        if rc == 0:
            with open(stats) as f:
                doc = json.load(f)
            for col, path in STATS:
                row[col] = lookup(doc, path)
            ghz = doc.get("config", {}).get("accelerator.clock_ghz", 1.0)
            try:
                row["time_us"] = float(doc["cycles"]) / float(ghz) / 1e3
            except (TypeError, ValueError):
                row["time_us"] = ""
            with open(out, "rb") as f:
                row["output_sha1"] = hashlib.sha1(f.read()).hexdigest()[:12]
            if not args.keep_work:
                os.unlink(out)
                os.unlink(stats)
        with lock:
            done[0] += 1
            log("[%d/%d %6.1fs] %-8s %s %-5s %s -> %s" % (
                done[0], len(tasks), time.perf_counter() - t_start, layer, op, mode,
                " ".join("%s=%s" % kv for kv in point.items()) or "-",
                ("%s cycles (%.2fs)" % (row.get("cycles"), row["process_seconds"])) if rc == 0
                else "FAILED exit %d: %s" % (rc, row["error"])))
        return row

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            rows = list(ex.map(run, range(len(tasks))))
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)

    fields = ["layer", "op", "mode", "batch", "C", "K", "H", "stride"] + [k for k, _ in grid] + \
             ["exit", "error", "time_us"] + [c for c, _ in STATS] + ["process_seconds", "output_sha1"]
    out_path = os.path.abspath(args.out)
    tmp = out_path + ".tmp.%d" % os.getpid()
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: fmt(r.get(k, "")) for k in fields})
    os.replace(tmp, out_path)
    failed = sum(1 for r in rows if r["exit"] != 0)
    log("sweep: wrote %s (%d rows, %d failed) in %.1f s" % (out_path, len(rows), failed,
                                                           time.perf_counter() - t_start))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
