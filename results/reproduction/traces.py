"""SWAT traces: where a network's trace lives, exporting it once, and checking it before use.

A trace is `<root>/<network>-b<batch>-d<density>-s<seed>/` with `manifest.json` and the
`.npy` operands of every job (format in docs/reproduction.md). The exporter,
`workloads/export_trace.py`, writes it atomically; a trace whose manifest says `complete`
is reused. The check here makes sure every job's files exist and agree with the manifest,
so that a broken trace stops the run with one line before any simulation starts.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np

from errors import InputError, JobError

NETWORKS = ["densenet121", "resnet18", "vgg16", "wrn16_8", "resnet50"]
PHASES = ["fw", "bd", "bw"]
CONV_OPS = ["fw", "bd", "bw"]


def trace_name(network, batch, density, seed):
    return "%s-b%d-d%g-s%d" % (network, batch, density, seed)


def trace_dir(root, network, batch, density, seed):
    return os.path.join(root, trace_name(network, batch, density, seed))


def is_complete(path):
    try:
        with open(os.path.join(path, "manifest.json")) as f:
            return json.load(f).get("complete") is True
    except (OSError, ValueError, AttributeError):
        return False


def ensure(root, network, batch, density, seed, exporter, python=sys.executable):
    """The trace directory of one network, exported first unless a complete one exists."""
    path = trace_dir(root, network, batch, density, seed)
    if is_complete(path):
        return path
    if not os.path.isfile(exporter):
        raise InputError("trace %s is missing and the exporter %s does not exist"
                         % (os.path.join(path, "manifest.json"), exporter))
    cmd = [python, exporter, "--network", network, "--batch", str(batch), "--density", "%g" % density,
           "--seed", str(seed), "--out", root]
    # The exporter's own messages (and progress) go straight to our stderr.
    rc = subprocess.run(cmd, stdout=sys.stderr).returncode
    if rc == 2:
        raise InputError("the exporter refused %s (exit 2): %s" % (network, " ".join(cmd)))
    if rc != 0:
        raise JobError("exporting the %s trace failed (exit %d): %s" % (network, rc, " ".join(cmd)))
    if not is_complete(path):
        raise JobError("the exporter finished but %s has no complete manifest" % path)
    return path


def _npy_header(path):
    """(shape, dtype) of an .npy file without reading its data."""
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    return list(shape), dtype


def _pair(value, what):
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value)):
        raise ValueError("%s must be two non-negative integers, got %r" % (what, value))
    return value


def _conv_out(size, kernel, stride, pad):
    return [(size[i] + 2 * pad[i] - kernel[i]) // stride[i] + 1 for i in range(2)]


def _check_job_against_layer(job, layer):
    """The operand shapes a job must have, given its layer's shapes (see the manifest format)."""
    a, b, op = job["a_shape"], job["b_shape"], job["op"]
    if layer["type"] == "fc":
        n, cin = layer["in_shape"]
        k = layer["out_shape"][1]
        want = {"fw": ([n, cin], [cin, k]), "bd": ([n, k], [k, cin]), "bw": ([k, n], [n, cin])}[job["phase"]]
        if op != "spmm":
            raise ValueError("an fc layer's jobs use op spmm, not %s" % op)
    else:
        if op != job["phase"]:
            raise ValueError("a conv layer's %s job must use op %s, not %s" % (job["phase"], job["phase"], op))
        stride, pad = _pair(job.get("stride"), "stride"), _pair(job.get("pad"), "pad")
        n, c, h, w = layer["in_shape"]
        k = layer["out_shape"][1]
        r, s = layer["kernel"]
        if _conv_out([h, w], [r, s], stride, pad) != layer["out_shape"][2:]:
            raise ValueError("out_shape %s does not follow from in_shape, kernel, stride and pad" % layer["out_shape"])
        want = {"fw": (layer["in_shape"], [k, c, r, s]), "bd": (layer["out_shape"], [k, c, r, s]),
                "bw": (layer["in_shape"], layer["out_shape"])}[op]
        if op == "bw" and _pair(job.get("kernel"), "kernel") != [r, s]:
            raise ValueError("kernel %s differs from the layer's %s" % (job.get("kernel"), [r, s]))
        if op == "bd" and _pair(job.get("in"), "in") != [h, w]:
            raise ValueError("in %s differs from the layer's input plane %s" % (job.get("in"), [h, w]))
    if [list(a), list(b)] != [list(want[0]), list(want[1])]:
        raise ValueError("operand shapes %s x %s do not match layer %s (expected %s x %s)"
                         % (a, b, layer["name"], want[0], want[1]))


