"""One SWAT training iteration run by the train_step firmware on the virtual platform,
checked against PyTorch autograd (docs/train_step.md).

For each mode the firmware runs with the small CNN of network.py; PyTorch then runs the same
iteration with the same SWAT masks: the weight masks are top-K of the loaded weights
(computed here with the accelerator's ranking), the activation masks are where the
firmware's activations survived (checked here to be a valid ReLU + top-K of PyTorch's
pre-activations). Every activation, weight gradient, the input gradient, the loss and the
updated weights must agree at fp32 tolerance; across modes the same activations must survive
and every tensor must be bit-identical (every mode sums each output's products in the same
order).
Also checks the firmware's error paths (bad network, mismatched inputs, a rejected job)."""
import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

import job_replay
import network as nw

SEED = 8
X_SHAPE = (2, 3, 12, 12)
CLASSES = 10
LEARNING_RATE = 0.05
BATCHNORM_EPS = 1e-5  # the firmware's (PyTorch's default)
SAVED = ["loss", "params_new", "grads", "dx", "acts", "act_grads"]


def run_firmware(args, workdir, layers, mode, params, offsets, x, labels, extra=(), net=None):
    os.makedirs(workdir, exist_ok=True)
    table = net if net is not None else nw.net_table(layers, mode, LEARNING_RATE, offsets)
    files = {"net": table, "params": params, "x": x, "labels": labels}
    cmd = [args.ant_vp, "run", "--firmware", args.firmware, "--max-time-ms", "2000"]
    for name, array in files.items():
        path = os.path.join(workdir, name + ".npy")
        np.save(path, array)
        cmd += ["--load", f"{name}={path}"]
    for name in SAVED:
        cmd += ["--save", f"{name}={os.path.join(workdir, 'out_' + name + '.npy')}"]
    cmd += list(extra)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return result


def load_outputs(workdir):
    return {name: np.load(os.path.join(workdir, "out_" + name + ".npy")) for name in SAVED}


def split_acts(flat, tensor_shapes):
    acts, at = [], 0
    for shape in tensor_shapes[1:]:
        count = int(np.prod(shape))
        acts.append(flat[at:at + count].reshape(shape))
        at += count
    assert at == flat.size, "acts has the wrong length"
    return acts


WORST = [0.0, ""]


def close(name, got, want, failures):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        failures.append(f"{name}: shape {got.shape} vs {want.shape}")
        return
    scale = max(1.0, float(np.abs(want).max()) if want.size else 1.0)
    err = float(np.abs(got - want).max()) if want.size else 0.0
    if err / scale > WORST[0]:
        WORST[:] = [err / scale, name]
    if not err <= 2e-5 * scale:
        failures.append(f"{name}: max error {err:.3g} (scale {scale:.3g})")


