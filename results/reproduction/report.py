"""The reproduction's result files: the table, the per-job CSV, the JSON and the bar charts.

Everything is rendered into a staging folder first and then renamed into place file by
file, so an interrupted run never leaves a half-written result behind.
"""
import csv
import json
import os
import shutil
import tempfile

import paper

CSV_COLUMNS = ["network", "layer", "phase", "part", "op", "mode", "memory", "cycles", "compute_cycles", "stall_cycles",
               "energy_pj", "energy_dram_pj", "products_issued", "products_valid", "products_rcp",
               "products_rcp_scnn", "rcp_avoided_vs_scnn", "dram_read_bytes", "dram_write_bytes", "wall_seconds", "cpu_seconds"]

MEMORY_TITLES = {
    "ideal": "ideal memory (compute-bound)",
    "dram": "DRAM",
}


def _x(v, digits=2):
    return "—" if v is None else "%.*f×" % (digits, v)


def _pct(v):
    return "—" if v is None else "%.1f %%" % (100.0 * v)


def _mcyc(v):
    return "—" if v is None else "%.4g" % (v / 1e6)


def table(summary, config):
    """The result table as Markdown, one section per memory setting."""
    lines = ["# ANT vs SCNN+ — one training iteration per network", "",
             "batch %d, density %g, seed %d, modes %s, layout %s; ant-vp at %s; settings: %s" % (
                 config["batch"], config["density"], config["seed"], ",".join(config["modes"]),
                 config.get("layout", "csr"), config["commit"], " ".join(config["set"]) or "(defaults)"),
             "Paper: %s." % paper.SOURCE, ""]
    for memory, block in summary.items():
        settings = " ".join(config["memory_settings"][memory]) or "(defaults)"
        lines += ["## %s: `%s`" % (MEMORY_TITLES.get(memory, memory), settings), "",
                  "| network | jobs | SCNN+ Mcycles | ANT Mcycles | ideal Mcycles | dense Mcycles | speedup | paper "
                  "| energy SCNN+/ANT | on-chip | paper | RCP share SCNN+ | RCPs anticipated |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n in block["networks"]:
            if not n["complete"]:
                lines.append("| %s | failed (%d runs) | | | | | — | %s | — | | %s | | |" % (
                    n["label"], len(n["failed_jobs"]), _x(n["paper"]["speedup_vs_scnn"]),
                    _x(n["paper"]["energy_ratio_vs_scnn"])))
                continue
            c = n["cycles"]
            lines.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                n["label"], n["jobs"], _mcyc(c.get("scnn")), _mcyc(c.get("ant")), _mcyc(c.get("ideal")),
                _mcyc(c.get("dense")), _x(n["speedup_vs_scnn"]), _x(n["paper"]["speedup_vs_scnn"]),
                _x(n["energy_ratio_vs_scnn"]), _x(n["energy_ratio_vs_scnn_onchip"]),
                _x(n["paper"]["energy_ratio_vs_scnn"]), _pct(n["rcp_share_scnn"]), _pct(n["rcp_anticipated"])))
        g = block["geomean"]
        over = "" if len(g["networks"]) == len(block["networks"]) else " (%d of %d)" % (
            len(g["networks"]), len(block["networks"]))
        lines.append("| **geomean**%s | | | | | | **%s** | %s | **%s** | %s | %s | | |" % (over,
            _x(g["speedup_vs_scnn"]), _x(g["paper"]["speedup_vs_scnn"]), _x(g["energy_ratio_vs_scnn"]),
            _x(g["energy_ratio_vs_scnn_onchip"]), _x(g["paper"]["energy_ratio_vs_scnn"])))
        lines.append("")
        phases = [(n["label"], m, n["phase_cycles"][m]) for n in block["networks"] if n["complete"]
                  for m in ("scnn", "ant") if m in n["phase_cycles"]]
        if phases:
            lines += ["Share of cycles per phase (fw / bd / bw):", ""]
            for label, mode, pc in phases:
                total = float(sum(pc.values())) or 1.0
                lines.append("* %s %s: %s" % (label, "SCNN+" if mode == "scnn" else "ANT",
                                               " / ".join("%.0f %%" % (100 * pc[p] / total) for p in ("fw", "bd", "bw"))))
            lines.append("")
    return "\n".join(lines)


def _write_csv(path, records):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in records:
            w.writerow({k: ("%.6g" % r[k]) if isinstance(r[k], float) else r[k] for k in CSV_COLUMNS})


def _chart(path, summary, series_spec, paper_key, title, ylabel):
    """Grouped bars per network and geomean: each (legend, memory, key) of series_spec, then the paper's."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = summary[next(iter(summary))]
    labels = [n["label"] for n in first["networks"]] + ["geomean"]
    series = [(legend, [n[key] for n in summary[memory]["networks"]] + [summary[memory]["geomean"][key]])
              for legend, memory, key in series_spec]
    series.append(("paper", [n["paper"][paper_key] for n in first["networks"]] +
                   [first["geomean"]["paper"][paper_key]]))
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(6.5, 1.6 + 1.3 * len(labels)), 4.5))
    top = 1.0
    for i, (name, values) in enumerate(series):
        xs = [j + (i - (len(series) - 1) / 2.0) * width for j in range(len(labels))]
        ys = [v if v is not None else 0.0 for v in values]
        top = max([top] + ys)
        bars = ax.bar(xs, ys, width, label=name, color=None if name != "paper" else "0.6")
        for b, v in zip(bars, values):
            ax.annotate("—" if v is None else "%.2f" % v, (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, top * 1.3)  # room for the legend above the bars
    ax.axhline(1.0, color="0.3", linewidth=0.8)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, loc="upper left", ncol=len(series))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(out_dir, records, summary, document, table_text):
    """Render every result file into a staging folder inside out_dir, then rename each into place."""
    os.makedirs(out_dir, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=".staging-", dir=out_dir)
    try:
        with open(os.path.join(stage, "reproduction.json"), "w") as f:
            json.dump(document, f, indent=1, sort_keys=False)
            f.write("\n")
        _write_csv(os.path.join(stage, "per_job.csv"), records)
        with open(os.path.join(stage, "table.md"), "w") as f:
            f.write(table_text + "\n")
        _chart(os.path.join(stage, "speedup.png"), summary,
               [("ours, %s" % MEMORY_TITLES.get(m, m), m, "speedup_vs_scnn") for m in summary],
               "speedup_vs_scnn", "ANT speedup over SCNN+, one training iteration", "SCNN+ cycles / ANT cycles")
        # Energy comes from event counts, the same under both memory settings: one run's
        # total and on-chip ratios instead.
        m = next(iter(summary))
        _chart(os.path.join(stage, "energy.png"), summary,
               [("ours, total", m, "energy_ratio_vs_scnn"), ("ours, on-chip only", m, "energy_ratio_vs_scnn_onchip")],
               "energy_ratio_vs_scnn", "ANT energy efficiency over SCNN+, one training iteration",
               "SCNN+ energy / ANT energy")
        for name in sorted(os.listdir(stage)):
            os.replace(os.path.join(stage, name), os.path.join(out_dir, name))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
