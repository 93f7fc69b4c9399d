#!/usr/bin/python3
"""What a process costs before it simulates anything: the fixed part of every `ant-vp layer`
figure in layer_speed.csv, beside the programs that bound it from below.

    /usr/bin/python3 results/bench/startup_cost.py [--ant-vp build/ant-vp] [--baseline OLD/ant-vp] [--runs 50]

Times, interleaved round by round so that the machine's load touches each alike:
  * /bin/true (starting any process),
  * a C++ program linked with Debian's libsystemc whose sc_main returns at once (compiled
    here with g++: SystemC's own start-up, which every SystemC model pays),
  * `ant-vp --help` (the simulator's libraries loaded, nothing built),
  * `ant-vp layer` on a 4x4 toy layer with one 1x1 weight (the whole platform built, one pass
    simulated, the output and statistics written).
and, with --baseline, the same two ant-vp runs of another build in the same rounds.
Prints the median CPU time (user + system, getrusage) and wall time per run, and the page
faults of one run of each (getrusage's minor faults). Exit 2 with one line on stderr if ant-vp
or g++ is missing.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SYSTEMC_ONLY = "#include <systemc>\nint sc_main(int, char**) { return 0; }\n"


def measure(cmd):
    """CPU seconds, wall seconds and minor page faults of one run."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.decode(errors="replace")))
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    return cpu, wall, r1.ru_minflt - r0.ru_minflt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ant-vp", default=os.path.join(ROOT, "build", "ant-vp"))
    ap.add_argument("--baseline", help="another ant-vp to time beside it")
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args(argv)
    for program in [args.ant_vp] + ([args.baseline] if args.baseline else []):
        if not os.access(program, os.X_OK):
            print("startup_cost.py: error: %s is not an executable ant-vp (build it first)" % program, file=sys.stderr)
            return 2
    if shutil.which("g++") is None or args.runs < 1:
        print("startup_cost.py: error: needs g++ and --runs >= 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        src, prog = os.path.join(work, "systemc_only.cpp"), os.path.join(work, "systemc_only")
        with open(src, "w") as f:
            f.write(SYSTEMC_ONLY)
        subprocess.run(["g++", "-O2", src, "-o", prog, "-lsystemc"], check=True)
        np.save(os.path.join(work, "a.npy"), np.ones((1, 1, 4, 4), np.float32))
        np.save(os.path.join(work, "b.npy"), np.ones((1, 1, 1, 1), np.float32))
        def toy(vp):
            return [vp, "layer", "--op", "fw", "--a", os.path.join(work, "a.npy"), "--b", os.path.join(work, "b.npy"),
                    "--out", os.path.join(work, "o.npy"), "--stats", os.path.join(work, "s.json"), "--set",
                    "sim.threads=1"]
        programs = [("/bin/true", ["/bin/true"]), ("sc_main returning at once (libsystemc)", [prog]),
                    ("ant-vp --help", [args.ant_vp, "--help"]), ("ant-vp layer, 4x4 toy layer", toy(args.ant_vp))]
        if args.baseline:
            programs += [("baseline ant-vp --help", [args.baseline, "--help"]),
                         ("baseline ant-vp layer, 4x4 toy layer", toy(args.baseline))]
        runs = {name: [] for name, _ in programs}
        for _ in range(args.runs):
            for name, cmd in programs:
                runs[name].append(measure(cmd))
    print("| program | CPU ms (median) | wall ms (median) | page faults (median) |")
    print("|---|---|---|---|")
    for name, _ in programs:
        r = runs[name]
        print("| %s | %.2f | %.2f | %d |" % (name, statistics.median(x[0] for x in r) * 1e3,
                                          statistics.median(x[1] for x in r) * 1e3,
                                          statistics.median(x[2] for x in r)))
    print("\n(%d runs of each, interleaved; load average %.1f at the end)" % (args.runs, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
