"""ResNet-18 (CIFAR-10 shapes, batch 1, with batch normalisation) trained one SWAT iteration by
the train_step firmware, per run (mode and DRAM setting), with every accelerator job replayed
in the host-side runner (`ant-vp layer`) on the same tensors, beside PyTorch's dense CPU
training step of the same network and batch on the same machine, in one run
(docs/train_step.md). Writes <out>/<run>.txt (the firmware's console) and <out>/summary.json
(per run: counters, core instructions by work, host time, every job beside the runner's).

  /usr/bin/python3 results/train_step/resnet18.py --ant-vp build/ant-vp \
      --firmware build/sw/train_step.elf --out results/train_step
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "train_step"))
import job_replay  # noqa: E402
import network as nw  # noqa: E402

KEEP = 0.1  # SWAT: 90 % weight and activation sparsity, as the main job


def resnet18():
    """ResNet-18 for CIFAR-10 shapes: every conv followed by batch normalisation (the ReLU and
    SWAT's activation top-K then run after it, on the core), basic blocks with 1x1 projection
    shortcuts, 4x4 average pooling, an fc layer."""
    layers = []

    def add(**kw):
        layers.append(nw.layer(**kw))
        return len(layers)

    def conv_bn(src, k, stride, relu, kernel=3):
        c = add(type_=nw.CONV, src=src, out_channels=k, kernel=kernel, stride=stride, pad=kernel // 2)
        return add(type_=nw.BATCHNORM, src=c, relu=relu)

    t = conv_bn(0, 64, 1, 1)
    for k, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            s = stride if block == 0 else 1
            a = conv_bn(t, k, s, 1)
            b = conv_bn(a, k, 1, 0)
            shortcut = t
            if s != 1 or block == 0 and k != 64:
                shortcut = conv_bn(t, k, s, 0, kernel=1)
            t = add(type_=nw.ADD, src=b, src2=shortcut, relu=1)
    t = add(type_=nw.AVGPOOL, src=t, kernel=4, stride=4)
    add(type_=nw.FC, src=t, out_channels=10)
    shapes, weights = nw.shapes((1, 3, 32, 32), layers)
    for j, l in enumerate(layers):
        if l["type"] == nw.CONV:
            l["weight_topk"] = max(1, int(KEEP * np.prod(weights[j])))
        if l["type"] == nw.BATCHNORM and l["relu"]:
            l["act_topk"] = max(1, int(KEEP * np.prod(shapes[j + 1])))
    return layers


def torch_step(layers, params, offsets, x, labels, repeats=5):
    """PyTorch's dense training step of the same network (no masks): the best wall and CPU
    seconds of `repeats`."""
    _, weight_shapes = nw.shapes(x.shape, layers)
    ws = {}
    for j, l in enumerate(layers):
        if weight_shapes[j]:
            n = int(np.prod(weight_shapes[j]))
            ws[j] = torch.tensor(params[offsets[j]:offsets[j] + n].reshape(weight_shapes[j]), requires_grad=True)
    xt, yt = torch.tensor(x), torch.tensor(labels.astype(np.int64))
    best = best_cpu = None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        values = [xt]
        for j, l in enumerate(layers):
            src = values[l["src"]]
            if l["type"] == nw.CONV:
                out = F.conv2d(src, ws[j], stride=l["stride"], padding=l["pad"])
                out = F.relu(out) if l["relu"] else out
            elif l["type"] == nw.BATCHNORM:
                out = F.batch_norm(src, None, None, ws[j][0], ws[j][1], training=True, eps=1e-5)
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
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    return best, best_cpu


IDEAL_MEMORY = ["dram.model=simple", "dram.bandwidth_gbps=1000000", "dram.latency_ns=0.001"]
CORE_LINE = re.compile(r"^layer (\d+) (\S+) (.+) \(core\): (\d+) instructions$", re.M)


def run_firmware(args, tmp, layers, params, offsets, x, labels, mode, memory):
    """One firmware iteration; returns (console, ant-vp run statistics, saved tensors)."""
    files = {"net": nw.net_table(layers, mode, 0.01, offsets), "params": params, "x": x, "labels": labels}
    settings = IDEAL_MEMORY if memory == "ideal" else [f"dram.preset={memory}"]
    stats = os.path.join(tmp, "stats.json")
    cmd = [args.ant_vp, "run", "--firmware", args.firmware, "--stats", stats]
    for name, array in files.items():
        np.save(os.path.join(tmp, name + ".npy"), array)
        cmd += ["--load", f"{name}={os.path.join(tmp, name + '.npy')}"]
    for name in ("acts", "act_grads"):
        cmd += ["--save", f"{name}={os.path.join(tmp, 'out_' + name + '.npy')}"]
    for setting in settings:
        cmd += ["--set", setting]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"{mode} {memory}: exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    with open(stats) as f:
        doc = json.load(f)
    # CPU seconds of the ant-vp process: on a shared machine its wall time also counts waiting.
    doc["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    saved = {name: np.load(os.path.join(tmp, "out_" + name + ".npy")) for name in ("acts", "act_grads")}
    return result.stdout, doc, saved, settings


def record(console, doc, rows):
    core = re.search(r"core instructions (\d+) \(layers, loss and SGD (\d+); CSR conversions (\d+)\), "
                     r"core cycles incl. waiting (\d+)", console)
    accel = re.search(r"summary: (\d+) jobs, accelerator cycles (\d+), RCPs (\d+), DRAM read (\d+) B, "
                      r"written (\d+) B", console)
    by_work = {}
    for _, type_, what, count in CORE_LINE.findall(console):
        key = f"{type_} {what}"
        by_work[key] = by_work.get(key, 0) + int(count)
    cycles = [r[2]["cycles"] / r[3]["cycles"] - 1 for r in rows]
    return {
        "wall_s": doc["wall_clock_s"], "cpu_s": doc["cpu_s"], "mips": doc["mips"],
        "simulated_ns": doc["simulated_time_ns"],
        "jobs": int(accel.group(1)), "accelerator_cycles": int(accel.group(2)), "rcps": int(accel.group(3)),
        "dram_read": int(accel.group(4)), "dram_write": int(accel.group(5)),
        "core_instructions": int(core.group(1)), "core_layer_instructions": int(core.group(2)),
        "core_conversion_instructions": int(core.group(3)), "core_cycles": int(core.group(4)),
        "core_instructions_by_work": by_work,
        "runner": {
            "jobs_equal": sum(1 for r in rows if all(r[2][c] == r[3][c] for c in job_replay.COUNTERS)),
            "work_and_bytes_equal": sum(1 for r in rows if all(r[2][c] == r[3][c] for c in job_replay.COUNTERS[1:])),
            "cycles_firmware": sum(r[2]["cycles"] for r in rows), "cycles_runner": sum(r[3]["cycles"] for r in rows),
            "cycle_ratio_min": min(cycles), "cycle_ratio_max": max(cycles),
            "wall_seconds": sum(r[3]["wall_seconds"] for r in rows)},
        "per_job": [{"layer": j, "op": op, "firmware": fw, "runner": runner} for j, op, fw, runner in rows],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ant-vp", required=True)
    parser.add_argument("--firmware", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", default="scnn@ddr4-3200,ant@ddr4-3200,ant@ideal",
                        help="mode@memory, memory: ideal or a dram.preset (ddr4-3200 is ant-vp run's default)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    load_at_start = os.getloadavg()
    layers = resnet18()
    params, offsets, x, labels = nw.inputs(layers, (1, 3, 32, 32), 10, seed=18)
    summary = {"layers": len(layers), "params": int(params.size), "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for run in args.runs.split(","):
            mode, memory = run.split("@")
            console, doc, saved, settings = run_firmware(args, tmp, layers, params, offsets, x, labels, mode, memory)
            name = mode if memory == "ddr4-3200" else f"{mode}_{memory}"
            with open(os.path.join(args.out, name + ".txt"), "w") as f:
                f.write(console)
            rows = job_replay.replay(args.ant_vp, os.path.join(tmp, "replay"), console, layers, params, offsets, x,
                                     saved["acts"], saved["act_grads"], mode, settings)
            summary["runs"][name] = record(console, doc, rows)
            print(name, json.dumps({k: v for k, v in summary["runs"][name].items() if k != "per_job"}))
    summary["torch_dense_step_s"], summary["torch_dense_step_cpu_s"] = torch_step(layers, params, offsets, x, labels)
    summary["torch_version"] = torch.__version__
    summary["load_average"] = [load_at_start, os.getloadavg()]
    summary["host_cpus"] = os.cpu_count()
    print("torch dense CPU step (1 thread, best of 5): %.3f s wall, %.3f s CPU" %
          (summary["torch_dense_step_s"], summary["torch_dense_step_cpu_s"]))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