def torch_iteration(layers, params, offsets, x, labels, acts, failures):
    """The same iteration in PyTorch (float64) with the firmware's SWAT masks."""
    tensor_shapes, weight_shapes = nw.shapes(X_SHAPE, layers)
    p = torch.tensor(params, dtype=torch.float64)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    values = [xt]
    leaves = {}
    for j, l in enumerate(layers, start=1):
        src = values[l["src"]]
        fw_act = acts[j - 1]
        if l["type"] == nw.CONV:
            w = params[offsets[j - 1]:offsets[j - 1] + int(np.prod(weight_shapes[j - 1]))]
            w = w.reshape(weight_shapes[j - 1])
            if l["weight_topk"]:
                w = np.where(nw.topk_mask(w, l["weight_topk"]), w, 0.0)
            # SWAT: the gradient is taken with respect to the sparse weights and applied densely.
            ws = torch.tensor(w, dtype=torch.float64, requires_grad=True)
            leaves[j] = ws
            z = F.conv2d(src, ws, stride=l["stride"], padding=l["pad"])
            check_mask(j, l, z.detach().numpy(), fw_act, failures)
            out = z * torch.tensor(fw_act != 0) if (l["relu"] or l["act_topk"]) else z
        elif l["type"] == nw.ADD:
            z = src + values[l["src2"]]
            if l["relu"]:
                check_mask(j, l, z.detach().numpy(), fw_act, failures)
                out = z * torch.tensor(fw_act != 0)
            else:
                out = z
        elif l["type"] == nw.BATCHNORM:
            c = src.shape[1]
            gb = p[offsets[j - 1]:offsets[j - 1] + 2 * c].clone().requires_grad_(True)
            leaves[j] = gb
            z = F.batch_norm(src, None, None, gb[:c], gb[c:], training=True, eps=BATCHNORM_EPS)
            if l["relu"] or l["act_topk"]:
                check_mask(j, l, z.detach().numpy(), fw_act, failures)
                out = z * torch.tensor(fw_act != 0)
            else:
                out = z
        elif l["type"] == nw.AVGPOOL:
            out = F.avg_pool2d(src, l["kernel"])
        else:
            w = p[offsets[j - 1]:offsets[j - 1] + int(np.prod(weight_shapes[j - 1]))].reshape(weight_shapes[j - 1])
            w = w.clone().requires_grad_(True)
            leaves[j] = w
            out = (src.flatten(1) @ w.T).reshape(tensor_shapes[j])
        values.append(out)
    for v in values[1:]:
        v.retain_grad()
    logits = values[-1].reshape(X_SHAPE[0], CLASSES)
    loss = F.cross_entropy(logits, torch.tensor(labels.astype(np.int64)))
    loss.backward()
    grads = np.zeros_like(params, dtype=np.float64)
    for j, leaf in leaves.items():
        grads[offsets[j - 1]:offsets[j - 1] + leaf.numel()] = leaf.grad.numpy().reshape(-1)
    # A layer's output gradient as its backward pass uses it: through its ReLU/top-K mask.
    act_grads = []
    for j, (l, v) in enumerate(zip(layers, values[1:]), start=1):
        g = v.grad.numpy() if v.grad is not None else np.zeros(v.shape)
        masked = l["type"] in (nw.CONV, nw.BATCHNORM, nw.ADD) and (l["relu"] or l["act_topk"])
        act_grads.append(np.where(acts[j - 1] != 0, g, 0.0) if masked else g)
    return dict(values=[v.detach().numpy() for v in values[1:]], act_grads=act_grads, loss=loss.item(), grads=grads,
                dx=xt.grad.numpy(), params_new=params.astype(np.float64) - LEARNING_RATE * grads)


def check_mask(j, l, z, fw_act, failures):
    """The firmware's surviving outputs are a ReLU + top-K of PyTorch's pre-activations (up to
    rounding at the threshold)."""
    kept = fw_act != 0
    tol = 1e-5 * max(1.0, float(np.abs(z).max()))
    if l["relu"] and (z[kept] <= -tol).any():
        failures.append(f"layer {j}: a kept output is negative in PyTorch")
    positive = z > tol if l["relu"] else np.abs(z) > tol
    if l["act_topk"]:
        expected = min(l["act_topk"], int((z > 0).sum()) if l["relu"] else int((z != 0).sum()))
        if kept.sum() != expected and abs(int(kept.sum()) - expected) > 1:
            failures.append(f"layer {j}: {kept.sum()} outputs kept, top-K expects {expected}")
        dropped = positive & ~kept
        if dropped.any() and kept.any() and np.abs(z[dropped]).max() > np.abs(z[kept]).min() + tol:
            failures.append(f"layer {j}: a dropped output is larger than a kept one")
    elif l["relu"] and (positive & ~kept).any():
        failures.append(f"layer {j}: a positive output was cleared")


