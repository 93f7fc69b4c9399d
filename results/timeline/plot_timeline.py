#!/usr/bin/python3
"""Draws an `ant-vp --timeline` trace-event JSON (docs/tracing.md) with matplotlib: one row
per track (the core's states, the job sequencer, the PE array, post-processing, the DMA
tracks), slices coloured by name, and the DRAM bandwidth counter below.

usage: plot_timeline.py TIMELINE.json OUT.png [--start US] [--end US] [--title TEXT]
The window defaults to the span of the jobs on the sequencer track (the whole run if none).
"""
import argparse
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {
    "running": "#4c9f38", "wfi": "#c9c9c9", "trap handler": "#e5732a",
    "busy": "#2a6fb0", "busy (fetch-bound)": "#7aa6d6", "stalled on memory": "#d1495b",
    "drain": "#8e5ea2", "top-K": "#b07aa1", "read": "#3c8d8d", "write": "#e0a800",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    events = doc["traceEvents"]
    processes = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
               if e["ph"] == "M" and e["name"] == "thread_name"}
    order = {(e["pid"], e["tid"]): e["args"]["sort_index"] for e in events
             if e["ph"] == "M" and e["name"] == "thread_sort_index"}
    tracks = {}
    for e in events:
        if e["ph"] == "X":
            tracks.setdefault((e["pid"], e["tid"]), []).append(e)
    counters = {}
    for e in events:
        if e["ph"] == "C":
            counters.setdefault(e["name"], []).append(e)
    return processes, threads, order, tracks, counters


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("timeline")
    ap.add_argument("out")
    ap.add_argument("--start", type=float, help="window start, us of simulated time")
    ap.add_argument("--end", type=float, help="window end, us")
    ap.add_argument("--title", default="")
    args = ap.parse_args()
    processes, threads, order, tracks, counters = load(args.timeline)
    if not tracks:
        sys.exit("plot_timeline.py: %s has no slices" % args.timeline)

    jobs = [e for key, sl in tracks.items() if threads[key] == "job sequencer" for e in sl]
    span = jobs or [e for sl in tracks.values() for e in sl]
    t0 = min(e["ts"] for e in span)
    t1 = max(e["ts"] + e["dur"] for e in span)
    pad = 0.03 * (t1 - t0 or 1.0)
    start = args.start if args.start is not None else t0 - pad
    end = args.end if args.end is not None else t1 + pad

    keys = sorted(tracks, key=lambda k: (k[0], order.get(k, 0)))
    bandwidth = counters.get("DRAM bandwidth (GB/s)", [])
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(13, 0.45 * len(keys) + 3.2), sharex=True,
                                 gridspec_kw={"height_ratios": [max(2, len(keys)), 2.2]})
    seen = set()
    for row, key in enumerate(keys):
        y = len(keys) - 1 - row
        for e in tracks[key]:
            a, b = e["ts"], e["ts"] + e["dur"]
            if b < start or a > end:
                continue
            name = e["name"] if e["name"] in COLOURS else "job"
            label = name if name not in seen else None
            seen.add(name)
            ax.broken_barh([(a, max(e["dur"], (end - start) * 1e-4))], (y - 0.38, 0.76),
                           facecolors=COLOURS.get(name, "#6a3d9a"), label=label)
            if name == "job" and (b - a) > 0.06 * (end - start):
                ax.text((max(a, start) + min(b, end)) / 2, y, e["name"], ha="center", va="center",
                        fontsize=8, color="white")
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([processes[k[0]] + ": " + threads[k] for k in reversed(keys)], fontsize=8)
    ax.set_xlim(start, end)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.set_title(args.title or args.timeline, fontsize=10)

    if bandwidth:
        series = [s for s in bandwidth[0]["args"]]
        for s in series:
            xs, ys = [], []
            for e in bandwidth:
                if xs:  # a counter holds its value until the next sample: draw steps
                    xs.append(e["ts"])
                    ys.append(ys[-1])
                xs.append(e["ts"])
                ys.append(e["args"][s])
            bx.plot(xs, ys, label="DRAM " + s, linewidth=1)
        bx.set_ylabel("GB/s", fontsize=8)
        bx.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    bx.set_xlabel("simulated time (us)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print("plot_timeline.py: wrote %s (%.3f-%.3f us, %d tracks)" % (args.out, start, end, len(keys)))


if __name__ == "__main__":
    main()
