#!/usr/bin/python3
"""Plot a sweep CSV (from sweep.py) to PNG: a statistic against the swept key, one line per
mode, one panel per (layer, op).

    /usr/bin/python3 results/sweep/plot.py results/sweep/bandwidth.csv \\
        --x dram.bandwidth_gbps --y time_us --out results/sweep/bandwidth.png

--x defaults to the first configuration column (a name with a '.') that takes more than one
value. A numeric x spanning more than a factor 20 gets a log axis, and so does y. If other
configuration columns vary too, each of their values gets its own line style.
--compute draws each mode's PE-array time (pe_array_cycles, else compute_cycles) as a thin
dotted line: what the layer would take if loads, drains and write-backs cost nothing.
"""
import argparse
import csv
import itertools
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# colour, marker, line width, marker size: wide light lines under narrow ones, so that modes
# with equal times stay visible.
MODE_STYLE = {"dense": ("#aaaaaa", "^", 4.0, 8), "scnn": ("tab:blue", "s", 2.2, 5), "ant": ("tab:red", "o", 1.0, 3),
              "ideal": ("tab:green", "v", 1.0, 3)}
LINESTYLES = ["-", "--", "-.", ":"]


def number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("csv")
    p.add_argument("--x", help="swept column (default: first config column with several values)")
    p.add_argument("--y", default="time_us", help="column to plot (default time_us; e.g. cycles, "
                   "stall_cycles, dram_read_bytes, bandwidth_achieved_gbps, read_latency_avg_ns)")
    p.add_argument("--compute", action="store_true", help="also draw the PE-array time dotted")
    p.add_argument("--normalize", action="store_true",
                   help="divide y by each line's minimum (1 = the plateau)")
    p.add_argument("--title", default="")
    p.add_argument("--out", required=True, help="PNG to write")
    args = p.parse_args()

    with open(args.csv, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("exit", "0") in ("0", "")]
    if not rows:
        raise SystemExit("%s: no successful rows" % args.csv)
    config_cols = [c for c in rows[0].keys() if "." in c]
    varying = [c for c in config_cols if len({r[c] for r in rows}) > 1]
    x = args.x or (varying[0] if varying else None)
    if x is None or x not in rows[0]:
        raise SystemExit("no swept column found; pass --x (columns: %s)" % ", ".join(rows[0].keys()))
    others = [c for c in varying if c != x]

    xs_all = [r[x] for r in rows]
    numeric_x = all(number(v) is not None for v in xs_all)
    if numeric_x:
        xv = sorted({number(v) for v in xs_all})
        log_x = xv[0] > 0 and xv[-1] / xv[0] > 20
    else:
        cats = list(dict.fromkeys(xs_all))  # first-seen order
        log_x = False

    panels = list(dict.fromkeys((r["layer"], r["op"]) for r in rows))
    layers = list(dict.fromkeys(l for l, _ in panels))
    ops = list(dict.fromkeys(o for _, o in panels))
    order = ["dense", "scnn", "ant", "ideal"]
    modes = sorted(dict.fromkeys(r["mode"] for r in rows), key=lambda m: order.index(m) if m in order else 9)
    other_vals = list(itertools.product(*[list(dict.fromkeys(r[c] for r in rows)) for c in others]))

    def yval(r, col):
        return number(r[col])

    def compute_val(r):
        c = number(r.get("pe_array_cycles")) or number(r.get("compute_cycles"))
        cyc, t = number(r.get("cycles")), number(r.get("time_us"))
        if c is None:
            return None
        if args.y == "time_us" and cyc and t is not None:
            return c * t / cyc
        return c

    fig, axes = plt.subplots(len(layers), len(ops), figsize=(4.2 * len(ops), 3.2 * len(layers)),
                             squeeze=False)
    all_y = []
    for i, layer in enumerate(layers):
        for j, op in enumerate(ops):
            ax = axes[i][j]
            sel = [r for r in rows if r["layer"] == layer and r["op"] == op]
            for mode in modes:
                color, marker, lw, ms = MODE_STYLE.get(mode, ("black", "x", 1.0, 3))
                for k, ov in enumerate(other_vals):
                    pts = [r for r in sel if r["mode"] == mode and all(r[c] == v for c, v in zip(others, ov))]
                    if not pts:
                        continue
                    pts.sort(key=lambda r: number(r[x]) if numeric_x else cats.index(r[x]))
                    px = [number(r[x]) if numeric_x else cats.index(r[x]) for r in pts]
                    py = [yval(r, args.y) for r in pts]
                    if args.normalize:
                        m = min(v for v in py if v is not None)
                        py = [v / m if v is not None else None for v in py]
                    all_y += [v for v in py if v is not None and v > 0]
                    label = mode + ("" if not others else " " + ",".join("%s=%s" % (c.split(".")[-1], v)
                                                                         for c, v in zip(others, ov)))
                    ax.plot(px, py, color=color, marker=marker, markersize=ms, linewidth=lw,
                            linestyle=LINESTYLES[k % len(LINESTYLES)], label=label)
                    if args.compute and not args.normalize:
                        cy = [compute_val(r) for r in pts]
                        ax.plot(px, cy, color=color, linestyle=":", linewidth=1,
                                label=mode + " PE array alone" if k == 0 else None)
                        all_y += [v for v in cy if v is not None and v > 0]
            ax.set_title("%s %s (C%s K%s %sx%s s%s)" % (layer, op, sel[0]["C"], sel[0]["K"], sel[0]["H"],
                                                         sel[0]["H"], sel[0]["stride"]), fontsize=9)
            if log_x:
                ax.set_xscale("log", base=2)
                ax.set_xticks(xv)
                ax.set_xticklabels(["%g" % v for v in xv], fontsize=7)
            elif not numeric_x:
                ax.set_xticks(range(len(cats)))
                ax.set_xticklabels(cats, fontsize=7, rotation=15)
            ax.grid(True, which="both", alpha=0.3)
            ax.tick_params(labelsize=7)
            if i == len(layers) - 1:
                ax.set_xlabel(x, fontsize=8)
            if j == 0:
                ax.set_ylabel(args.y + (" / min" if args.normalize else ""), fontsize=8)
    if all_y and max(all_y) / min(all_y) > 10:
        for row in axes:
            for ax in row:
                ax.set_yscale("log")
    handles, labels = axes[0][0].get_legend_handles_labels()
    top = 1 - 0.75 / fig.get_figheight()
    fig.suptitle(args.title or os.path.basename(args.csv), fontsize=10, y=0.998)
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.3 / fig.get_figheight()),
               ncol=min(len(labels), 6), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, top))
    tmp = args.out + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, args.out)
    print("wrote %s" % args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
