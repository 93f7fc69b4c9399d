#!/usr/bin/python3
"""check_outputs.py DIR STRIDE PAD

Compares y.npy, dx.npy and dw.npy (what the firmware computed through the accelerator and
`ant-vp run --save` wrote) with a dense reference computed here with plain loops from
x.npy, w.npy and dy.npy:
  y  = conv2d(x, w)                       (FW)
  dx = gradient of conv2d w.r.t. x at dy  (BD)
  dw = gradient of conv2d w.r.t. w at dy  (BW)
Exits 0 when all three are equal (the inputs make every sum exact), 1 otherwise."""
import os
import sys

import numpy as np


def reference(x, w, dy, stride, pad):
    n, c, h, wd = x.shape
    k, _, r, s = w.shape
    ho, wo = dy.shape[2], dy.shape[3]
    xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), dtype=np.float64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    y = np.zeros((n, k, ho, wo))
    dxp = np.zeros_like(xp)
    dw = np.zeros((k, c, r, s))
    for i in range(r):
        for j in range(s):
            patch = xp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride]  # n c ho wo
            y += np.einsum("nchw,kc->nkhw", patch, w[:, :, i, j])
            dw[:, :, i, j] += np.einsum("nchw,nkhw->kc", patch, dy)
            dxp[:, :, i:i + stride * ho:stride, j:j + stride * wo:stride] += np.einsum("nkhw,kc->nchw", dy, w[:, :, i, j])
    return y, dxp[:, :, pad:pad + h, pad:pad + wd], dw


def main():
    d, stride, pad = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    load = lambda name: np.load(os.path.join(d, name))
    x, w, dy = load("x.npy"), load("w.npy"), load("dy.npy")
    expected = dict(zip(("y", "dx", "dw"), reference(x.astype(np.float64), w.astype(np.float64),
                                                     dy.astype(np.float64), stride, pad)))
    ok = True
    for name, ref in expected.items():
        got = load(name + ".npy")
        if got.dtype != np.float32 or got.shape != ref.shape:
            print(f"{name}: {got.dtype} {got.shape}, expected float32 {ref.shape}")
            ok = False
            continue
        diff = np.abs(got.astype(np.float64) - ref)
        if diff.max(initial=0.0) != 0.0:
            print(f"{name}: {int((diff != 0).sum())} of {ref.size} elements differ, max |diff| {diff.max()}")
            ok = False
        else:
            print(f"{name}: {ref.size} elements equal the dense reference ({int((ref != 0).sum())} non-zero)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
