#!/usr/bin/python3
"""Tests of the SWAT workload exporter (workloads/): top-K, trace operands against what torch
computed, the command line, and the trace validator.

    /usr/bin/python3 workloads_test.py --workdir DIR --case NAME
    /usr/bin/python3 workloads_test.py --list

Exit 0 pass, 1 fail, 77 skipped (torch not importable).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKLOADS = os.path.join(REPO, "workloads")
EXPORT = os.path.join(WORKLOADS, "export_trace.py")
CHECK = os.path.join(WORKLOADS, "check_trace.py")
sys.path.insert(0, WORKLOADS)
SKIP = 77


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def run(cmd, timeout=120):
    p = subprocess.run([sys.executable] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, text=True)
    return p.returncode, p.stdout, p.stderr


# -- numpy references (independent of torch's convolution) -----------------------------------

def _patch(a_pad, r, s, stride, out_hw):
    (sh, sw), (ho, wo) = stride, out_hw
    return a_pad[:, :, r:r + sh * (ho - 1) + 1:sh, s:s + sw * (wo - 1) + 1:sw]


def np_conv_fw(a, w, stride, pad):
    import numpy as np
    a_pad = np.pad(a.astype(np.float64), ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    k, _, rr, ss = w.shape
    ho = (a_pad.shape[2] - rr) // stride[0] + 1
    wo = (a_pad.shape[3] - ss) // stride[1] + 1
    out = np.zeros((a.shape[0], k, ho, wo))
    for r in range(rr):
        for s in range(ss):
            out += np.einsum("nchw,kc->nkhw", _patch(a_pad, r, s, stride, (ho, wo)), w[:, :, r, s])
    return out


def np_conv_bd(d_out, w, stride, pad, in_hw):
    import numpy as np
    n, k, ho, wo = d_out.shape
    _, c, rr, ss = w.shape
    grad = np.zeros((n, c, in_hw[0] + 2 * pad[0], in_hw[1] + 2 * pad[1]))
    for r in range(rr):
        for s in range(ss):
            _patch(grad, r, s, stride, (ho, wo))[...] += np.einsum("nkhw,kc->nchw", d_out, w[:, :, r, s])
    return grad[:, :, pad[0]:pad[0] + in_hw[0], pad[1]:pad[1] + in_hw[1]]


def np_conv_bw(a, d_out, stride, pad, kernel):
    import numpy as np
    a_pad = np.pad(a.astype(np.float64), ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    ho, wo = d_out.shape[2:]
    grad = np.zeros((d_out.shape[1], a.shape[1]) + tuple(kernel))
    for r in range(kernel[0]):
        for s in range(kernel[1]):
            grad[:, :, r, s] = np.einsum("nchw,nkhw->kc", _patch(a_pad, r, s, stride, (ho, wo)), d_out)
    return grad


def close(actual, expected, what, tolerance=1e-5):
    import numpy as np
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    expect(actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}")
    scale = max(1e-30, float(np.abs(expected).max()))
    error = float(np.abs(actual - expected).max()) / scale
    expect(error < tolerance, f"{what}: max error {error:.2e} of the largest magnitude")


# -- cases ---------------------------------------------------------------------------------

def case_spmm_row_blocks_cover_a_large_weight_within_the_kernel_buffer(work):
    """A weight too large for the kernel buffer is cut into contiguous row blocks that cover
    every row once, each within the budget; a small one stays whole."""
    import numpy as np
    from swat_trace import row_blocks, SPMM_A_BUDGET_BYTES
    rng = np.random.default_rng(3)
    big = rng.standard_normal((4096, 4096)).astype(np.float32)
    big[rng.random(big.shape) > 0.1] = 0
    blocks = row_blocks(big)
    expect(len(blocks) > 1, "a 4096x4096 weight at 10 % stays one block")
    expect(blocks[0][0] == 0 and blocks[-1][1] == 4096, f"blocks {blocks[0]}..{blocks[-1]} do not span the rows")
    for (a0, a1), (b0, _) in zip(blocks, blocks[1:]):
        expect(a1 == b0, "row blocks are not contiguous")
    for r0, r1 in blocks:
        size = 4 * (r1 - r0 + 1) + 6 * int(np.count_nonzero(big[r0:r1])) + 4
        expect(size <= SPMM_A_BUDGET_BYTES + 16, f"block {r0}:{r1} needs {size} bytes")
    expect(row_blocks(big[:10]) == [(0, 10)], "a small weight was cut")
    # A weight-gradient job writes rows x 4096 outputs: the blocks also fit the accumulator.
    for r0, r1 in row_blocks(big[:200], out_cols=4096):
        expect(4 * (r1 - r0 + 1) + 6 * (r1 - r0) * 4096 <= 640 * 1024, f"output block {r0}:{r1} too large")


def case_topk_keeps_exactly_k_largest(work):
    """keep_topk keeps exactly K = round(d*n) entries, the K largest magnitudes, ties to the
    lower index, against a sorted-list reference; values unchanged, rest zero."""
    import math
    import torch
    from swat import keep_topk, topk_count
    generator = torch.Generator().manual_seed(7)
    shapes = [(1,), (7,), (10, 10), (3, 4, 5), (2, 3, 6, 6), (4, 16, 3, 3)]
    for density in (1e-6, 0.05, 0.1, 0.37, 0.5, 0.9, 1.0):
        for shape in shapes:
            for ties in (False, True):
                if ties:  # few distinct magnitudes, both signs, zeros: many ties at the boundary
                    t = (torch.randint(-3, 4, shape, generator=generator).float() * 0.5)
                else:
                    t = torch.randn(shape, generator=generator)
                flat = t.reshape(-1).tolist()
                k = max(1, min(len(flat), math.floor(density * len(flat) + 0.5)))
                expect(topk_count(len(flat), density) == k, f"K for n={len(flat)} d={density}")
                keep = set(sorted(range(len(flat)), key=lambda i: (-abs(flat[i]), i))[:k])
                reference = [v if i in keep else 0.0 for i, v in enumerate(flat)]
                got = keep_topk(t, density)
                expect(got.shape == t.shape, f"shape changed for {shape}")
                expect(got.reshape(-1).tolist() == reference,
                       f"top-K of {shape} at density {density} (ties={ties}) differs from the reference")
                expect(torch.equal(keep_topk(t, density), got), "top-K is not deterministic")
    big = torch.randn(1000, generator=generator)
    kept = keep_topk(big, 0.1)
    expect(int((kept != 0).sum()) == 100, "1000 distinct values at 0.1 keep 100")
    expect(float(kept.abs().max()) == float(big.abs().max()), "the largest magnitude is kept")
    for bad in (0.0, -0.1, 1.5, float("nan")):
        try:
            keep_topk(big, bad)
        except ValueError:
            continue
        raise Failure(f"density {bad} accepted")


# Convolution counts from SWAT's run configurations (`num_conv_layer` in
# cifar10-100-code/run_configurations/unstructured_constant_*_schedule_90.yaml); ResNet-50's
# is the ResNet paper's 49 plus 4 projection shortcuts. FC: VGG's three-layer classifier.
SWAT_LAYERS = {  # network: (conv layers, FC layers, first FC's inputs, first kernel, first stride)
    "resnet18": (20, 1, 512, (3, 3), (1, 1)),
    "vgg16": (13, 3, 512, (3, 3), (1, 1)),
    "wrn16_8": (16, 1, 512, (3, 3), (1, 1)),
    "densenet121": (120, 1, 1024, (3, 3), (1, 1)),
    "resnet50": (53, 1, 2048, (7, 7), (2, 2)),
}


def case_networks_match_swat_layer_counts(work):
    """Each of the five networks has SWAT's number of conv and FC layers, the CIFAR (3x3/1) or
    ImageNet (7x7/2) first layer, and runs a training-mode forward pass at batch 1 to logits."""
    import torch
    from catalog import NETWORKS, SWAT_NETWORKS
    from swat import sparse_layers
    expect(set(SWAT_NETWORKS) == set(SWAT_LAYERS), f"networks {SWAT_NETWORKS}")
    for name in SWAT_NETWORKS:
        convs, fcs, fc_in, kernel, stride = SWAT_LAYERS[name]
        spec = NETWORKS[name]
        torch.manual_seed(0)
        model = spec.build().train()
        layers = sparse_layers(model)
        got_convs = sum(isinstance(m, torch.nn.Conv2d) for _, m in layers)
        expect((got_convs, len(layers) - got_convs) == (convs, fcs),
               f"{name}: {got_convs} conv + {len(layers) - got_convs} FC layers, SWAT has {convs} + {fcs}")
        ran = []
        hooks = [m.register_forward_hook(lambda m, i, o: ran.append(m)) for _, m in layers]
        with torch.no_grad():
            logits = model(torch.randn((1,) + spec.input_chw))
        for hook in hooks:
            hook.remove()
        expect(tuple(logits.shape) == (1, spec.num_classes), f"{name}: logits {tuple(logits.shape)}")
        expect(len(ran) == len(layers), f"{name}: {len(ran)} of {len(layers)} layers ran")
        first = ran[0]
        expect((first.in_channels, tuple(first.kernel_size), tuple(first.stride)) == (3, kernel, stride),
               f"{name}: first layer {first}")
        classifier = [m for m in ran if isinstance(m, torch.nn.Linear)]
        expect(classifier[0].in_features == fc_in, f"{name}: features into the classifier {classifier[0]}")
        expect(classifier[-1] is ran[-1] and ran[-1].out_features == spec.num_classes, f"{name}: last layer {ran[-1]}")


def _export_tiny_in_process(work, density=0.3, seed=3):
    """Exports the tiny network while independent hooks capture what torch really computed:
    each layer's output (what the next layers consumed), the gradient of its input (through a
    private copy of the input, so no other consumer adds to it), of its output, and of its
    weight and bias (accumulated by autograd)."""
    import torch
    from catalog import NETWORKS
    from swat import SwatRecorder, sparse_layers
    from swat_trace import build_model, synthetic_batch, run_iteration, write_trace
    spec = NETWORKS["tiny"]
    model = build_model(spec, seed)
    images, labels = synthetic_batch(spec, 1, seed)
    recorder = SwatRecorder(model, density)
    seen = {}

    def pre_hook(name):
        def hook(module, inputs):
            x = inputs[0]
            if x.requires_grad:
                x = x.clone()
                x.register_hook(lambda g: seen[name].__setitem__("grad_input", g.detach().clone()))
            return (x,)
        return hook

    def post_hook(name):
        def hook(module, inputs, output):
            seen[name]["output"] = output.detach().clone()
            output.register_hook(lambda g: seen[name].__setitem__("grad_output", g.detach().clone()))
        return hook

    modules = dict(sparse_layers(model))
    for name, module in modules.items():
        seen[name] = {}
        module.register_forward_pre_hook(pre_hook(name))
        module.register_forward_hook(post_hook(name))  # after SWAT's: sees SWAT's output
    records = run_iteration(model, images, labels, recorder)
    trace = os.path.join(work, "trace")
    shutil.rmtree(trace, ignore_errors=True)
    os.makedirs(trace)
    manifest = write_trace(trace, spec, 1, density, seed, records)
    return trace, manifest, modules, seen, density


def _load(trace, job, role):
    import numpy as np
    return np.load(os.path.join(trace, job[role]))


def case_export_fw_reproduces_layer_output(work):
    """Every FW job's operands, convolved (numpy) or multiplied, give the output the layer handed
    to the rest of the network; the weight file is the layer's top-K weight and the first layer
    is dense; the layer list is the model's conv and FC modules."""
    import numpy as np
    from check_trace import check_trace
    trace, manifest, modules, seen, density = _export_tiny_in_process(work)
    expect(check_trace(trace) is None, f"exported trace invalid: {check_trace(trace)}")
    expect({layer["name"] for layer in manifest["layers"]} == set(modules),
           "manifest layers are not the model's conv/FC modules")
    first = [layer["name"] for layer in manifest["layers"] if layer["first"]]
    expect(first == ["stem"], f"first layer is {first}, expected stem")
    layers = {layer["name"]: layer for layer in manifest["layers"]}
    checked = 0
    for job in manifest["jobs"]:
        if job["phase"] != "fw":
            continue
        name = job["layer"]
        module = modules[name]
        a, b = _load(trace, job, "a"), _load(trace, job, "b")
        bias = module.bias.detach().numpy() if module.bias is not None else 0.0
        if layers[name]["type"] == "conv":
            got = np_conv_fw(a, b, job["stride"], job["pad"]) + np.reshape(bias, (1, -1, 1, 1))
            weight = b
        else:
            got = (a.astype(np.float64) @ b).T + bias
            weight = a
        close(got, seen[name]["output"].numpy(), f"{name} fw output")
        dense = module.weight.detach().numpy()
        if name == "stem":
            expect(np.array_equal(weight, dense), "first layer weight is not dense")
        else:
            k = int(np.floor(density * dense.size + 0.5))
            expect(np.count_nonzero(weight) == k, f"{name}: {np.count_nonzero(weight)} weights kept, K = {k}")
            threshold = np.sort(np.abs(dense).ravel())[-k]
            expect(np.all(np.abs(weight[weight != 0]) >= threshold), f"{name}: a kept weight is below the K-th")
            expect(np.array_equal(weight[weight != 0], dense[weight != 0]), f"{name}: kept weights changed")
        checked += 1
    expect(checked == len(modules), f"{checked} fw jobs checked, {len(modules)} layers")


