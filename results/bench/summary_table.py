"""The benchmark's console line per job and its Markdown summary (geometric means per op)."""
import math

OPS = ["fw", "bd", "bw"]


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def progress_line(r):
    return ("%-22s N=%d %s CPU ms: torch1 %8.2f floor %8.2f ant %8.2f (x%.1f torch1, x%.1f floor) scnn %8.2f | "
            "wall ms: torch1 %.2f torch-all %.2f ant %.2f" % (
                r["layer"], r["batch"], r["op"], 1e3 * r["torch_1t_cpu_s"], 1e3 * r["floor_cpu_s"],
                1e3 * r["ant_cpu_s"],
                r["ant_cpu_s"] / r["torch_1t_cpu_s"], r["ant_cpu_s"] / r["floor_cpu_s"], 1e3 * r["scnn_cpu_s"],
                1e3 * r["torch_1t_s"], 1e3 * r["torch_all_s"], 1e3 * r["ant_process_s"]))


def _groups(rows):
    batches = sorted(set(r["batch"] for r in rows))
    for op in OPS:
        sel = [r for r in rows if r["op"] == op]
        if sel:
            yield op, sel
    for b in batches:
        sel = [r for r in rows if r["batch"] == b]
        yield "all, batch %d" % b, sel
    yield "all", rows


def _ratio(rows, num, den):
    return geomean([r[num] / r[den] for r in rows])


def markdown(rows, threads):
    lines = ["CPU time (user + system), the figure least disturbed by other load: geometric means of ratios "
             "over the jobs of each group; above 1 means `ant-vp` is slower. `ant`, `scnn`: the whole "
             "`ant-vp layer` process; torch 1t: PyTorch dense, 1 thread; floor: the valid-products C loop.", "",
             "| jobs | n | ant / torch 1t | ant ≤ torch 1t | ant / floor | scnn / ant (geomean) | scnn / ant (max) | "
             "floor / torch 1t | floor ns per valid product | ant ns per valid product |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, sel in _groups(rows):
        met = sum(1 for r in sel if r["ant_cpu_s"] <= r["torch_1t_cpu_s"])
        lines.append("| %s | %d | %.1f | %d of %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f |" % (
            name, len(sel), _ratio(sel, "ant_cpu_s", "torch_1t_cpu_s"), met, len(sel),
            _ratio(sel, "ant_cpu_s", "floor_cpu_s"), _ratio(sel, "scnn_cpu_s", "ant_cpu_s"),
            max(r["scnn_cpu_s"] / r["ant_cpu_s"] for r in sel), _ratio(sel, "floor_cpu_s", "torch_1t_cpu_s"),
            geomean([1e9 * r["floor_cpu_s"] / r["floor_products"] for r in sel if r["floor_products"]]),
            geomean([1e9 * r["ant_cpu_s"] / r["ant_products_valid"] for r in sel if r["ant_products_valid"]])))
    lines += ["", "Wall time, medians (inflated by other load, and more so for the longer runs): `process` the whole "
              "`ant-vp layer` process, `sim` its `wall_seconds`; torch %dt: PyTorch with %d threads."
              % (threads, threads),
              "",
              "| jobs | ant process / torch 1t | ant process / torch %dt | ant sim / torch 1t | ant process / floor | "
              "scnn / ant process | torch %dt / torch 1t |" % (threads, threads),
              "|---|---|---|---|---|---|---|"]
    for name, sel in _groups(rows):
        lines.append("| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |" % (
            name, _ratio(sel, "ant_process_s", "torch_1t_s"), _ratio(sel, "ant_process_s", "torch_all_s"),
            _ratio(sel, "ant_sim_s", "torch_1t_s"), _ratio(sel, "ant_process_s", "floor_s"),
            _ratio(sel, "scnn_process_s", "ant_process_s"), _ratio(sel, "torch_all_s", "torch_1t_s")))
    mismatched = [r for r in rows if r["floor_products"] != r["ant_products_valid"]]
    worst = max(max(r["ant_max_abs_diff"], r["scnn_max_abs_diff"], r["floor_max_abs_diff"]) for r in rows)
    lines += ["", "Valid products: the floor loop's count equals ant-vp's `products_valid` on %d of %d jobs%s." % (
        len(rows) - len(mismatched), len(rows),
        "" if not mismatched else " (differs on: %s)" % ", ".join(
            "%s N=%d %s" % (r["layer"], r["batch"], r["op"]) for r in mismatched)),
        "Largest |output - PyTorch| over ant, scnn and the floor: %.3g." % worst]
    return "\n".join(lines)
