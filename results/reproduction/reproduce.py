#!/usr/bin/python3
"""Reproduce the ANT paper's headline: ANT vs SCNN+ over a whole SWAT training iteration.

For each network: export its SWAT trace once (workloads/export_trace.py, cached under the
trace root), check it, run every job of it through `ant-vp layer` in each mode under each
memory setting on a pool of processes, sum the iteration per network and write
reproduction.json, per_job.csv, table.md, speedup.png and energy.png to --out (all renamed
into place at the end). The table is printed on stdout.

    /usr/bin/python3 results/reproduction/reproduce.py            # full run, five networks
    /usr/bin/python3 results/reproduction/reproduce.py --quick    # the main job's preset

Exit status: 0 done; 1 a job (or the export) failed, named on stderr; 2 bad input (unknown
network, density outside (0, 1], a trace that does not match its manifest, a missing file,
no build/ant-vp), one line on stderr and nothing written. See docs/reproduction.md.
Needs Debian's /usr/bin/python3 (numpy, matplotlib); the `python3` first on PATH may be
another interpreter.
"""
import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import paper  # noqa: E402
import report  # noqa: E402
import runner  # noqa: E402
import summary  # noqa: E402
import traces  # noqa: E402
from errors import InputError, JobError, Terminated, raise_terminated  # noqa: E402

MODES = ["scnn", "ant", "ideal", "dense"]
# Memory settings, applied before the user's --set keys (which may override them).
# ideal: the simple model with a bandwidth (1 PB/s) and latency (1 ps, the model refuses 0)
# that no job can feel, so the accelerator is compute-bound. dram: the runner's default,
# SCNN's nominal 50 GB/s with 100 ns latency, named explicitly so the record shows it.
MEMORY_SETTINGS = {
    "ideal": ["dram.model=simple", "dram.bandwidth_gbps=1000000", "dram.latency_ns=0.001"],
    "dram": ["dram.preset=scnn-50gbps"],
}
# The main job (scripts/reproduce.sh): every network at batch 1 in the modes the ratios
# need, under ideal memory (a few minutes on two cores), written under build/ so it does not overwrite the committed
# full run.
QUICK = {"networks": traces.NETWORKS, "batch": 1, "modes": ["scnn", "ant"], "memory": "dram",
         "out": os.path.join(ROOT, "build", "reproduction-quick")}
DEFAULT_OUT = HERE
FORMAT = {"format": "ant-reproduction", "version": 1}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise InputError(message)


def parse_args(argv):
    p = _Parser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--networks", help="comma-separated, from %s (default all)" % ",".join(traces.NETWORKS))
    p.add_argument("--batch", type=int, help="batch size of the traces (default 1)")
    p.add_argument("--density", type=float, default=0.1, help="SWAT top-K density in (0, 1] (default 0.1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the model and batch (default 0)")
    p.add_argument("--modes", help="comma-separated, from %s (default all)" % ",".join(MODES))
    p.add_argument("--memory", choices=["ideal", "dram", "both"],
                   help="memory setting(s) (default both; --quick: dram, SCNN's 50 GB/s, the setting "
                        "results/reproduction/README.md argues is the paper's)")
    p.add_argument("--layout", choices=["smaller", "csr"], default="smaller",
                   help="how operands sit in DRAM: smaller = each input in the smaller of its CSR and dense "
                        "encodings, gradients written dense, activations CSR (default); csr = everything CSR")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="ant-vp configuration key for every run (repeatable, recorded)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel ant-vp processes (default: cores)")
    p.add_argument("--trace-root", default=os.path.join(ROOT, "build", "traces"))
    p.add_argument("--out", help="result folder (default results/reproduction; --quick: build/reproduction-quick)")
    p.add_argument("--quick", action="store_true",
                   help="main-job preset: %s at batch 1, modes %s" % (",".join(QUICK["networks"]),
                                                                     ",".join(QUICK["modes"])))
    p.add_argument("--keep-going", action="store_true",
                   help="run every job even after one fails; networks with a failed job are marked failed "
                        "in the results (no totals), the others reported; exit 1")
    p.add_argument("--ant-vp", default=os.path.join(ROOT, "build", "ant-vp"))
    p.add_argument("--exporter", default=traces.EXPORTER, help=argparse.SUPPRESS)
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds per ant-vp run (default 3600)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--scheduler", default="local", metavar="local|tcp://HOST:PORT",
                   help="run the ant-vp jobs here (--jobs processes) or on a Dask cluster (default local)")
    return p.parse_args(argv)


