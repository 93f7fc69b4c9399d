#!/usr/bin/python3
"""Where the time of one `ant-vp layer` run goes: callgrind's instruction counts by part of
the simulator and by function, for jobs of SWAT's ResNet-18 trace.

    /usr/bin/python3 results/bench/profile_layer.py --job layer1.0.conv1:fw --job layer1.0.conv1:bw \
        [--mode ant] [--batch 1] [--set dram.model=detailed] [--ant-vp build/ant-vp]

The trace must exist (layer_speed.py or workloads/export_trace.py makes it). Build ant-vp
with -g (e.g. -DCMAKE_CXX_FLAGS=-g -DCMAKE_C_FLAGS=-g, which does not change the code GCC
generates) so that functions have source files; without it everything in ant-vp falls under
"ant-vp, no debug info". Prints Markdown: the share of each part and the top functions
(exclusive instruction counts, which track time for this CPU-bound code only roughly:
cache misses are not counted).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from layer_speed import ant_vp_args  # noqa: E402

# Part of the simulator by source path (first match wins), then by shared object.
PARTS = [
    ("models/memory/", "DRAM model (models/memory)"),
    ("models/algo/", "dataflow kernels (models/algo)"),
    ("models/compute/", "accelerator model (models/compute)"),
    ("platform/", "platform and command line (platform)"),
    ("libsystemc", "SystemC kernel"),
    ("libc.so", "C/C++ runtime (malloc, memcpy, ...)"),
    ("libstdc++", "C/C++ runtime (malloc, memcpy, ...)"),
    ("libm.so", "C/C++ runtime (malloc, memcpy, ...)"),
    ("ld-linux", "C/C++ runtime (malloc, memcpy, ...)"),
    ("/usr/include/", "library code inlined from headers (STL, SystemC, nlohmann-json)"),
]
# "Ir (share) file:function [object]"; functions inlined from headers have no object.
LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+([^:]*):(.*?)(?:\s+\[(.*)\])?\s*$")
TOTAL = re.compile(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS")


def part_of(path, obj):
    for key, name in PARTS:
        if path.startswith(key) or "/" + key in path or key in obj:
            return name
    if path == "???" and obj.endswith("ant-vp"):
        return "ant-vp, no debug info"
    return "other"


def profile(ant_vp, args, work):
    out = os.path.join(work, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, ant_vp, "layer"] + args + [
        "--out", os.path.join(work, "out.npy"), "--stats", os.path.join(work, "stats.json")]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("profile_layer: error: callgrind run failed: %s" % p.stderr.strip().splitlines()[-1])
    text = subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", out], capture_output=True, text=True,
                          check=True).stdout
    functions, total = [], None
    for line in text.splitlines():
        t = TOTAL.match(line)
        if t:
            total = int(t.group(1).replace(",", ""))
            continue
        m = LINE.match(line)
        if m:
            functions.append((int(m.group(1).replace(",", "")), m.group(2), m.group(3).strip(), m.group(4) or ""))
    if total is None:
        sys.exit("profile_layer: error: no PROGRAM TOTALS in callgrind_annotate's output")
    return functions, total


def report(title, profiled, top):
    functions, total = profiled
    parts = {"below callgrind_annotate's threshold": total - sum(f[0] for f in functions)}
    # Code inlined from a header is listed under the header's file but its caller's name: a
    # function counts wholly to the part where its own source file lies.
    home = {fn: part_of(path, obj) for _, path, fn, obj in functions if not path.startswith("/usr/include/")}
    for ir, path, fn, obj in functions:
        name = home.get(fn) or part_of(path, obj)
        parts[name] = parts.get(name, 0) + ir
    lines = ["### %s" % title, "", "%.3g instructions." % total, "", "| part | share |", "|---|---|"]
    lines += ["| %s | %.1f %% |" % (n, 100.0 * ir / total) for n, ir in sorted(parts.items(), key=lambda x: -x[1])
              if ir > 0]
    lines += ["", "| function | file | share |", "|---|---|---|"]
    for ir, path, fn, obj in sorted(functions, reverse=True)[:top]:
        where = path if path != "???" else os.path.basename(obj)
        lines.append("| `%s` | %s | %.1f %% |" % (fn[:90], where, 100.0 * ir / total))
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--job", action="append", required=True, metavar="LAYER:OP", help="e.g. layer1.0.conv1:fw")
    p.add_argument("--mode", default="ant")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="ant-vp configuration key")
    p.add_argument("--top", type=int, default=12, help="functions listed (default 12)")
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build", "ant-vp"))
    p.add_argument("--trace-root", default=os.path.join(ROOT, "build", "traces"))
    args = p.parse_args()
    trace = os.path.join(args.trace_root, "resnet18-b%d-d0.1-s0" % args.batch)
    try:
        with open(os.path.join(trace, "manifest.json")) as f:
            jobs = json.load(f)["jobs"]
    except OSError as e:
        p.error("no trace at %s (%s); run layer_speed.py or workloads/export_trace.py first" % (trace, e.strerror))
    with tempfile.TemporaryDirectory(prefix="ant-profile-") as work:
        for spec in args.job:
            layer, _, op = spec.partition(":")
            job = next((j for j in jobs if j["layer"] == layer and j["op"] == op), None)
            if job is None:
                p.error("no job %s in %s" % (spec, trace))
            vp_args = ["--mode", args.mode] + ant_vp_args(job, trace) + sum((["--set", s] for s in args.set), [])
            title = "%s %s, batch %d, mode %s%s" % (layer, op, args.batch, args.mode,
                                                   "".join(", " + s for s in args.set))
            print(report(title, profile(os.path.abspath(args.ant_vp), vp_args, work), args.top) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