def case_export_bd_bw_reproduce_torch_gradients(work):
    """BD jobs reproduce the gradient torch propagated into each layer's input, BW jobs the
    gradient torch accumulated into its weight; dO is the output gradient torch computed and the
    BW activation is the top-K of the FW activation."""
    import numpy as np
    trace, manifest, modules, seen, density = _export_tiny_in_process(work)
    layers = {layer["name"]: layer for layer in manifest["layers"]}
    phases = {}
    for job in manifest["jobs"]:
        name, phase = job["layer"], job["phase"]
        phases.setdefault(name, set()).add(phase)
        a, b = _load(trace, job, "a"), _load(trace, job, "b")
        conv = layers[name]["type"] == "conv"
        if phase == "bd":
            got = np_conv_bd(a, b, job["stride"], job["pad"], job["in"]) if conv else (a.astype(np.float64) @ b).T
            close(got, seen[name]["grad_input"].numpy(), f"{name} bd (grad_input)")
            close(a if conv else b.T, seen[name]["grad_output"].numpy(), f"{name} bd dO")
        elif phase == "bw":
            got = np_conv_bw(a, b, job["stride"], job["pad"], job["kernel"]) if conv else a.astype(np.float64) @ b
            close(got, modules[name].weight.grad.numpy(), f"{name} bw (grad_weight)")
            a_bw = a if conv else b
            fw = next(j for j in manifest["jobs"] if j["layer"] == name and j["phase"] == "fw")
            a_fw = _load(trace, fw, "a") if conv else _load(trace, fw, "b").T
            kept = a_bw != 0
            expect(np.array_equal(a_bw[kept], a_fw[kept]), f"{name}: BW activation values differ from FW's")
            if not layers[name]["first"]:
                k = int(np.floor(density * a_fw.size + 0.5))
                expect(np.count_nonzero(a_bw) <= k, f"{name}: BW activation keeps more than K = {k}")
                expect(np.count_nonzero(a_bw) == min(k, np.count_nonzero(a_fw)),
                       f"{name}: BW activation keeps {np.count_nonzero(a_bw)}, expected min(K, non-zeros)")
                if kept.any() and (~kept).any():
                    expect(np.abs(a_bw[kept]).min() >= np.abs(a_fw[~kept]).max(),
                           f"{name}: a dropped activation is larger than a kept one")
    for name, layer in layers.items():
        expected = {"fw", "bw"} if layer["first"] else {"fw", "bd", "bw"}
        expect(phases.get(name) == expected, f"{name}: phases {phases.get(name)}, expected {expected}")


