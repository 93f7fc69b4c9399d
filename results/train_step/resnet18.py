"""ResNet-18 (CIFAR-10 shapes, batch 1) trained one SWAT iteration by the train_step firmware
in the given modes, beside PyTorch's dense CPU training step of the same network and batch
on the same machine (docs/train_step.md). Writes <out>/<mode>.txt (the firmware's console),
<out>/summary.json, and prints a Markdown table for the README.

  /usr/bin/python3 results/train_step/resnet18.py --ant-vp build/ant-vp \
      --firmware build/sw/train_step.elf --out results/train_step
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "train_step"))
import network as nw  # noqa: E402

KEEP = 0.1  # SWAT: 90 % weight and activation sparsity, as the main job


def resnet18():
    layers = []

    def add(**kw):
        layers.append(nw.layer(**kw))
        return len(layers)

    def conv(src, k, stride, relu, kernel=3):
        return dict(type_=nw.CONV, src=src, out_channels=k, kernel=kernel, stride=stride, pad=kernel // 2,
                    relu=relu)

    t = add(**conv(0, 64, 1, 1))
    for k, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            s = stride if block == 0 else 1
            a = add(**conv(t, k, s, 1))
            b = add(**conv(a, k, 1, 0))
            shortcut = t
            if s != 1 or block == 0 and k != 64:
                shortcut = add(**conv(t, k, s, 0, kernel=1))
            t = add(type_=nw.ADD, src=b, src2=shortcut, relu=1)
    t = add(type_=nw.AVGPOOL, src=t, kernel=4, stride=4)
    add(type_=nw.FC, src=t, out_channels=10)
    shapes, weights = nw.shapes((1, 3, 32, 32), layers)
    for j, l in enumerate(layers):
        if l["type"] == nw.CONV:
            l["weight_topk"] = max(1, int(KEEP * np.prod(weights[j])))
            if l["relu"]:
                l["act_topk"] = max(1, int(KEEP * np.prod(shapes[j + 1])))
    return layers


def torch_step(layers, params, offsets, x, labels, repeats=5):
    """PyTorch's dense training step of the same network (no masks), best of `repeats`."""
    _, weight_shapes = nw.shapes(x.shape, layers)
    ws = {}
    for j, l in enumerate(layers):
        if weight_shapes[j]:
            n = int(np.prod(weight_shapes[j]))
            ws[j] = torch.tensor(params[offsets[j]:offsets[j] + n].reshape(weight_shapes[j]), requires_grad=True)
    xt, yt = torch.tensor(x), torch.tensor(labels.astype(np.int64))
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        values = [xt]
        for j, l in enumerate(layers):
            src = values[l["src"]]
            if l["type"] == nw.CONV:
                out = F.conv2d(src, ws[j], stride=l["stride"], padding=l["pad"])
                out = F.relu(out) if l["relu"] else out
            elif l["type"] == nw.ADD:
                out = src + values[l["src2"]]
                out = F.relu(out) if l["relu"] else out
            elif l["type"] == nw.AVGPOOL:
                out = F.avg_pool2d(src, l["kernel"])
            else:
                out = src.flatten(1) @ ws[j].T
            values.append(out)
        loss = F.cross_entropy(values[-1], yt)
        for w in ws.values():
            w.grad = None
        loss.backward()
        with torch.no_grad():
            for w in ws.values():
                w -= 0.01 * w.grad
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ant-vp", required=True)
    parser.add_argument("--firmware", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--modes", default="scnn,ant")
    args = parser.parse_args()
    torch.set_num_threads(1)
    layers = resnet18()
    params, offsets, x, labels = nw.inputs(layers, (1, 3, 32, 32), 10, seed=18)
    summary = {"layers": len(layers), "params": int(params.size), "modes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        files = {"net": None, "params": params, "x": x, "labels": labels}
        for mode in args.modes.split(","):
            files["net"] = nw.net_table(layers, mode, 0.01, offsets)
            cmd = [args.ant_vp, "run", "--firmware", args.firmware, "--summary"]
            for name, array in files.items():
                np.save(os.path.join(tmp, name + ".npy"), array)
                cmd += ["--load", f"{name}={os.path.join(tmp, name + '.npy')}"]
            start = time.perf_counter()
            result = subprocess.run(cmd, capture_output=True, text=True)
            wall = time.perf_counter() - start
            with open(os.path.join(args.out, mode + ".txt"), "w") as f:
                f.write(result.stdout)
            if result.returncode != 0:
                print(f"{mode}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
                return 1
            jobs = re.findall(r"^layer (\d+) conv (FW|BD|BW): ok; cycles (\d+)", result.stdout, re.M)
            core = re.search(r"core instructions (\d+) \(layers, loss and SGD (\d+)\), core cycles incl. waiting (\d+)",
                             result.stdout)
            accel = re.search(r"summary: (\d+) jobs, accelerator cycles (\d+), RCPs (\d+), DRAM read (\d+) B, "
                              r"written (\d+) B", result.stdout)
            summary["modes"][mode] = {
                "wall_s": wall, "jobs": int(accel.group(1)), "accelerator_cycles": int(accel.group(2)),
                "rcps": int(accel.group(3)), "dram_read": int(accel.group(4)), "dram_write": int(accel.group(5)),
                "core_instructions": int(core.group(1)), "core_layer_instructions": int(core.group(2)),
                "core_cycles": int(core.group(3)),
                "per_job_cycles": [[int(l), op, int(c)] for l, op, c in jobs], "stderr": result.stderr.strip()}
            print(mode, json.dumps({k: v for k, v in summary["modes"][mode].items() if k != "per_job_cycles"}))
    summary["torch_dense_step_s"] = torch_step(layers, params, offsets, x, labels)
    print("torch dense CPU step (1 thread, best of 5):", summary["torch_dense_step_s"])
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
