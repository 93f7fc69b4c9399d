#!/usr/bin/python3
"""Memory-system tests through `ant-vp layer`: buffer sizes against DRAM traffic, every mode
against a dense numpy reference with small buffers, DRAM bandwidth against cycles, and bad
DRAM configurations. One case per process:

    /usr/bin/python3 memory_system.py --ant-vp build/ant-vp --workdir DIR --case CASE

Cases: kernel_buffer, accumulator_buffer, modes_small_buffers, bandwidth_monotone, bad_config.
Exit 0 on success, 1 with the failures listed on stderr.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np

FAILURES = []


def check(ok, what):
    if not ok:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr, flush=True)
    return ok


def sparse(rng, shape, density):
    x = rng.standard_normal(shape).astype(np.float32)
    x[rng.random(shape) >= density] = 0
    return x


# ---- dense numpy reference (float64) -------------------------------------------------------

def out_size(h, r, stride, pad):
    return (h + 2 * pad - r) // stride + 1


def ref_fw(a, w, stride, pad):
    n, c, h, wd = a.shape
    k, _, r, s = w.shape
    ho, wo = out_size(h, r, stride, pad), out_size(wd, s, stride, pad)
    ap = np.pad(a.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, k, ho, wo))
    for i in range(r):
        for j in range(s):
            patch = ap[:, :, i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride]
            out += np.einsum("nchw,kc->nkhw", patch, w[:, :, i, j].astype(np.float64))
    return out


def ref_bd(g, w, h, wd, stride, pad):
    n, k, ho, wo = g.shape
    _, c, r, s = w.shape
    dap = np.zeros((n, c, h + 2 * pad, wd + 2 * pad))
    for i in range(r):
        for j in range(s):
            dap[:, :, i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride] += \
                np.einsum("nkhw,kc->nchw", g.astype(np.float64), w[:, :, i, j].astype(np.float64))
    return dap[:, :, pad:pad + h, pad:pad + wd]


def ref_bw(a, g, r, s, stride, pad):
    n, c, h, wd = a.shape
    _, k, ho, wo = g.shape
    ap = np.pad(a.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((k, c, r, s))
    for i in range(r):
        for j in range(s):
            patch = ap[:, :, i:i + stride * (ho - 1) + 1:stride, j:j + stride * (wo - 1) + 1:stride]
            out[:, :, i, j] = np.einsum("nkhw,nchw->kc", g.astype(np.float64), patch)
    return out


# ---- running ant-vp --------------------------------------------------------------------------

class Layer:
    """Seeded tensors of one small convolution, saved once."""

    def __init__(self, work, name, n, c, k, h, stride, pad=1, r=3, seed=7):
        rng = np.random.default_rng(seed)
        self.n, self.c, self.k, self.h, self.stride, self.pad, self.r = n, c, k, h, stride, pad, r
        self.ho = out_size(h, r, stride, pad)
        self.a = sparse(rng, (n, c, h, h), 0.3)
        self.w = sparse(rng, (k, c, r, r), 0.3)
        self.g = sparse(rng, (n, k, self.ho, self.ho), 0.5)
        self.files = {}
        for key in ("a", "w", "g"):
            self.files[key] = os.path.join(work, "%s_%s.npy" % (name, key))
            np.save(self.files[key], getattr(self, key))

    def args(self, op):
        f = self.files
        common = ["--stride", str(self.stride), "--pad", str(self.pad)]
        if op == "fw":
            return ["--op", "fw", "--a", f["a"], "--b", f["w"]] + common
        if op == "bd":
            return ["--op", "bd", "--a", f["g"], "--b", f["w"], "--in", "%dx%d" % (self.h, self.h)] + common
        return ["--op", "bw", "--a", f["a"], "--b", f["g"], "--kernel", "%dx%d" % (self.r, self.r)] + common

    def reference(self, op):
        if op == "fw":
            return ref_fw(self.a, self.w, self.stride, self.pad)
        if op == "bd":
            return ref_bd(self.g, self.w, self.h, self.h, self.stride, self.pad)
        return ref_bw(self.a, self.g, self.r, self.r, self.stride, self.pad)


class Runner:
    def __init__(self, ant_vp, work):
        self.ant_vp, self.work, self.count = ant_vp, work, 0

    def run(self, args, sets=(), expect=0):
        """Runs ant-vp layer; returns (exit code, stderr, stats dict or None, output array or None)."""
        self.count += 1
        out = os.path.join(self.work, "out_%d.npy" % self.count)
        stats = os.path.join(self.work, "stats_%d.json" % self.count)
        cmd = [self.ant_vp, "layer"] + list(args) + ["--out", out, "--stats", stats]
        for s in sets:
            cmd += ["--set", s]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        err = p.stderr.decode(errors="replace")
        doc = arr = None
        if p.returncode == 0:
            with open(stats) as f:
                doc = json.load(f)
            arr = np.load(out)
        if expect is not None and p.returncode != expect:
            check(False, "%s: exit %d, expected %d; stderr: %s" % (" ".join(cmd), p.returncode, expect, err.strip()))
        return p.returncode, err, doc, arr, out


def block(doc, b, name):
    return doc["blocks"][b][name]["value"]


def close(out, ref, what, rtol=1e-4):
    if not check(out is not None and out.shape == ref.shape,
                 "%s: output shape %s, reference %s" % (what, None if out is None else out.shape, ref.shape)):
        return False
    scale = max(1.0, float(np.abs(ref).max()))
    diff = float(np.abs(out.astype(np.float64) - ref).max())
    return check(diff <= rtol * scale, "%s: max |out - ref| = %g > %g" % (what, diff, rtol * scale))


# ---- cases -----------------------------------------------------------------------------------

def buffer_case(runner, work, key, op, small):
    """A buffer shrunk below the working set: more DRAM reads, more groups or loads, same output."""
    layer = Layer(work, "buf", n=2, c=16, k=24, h=12, stride=1)
    _, _, base, base_out, _ = runner.run(layer.args(op) + ["--mode", "ant"])
    _, _, shrunk, shrunk_out, _ = runner.run(layer.args(op) + ["--mode", "ant"], ["%s=%d" % (key, small)])
    if base is None or shrunk is None:
        return
    print("%s=%d, op %s: dram_read_bytes %d -> %d, cycles %d -> %d" % (
        key, small, op, base["dram_read_bytes"], shrunk["dram_read_bytes"], base["cycles"], shrunk["cycles"]))
    check(shrunk["config"][key] == small, "%s not applied (config says %s)" % (key, shrunk["config"][key]))
    check(shrunk["dram_read_bytes"] > base["dram_read_bytes"],
          "%s=%d: dram_read_bytes %d not above the default's %d" % (key, small, shrunk["dram_read_bytes"],
                                                                   base["dram_read_bytes"]))
    check(block(shrunk, "dram", "read_bytes") > block(base, "dram", "read_bytes"),
          "%s=%d: dram.read_bytes did not increase" % (key, small))
    counters = ("output_groups", "stationary_loads", "broadcast_loads")
    grew = [c for c in counters if block(shrunk, "job_sequencer", c) > block(base, "job_sequencer", c)]
    print("  job_sequencer: " + ", ".join("%s %d -> %d" % (c, block(base, "job_sequencer", c),
                                                          block(shrunk, "job_sequencer", c)) for c in counters))
    check(grew, "%s=%d: none of job_sequencer.%s increased" % (key, small, "/".join(counters)))
    check(all(block(shrunk, "job_sequencer", c) >= block(base, "job_sequencer", c) for c in counters),
          "%s=%d: a job_sequencer load counter decreased" % (key, small))
    # The same tensor, up to fp32 re-association, and both equal to the reference.
    if check(base_out is not None and shrunk_out is not None and base_out.shape == shrunk_out.shape,
             "outputs missing or of different shapes"):
        scale = max(1.0, float(np.abs(base_out).max()))
        diff = float(np.abs(base_out.astype(np.float64) - shrunk_out).max())
        check(diff <= 1e-5 * scale, "%s=%d changed the output: max diff %g" % (key, small, diff))
    close(shrunk_out, layer.reference(op), "%s=%d %s vs reference" % (key, small, op))


def case_kernel_buffer(runner, work):
    # bw: the broadcast planes (output gradients of one image) are reused by every stationary
    # plane while they fit the kernel buffer; at 2 KiB they are refetched per pass.
    buffer_case(runner, work, "kernel_buffer.capacity_bytes", "bw", 2048)


def case_accumulator_buffer(runner, work):
    # fw: 48 output planes of 12x12 fp32 (576 B) fit the default 640 KiB accumulator; at 4 KiB
    # only 7 per group, so every group refetches the operands.
    buffer_case(runner, work, "accumulator_buffer.capacity_bytes", "fw", 4096)


def case_modes_small_buffers(runner, work):
    small = ["kernel_buffer.capacity_bytes=1024", "accumulator_buffer.capacity_bytes=1024",
             "image_buffer.capacity_bytes=4096", "output_buffer.capacity_bytes=8192"]
    layers = [Layer(work, "s1", n=2, c=8, k=12, h=10, stride=1, seed=11),
              Layer(work, "s2", n=1, c=6, k=10, h=11, stride=2, seed=12)]
    for li, layer in enumerate(layers):
        for op in ("fw", "bd", "bw"):
            ref = layer.reference(op)
            for mode in ("dense", "scnn", "ant", "ideal"):
                for sets in (small, small + ["pe_array.mapping=channel"]):
                    rc, err, doc, out, _ = runner.run(layer.args(op) + ["--mode", mode], sets)
                    what = "layer %d %s %s %s" % (li, op, mode, sets[-1])
                    if rc != 0:
                        continue
                    close(out, ref, what)
                    # The small buffers really were exceeded: more than one group or batch of loads.
                    js = doc["blocks"]["job_sequencer"]
                    check(js["output_groups"]["value"] > 1 or js["broadcast_loads"]["value"] > js["stationary_loads"]["value"]
                          or js["passes"]["value"] > js["stationary_loads"]["value"],
                          "%s: the small buffers did not split the job (%s)" % (
                              what, {k: v["value"] for k, v in js.items()}))
    print("%d runs compared with the numpy reference" % runner.count)


def case_bandwidth_monotone(runner, work):
    layer = Layer(work, "bwm", n=1, c=32, k=32, h=16, stride=1, seed=21)
    grid = [2, 4, 8, 16, 32, 64, 128, 256]
    for op in ("fw", "bd", "bw"):
        for mode in ("ant", "scnn", "dense"):
            for latency in (20, 200):
                cycles = []
                for bw in grid:
                    _, _, doc, _, _ = runner.run(layer.args(op) + ["--mode", mode],
                                                 ["dram.model=simple", "dram.bandwidth_gbps=%g" % bw,
                                                  "dram.latency_ns=%g" % latency])
                    cycles.append(doc["cycles"] if doc else None)
                print("%s %s latency %d ns: cycles %s over bandwidth %s GB/s" % (op, mode, latency, cycles, grid))
                if None in cycles:
                    check(False, "%s %s: a run failed" % (op, mode))
                    continue
                for i in range(1, len(grid)):
                    if not check(cycles[i] <= cycles[i - 1],
                                 "%s %s latency %d ns: %d cycles at %g GB/s but %d at %g GB/s" % (
                                     op, mode, latency, cycles[i], grid[i], cycles[i - 1], grid[i - 1])):
                        # Diagnostic: the same two points with a 10 ns simulation quantum.
                        fine = []
                        for bw in (grid[i - 1], grid[i]):
                            _, _, d, _, _ = runner.run(layer.args(op) + ["--mode", mode],
                                                       ["dram.model=simple", "dram.bandwidth_gbps=%g" % bw,
                                                        "dram.latency_ns=%g" % latency, "sim.quantum_ns=10"])
                            fine.append(d["cycles"] if d else None)
                        print("  with sim.quantum_ns=10: %s cycles at %g, %g GB/s" % (fine, grid[i - 1], grid[i]),
                              file=sys.stderr)
                check(cycles[0] > cycles[-1], "%s %s: %g GB/s is not slower than %g GB/s" % (op, mode, grid[0], grid[-1]))


def case_bad_config(runner, work):
    layer = Layer(work, "bad", n=1, c=4, k=4, h=6, stride=1, seed=31)
    cases = [
        (["dram.preset=ddr9-9999"], "dram.preset"),
        (["dram.model=simple", "dram.bandwidth_gbps=0"], "dram.bandwidth_gbps"),
        (["dram.model=simple", "dram.bandwidth_gbps=-5"], "dram.bandwidth_gbps"),
        (["dram.model=simple", "dram.latency_ns=0"], "dram.latency_ns"),
        (["dram.model=simple", "dram.bandwidth_gbps=fast"], "dram.bandwidth_gbps"),
        (["dram.no_such_key=1"], "dram.no_such_key"),
        (["dram.model=quantum"], "dram.model"),
        (["dram.preset=ddr4-3200", "dram.bandwidth_gbps=10"], "dram.bandwidth_gbps"),
        (["dram.preset=hbm2", "dram.latency_ns=50"], "dram.latency_ns"),
        (["dram.preset=ddr4-3200", "dram.timing.tRFC=20000"], "dram.timing.tRFC"),
        (["dram.preset=ddr4-3200", "dram.channels=3"], "dram.channels"),
        (["dram.preset=lpddr4-4266", "dram.address_mapping=row:bank:column"], "dram.address_mapping"),
        (["dram.preset=ddr4-3200", "dram.queue_depth=0"], "dram.queue_depth"),
        (["dram.preset=ddr4-3200", "dram.bankgroups=3"], "dram.bankgroups"),
        (["dram.preset=ddr4-3200", "dram.timing.tRAS=10"], "dram.timing.tRAS"),
        (["dram.preset=ddr4-3200", "dram.write_low_watermark=40"], "dram.write_low_watermark"),
    ]
    for sets, key in cases:
        rc, err, _, _, out = runner.run(layer.args("fw"), sets, expect=2)
        lines = [l for l in err.splitlines() if l.strip()]
        print("%s -> exit %d: %s" % (" ".join(sets), rc, err.strip()))
        check(len(lines) == 1, "%s: %d lines on stderr, expected one: %r" % (sets, len(lines), err))
        check(key in err, "%s: the message does not name %s: %r" % (sets, key, err.strip()))
        check(not os.path.exists(out), "%s: an output file was written despite exit %d" % (sets, rc))
    # The same checks when the bad value comes from a configuration file: the message names
    # the key and does not blame --set.
    file_cases = [
        ({"queue_depth": 0}, "dram.queue_depth"),
        ({"bankgroups": 3}, "dram.bankgroups"),
        ({"timing": {"tRAS": 10}}, "dram.timing.tRAS"),
    ]
    for i, (dram, key) in enumerate(file_cases):
        path = os.path.join(work, "bad_config_%d.json" % i)
        with open(path, "w") as f:
            json.dump({"dram": dict({"preset": "ddr4-3200"}, **dram)}, f)
        rc, err, _, _, out = runner.run(layer.args("fw") + ["--config", path], expect=2)
        lines = [l for l in err.splitlines() if l.strip()]
        print("--config %s -> exit %d: %s" % (json.dumps(dram), rc, err.strip()))
        check(len(lines) == 1, "%s: %d lines on stderr, expected one: %r" % (dram, len(lines), err))
        check(key in err, "%s: the message does not name %s: %r" % (dram, key, err.strip()))
        check("--set" not in err, "%s: the message blames --set: %r" % (dram, err.strip()))
        check(not os.path.exists(out), "%s: an output file was written despite exit %d" % (dram, rc))


CASES = {
    "kernel_buffer": case_kernel_buffer,
    "accumulator_buffer": case_accumulator_buffer,
    "modes_small_buffers": case_modes_small_buffers,
    "bandwidth_monotone": case_bandwidth_monotone,
    "bad_config": case_bad_config,
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--case", required=True, choices=sorted(CASES))
    args = p.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    runner = Runner(os.path.abspath(args.ant_vp), args.workdir)
    CASES[args.case](runner, args.workdir)
    if FAILURES:
        print("%d failure(s) in case %s" % (len(FAILURES), args.case), file=sys.stderr)
        return 1
    print("case %s: ok (%d ant-vp runs)" % (args.case, runner.count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