def ant_vp_command(ant_vp, trace, job, mode, out):
    """The `ant-vp layer` command line of a trace job, as docs/workloads.md describes it."""
    cmd = [ant_vp, "layer", "--op", job["op"], "--mode", mode, "--a", os.path.join(trace, job["a"]),
           "--b", os.path.join(trace, job["b"]), "--out", out]
    for key, option in (("stride", "--stride"), ("pad", "--pad"), ("kernel", "--kernel"), ("in", "--in")):
        if key in job:
            cmd += [option, "x".join(map(str, job[key]))]
    return cmd


def case_trace_jobs_on_ant_vp_match_torch(work, ant_vp):
    """Every job of the tiny network's trace, run by `ant-vp layer` in ant mode, gives what torch
    computed in the SWAT iteration: the layer's output (less its bias), the gradient into its
    input, the gradient of its weight."""
    import numpy as np
    expect(ant_vp and os.path.isfile(ant_vp), f"ant-vp not found at {ant_vp!r}")
    trace, manifest, modules, seen, _ = _export_tiny_in_process(work)
    out = os.path.join(work, "out.npy")
    for job in manifest["jobs"]:
        name, phase = job["layer"], job["phase"]
        p = subprocess.run(ant_vp_command(ant_vp, trace, job, "ant", out), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=120)
        expect(p.returncode == 0, f"{name} {phase}: ant-vp exit {p.returncode}: {p.stderr.strip()}")
        got = np.load(out)
        module = modules[name]
        if job["op"] == "spmm" and phase in ("fw", "bd"):
            got = got.T  # FC jobs compute O^T and dA^T (docs/workloads.md)
        if phase == "fw":
            expected = seen[name]["output"].numpy()
            if module.bias is not None:
                expected = expected - module.bias.detach().numpy().reshape((1, -1) + (1,) * (expected.ndim - 2))
        elif phase == "bd":
            expected = seen[name]["grad_input"].numpy()
        else:
            expected = module.weight.grad.numpy()
        close(got, expected, f"{name} {phase} on ant-vp", tolerance=1e-4)


