#!/usr/bin/python3
"""How the energy ratio SCNN+ / ANT depends on what a DRAM bit costs, from a run's per_job.csv.

The energy model charges DRAM per bit moved (platform/vp/energy_model.cpp), so a job's DRAM
energy scales exactly with `energy.dram_bit_pj`: the ratio at any price is recomputed from
the run's on-chip energy and DRAM bytes, with no rerun. The price the run used is read back
from its own rows (DRAM energy / bits moved).

    /usr/bin/python3 results/reproduction/dram_energy.py results/reproduction/per_job.csv \
        --out results/reproduction/sweeps/dram_energy.csv
"""
import argparse
import collections
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import paper  # noqa: E402

# pJ per bit: 0 = on-chip only; HBM2 ~4 and LPDDR4 ~8 (Accelergy's tables); DDR 20-40
# (Horowitz, ISSCC 2014: 1.3-2.6 nJ per 64-bit access).
PRICES = [0.0, 4.0, 8.0, 20.0, 40.0]


def energies(rows, memory):
    """network -> mode -> [on-chip pJ, DRAM bits]"""
    out = collections.defaultdict(lambda: collections.defaultdict(lambda: [0.0, 0.0]))
    for r in rows:
        if r["memory"] != memory or r["mode"] not in ("scnn", "ant"):
            continue
        e = out[r["network"]][r["mode"]]
        e[0] += float(r["energy_pj"]) - float(r["energy_dram_pj"])
        e[1] += 8.0 * (float(r["dram_read_bytes"]) + float(r["dram_write_bytes"]))
    return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("per_job", help="per_job.csv of a reproduce.py run with modes scnn and ant")
    p.add_argument("--memory", default="dram", help="memory setting whose rows to use (default dram)")
    p.add_argument("--out", help="also write the table as CSV here")
    args = p.parse_args(argv)
    try:
        with open(args.per_job) as f:
            rows = list(csv.DictReader(f))
    except (OSError, csv.Error) as e:
        print("dram_energy: error: cannot read %s: %s" % (args.per_job, e), file=sys.stderr)
        return 2
    table = energies(rows, args.memory)
    networks = [n for n in paper.VALUES if n in table and {"scnn", "ant"} <= set(table[n])]
    if not networks:
        print("dram_energy: error: %s has no scnn and ant rows for memory '%s'" % (args.per_job, args.memory),
              file=sys.stderr)
        return 2
    used = [(float(r["energy_dram_pj"]), 8.0 * (float(r["dram_read_bytes"]) + float(r["dram_write_bytes"])))
            for r in rows if r["memory"] == args.memory]
    bits = sum(b for _, b in used)
    run_price = sum(e for e, _ in used) / bits if bits else float("nan")
    out_rows = []
    for price in PRICES:
        row = {"dram_bit_pj": price}
        for n in networks:
            s, a = table[n]["scnn"], table[n]["ant"]
            row[n] = (s[0] + s[1] * price) / (a[0] + a[1] * price)
        row["geomean"] = math.exp(sum(math.log(row[n]) for n in networks) / len(networks))
        out_rows.append(row)
    print("Energy SCNN+ / ANT by DRAM price (run used %.1f pJ/bit; memory %s)" % (run_price, args.memory))
    print("| pJ/bit | " + " | ".join(paper.LABELS[n] for n in networks) + " | geomean |")
    print("|---:|" + "---:|" * (len(networks) + 1))
    for row in out_rows:
        print("| %g | " % row["dram_bit_pj"] + " | ".join("%.2f×" % row[n] for n in networks) +
              " | %.2f× |" % row["geomean"])
    print("| paper | " + " | ".join("%.2f×" % paper.energy_ratio(n) for n in networks) +
          " | %.2f× |" % paper.GEOMEAN_ENERGY_RATIO)
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["dram_bit_pj"] + networks + ["geomean"])
            w.writeheader()
            for row in out_rows:
                w.writerow({k: ("%.4f" % v if k != "dram_bit_pj" else "%g" % v) for k, v in row.items()})
        os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
