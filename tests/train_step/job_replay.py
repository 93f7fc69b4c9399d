"""Replays every accelerator job of a train_step run in the host-side runner (`ant-vp layer`,
the simulation the reproduction uses) on the same tensors, and compares the counters the
firmware printed with the runner's (docs/train_step.md, "Jobs against the host-side runner").

The operands are rebuilt from what the firmware saved: the input batch, every layer's output
(`acts`) and output gradient as its backward pass used it (`act_grads`), and the weights (the
SWAT top-K of a conv's weights is recomputed here with the accelerator's ranking)."""
import json
import os
import re
import subprocess

import numpy as np

import network as nw

JOB_LINE = re.compile(r"^layer (\d+) (conv|fc) (FW|BD|BW): ok; cycles (\d+), RCPs (\d+), DRAM read (\d+) B, "
                      r"written (\d+) B$", re.M)
COUNTERS = ("cycles", "products_rcp", "dram_read_bytes", "dram_write_bytes")


def firmware_jobs(stdout):
    """(layer, op) -> the four counters of every job line the firmware printed."""
    return {(int(m[0]), m[2]): dict(zip(COUNTERS, map(int, m[3:]))) for m in JOB_LINE.findall(stdout)}


def split(flat, shapes):
    out, at = [], 0
    for shape in shapes[1:]:
        count = int(np.prod(shape))
        out.append(flat[at:at + count].reshape(shape))
        at += count
    return out


def operands(layers, params, offsets, x, acts, act_grads, j, op):
    """The runner's arguments and operand arrays for layer j's job `op` (j from 1)."""
    l = layers[j - 1]
    tensor_shapes, weight_shapes = nw.shapes(x.shape, layers)
    tensors = [x] + split(acts, tensor_shapes)
    dy = split(act_grads, tensor_shapes)[j - 1].astype(np.float32)
    src = tensors[l["src"]].astype(np.float32)
    n = int(np.prod(weight_shapes[j - 1]))
    w = params[offsets[j - 1]:offsets[j - 1] + n].reshape(weight_shapes[j - 1]).astype(np.float32)
    if l["type"] == nw.FC:
        x2 = src.reshape(src.shape[0], -1)
        dy2 = dy.reshape(dy.shape[0], -1)
        a, b = {"FW": (w, x2.T), "BD": (dy2, w), "BW": (dy2.T, x2)}[op]
        return ["--op", "spmm", "--out-format", "dense"], np.ascontiguousarray(a), np.ascontiguousarray(b)
    if l["weight_topk"]:
        w = np.where(nw.topk_mask(w, l["weight_topk"]), w, np.float32(0))
    geometry = ["--stride", str(l["stride"]), "--pad", str(l["pad"])]
    if op == "FW":
        flags = (["--relu"] if l["relu"] else []) + (["--topk", str(l["act_topk"])] if l["act_topk"] else [])
        out_format = "csr" if flags else "dense"
        return ["--op", "fw", "--out-format", out_format] + flags + geometry, src, w
    if op == "BD":
        h, wd = src.shape[2:]
        return ["--op", "bd", "--out-format", "dense", "--in", f"{h}x{wd}"] + geometry, dy, w
    k = l["kernel"]
    return ["--op", "bw", "--out-format", "dense", "--kernel", f"{k}x{k}"] + geometry, src, dy


def replay(ant_vp, workdir, stdout, layers, params, offsets, x, acts, act_grads, mode, settings=()):
    """Runs every job of the firmware's console in the runner; returns a list of
    (layer, op, firmware counters, runner counters and its host seconds `wall_seconds`)."""
    os.makedirs(workdir, exist_ok=True)
    rows = []
    for (j, op), fw in sorted(firmware_jobs(stdout).items(), key=lambda kv: (kv[0][0], "FW BD BW".index(kv[0][1]))):
        args, a, b = operands(layers, params, offsets, x, acts, act_grads, j, op)
        pa, pb = os.path.join(workdir, "a.npy"), os.path.join(workdir, "b.npy")
        np.save(pa, a)
        np.save(pb, b)
        stats = os.path.join(workdir, "stats.json")
        cmd = [ant_vp, "layer", "--mode", mode, "--a", pa, "--b", pb, "--out", os.path.join(workdir, "out.npy"),
               "--stats", stats] + args
        for s in settings:
            cmd += ["--set", s]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"layer {j} {op}: {' '.join(cmd)}: exit {result.returncode}: {result.stderr.strip()}")
        with open(stats) as f:
            doc = json.load(f)
        runner = {c: int(doc[c]) for c in COUNTERS}
        runner["wall_seconds"] = float(doc["wall_seconds"])
        rows.append((j, op, fw, runner))
    return rows
