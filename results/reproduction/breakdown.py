#!/usr/bin/python3
"""Where a reproduction's cycles go: per network and memory setting, each phase's share of
SCNN+'s and ANT's iteration, and the backward-weight speedup grouped by the size of the
image plane (the activation plane the PEs tile), from a run's per_job.csv and the traces'
manifests.

    /usr/bin/python3 results/reproduction/breakdown.py results/reproduction/per_job.csv
"""
import argparse
import collections
import csv
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def plane_sizes(trace_root):
    """network -> layer -> input plane 'HxW' (FC layers: 'fc')."""
    sizes = collections.defaultdict(dict)
    for manifest in glob.glob(os.path.join(trace_root, "*", "manifest.json")):
        with open(manifest) as f:
            m = json.load(f)
        for layer in m["layers"]:
            shape = layer["in_shape"]
            sizes[m["network"]][layer["name"]] = "%dx%d" % tuple(shape[2:]) if layer["type"] == "conv" else "fc"
    return sizes


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("per_job", help="per_job.csv of a reproduce.py run")
    p.add_argument("--trace-root", default=os.path.join(ROOT, "build", "traces"))
    args = p.parse_args(argv)
    try:
        with open(args.per_job) as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        print("breakdown: cannot read %s: %s" % (args.per_job, e.strerror), file=sys.stderr)
        return 2
    sizes = plane_sizes(args.trace_root)
    cycles = collections.defaultdict(float)    # (memory, network, mode, phase) -> cycles
    bw = collections.defaultdict(float)        # (memory, network, mode, size) -> BW cycles
    for r in rows:
        key = (r["memory"], r["network"])
        cycles[key + (r["mode"], r["phase"])] += float(r["cycles"])
        if r["phase"] == "bw":
            size = sizes.get(r["network"], {}).get(r["layer"], "?")
            bw[key + (r["mode"], size)] += float(r["cycles"])
    for memory, network in sorted({(k[0], k[1]) for k in cycles}):
        print("%s, %s memory" % (network, memory))
        for mode in ("scnn", "ant"):
            total = sum(cycles[(memory, network, mode, ph)] for ph in ("fw", "bd", "bw"))
            if total:
                print("  %-4s %7.2f Mcycles: fw %4.1f %%, bd %4.1f %%, bw %4.1f %%" % (
                    mode, total / 1e6, *(100 * cycles[(memory, network, mode, ph)] / total for ph in ("fw", "bd", "bw"))))
        groups = sorted({k[3] for k in bw if k[0] == memory and k[1] == network},
                        key=lambda s: (s == "fc", -int(s.split("x")[0]) if "x" in s else 0))
        for size in groups:
            s, a = bw[(memory, network, "scnn", size)], bw[(memory, network, "ant", size)]
            if s and a:
                print("  bw on %-7s planes: SCNN+ %7.2f Mcycles, ANT %6.2f Mcycles, %5.2fx" % (size, s / 1e6, a / 1e6, s / a))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
