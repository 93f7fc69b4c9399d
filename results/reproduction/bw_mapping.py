#!/usr/bin/python3
"""Which operand each design tiles in backward weight: the three combinations side by side.

Reads two reproduction runs of the same trace set and memory setting —

  * BASE: the defaults (both designs tile the activations, the paper's roles), and
  * GRADIENT: --set pe_array.scnn_bw_stationary=gradient --set pe_array.ant_bw_stationary=gradient

— and writes, per network, SCNN+ and ANT cycles and the speedup for (SCNN+ tiles A, ANT tiles
A), (SCNN+ tiles dO, ANT tiles A) and (both tile dO), with the paper's bar. Mode `ant` ignores
scnn_bw_stationary and mode `scnn` ignores ant_bw_stationary, so the middle combination is
SCNN+ from GRADIENT against ANT from BASE.

    /usr/bin/python3 results/reproduction/bw_mapping.py BASE/reproduction.json \\
        GRADIENT/reproduction.json --memory ideal --out results/reproduction/sweeps/bw_stationary

Writes OUT.csv and OUT.png (renamed into place at the end). Exit 2 on bad input.
"""
import argparse
import csv
import json
import math
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import paper  # noqa: E402

COMBINATIONS = [  # (label, SCNN+ run, ANT run)
    ("SCNN+ A / ANT A (paper's roles)", "base", "base"),
    ("SCNN+ dO / ANT A", "gradient", "base"),
    ("SCNN+ dO / ANT dO", "gradient", "gradient"),
]


def load(path, memory):
    try:
        with open(path) as f:
            doc = json.load(f)
        nets = doc["memory"][memory]["networks"]
        return {n["name"]: n for n in nets}, doc["config"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit("bw_mapping.py: %s: not a reproduction.json with memory '%s' (%s)" % (path, memory, e))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("base")
    p.add_argument("gradient")
    p.add_argument("--memory", default="ideal")
    p.add_argument("--out", required=True, help="path without extension")
    args = p.parse_args(argv)
    runs = {}
    runs["base"], base_cfg = load(args.base, args.memory)
    runs["gradient"], grad_cfg = load(args.gradient, args.memory)
    if base_cfg.get("batch") != grad_cfg.get("batch") or base_cfg.get("density") != grad_cfg.get("density"):
        raise SystemExit("bw_mapping.py: the two runs differ in batch or density")
    names = [n for n in runs["base"] if n in runs["gradient"]]
    if not names:
        raise SystemExit("bw_mapping.py: the two runs share no network")
    rows = []
    for label, scnn_run, ant_run in COMBINATIONS:
        speedups = []
        for n in names:
            scnn = runs[scnn_run][n]["cycles"].get("scnn")
            ant = runs[ant_run][n]["cycles"].get("ant")
            if not scnn or not ant:
                raise SystemExit("bw_mapping.py: network %s lacks scnn or ant cycles" % n)
            speedups.append(scnn / ant)
            rows.append({"combination": label, "network": n, "label": runs["base"][n]["label"],
                         "cycles_scnn": scnn, "cycles_ant": ant, "speedup_vs_scnn": round(scnn / ant, 4),
                         "paper_speedup_vs_scnn": paper.VALUES[n][0] if n in paper.VALUES else ""})
        rows.append({"combination": label, "network": "geomean", "label": "geomean", "cycles_scnn": "",
                     "cycles_ant": "", "speedup_vs_scnn": round(math.exp(sum(map(math.log, speedups)) / len(speedups)), 4),
                     "paper_speedup_vs_scnn": paper.GEOMEAN_SPEEDUP})
    out_dir = os.path.dirname(os.path.abspath(args.out))
    tmp_csv = tempfile.NamedTemporaryFile("w", dir=out_dir, suffix=".csv.tmp", delete=False)
    with tmp_csv:
        w = csv.DictWriter(tmp_csv, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    tmp_png = os.path.join(out_dir, ".bw_mapping.png.tmp")
    plot(rows, names, tmp_png)
    os.replace(tmp_csv.name, args.out + ".csv")
    os.replace(tmp_png, args.out + ".png")
    for r in rows:
        print("%-34s %-12s %8s×  (paper %s)" % (r["combination"], r["label"], r["speedup_vs_scnn"],
                                                r["paper_speedup_vs_scnn"]))
    return 0


def plot(rows, names, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    labels = [next(r["label"] for r in rows if r["network"] == n) for n in names] + ["geomean"]
    keys = names + ["geomean"]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.2
    for i, (label, _, _) in enumerate(COMBINATIONS):
        vals = [next(r["speedup_vs_scnn"] for r in rows if r["combination"] == label and r["network"] == k) for k in keys]
        ax.bar([x + (i - 1.5) * width for x in range(len(keys))], vals, width, label=label)
    ax.bar([x + 1.5 * width for x in range(len(keys))],
           [paper.VALUES[k][0] if k in paper.VALUES else paper.GEOMEAN_SPEEDUP for k in keys], width, label="paper", color="black")
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels(labels)
    ax.set_yscale("log")
    ax.set_ylabel("ANT speedup over SCNN+ (log)")
    ax.set_title("Backward weight: which operand is tiled (ideal memory, batch 1)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            sys.exit(2)
        raise
