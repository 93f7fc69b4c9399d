#!/usr/bin/python3
"""Rerun the reproduction over the values of one parameter: a CSV and a plot per sweep.

The parameter is either an ant-vp configuration key (passed as --set KEY=VALUE to every
run; several keys joined by `+` all take the value, e.g. pe_array.pe_rows+pe_array.pe_cols
for square PE arrays) or one of the driver's own `batch`, `density` (the trace changes
with them) and `layout`. Every point is one reproduce.py run; each network's totals, ratios and the
geomean become CSV rows.

    /usr/bin/python3 results/reproduction/sweep.py --sweep pe_array.f=2,4,8 --networks resnet18,vgg16
    /usr/bin/python3 results/reproduction/sweep.py --sweep dram.bandwidth_gbps=25,50,100,200 --memory dram
    /usr/bin/python3 results/reproduction/sweep.py --sweep density=0.05,0.1,0.2 --networks resnet18
    /usr/bin/python3 results/reproduction/sweep.py --sweep pe_array.pe_rows+pe_array.pe_cols=4,8,16

Writes <out-dir>/<name>.csv and <name>.png (name defaults to the parameter), renamed into
place at the end. Options not listed here (--set, --seed, --jobs, --scheduler, --trace-root,
--ant-vp) go to every reproduce.py run. Exit status as reproduce.py's (2 bad input, 1 a failed run).
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import paper  # noqa: E402
from errors import InputError, Terminated, raise_terminated  # noqa: E402

DRIVER_PARAMETERS = ("batch", "density", "layout")
COLUMNS = ["parameter", "value", "memory", "network", "speedup_vs_scnn", "energy_ratio_vs_scnn",
           "energy_ratio_vs_scnn_onchip", "ideal_speedup_vs_scnn", "rcp_anticipated", "rcp_share_scnn",
           "cycles_scnn", "cycles_ant", "cycles_ideal", "cycles_dense", "paper_speedup_vs_scnn"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise InputError(message)


def parse_args(argv):
    p = _Parser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sweep", required=True, metavar="KEY=V1,V2,...",
                   help="the parameter and its values: an ant-vp --set key, batch or density")
    p.add_argument("--networks", default="resnet18", help="comma-separated (default resnet18)")
    p.add_argument("--modes", default="scnn,ant", help="(default scnn,ant: what the ratios need)")
    p.add_argument("--memory", choices=["ideal", "dram", "both"], default="both")
    p.add_argument("--name", help="file name of the CSV and plot (default: the parameter)")
    p.add_argument("--out-dir", default=os.path.join(HERE, "sweeps"))
    p.add_argument("--keep-points", action="store_true",
                   help="keep each point's full reproduction output under <out-dir>/<name>/")
    args, passthrough = p.parse_known_args(argv)
    if "=" not in args.sweep or args.sweep.startswith("="):
        raise InputError("--sweep '%s' is not KEY=V1,V2,..." % args.sweep)
    args.key, values = args.sweep.split("=", 1)
    args.values = [v for v in values.split(",") if v]
    if not args.values or len(set(args.values)) != len(args.values):
        raise InputError("--sweep %s needs distinct values" % args.key)
    forbidden = ["--out", "--quick"] + (["--" + args.key] if args.key in DRIVER_PARAMETERS else [])
    for opt in forbidden:
        if any(a == opt or a.startswith(opt + "=") for a in passthrough):
            raise InputError("%s cannot be combined with --sweep %s" % (opt, args.key))
    args.name = args.name or args.key
    args.passthrough = passthrough
    return args


def point_command(args, value, out):
    cmd = [sys.executable, os.path.join(HERE, "reproduce.py"), "--networks", args.networks, "--modes", args.modes,
           "--memory", args.memory, "--out", out] + args.passthrough
    if args.key in DRIVER_PARAMETERS:
        cmd += ["--%s" % args.key, value]
    else:
        for key in args.key.split("+"):
            cmd += ["--set", "%s=%s" % (key, value)]
    return cmd


def rows_of(args, value, doc):
    rows = []
    for memory, block in doc["memory"].items():
        entries = [(n["name"], n, paper.speedup(n["name"])) for n in block["networks"]]
        entries.append(("geomean", block["geomean"], block["geomean"]["paper"]["speedup_vs_scnn"]))
        for name, n, paper_speedup in entries:
            row = {"parameter": args.key, "value": value, "memory": memory, "network": name,
                   "paper_speedup_vs_scnn": paper_speedup}
            for col in COLUMNS:
                if col.startswith("cycles_") and "cycles" in n:
                    row[col] = n["cycles"].get(col[len("cycles_"):], "")
                elif col not in row:
                    row[col] = n.get(col, "")
                if row[col] is None:
                    row[col] = ""
            rows.append(row)
    return rows


def plot(path, args, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    memories = list(dict.fromkeys(r["memory"] for r in rows))
    networks = list(dict.fromkeys(r["network"] for r in rows))
    metrics = [("speedup_vs_scnn", "speedup over SCNN+"), ("energy_ratio_vs_scnn", "energy SCNN+ / ANT")]
    fig, axes = plt.subplots(len(metrics), len(memories), figsize=(5.5 * len(memories), 7), squeeze=False)
    xs = list(range(len(args.values)))
    for col, memory in enumerate(memories):
        for row_i, (metric, label) in enumerate(metrics):
            ax = axes[row_i][col]
            for net in networks:
                ys = []
                for v in args.values:
                    r = [x for x in rows if x["memory"] == memory and x["network"] == net and x["value"] == v]
                    ys.append(r[0][metric] if r and r[0][metric] != "" else float("nan"))
                style = {"linewidth": 2.5, "color": "k"} if net == "geomean" else {}
                ax.plot(xs, ys, marker="o", label=paper.LABELS.get(net, net), **style)
            ax.set_xticks(xs)
            ax.set_xticklabels(args.values)
            ax.set_xlabel(args.key)
            ax.set_ylabel(label)
            ax.set_title("%s memory" % memory)
            ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    signal.signal(signal.SIGTERM, raise_terminated)
    try:
        args = parse_args(argv)
    except InputError as e:
        print("sweep: error: %s" % e, file=sys.stderr)
        return 2
    os.makedirs(args.out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".sweep-", dir=args.out_dir)
    try:
        rows = []
        for i, value in enumerate(args.values):
            print("sweep: point %d/%d: %s=%s" % (i + 1, len(args.values), args.key, value), file=sys.stderr)
            out = os.path.join(work, "%s=%s" % (args.key, value))
            point = subprocess.Popen(point_command(args, value, out), stdout=subprocess.DEVNULL)
            try:
                rc = point.wait()
            except BaseException:
                point.terminate()  # reproduce.py kills its jobs and writes nothing
                point.wait()
                raise
            if rc != 0:
                print("sweep: error: the run at %s=%s failed (exit %d); nothing written" % (args.key, value, rc),
                      file=sys.stderr)
                return rc
            with open(os.path.join(out, "reproduction.json")) as f:
                rows += rows_of(args, value, json.load(f))
        csv_tmp, png_tmp = os.path.join(work, "sweep.csv"), os.path.join(work, "sweep.png")
        with open(csv_tmp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS)
            w.writeheader()
            for r in rows:
                w.writerow({k: ("%.6g" % r[k]) if isinstance(r[k], float) else r[k] for k in COLUMNS})
        plot(png_tmp, args, rows)
        if args.keep_points:
            points = os.path.join(args.out_dir, args.name)
            shutil.rmtree(points, ignore_errors=True)
            os.makedirs(points)
            for v in args.values:
                name = "%s=%s" % (args.key, v)
                os.replace(os.path.join(work, name), os.path.join(points, name))
        os.replace(csv_tmp, os.path.join(args.out_dir, args.name + ".csv"))
        os.replace(png_tmp, os.path.join(args.out_dir, args.name + ".png"))
        print("sweep: wrote %s.csv and .png" % os.path.join(args.out_dir, args.name), file=sys.stderr)
    except (KeyboardInterrupt, Terminated) as e:
        print("\nsweep: %s; nothing written" % ("terminated" if isinstance(e, Terminated) else "interrupted"),
              file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