def check_mode(args, mode, failures):
    layers = nw.small_cnn()
    params, offsets, x, labels = nw.inputs(layers, X_SHAPE, CLASSES, SEED)
    workdir = os.path.join(args.workdir, mode)
    result = run_firmware(args, workdir, layers, mode, params, offsets, x, labels)
    if result.returncode != 0:
        failures.append(f"{mode}: exit {result.returncode}: {result.stdout[-2000:]} {result.stderr[-2000:]}")
        return None
    # Deterministic: a second run prints the same console (every counter, instruction count
    # and the loss) and saves the same bits.
    again = run_firmware(args, workdir + "_again", layers, mode, params, offsets, x, labels)
    if again.stdout != result.stdout:
        failures.append(f"{mode}: a second run printed another console")
    elif any(not np.array_equal(load_outputs(workdir)[n], load_outputs(workdir + "_again")[n]) for n in SAVED):
        failures.append(f"{mode}: a second run saved other tensors")
    lines = result.stdout.splitlines()
    jobs = [line for line in lines if line.startswith("layer ") and (" FW:" in line or " BD:" in line or " BW:" in line)]
    accelerated = sum(1 for l in layers if l["type"] in (nw.CONV, nw.FC))  # fc: SPMM jobs
    if len(jobs) != 3 * accelerated:
        failures.append(f"{mode}: {len(jobs)} job lines, expected {3 * accelerated}")
    if not any(line.startswith("summary: ") for line in lines):
        failures.append(f"{mode}: no summary line")
    out = load_outputs(workdir)
    tensor_shapes, _ = nw.shapes(X_SHAPE, layers)
    acts = split_acts(out["acts"], tensor_shapes)
    ref = torch_iteration(layers, params, offsets, x, labels, acts, failures)
    for j, (got, want) in enumerate(zip(acts, ref["values"]), start=1):
        close(f"{mode}: layer {j} activation", got, want, failures)
    for j, (got, want) in enumerate(zip(split_acts(out["act_grads"], tensor_shapes), ref["act_grads"]), start=1):
        close(f"{mode}: layer {j} output gradient", got, want, failures)
    close(f"{mode}: loss", out["loss"], [ref["loss"]], failures)
    for j, l in enumerate(layers, start=1):
        if l["type"] in (nw.CONV, nw.FC, nw.BATCHNORM):
            n = int(np.prod(nw.shapes(X_SHAPE, layers)[1][j - 1]))
            close(f"{mode}: layer {j} weight gradient", out["grads"][offsets[j - 1]:offsets[j - 1] + n],
                  ref["grads"][offsets[j - 1]:offsets[j - 1] + n], failures)
    close(f"{mode}: input gradient", out["dx"], ref["dx"], failures)
    close(f"{mode}: updated weights", out["params_new"], ref["params_new"], failures)
    return out


def scratch_after_inputs(arrays, scratch):
    """dram.size_bytes that leaves `scratch` bytes of DRAM after the loaded tensors (placed
    64-byte aligned from 0x9001_0000 in a DRAM at 0x8000_0000, docs/accelerator_interface.md)."""
    end = 0x9001_0000 - 0x8000_0000
    for a in arrays:
        end += (a.size * 4 + 63) // 64 * 64
    return end + scratch


def check_errors(args, failures):
    layers = nw.small_cnn()
    params, offsets, x, labels = nw.inputs(layers, X_SHAPE, CLASSES, SEED)
    table = nw.net_table(layers, "ant", LEARNING_RATE, offsets)
    base = os.path.join(args.workdir, "errors")
    cases = []
    # The manifest does not match the loaded tensors.
    cases.append(("params shorter than the network", dict(params=params[:100]), 3,
                  "layer 1 (conv): its weights lie outside `params`"))
    cases.append(("labels for another batch size", dict(labels=np.append(labels, labels[:1])), 3,
                  "labels N entries"))
    bad_header = table.copy()
    bad_header[0, 1] = len(layers) + 1
    cases.append(("layer count not the table's rows", dict(net=bad_header), 3, "bad network: header row"))
    bad_residual = table.copy()
    bad_residual[6, 2] = 1  # add of 8x6x6 and 8x12x12
    cases.append(("residual of two shapes", dict(net=bad_residual), 3,
                  "layer 6 (add): the two inputs have different shapes"))
    cases.append(("labels out of range", dict(labels=labels + CLASSES), 3, "labels[0] is not a class index"))
    # An unknown layer type.
    bad_type = table.copy()
    bad_type[3, 0] = 9
    cases.append(("unknown layer type", dict(net=bad_type), 3, "layer 3 (unknown): unknown layer type"))
    # No room for a chained output: DRAM ends 24 KiB after the inputs.
    size = scratch_after_inputs([table, params, x, labels], 24 * 1024)
    cases.append(("no room for an output", dict(extra=["--set", f"dram.size_bytes={size}"]), 4,
                  "train_step: out of DRAM scratch at layer 1 (conv) forward"))
    # A job the accelerator rejects: an accumulator too small for one output plane.
    cases.append(("a job the accelerator rejects", dict(extra=["--set", "accumulator_buffer.capacity_bytes=256"]),
                  20, "train_step: FAILED: layer 1 (conv) FW job: does not fit on chip (ant_error 9): one output plane"))
    for name, change, code, message in cases:
        result = run_firmware(args, base, layers, "ant", change.get("params", params), offsets, x,
                              change.get("labels", labels), extra=change.get("extra", ()), net=change.get("net"))
        if result.returncode != code or message not in result.stdout:
            failures.append(f"error case '{name}': exit {result.returncode} (want {code}), output: "
                            f"{result.stdout[-400:]!r} {result.stderr[-400:]!r}")
        else:
            print(f"error case '{name}': exit {code}: {message_line(result.stdout, message)}")


