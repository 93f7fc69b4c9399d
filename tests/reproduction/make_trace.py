#!/usr/bin/python3
"""A tiny synthetic SWAT trace in the exporter's format, for testing the reproduction driver.

Four small layers — a dense first 3x3 conv (no BD job), a strided 3x3 conv, a 1x1 conv and
an FC layer whose BW job is cut into two row blocks — with seeded random operands: weights and BW activations at the trace's
density, FW activations about half non-zero (as ReLU leaves them), output gradients dense
where the ReLU mask lets them through. The shapes follow the manifest format exactly, so a
trace that passes here exercises every op the driver issues (fw, bd, bw, spmm).

    make_trace.py --trace-root DIR [--network resnet18] [--batch 1] [--density 0.1] [--seed 0]
"""
import argparse
import json
import os

import numpy as np

# name, type, in C, out K, H (= W), kernel, stride, pad
LAYERS = [
    ("conv1", "conv", 3, 4, 6, 3, 1, 1),
    ("block.conv", "conv", 4, 8, 6, 3, 2, 1),
    ("block.shortcut", "conv", 4, 8, 6, 1, 2, 0),
    ("fc", "fc", 8, 5, None, None, None, None),
]


def sparse(rng, shape, density):
    x = rng.standard_normal(shape).astype(np.float32)
    x[rng.random(shape) >= density] = 0
    return x


def build(root, network, batch, density, seed):
    name = "%s-b%d-d%g-s%d" % (network, batch, density, seed)
    path = os.path.join(root, name)
    os.makedirs(path, exist_ok=True)
    rng = np.random.default_rng(seed)
    layers, jobs = [], []

    def save(tag, array):
        rel = "%s.npy" % tag
        np.save(os.path.join(path, rel), array)
        return rel

    for i, (lname, ltype, c, k, h, r, st, pd) in enumerate(LAYERS):
        first = i == 0
        wd = 1.0 if first else density
        if ltype == "conv":
            ho = (h + 2 * pd - r) // st + 1
            in_shape, out_shape = [batch, c, h, h], [batch, k, ho, ho]
            layer = {"name": lname, "type": "conv", "first": first, "in_shape": in_shape, "out_shape": out_shape,
                     "kernel": [r, r], "stride": [st, st], "padding": [pd, pd], "groups": 1}
            geo = {"stride": [st, st], "pad": [pd, pd]}
            a_fw = save(lname + ".a_fw", sparse(rng, in_shape, 1.0 if first else 0.5))
            w = save(lname + ".w", sparse(rng, [k, c, r, r], wd))
            d_o = save(lname + ".dO", sparse(rng, out_shape, 0.9))
            a_bw = save(lname + ".a_bw", sparse(rng, in_shape, 1.0 if first else density))
            jobs.append(dict(geo, layer=lname, phase="fw", op="fw", a=a_fw, b=w, a_shape=in_shape,
                             b_shape=[k, c, r, r]))
            if not first:
                jobs.append(dict(geo, layer=lname, phase="bd", op="bd", a=d_o, b=w, a_shape=out_shape,
                                 b_shape=[k, c, r, r], **{"in": [h, h]}))
            jobs.append(dict(geo, layer=lname, phase="bw", op="bw", a=a_bw, b=d_o, a_shape=in_shape,
                             b_shape=out_shape, kernel=[r, r]))
        else:
            layer = {"name": lname, "type": "fc", "first": first, "in_shape": [batch, c], "out_shape": [batch, k]}
            w = sparse(rng, [k, c], wd)
            d_o = sparse(rng, [batch, k], 0.9)
            a_bw = sparse(rng, [batch, c], density)
            jobs.append({"layer": lname, "phase": "fw", "op": "spmm", "a_shape": [k, c], "b_shape": [c, batch],
                         "a": save(lname + ".w", w), "b": save(lname + ".a_fwT", sparse(rng, [c, batch], 0.5))})
            jobs.append({"layer": lname, "phase": "bd", "op": "spmm", "a_shape": [c, k], "b_shape": [k, batch],
                         "a": save(lname + ".wT", w.T.copy()), "b": save(lname + ".dOT", d_o.T.copy())})
            # BW cut into two row blocks of A, as the exporter cuts FC jobs too large for the buffers.
            whole = save(lname + ".dOT", d_o.T.copy())
            b_bw = save(lname + ".a_bw", a_bw)
            for i, (r0, r1) in enumerate(((0, k // 2), (k // 2, k))):
                jobs.append({"layer": lname, "phase": "bw", "op": "spmm", "a_shape": [r1 - r0, batch],
                             "b_shape": [batch, c], "a": save("%s.dOT.part%d" % (lname, i), d_o.T[r0:r1].copy()),
                             "b": b_bw, "part": [i, 2], "a_whole": whole})
        layer["density"] = {"w": wd, "a_fw": 0.5, "a_bw": density, "dO": 0.9}
        layers.append(layer)

    manifest = {"format": "ant-swat-trace", "version": 1, "network": network, "dataset": "cifar10",
                "batch": batch, "density": density, "seed": seed, "input_shape": [batch, 3, 6, 6],
                "torch_version": None, "complete": True, "layers": layers, "jobs": jobs}
    with open(os.path.join(path, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return path


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trace-root", required=True)
    p.add_argument("--network", default="resnet18")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--density", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    print(build(a.trace_root, a.network, a.batch, a.density, a.seed))


if __name__ == "__main__":
    main()