def resolve(args):
    """Fill defaults (the --quick preset where it applies) and check every option."""
    def listed(text, known, what):
        items = [x for x in text.split(",") if x]
        for x in items:
            if x not in known:
                raise InputError("unknown %s '%s' (known: %s)" % (what, x, ", ".join(known)))
        if not items or len(set(items)) != len(items):
            raise InputError("--%ss needs distinct names from %s" % (what, ", ".join(known)))
        return items

    preset = QUICK if args.quick else {}
    args.networks = listed(args.networks, traces.NETWORKS, "network") if args.networks is not None \
        else list(preset.get("networks", traces.NETWORKS))
    args.modes = listed(args.modes, MODES, "mode") if args.modes is not None else list(preset.get("modes", MODES))
    args.batch = args.batch if args.batch is not None else preset.get("batch", 1)
    args.out = os.path.abspath(args.out if args.out is not None else preset.get("out", DEFAULT_OUT))
    args.memory = args.memory if args.memory is not None else preset.get("memory", "both")
    args.memories = ["ideal", "dram"] if args.memory == "both" else [args.memory]
    if args.batch < 1:
        raise InputError("--batch must be at least 1, got %d" % args.batch)
    if not 0.0 < args.density <= 1.0:
        raise InputError("--density must be in (0, 1], got %g" % args.density)
    if args.jobs < 1:
        raise InputError("--jobs must be at least 1, got %d" % args.jobs)
    if args.scheduler != "local" and "://" not in args.scheduler:
        raise InputError("--scheduler '%s' is neither local nor a Dask address like tcp://host:8786" % args.scheduler)
    for s in args.set:
        if "=" not in s or s.startswith("="):
            raise InputError("--set '%s' is not key=value" % s)
    args.ant_vp = os.path.abspath(args.ant_vp)
    if not (os.path.isfile(args.ant_vp) and os.access(args.ant_vp, os.X_OK)):
        raise InputError("%s is missing or not executable (run bash scripts/build.sh first)" % args.ant_vp)
    args.trace_root = os.path.abspath(args.trace_root)
    return args


def _git_commit():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare_traces(args):
    """network -> (trace path, manifest), every trace exported if needed and checked."""
    out = {}
    for network in args.networks:
        path = traces.ensure(args.trace_root, network, args.batch, args.density, args.seed, args.exporter)
        out[network] = (path, traces.validate(path, network, args.batch, args.density, args.seed))
    return out


def make_tasks(args, prepared):
    """Network by network (so the progress line's network advances), largest jobs first."""
    tasks = []
    for network in args.networks:
        path, manifest = prepared[network]
        mine = [runner.Task(network, path, job, mode, memory, MEMORY_SETTINGS[memory] + args.set, args.layout)
                for memory in args.memories for mode in args.modes for job in manifest["jobs"]]
        tasks += sorted(mine, key=lambda t: -t.weight)
    return tasks


def run(args):
    """The whole reproduction; returns the document written to reproduction.json."""
    t0 = time.monotonic()
    prepared = prepare_traces(args)
    tasks = make_tasks(args, prepared)
    where = "%d processes" % args.jobs if args.scheduler == "local" else "the Dask cluster at " + args.scheduler
    if not args.quiet:
        print("reproduce: %d ant-vp runs (%s; modes %s; memory %s) on %s"
              % (len(tasks), ", ".join("%s %d jobs" % (n, len(prepared[n][1]["jobs"])) for n in args.networks),
                 ",".join(args.modes), ",".join(args.memories), where), file=sys.stderr)
    workdir = tempfile.mkdtemp(prefix="ant-reproduce-")
    try:
        records, failures = runner.run_all(tasks, args.ant_vp, workdir, args.jobs, keep_going=args.keep_going,
                                           timeout=args.timeout, quiet=args.quiet, scheduler=args.scheduler)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for msg, _ in failures:
        print("reproduce: failed: %s" % msg, file=sys.stderr)
    failed = {}
    for _, task in failures:
        failed.setdefault(task.network, []).append(task.label())
    config = {
        "networks": args.networks, "batch": args.batch, "density": args.density, "seed": args.seed,
        "modes": args.modes, "memory": args.memories, "set": args.set, "layout": args.layout,
        "memory_settings": {m: MEMORY_SETTINGS[m] for m in args.memories},
        "commit": _git_commit(),
        "ant_vp": {"path": os.path.relpath(args.ant_vp, ROOT), "sha256": _sha256(args.ant_vp)},
        "traces": {n: {"path": os.path.relpath(prepared[n][0], ROOT), "jobs": len(prepared[n][1]["jobs"]),
                       "torch_version": prepared[n][1].get("torch_version"),
                       "dataset": prepared[n][1].get("dataset")} for n in args.networks},
        "quick": args.quick, "processes": args.jobs, "wall_seconds": round(time.monotonic() - t0, 1),
        "scheduler": args.scheduler,
        # CPU time of the ant-vp processes alone: the run's cost independent of machine load.
        "ant_vp_cpu_seconds": round(sum(r["cpu_seconds"] for r in records), 1),
    }
    result = summary.summarise(records, args.networks, args.modes, args.memories, failed)
    document = dict(FORMAT, config=config, paper={"source": paper.SOURCE}, memory=result)
    text = report.table(result, config)
    report.write_all(args.out, records, result, document, text)
    print(text)
    if not args.quiet:
        print("reproduce: wrote %s in %.0f s (ant-vp CPU time %.0f s on %s)"
              % (os.path.relpath(args.out), config["wall_seconds"], config["ant_vp_cpu_seconds"], where),
              file=sys.stderr)
    if failures:
        raise JobError("%d of %d jobs failed (listed above); %s marked failed in the results"
                       % (len(failures), len(tasks), ", ".join(sorted(failed))))
    return document


def main(argv=None):
    signal.signal(signal.SIGTERM, raise_terminated)
    try:
        args = parse_args(argv)
        run(resolve(args))
    except (InputError, JobError) as e:
        print("reproduce: error: %s" % e, file=sys.stderr)
        return e.exit_status
    except (KeyboardInterrupt, Terminated) as e:
        print("\nreproduce: %s; no results written" % ("terminated" if isinstance(e, Terminated) else "interrupted"),
              file=sys.stderr)
        return 143 if isinstance(e, Terminated) else 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
