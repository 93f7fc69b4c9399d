#!/usr/bin/python3
"""Markdown table of the knees of a sweep CSV: for each (layer, op, mode), the time at the two
ends of the swept key, the PE-array time, and the knee = the first swept value whose time is
within --within (default 10 %) of the best time.

    /usr/bin/python3 results/sweep/knees.py results/sweep/bandwidth.csv dram.bandwidth_gbps
    /usr/bin/python3 results/sweep/knees.py results/sweep/latency.csv dram.latency_ns --reverse
(--reverse: the knee is the largest value still within --within of the best, for keys where
larger is worse.)
"""
import argparse
import csv


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("key")
    p.add_argument("--within", type=float, default=0.10)
    p.add_argument("--reverse", action="store_true")
    a = p.parse_args()
    rows = [r for r in csv.DictReader(open(a.csv)) if r["exit"] == "0"]
    groups = {}
    for r in rows:
        groups.setdefault((r["layer"], r["op"], r["mode"]), []).append(r)
    print("| layer | op | mode | PE array µs | µs at %s=%s | µs at %s | knee (%s within %d %% of best) | achieved GB/s at knee |"
          % (a.key.split(".")[-1], "min", "max", a.key.split(".")[-1], round(100 * a.within)))
    print("|---|---|---|---|---|---|---|---|")
    for (layer, op, mode), sel in groups.items():
        sel.sort(key=lambda r: float(r[a.key]))
        t = [float(r["time_us"]) for r in sel]
        best = min(t)
        if a.reverse:
            ok = [i for i, v in enumerate(t) if v <= best * (1 + a.within)]
            knee = max(ok)
        else:
            knee = next(i for i, v in enumerate(t) if v <= best * (1 + a.within))
        pe = float(sel[0]["pe_array_cycles"]) * t[0] / float(sel[0]["cycles"])
        print("| %s | %s | %s | %.1f | %.1f | %.1f | %s | %.1f |" % (
            layer, op, mode, pe, t[0], t[-1], sel[knee][a.key], float(sel[knee]["bandwidth_achieved_gbps"])))


if __name__ == "__main__":
    main()