def case_cli_export_valid_deterministic_cached(work):
    """The CLI writes a valid trace with a summary; a rerun reuses it untouched; --force rewrites
    the same bytes (seeded); no temporary directory is left behind."""
    from check_trace import check_trace
    root = os.path.join(work, "traces")
    shutil.rmtree(root, ignore_errors=True)
    args = [EXPORT, "--network", "tiny", "--batch", "2", "--density", "0.2", "--seed", "5", "--out", root]
    status, out, err = run(args)
    expect(status == 0, f"export failed ({status}): {err.strip()}")
    trace = os.path.join(root, "tiny-b2-d0.2-s5")
    expect(check_trace(trace) is None, f"trace invalid: {check_trace(trace)}")
    expect("7 layers" in out and "20 jobs" in out, f"summary lacks layer/job counts: {out!r}")
    expect(os.listdir(root) == ["tiny-b2-d0.2-s5"], f"left in the root: {os.listdir(root)}")
    with open(os.path.join(trace, "manifest.json")) as f:
        manifest = json.load(f)
    expect(manifest["input_shape"] == [2, 3, 32, 32] and manifest["density"] == 0.2, "manifest parameters")
    files = sorted(os.listdir(trace))
    contents = {name: open(os.path.join(trace, name), "rb").read() for name in files}
    stamps = {name: os.stat(os.path.join(trace, name)).st_mtime_ns for name in files}
    status, out, err = run(args)
    expect(status == 0 and "reused" in out, f"rerun did not reuse the trace: {out!r} {err!r}")
    expect(stamps == {n: os.stat(os.path.join(trace, n)).st_mtime_ns for n in files}, "reuse rewrote files")
    status, out, err = run(args + ["--force"])
    expect(status == 0 and "exported" in out, f"--force did not re-export: {out!r} {err!r}")
    expect(sorted(os.listdir(trace)) == files, "forced export has different files")
    for name in files:
        if name != "manifest.json":
            expect(open(os.path.join(trace, name), "rb").read() == contents[name], f"{name} differs across runs")
    expect(os.listdir(root) == ["tiny-b2-d0.2-s5"], f"left in the root: {os.listdir(root)}")


