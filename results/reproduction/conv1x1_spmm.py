#!/usr/bin/python3
"""What if both designs ran 1x1 convolutions as sparse matrix multiplication?

A 1x1 convolution without padding is a matrix product over the channels at each of the
P = N*Ho*Wo output positions (stride s reads the input on the output grid, and BD's dX is
zero off it): FW out[K][P] = W[K][C] X[C][P], BD dX[C][P] = W^T[C][K] dO[K][P],
BW dW[K][C] = dO[K][P] X^T[P][C]. Run as a convolution under the paper's roles, SCNN+'s BW
pairs every activation with every gradient element of the plane (all but one position's
products are RCPs); run as SPMM (the FC layers' mapping: SCNN+ one contraction index per
pass, ANT's anticipator over contraction ranges) there are none to anticipate. This script
measures that mapping, the same for both designs and every network:

  1. lowers every unpadded 1x1 conv job of each network's trace to SPMM jobs
     (`--in-format`/`--out-format` as the reproduction's layout; P is cut into chunks so
     that the stationary operand B fits the image buffer, A into row blocks so that the
     output fits the accumulator, as the trace exporter cuts FC layers), writing the
     operands to a scratch folder;
  2. runs them through `ant-vp layer --op spmm` in scnn and ant mode (runner.py);
  3. substitutes their cycles for the conv jobs' in a reproduction's per_job.csv (the
     iteration is a sum of jobs) and writes, per network, both mappings' totals and speedups.

    /usr/bin/python3 results/reproduction/conv1x1_spmm.py results/reproduction/per_job.csv \\
        --memory ideal --out results/reproduction/sweeps/conv1x1_spmm.csv

Exit 2 on bad input, 1 if a job failed.
"""
import argparse
import collections
import csv
import math
import os
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import paper  # noqa: E402
import reproduce  # noqa: E402
import runner  # noqa: E402
import traces  # noqa: E402
from errors import InputError, JobError  # noqa: E402

# The stationary operand (B) of one SPMM job must fit the 640 KiB image buffer whichever
# encoding it is stored in (CSR: a 4-byte row pointer per row, 6 bytes per entry).
B_BUDGET_BYTES = 384 * 1024


def is_pointwise(job):
    stride = job.get("stride") or [0, 0]
    return (job["op"] in ("fw", "bd", "bw") and stride[0] == stride[1] >= 1 and job.get("pad") == [0, 0]
            and (job["op"] != "fw" or job["b_shape"][2:] == [1, 1])
            and (job["op"] != "bd" or job["b_shape"][2:] == [1, 1])
            and (job["op"] != "bw" or job.get("kernel") == [1, 1]))


def matrices(job, trace):
    """(A, B) of the SPMM that computes a pointwise conv job."""
    a = np.load(os.path.join(trace, job["a"]))
    b = np.load(os.path.join(trace, job["b"]))
    s = job["stride"][0]  # a strided 1x1 conv reads the input positions on its output grid

    def positions(t):  # N x C x H x W -> C x (N*H*W)
        return np.ascontiguousarray(t.transpose(1, 0, 2, 3).reshape(t.shape[1], -1))

    if job["op"] == "fw":
        return b[:, :, 0, 0], positions(a[:, :, ::s, ::s])
    if job["op"] == "bd":  # dX on the output grid; its other positions are zero
        return np.ascontiguousarray(b[:, :, 0, 0].T), positions(a)
    return positions(b), np.ascontiguousarray(positions(a[:, :, ::s, ::s]).T)