def validate(path, network, batch, density, seed):
    """The manifest of a trace after checking it against its files; InputError otherwise."""
    manifest_path = os.path.join(path, "manifest.json")
    try:
        with open(manifest_path) as f:
            m = json.load(f)
    except OSError as e:
        raise InputError("trace manifest %s: %s" % (manifest_path, e.strerror))
    except ValueError as e:
        raise InputError("trace manifest %s is not valid JSON: %s" % (manifest_path, e))

    def bad(what):
        return InputError("trace manifest %s: %s" % (manifest_path, what))

    if not isinstance(m, dict) or m.get("format") != "ant-swat-trace" or m.get("version") != 1:
        raise bad("not an ant-swat-trace version 1 manifest")
    if m.get("complete") is not True:
        raise bad("the trace is incomplete (complete is not true)")
    wanted = {"network": network, "batch": batch, "seed": seed}
    for key, value in wanted.items():
        if m.get(key) != value:
            raise bad("%s is %r, expected %r" % (key, m.get(key), value))
    if not isinstance(m.get("density"), (int, float)) or not math.isclose(m["density"], density, rel_tol=1e-9):
        raise bad("density is %r, expected %g" % (m.get("density"), density))
    layers, jobs = m.get("layers"), m.get("jobs")
    if not isinstance(layers, list) or not isinstance(jobs, list) or not jobs:
        raise bad("layers and jobs must be non-empty lists")
    by_name = {}
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict) or not isinstance(layer.get("name"), str) or layer.get("type") not in ("conv", "fc"):
            raise bad("layer %d needs a name and a type conv|fc" % i)
        if layer["name"] in by_name:
            raise bad("layer %s appears twice" % layer["name"])
        by_name[layer["name"]] = layer
    root = os.path.realpath(path)
    for i, job in enumerate(jobs):
        label = "job %d" % i
        try:
            if not isinstance(job, dict) or job.get("layer") not in by_name:
                raise ValueError("names no layer of the manifest")
            label = "job %d (%s %s)" % (i, job["layer"], job.get("phase"))
            if job.get("phase") not in PHASES:
                raise ValueError("phase must be one of %s" % "|".join(PHASES))
            _check_job_against_layer(job, by_name[job["layer"]])
        except (KeyError, TypeError, ValueError) as e:
            raise bad("%s: %s" % (label, e if not isinstance(e, KeyError) else "missing %s" % e))
        for operand in ("a", "b"):
            rel = job.get(operand)
            file = os.path.realpath(os.path.join(path, rel)) if isinstance(rel, str) else ""
            if not file.startswith(root + os.sep):
                raise bad("%s: %s must be a file inside the trace, got %r" % (label, operand, rel))
            if not os.path.isfile(file):
                raise InputError("trace %s: %s: missing file %s" % (path, label, rel))
            try:
                shape, dtype = _npy_header(file)
            except (OSError, ValueError) as e:
                raise InputError("trace %s: %s: %s is not a readable .npy file (%s)" % (path, label, rel, e))
            if dtype != np.float32:
                raise InputError("trace %s: %s: %s holds %s, not float32" % (path, label, rel, dtype))
            if shape != list(job["%s_shape" % operand]):
                raise InputError("trace %s: %s: %s has shape %s but the manifest says %s"
                                 % (path, label, rel, shape, job["%s_shape" % operand]))
    return m
