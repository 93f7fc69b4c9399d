#!/usr/bin/python3
"""make_inputs.py OUTDIR N C K H W R S STRIDE PAD DENSITY SEED

Writes x.npy (N,C,H,W), w.npy (K,C,R,S) and dy.npy (N,K,Ho,Wo) of float32: about DENSITY of
the elements non-zero, values small multiples of 1/8 so that every sum is exact in float32
(the accelerator's output must then equal the reference bit for bit, whatever the order)."""
import os
import sys

import numpy as np


def sparse(rng, shape, density):
    values = rng.integers(-8, 9, size=shape).astype(np.float32) / 8.0
    return np.where(rng.random(shape) < density, values, 0.0).astype(np.float32)


def main():
    out = sys.argv[1]
    n, c, k, h, w, r, s, stride, pad = (int(v) for v in sys.argv[2:11])
    density, seed = float(sys.argv[11]), int(sys.argv[12])
    rng = np.random.default_rng(seed)
    ho, wo = (h + 2 * pad - r) // stride + 1, (w + 2 * pad - s) // stride + 1
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "x.npy"), sparse(rng, (n, c, h, w), density))
    np.save(os.path.join(out, "w.npy"), sparse(rng, (k, c, r, s), density))
    np.save(os.path.join(out, "dy.npy"), sparse(rng, (n, k, ho, wo), density))


if __name__ == "__main__":
    main()