def case_cli_bad_input_exits_2(work):
    """Unknown network, density outside (0, 1], bad batch/seed, unwritable output: exit 2, one
    line on stderr, nothing written."""
    root = os.path.join(work, "traces")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    blocker = os.path.join(work, "a-file")
    open(blocker, "w").close()
    cases = {
        "unknown network": (["--network", "alexnet"], "alexnet"),
        "missing network": ([], "--network"),
        "density 0": (["--network", "tiny", "--density", "0"], "(0, 1]"),
        "density negative": (["--network", "tiny", "--density", "-0.5"], "(0, 1]"),
        "density above 1": (["--network", "tiny", "--density", "1.5"], "(0, 1]"),
        "density nan": (["--network", "tiny", "--density", "nan"], "(0, 1]"),
        "density text": (["--network", "tiny", "--density", "dense"], "dense"),
        "batch 0": (["--network", "tiny", "--batch", "0"], "--batch"),
        "seed text": (["--network", "tiny", "--seed", "x"], "--seed"),
        "unknown option": (["--network", "tiny", "--bogus"], "--bogus"),
        "output under a file": (["--network", "tiny", "--out", os.path.join(blocker, "traces")], blocker),
    }
    for what, (args, needle) in cases.items():
        out_args = [] if "--out" in args else ["--out", root]
        status, out, err = run([EXPORT] + args + out_args)
        lines = err.strip().splitlines()
        expect(status == 2, f"{what}: exit {status}, expected 2 ({err.strip()})")
        expect(len(lines) == 1 and lines[0].startswith("export_trace: error: "), f"{what}: stderr {err!r}")
        expect(needle in lines[0], f"{what}: '{needle}' not named in {lines[0]!r}")
        expect(out == "", f"{what}: stdout {out!r}")
        expect(os.listdir(root) == [], f"{what}: wrote {os.listdir(root)}")


