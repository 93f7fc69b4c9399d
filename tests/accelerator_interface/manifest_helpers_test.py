#!/usr/bin/python3
"""The driver's manifest helpers end to end: manifest_helpers_test.py ANT_VP ELF WORKDIR.

With `--load a=a.npy --save b=b.npy` the firmware's checks pass (exit 0) and b.npy holds
what it published: 2a reshaped to 3x2. Without --load/--save it exits 3 after its
NOT_READY checks."""
import os
import subprocess
import sys

import numpy as np


def main():
    vp, elf, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    a = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
    np.save(os.path.join(work, "a.npy"), a)
    out = os.path.join(work, "b.npy")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run([vp, "run", "--firmware", elf, "--load", "a=" + os.path.join(work, "a.npy"),
                        "--save", "b=" + out], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    assert "manifest_helpers: all checks passed" in p.stdout, p.stdout
    b = np.load(out)
    assert b.shape == (3, 2) and b.dtype == np.float32, (b.shape, b.dtype)
    assert np.array_equal(b, (2 * a).reshape(3, 2)), b
    p = subprocess.run([vp, "run", "--firmware", elf], capture_output=True, text=True, timeout=60)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    print("ok")


if __name__ == "__main__":
    main()