def message_line(stdout, message):
    return next(line for line in stdout.splitlines() if message in line)


# The reproduction's ideal memory (docs/reproduction.md), given to the firmware run and the runner.
IDEAL_MEMORY = ["dram.model=simple", "dram.bandwidth_gbps=1000000", "dram.latency_ns=0.001"]


def check_replay(args, failures):
    """Every job's counters in the firmware run equal the host-side runner's on the same tensors."""
    layers = nw.small_cnn()
    params, offsets, x, labels = nw.inputs(layers, X_SHAPE, CLASSES, SEED)
    settings = IDEAL_MEMORY if args.memory == "ideal" else [f"dram.preset={args.memory}"]
    for mode in args.modes.split(","):
        workdir = os.path.join(args.workdir, mode)
        extra = [a for s in settings for a in ("--set", s)]
        result = run_firmware(args, workdir, layers, mode, params, offsets, x, labels, extra=extra)
        if result.returncode != 0:
            failures.append(f"{mode}: exit {result.returncode}: {result.stdout[-2000:]} {result.stderr[-2000:]}")
            continue
        out = load_outputs(workdir)
        rows = job_replay.replay(args.ant_vp, os.path.join(workdir, "replay"), result.stdout, layers, params, offsets,
                                 x, out["acts"], out["act_grads"], mode, settings)
        if len(rows) != 3 * sum(1 for l in layers if l["type"] in (nw.CONV, nw.FC)):
            failures.append(f"{mode}: {len(rows)} jobs replayed")
        # The detailed DRAM model's timing depends on its state (open rows, refresh phase,
        # posted writes) and on where the tensors lie: there only the work and bytes must agree.
        simple_dram = args.memory in ("ideal", "scnn-50gbps")
        compared = job_replay.COUNTERS if simple_dram else job_replay.COUNTERS[1:]
        for j, op, fw, runner in rows:
            same = all(fw[c] == runner[c] for c in compared)
            cycles = f"cycles {fw['cycles']} vs {runner['cycles']} ({fw['cycles'] / runner['cycles'] - 1:+.1%})"
            print(f"{mode} layer {j} {op}: {'equal' if same else 'DIFFERENT'}: {cycles}, RCPs {fw['products_rcp']}, "
                  f"DRAM read {fw['dram_read_bytes']} B, written {fw['dram_write_bytes']} B")
            if not same:
                failures.append(f"{mode}: layer {j} {op}: firmware {fw}, runner {runner}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ant-vp", required=True)
    parser.add_argument("--firmware", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--modes", default="dense,scnn,ant,ideal")
    parser.add_argument("--errors", action="store_true", help="check the error paths instead")
    parser.add_argument("--replay", action="store_true",
                        help="compare every job's counters with the host-side runner's instead")
    parser.add_argument("--memory", default="ideal", help="--replay: ideal or a dram.preset")
    args = parser.parse_args()
    failures = []
    if args.errors:
        check_errors(args, failures)
    elif args.replay:
        check_replay(args, failures)
    else:
        outputs = {}
        for mode in args.modes.split(","):
            outputs[mode] = check_mode(args, mode, failures)
        modes = [m for m in outputs if outputs[m] is not None]
        for m in modes[1:]:
            first, got = outputs[modes[0]], outputs[m]
            # The same entries survive ReLU and top-K in every mode ...
            if not np.array_equal(got["acts"] != 0, first["acts"] != 0):
                failures.append(f"the surviving activations differ between {modes[0]} and {m}")
            # ... and the values are bit-identical: every mode sums each output's products in
            # the order of their kernel positions (models/algo, ant_accumulate_in_stream_order).
            for name in SAVED:
                if got[name].tobytes() != first[name].tobytes():
                    differing = int(np.count_nonzero(got[name] != first[name]))
                    failures.append(f"{name}: {differing} of {got[name].size} elements differ "
                                    f"between {modes[0]} and {m} (tensors must be bit-identical)")
    for f in failures:
        print("FAIL:", f)
    if not args.errors and not args.replay:
        print(f"largest error relative to its tensor's scale: {WORST[0]:.3g} ({WORST[1]})")
    print("train_step check:", "FAILED" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