def p_chunks(job, b):
    """Position ranges: B's columns (FW, BD) or rows (BW, the contraction) per job."""
    if job["op"] == "bw":
        per = max(1, B_BUDGET_BYTES // (6 * b.shape[1] + 4))
        n = b.shape[0]
    else:
        per = max(1, (B_BUDGET_BYTES - 4 * (b.shape[0] + 1)) // (6 * b.shape[0]))
        n = b.shape[1]
    return [(p, min(n, p + per)) for p in range(0, n, per)]


def lower(network, trace, manifest, scratch):
    """SPMM jobs (trace-style dicts with files in `scratch`) per lowered conv job key."""
    from swat_trace import row_blocks  # workloads/: the exporter's own FC cutting
    lowered = collections.OrderedDict()
    for job in manifest["jobs"]:
        if not is_pointwise(job):
            continue
        a, b = matrices(job, trace)
        parts = []
        for i, (p0, p1) in enumerate(p_chunks(job, b)):
            ab, bb = (a[:, p0:p1], b[p0:p1, :]) if job["op"] == "bw" else (a, b[:, p0:p1])
            for j, (r0, r1) in enumerate(row_blocks(ab, out_cols=bb.shape[1])):
                stem = "%s.%s.p%d.r%d" % (job["layer"], job["phase"], i, j)
                np.save(os.path.join(scratch, stem + ".a.npy"), np.ascontiguousarray(ab[r0:r1]))
                np.save(os.path.join(scratch, stem + ".b.npy"), np.ascontiguousarray(bb))
                parts.append(dict(layer=job["layer"], phase=job["phase"], op="spmm", a=stem + ".a.npy",
                                  b=stem + ".b.npy", a_shape=[r1 - r0, ab.shape[1]], b_shape=list(bb.shape)))
        lowered[(job["layer"], job["phase"])] = parts
    return lowered


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("per_job", help="per_job.csv of a reproduce.py run (modes scnn and ant) of the same traces")
    p.add_argument("--networks", default=",".join(traces.NETWORKS))
    p.add_argument("--memory", choices=["ideal", "dram"], default="ideal")
    p.add_argument("--layout", choices=["smaller", "csr"], default="smaller")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--density", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--trace-root", default=os.path.join(ROOT, "build", "traces"))
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build", "ant-vp"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--out", required=True, help="CSV to write (renamed into place at the end)")
    args = p.parse_args(argv)
    sys.path.insert(0, os.path.join(ROOT, "workloads"))
    try:
        networks = [n for n in args.networks.split(",") if n]
        unknown = [n for n in networks if n not in traces.NETWORKS]
        if unknown or not networks:
            raise InputError("unknown network(s) %s (known: %s)" % (",".join(unknown), ",".join(traces.NETWORKS)))
        if not os.access(args.ant_vp, os.X_OK):
            raise InputError("%s is missing or not executable" % args.ant_vp)
        try:
            with open(args.per_job) as f:
                rows = [r for r in csv.DictReader(f) if r["memory"] == args.memory]
        except (OSError, csv.Error, KeyError) as e:
            raise InputError("cannot read %s: %s" % (args.per_job, e))
        scratch = tempfile.mkdtemp(prefix="ant-conv1x1-")
        try:
            tasks, lowered = [], {}
            for network in networks:
                path = os.path.join(args.trace_root, traces.trace_name(network, args.batch, args.density, args.seed))
                manifest = traces.validate(path, network, args.batch, args.density, args.seed)
                lowered[network] = lower(network, path, manifest, scratch)
                for parts in lowered[network].values():
                    for job in parts:
                        for mode in ("scnn", "ant"):
                            tasks.append(runner.Task(network, scratch, job, mode, args.memory,
                                                     reproduce.MEMORY_SETTINGS[args.memory], args.layout))
            print("conv1x1_spmm: %d ant-vp runs" % len(tasks), file=sys.stderr)
            records, _ = runner.run_all(tasks, os.path.abspath(args.ant_vp), scratch, args.jobs)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    except InputError as e:
        print("conv1x1_spmm: error: %s" % e, file=sys.stderr)
        return 2
    except JobError as e:
        print("conv1x1_spmm: failed: %s" % e, file=sys.stderr)
        return 1

    spmm = collections.Counter()
    for r in records:
        spmm[(r["network"], r["mode"])] += int(r["cycles"])
    out_rows = []
    for network in networks:
        keys = set(lowered[network])
        total, conv = collections.Counter(), collections.Counter()
        for r in rows:
            if r["network"] != network or r["mode"] not in ("scnn", "ant"):
                continue
            total[r["mode"]] += int(r["cycles"])
            if (r["layer"], r["phase"]) in keys:
                conv[r["mode"]] += int(r["cycles"])
        if not total["scnn"] or not total["ant"]:
            print("conv1x1_spmm: error: %s has no scnn and ant rows for %s" % (args.per_job, network), file=sys.stderr)
            return 2
        lowered_total = {m: total[m] - conv[m] + spmm[(network, m)] for m in ("scnn", "ant")}
        out_rows.append({
            "network": network, "memory": args.memory, "pointwise_jobs": len(keys),
            "scnn_conv_pointwise": conv["scnn"], "ant_conv_pointwise": conv["ant"],
            "scnn_spmm_pointwise": spmm[(network, "scnn")], "ant_spmm_pointwise": spmm[(network, "ant")],
            "scnn_total_as_conv": total["scnn"], "ant_total_as_conv": total["ant"],
            "scnn_total_as_spmm": lowered_total["scnn"], "ant_total_as_spmm": lowered_total["ant"],
            "speedup_as_conv": total["scnn"] / total["ant"],
            "speedup_as_spmm": lowered_total["scnn"] / lowered_total["ant"],
            "paper": paper.speedup(network)})
    geo = {k: math.exp(sum(math.log(r[k]) for r in out_rows) / len(out_rows))
           for k in ("speedup_as_conv", "speedup_as_spmm", "paper")}
    print("| network | 1x1 jobs | SCNN+ 1x1 Mcycles conv / spmm | ANT 1x1 Mcycles conv / spmm | speedup as conv | as spmm | paper |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in out_rows:
        print("| %s | %d | %.2f / %.2f | %.2f / %.2f | %.2f× | %.2f× | %.2f× |" % (
            paper.LABELS[r["network"]], r["pointwise_jobs"], r["scnn_conv_pointwise"] / 1e6,
            r["scnn_spmm_pointwise"] / 1e6, r["ant_conv_pointwise"] / 1e6, r["ant_spmm_pointwise"] / 1e6,
            r["speedup_as_conv"], r["speedup_as_spmm"], r["paper"]))
    print("| geomean | | | | %.2f× | %.2f× | %.2f× |" % (geo["speedup_as_conv"], geo["speedup_as_spmm"], geo["paper"]))
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out_rows[0]))
        w.writeheader()
        w.writerows(out_rows)
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
