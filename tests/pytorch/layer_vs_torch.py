#!/usr/bin/python3
"""`ant-vp layer` against PyTorch as the external oracle.

Random sparse tensors (seeded) for each operation in each mode (dense, scnn, ant, ideal)
over strides 1-3, paddings 0-2, rectangular planes and kernels; the output of ant-vp must
match PyTorch within fp32 tolerance:

    fw   torch.nn.functional.conv2d(act, weight, stride, padding)
    bd   torch.nn.grad.conv2d_input(input_size, weight, grad_out, stride, padding)
    bw   torch.nn.grad.conv2d_weight(act, weight_size, grad_out, stride, padding)
    spmm a @ b

Run with Debian's interpreter, which sees python3-torch:

    /usr/bin/python3 layer_vs_torch.py --ant-vp build/ant-vp --workdir /tmp/x --case fw
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

MODES = ["dense", "scnn", "ant", "ideal"]
RTOL = 1e-4
ATOL = 1e-4  # scaled by the largest |reference| value (at least 1)


def pair(v):
    return v if isinstance(v, tuple) else (v, v)


def pair_arg(v):
    h, w = pair(v)
    return "%d" % h if h == w else "%dx%d" % (h, w)


class Runner:
    def __init__(self, ant_vp, workdir):
        self.ant_vp = ant_vp
        self.work = workdir
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        self.rng = np.random.default_rng(20220611)
        self.failures = []
        self.checked = 0

    def sparse(self, shape, density):
        x = self.rng.standard_normal(shape).astype(np.float32)
        x[self.rng.random(shape) >= density] = 0
        return x

    def run(self, op, mode, a, b, extra):
        pa = os.path.join(self.work, "a.npy")
        pb = os.path.join(self.work, "b.npy")
        out = os.path.join(self.work, "out.npy")
        stats = os.path.join(self.work, "stats.json")
        for p in (out, stats):
            if os.path.exists(p):
                os.remove(p)
        np.save(pa, a)
        np.save(pb, b)
        cmd = [self.ant_vp, "layer", "--op", op, "--mode", mode, "--a", pa, "--b", pb,
               "--out", out, "--stats", stats] + extra
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        if p.returncode != 0:
            return None, None, "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip())
        with open(stats) as f:
            return np.load(out), json.load(f), None

    def compare(self, label, got, ref):
        self.checked += 1
        ref = ref.detach().numpy() if isinstance(ref, torch.Tensor) else ref
        if got is None or got.shape != ref.shape:
            self.failures.append("%s: shape %s, expected %s" % (label, None if got is None else got.shape,
                                                               ref.shape))
            return False
        scale = max(1.0, float(np.abs(ref).max()) if ref.size else 1.0)
        if not np.allclose(got, ref, rtol=RTOL, atol=ATOL * scale):
            err = np.abs(got.astype(np.float64) - ref)
            idx = np.unravel_index(int(err.argmax()), err.shape)
            self.failures.append("%s: max |diff| %.3g at %s (got %r, expected %r), %d of %d elements off" % (
                label, err.max(), tuple(int(i) for i in idx), float(got[idx]), float(ref[idx]),
                int((~np.isclose(got, ref, rtol=RTOL, atol=ATOL * scale)).sum()), ref.size))
            return False
        return True


# Convolution shapes: (N, C, K, H, W, kernel, stride, pad, densities (first, second)).
# Rectangular planes and kernels, asymmetric stride/padding, sizes where (H + 2p - R) is not a
# multiple of the stride (rows of the input no output reaches), 1x1 kernels with padding
# larger than the kernel, all-zero and fully dense operands.
CONV_SHAPES = [
    (1, 3, 4, 8, 8, (3, 3), 1, 0, (0.3, 0.3)),
    (2, 3, 5, 9, 7, (3, 3), 1, 1, (0.3, 0.4)),
    (1, 4, 3, 10, 6, (3, 3), 2, 1, (0.3, 0.4)),
    (2, 2, 3, 11, 9, (3, 3), 3, 2, (0.5, 0.5)),
    (1, 3, 2, 7, 12, (2, 3), 2, 0, (0.4, 0.4)),
    (1, 2, 3, 9, 10, (3, 2), (2, 3), (1, 2), (0.4, 0.5)),
    (1, 3, 3, 6, 5, (1, 1), 1, 2, (0.5, 0.5)),
    (2, 2, 2, 12, 11, (5, 3), (3, 2), (2, 0), (0.3, 0.5)),
    (1, 2, 2, 6, 7, (3, 3), 2, 2, (1.0, 1.0)),
    (1, 3, 2, 6, 6, (3, 3), 1, 1, (0.0, 0.5)),
    (1, 1, 1, 1, 13, (1, 3), 1, (0, 1), (0.6, 0.6)),
    # planes larger than the 8x8 PE grid (planar tiles, halos), more channels
    (2, 8, 12, 32, 32, (3, 3), 1, 1, (0.1, 0.3)),
    (1, 16, 8, 23, 17, (3, 3), 2, 1, (0.2, 0.2)),
    (1, 4, 4, 30, 28, (5, 5), 3, 2, (0.3, 0.3)),
]

# Non-default accelerator configurations: the output must not depend on the hardware shape.
CONFIGS = [
    ["--set", "pe_array.f=2", "--set", "pe_array.i=3"],
    ["--set", "pe_array.pe_rows=3", "--set", "pe_array.pe_cols=5"],
    ["--set", "pe_array.pe_rows=1", "--set", "pe_array.pe_cols=1", "--set", "pe_array.f=1", "--set", "pe_array.i=1"],
    ["--set", "pe_array.banks=1", "--set", "pe_array.fifo_depth=1", "--set", "pe_array.broadcasts_per_cycle=3"],
    ["--set", "pe_array.skip_before_fifo=false", "--set", "csr_fetch_unit.row_bounded_vectors=false"],
    ["--set", "pe_array.skip_before_fifo=true", "--set", "csr_fetch_unit.row_bounded_vectors=true",
     "--set", "index_range_calculator.vectors_per_cycle=2"],
    ["--set", "kernel_buffer.capacity_bytes=8192", "--set", "image_buffer.capacity_bytes=8192",
     "--set", "image_buffer.width_bytes=8", "--set", "kernel_buffer.latency_cycles=7"],
    # SCNN+ variants: BW with the output gradient tiled, SPMM as a Cartesian product
    ["--set", "pe_array.scnn_bw_stationary=gradient", "--set", "pe_array.scnn_spmm=cartesian"],
    ["--set", "pe_array.scnn_bw_stationary=gradient", "--set", "pe_array.scnn_packing=per_plane",
     "--set", "pe_array.ant_bw_stationary=gradient"],
]

SPMM_SHAPES = [  # (M, K, N, densities)
    (8, 8, 8, (0.3, 0.3)),
    (5, 13, 7, (0.4, 0.2)),
    (17, 3, 9, (0.5, 0.5)),
    (1, 20, 1, (0.5, 0.5)),
    (12, 30, 4, (1.0, 1.0)),
    (6, 6, 6, (0.0, 0.5)),
    (33, 40, 21, (0.1, 0.1)),
    (64, 100, 48, (0.1, 0.3)),
]


def conv_case(r, op, relu=False, modes=MODES, shapes=CONV_SHAPES, config=()):
    """Runs every shape through op in each mode; returns per-run stats for the
    product-count check."""
    records = []
    for (n, c, k, h, w, kern, stride, pad, (d1, d2)) in shapes:
        rr, ss = kern
        sh, sw = pair(stride)
        ph, pw = pair(pad)
        ho, wo = (h + 2 * ph - rr) // sh + 1, (w + 2 * pw - ss) // sw + 1
        act = r.sparse((n, c, h, w), d1)
        wgt = r.sparse((k, c, rr, ss), d2)
        grad = r.sparse((n, k, ho, wo), d2)
        extra = ["--stride", pair_arg(stride), "--pad", pair_arg(pad)] + (["--relu"] if relu else []) + list(config)
        ta, tw, tg = (torch.from_numpy(x).double() for x in (act, wgt, grad))
        if op == "fw":
            a, b = act, wgt
            ref = F.conv2d(ta, tw, stride=(sh, sw), padding=(ph, pw))
            count = F.conv2d((ta != 0).double(), (tw != 0).double(), stride=(sh, sw), padding=(ph, pw)).sum()
        elif op == "bd":
            a, b = grad, wgt
            extra += ["--in", "%dx%d" % (h, w)]
            ref = torch.nn.grad.conv2d_input((n, c, h, w), tw, tg, stride=(sh, sw), padding=(ph, pw))
            count = torch.nn.grad.conv2d_input((n, c, h, w), (tw != 0).double(), (tg != 0).double(),
                                               stride=(sh, sw), padding=(ph, pw)).sum()
        else:
            a, b = act, grad
            extra += ["--kernel", "%dx%d" % (rr, ss)]
            ref = torch.nn.grad.conv2d_weight(ta, (k, c, rr, ss), tg, stride=(sh, sw), padding=(ph, pw))
            count = torch.nn.grad.conv2d_weight((ta != 0).double(), (k, c, rr, ss), (tg != 0).double(),
                                                stride=(sh, sw), padding=(ph, pw)).sum()
        if relu:
            ref = torch.relu(ref)
        shape_label = "N%d C%d K%d %dx%d kernel %dx%d stride %s pad %s density %s/%s%s" % (
            n, c, k, h, w, rr, ss, pair_arg(stride), pair_arg(pad), d1, d2,
            (" " + " ".join(config[1::2])) if config else "")
        for mode in modes:
            label = "%s%s %s [%s]" % (op, " --relu" if relu else "", mode, shape_label)
            got, stats, err = r.run(op, mode, a, b, extra)
            if err:
                r.failures.append("%s: %s" % (label, err))
                r.checked += 1
                continue
            r.compare(label, got, ref)
            records.append((label, mode, stats, int(round(float(count)))))
    return records


def spmm_case(r, relu=False, modes=MODES, shapes=SPMM_SHAPES, config=()):
    records = []
    for (m, kk, nn, (d1, d2)) in shapes:
        a = r.sparse((m, kk), d1)
        b = r.sparse((kk, nn), d2)
        ta, tb = torch.from_numpy(a).double(), torch.from_numpy(b).double()
        ref = ta @ tb
        if relu:
            ref = torch.relu(ref)
        count = ((ta != 0).double() @ (tb != 0).double()).sum()
        for mode in modes:
            label = "spmm%s %s [%dx%d @ %dx%d density %s/%s%s]" % (
                " --relu" if relu else "", mode, m, kk, kk, nn, d1, d2,
                (" " + " ".join(config[1::2])) if config else "")
            got, stats, err = r.run("spmm", mode, a, b, (["--relu"] if relu else []) + list(config))
            if err:
                r.failures.append("%s: %s" % (label, err))
                r.checked += 1
                continue
            r.compare(label, got, ref)
            records.append((label, mode, stats, int(round(float(count)))))
    return records


def check_counts(r, records):
    """Sparse modes multiply the same set of valid non-zero pairs: products_valid equals the
    number of (non-zero, non-zero) pairs with an in-range output, counted by PyTorch on the
    operands' masks; ideal issues no RCP; ant never issues more RCPs than scnn."""
    by_label = {}
    for label, mode, stats, count in records:
        r.checked += 1
        if mode != "dense" and stats["products_valid"] != count:
            r.failures.append("%s: products_valid %d, PyTorch counts %d valid non-zero pairs" % (
                label, stats["products_valid"], count))
        if mode == "ideal" and stats["products_rcp"] != 0:
            r.failures.append("%s: ideal mode issued %d RCPs" % (label, stats["products_rcp"]))
        if stats["products_rcp"] != stats["products_issued"] - stats["products_valid"]:
            r.failures.append("%s: products_rcp != issued - valid" % label)
        by_label.setdefault(label.replace(" " + mode + " ", " * "), {})[mode] = stats
    for label, per_mode in by_label.items():
        if "ant" in per_mode and "scnn" in per_mode:
            if label.startswith("spmm") and "scnn_spmm=cartesian" not in label and "per_plane" not in label:
                # SCNN+ (cross-channel packing) runs SPMM a contraction index per pass: no RCPs;
                # ANT's image vectors may span several contraction indices.
                if per_mode["scnn"]["products_rcp"] != 0:
                    r.failures.append("%s: scnn issued %d RCPs on SPMM" % (label, per_mode["scnn"]["products_rcp"]))
            elif per_mode["ant"]["products_rcp"] > per_mode["scnn"]["products_rcp"]:
                r.failures.append("%s: ant issued %d RCPs, more than scnn's %d" % (
                    label, per_mode["ant"]["products_rcp"], per_mode["scnn"]["products_rcp"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--case", required=True, choices=["fw", "bd", "bw", "spmm", "relu", "counts", "configs"])
    args = p.parse_args()
    torch.set_num_threads(1)
    r = Runner(os.path.abspath(args.ant_vp), os.path.abspath(args.workdir))
    if args.case in ("fw", "bd", "bw"):
        conv_case(r, args.case)
    elif args.case == "spmm":
        spmm_case(r)
    elif args.case == "relu":
        for op in ("fw", "bd", "bw"):
            conv_case(r, op, relu=True)
        spmm_case(r, relu=True)
    elif args.case == "configs":
        # a few small shapes per op, every mode, under each configuration
        # (the sparse modes' product counts must not depend on it either)
        conv_shapes = [CONV_SHAPES[i] for i in (1, 3, 5, 11)]
        records = []
        for config in CONFIGS:
            for op in ("fw", "bd", "bw"):
                records += conv_case(r, op, shapes=conv_shapes, config=config)
            records += spmm_case(r, shapes=SPMM_SHAPES[1:3], config=config)
        check_counts(r, records)
    else:
        records = []
        for op in ("fw", "bd", "bw"):
            records += conv_case(r, op, modes=["scnn", "ant", "ideal"])
        records += spmm_case(r, modes=["scnn", "ant", "ideal"])
        check_counts(r, records)
    for f in r.failures:
        print("FAIL " + f, file=sys.stderr)
    print("%s: %d checks, %d failed" % (args.case, r.checked, len(r.failures)))
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
