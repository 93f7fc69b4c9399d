"""The Markdown tables of results/train_step/README.md from a resnet18.py run's summary.json
and consoles (docs/train_step.md).

  /usr/bin/python3 results/train_step/tables.py results/train_step
"""
import json
import os
import re
import sys

CORE_LINE = re.compile(r"^layer (\d+) (\S+) (.+) \(core\): (\d+) instructions$", re.M)


def num(v):
    return f"{v:,}".replace(",", " ")


def per_layer(summary, folder):
    runs = summary["runs"]
    cycles = {}
    for name in ("scnn", "ant"):
        for job in runs[name]["per_job"]:
            cycles.setdefault(job["layer"], {})[(name, job["op"])] = job["firmware"]["cycles"]
    core = {}
    with open(os.path.join(folder, "ant.txt")) as f:
        for layer, type_, _, count in CORE_LINE.findall(f.read()):
            core.setdefault(int(layer), [type_, 0])
            core[int(layer)][1] += int(count)
    types = {int(m[0]): m[1] for m in re.findall(r"^layer (\d+) (\S+) ", open(os.path.join(folder, "ant.txt")).read(),
                                                   re.M)}
    print("| layer | scnn FW | scnn BD | scnn BW | ant FW | ant BD | ant BW | ant/scnn | core instructions (ant run) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for layer in sorted(set(cycles) | set(core)):
        if layer == 0:
            continue
        c = cycles.get(layer, {})
        row = [f"{layer} {types.get(layer, '')}"]
        for name in ("scnn", "ant"):
            row += [num(c[(name, op)]) if (name, op) in c else "" for op in ("FW", "BD", "BW")]
        if c:
            ratio = sum(v for (n, _), v in c.items() if n == "ant") / sum(v for (n, _), v in c.items() if n == "scnn")
            row.append(f"{ratio:.2f}")
        else:
            row.append("")
        row.append(num(core[layer][1]) if layer in core else "")
        print("| " + " | ".join(row) + " |")
    print(f"| SGD (all weights) | | | | | | | | {num(core.get(0, ['', 0])[1])} |")


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "summary.json")) as f:
        summary = json.load(f)
    per_layer(summary, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