def case_check_trace_rejects_broken_traces(work):
    """check_trace names the fault in one line for each kind of damage, and with data=True also
    densities that are not the files' and non-finite values; the CLI exits 2."""
    import numpy as np
    from check_trace import check_trace
    root = os.path.join(work, "traces")
    shutil.rmtree(root, ignore_errors=True)
    status, _, err = run([EXPORT, "--network", "tiny", "--out", root])
    expect(status == 0, f"export failed: {err}")
    good = os.path.join(root, "tiny-b1-d0.1-s0")
    expect(check_trace(good) is None, f"good trace rejected: {check_trace(good)}")

    def manifest_edit(edit):
        def apply(trace):
            path = os.path.join(trace, "manifest.json")
            with open(path) as f:
                m = json.load(f)
            edit(m)
            with open(path, "w") as f:
                json.dump(m, f)
        return apply

    def job(m, layer, phase):
        return next(j for j in m["jobs"] if j["layer"] == layer and j["phase"] == phase)

    def layer(m, name):
        return next(x for x in m["layers"] if x["name"] == name)

    damage = {
        "missing file": (lambda t: os.remove(os.path.join(t, "down.w.npy")), "down.w.npy"),
        "no manifest": (lambda t: os.remove(os.path.join(t, "manifest.json")), "manifest.json"),
        "incomplete": (manifest_edit(lambda m: m.update(complete=False)), "complete"),
        "bad density": (manifest_edit(lambda m: m.update(density=0)), "density"),
        "file shape": (lambda t: np.save(os.path.join(t, "point.dO.npy"), np.zeros((1, 16, 16, 15), np.float32)), "point.dO.npy"),
        "file dtype": (lambda t: np.save(os.path.join(t, "point.w.npy"), np.zeros((16, 16, 1, 1))), "float32"),
        "truncated file": (lambda t: open(os.path.join(t, "wide.w.npy"), "r+b").truncate(300), "wide.w.npy"),
        "declared shape": (manifest_edit(lambda m: job(m, "valid", "bw")["b_shape"].__setitem__(3, 13)), "valid"),
        "conv arithmetic": (manifest_edit(lambda m: layer(m, "down").__setitem__("stride", [1, 1])), "does not follow"),
        "bd on first layer": (manifest_edit(lambda m: m["jobs"].append(dict(job(m, "stem", "fw"), phase="bd"))), "first layer"),
        "job missing": (manifest_edit(lambda m: m["jobs"].remove(job(m, "fc", "bw"))), "fc"),
        "escaping path": (manifest_edit(lambda m: job(m, "fc", "fw").__setitem__("a", "../x.npy")), "relative"),
        "not json": (lambda t: open(os.path.join(t, "manifest.json"), "w").write("{"), "manifest.json"),
    }
    for what, (apply, needle) in damage.items():
        broken = os.path.join(work, "broken")
        shutil.rmtree(broken, ignore_errors=True)
        shutil.copytree(good, broken)
        apply(broken)
        error = check_trace(broken)
        expect(error is not None, f"{what}: not detected")
        expect("\n" not in error and needle in error, f"{what}: error {error!r} does not name '{needle}'")
        if what in ("missing file", "declared shape"):  # the command line prints the same error
            status, out, err = run([CHECK, broken])
            expect(status == 2 and err.strip() == f"check_trace: {error}", f"{what}: CLI exit {status}, stderr {err!r}")
    status, out, _ = run([CHECK, good])
    expect(status == 0 and out.startswith("ok "), "CLI rejects the good trace")
    expect(check_trace(os.path.join(work, "nowhere")) is not None, "a missing directory passes")

    def poison(t):
        array = np.load(os.path.join(t, "valid.a_fw.npy"))
        array[0, 0, 0, 0] = np.nan
        np.save(os.path.join(t, "valid.a_fw.npy"), array)

    # Damage only the data check (reading every operand) sees.
    data_damage = {
        "density not the file's": (manifest_edit(lambda m: layer(m, "wide")["density"].update(dO=0.5)), "wide"),
        "NaN operand": (poison, "valid.a_fw.npy"),
    }
    expect(check_trace(good, data=True) is None, f"data check rejects the good trace: {check_trace(good, data=True)}")
    for what, (apply, needle) in data_damage.items():
        broken = os.path.join(work, "broken")
        shutil.rmtree(broken, ignore_errors=True)
        shutil.copytree(good, broken)
        apply(broken)
        expect(check_trace(broken) is None, f"{what}: the header check should not read data")
        error = check_trace(broken, data=True)
        expect(error is not None and "\n" not in error and needle in error, f"{what}: data check says {error!r}")
    status, out, err = run([CHECK, "--data", broken])
    expect(status == 2 and err.strip() == f"check_trace: {error}", f"CLI --data: exit {status}, stderr {err!r}")


CASES = {name[len("case_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--case")
    parser.add_argument("--workdir")
    parser.add_argument("--ant-vp", help="the ant-vp program (cases that run trace jobs)")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"skipped: {e}")
        return SKIP
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    try:
        case = CASES[args.case]
        if "ant_vp" in case.__code__.co_varnames[:case.__code__.co_argcount]:
            case(args.workdir, args.ant_vp)
        else:
            case(args.workdir)
    except Failure as e:
        print(f"FAIL {args.case}: {e}")
        return 1
    print(f"PASS {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
