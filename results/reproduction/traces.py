"""SWAT traces for the reproduction: exported once per network, checked before any simulation.

A trace is `<root>/<network>-b<batch>-d<density>-s<seed>/` with `manifest.json` and the
`.npy` operands of every job (docs/workloads.md). `workloads/export_trace.py` writes it
atomically; a trace whose manifest says `complete` is reused without starting the exporter.
`workloads/check_trace.py` checks every file against the manifest and the layer geometry;
here we add only that the trace is the one asked for (network, batch, density, seed).
"""
import json
import math
import os
import subprocess
import sys

import paper
from errors import InputError, JobError

WORKLOADS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "workloads")
sys.path.insert(0, WORKLOADS)
from check_trace import check_trace, trace_name  # noqa: E402

# The paper's five networks, in the order of its chart.
NETWORKS = list(paper.VALUES)
PHASES = ["fw", "bd", "bw"]
EXPORTER = os.path.join(WORKLOADS, "export_trace.py")


def _complete(path):
    try:
        with open(os.path.join(path, "manifest.json")) as f:
            return json.load(f).get("complete") is True
    except (OSError, ValueError, AttributeError):
        return False


def ensure(root, network, batch, density, seed, exporter=EXPORTER, python=sys.executable):
    """The trace directory of one network, exported first unless a complete one exists."""
    path = os.path.join(root, trace_name(network, batch, density, seed))
    if _complete(path):
        return path
    if not os.path.isfile(exporter):
        raise InputError("trace %s is missing and the exporter %s does not exist"
                         % (os.path.join(path, "manifest.json"), exporter))
    cmd = [python, exporter, "--network", network, "--batch", str(batch), "--density", "%g" % density,
           "--seed", str(seed), "--out", root]
    # The exporter's progress (stderr) and summary (stdout) both go to our stderr.
    rc = subprocess.run(cmd, stdout=sys.stderr).returncode
    if rc == 2:
        raise InputError("the exporter refused %s (exit 2): %s" % (network, " ".join(cmd)))
    if rc != 0:
        raise JobError("exporting the %s trace failed (exit %d): %s" % (network, rc, " ".join(cmd)))
    return path


def validate(path, network, batch, density, seed):
    """The manifest of a trace after checking it against its files and the request."""
    problem = check_trace(path)
    if problem:
        raise InputError(problem)
    with open(os.path.join(path, "manifest.json")) as f:
        m = json.load(f)
    for key, value in (("network", network), ("batch", batch), ("seed", seed)):
        if m[key] != value:
            raise InputError("trace %s: %s is %r, expected %r" % (path, key, m[key], value))
    if not math.isclose(m["density"], density, rel_tol=1e-9):
        raise InputError("trace %s: density is %r, expected %g" % (path, m["density"], density))
    return m
