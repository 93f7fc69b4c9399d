#!/usr/bin/python3
"""Checks of `ant-vp run|layer --timeline`, `--trace-instructions` and `--trace-mmio`
(docs/tracing.md). Each subcommand runs ant-vp itself and checks what it wrote against the
statistics of the same run.

  check_traces.py timeline-run VP FIRMWARE WORKDIR  (layer_job on inputs made in WORKDIR)
  check_traces.py timeline-layer VP WORKDIR [ant-vp layer options]
  check_traces.py instructions VP FIRMWARE WORKDIR  (hello: instructions, traps, exit line)
  check_traces.py mmio VP FIRMWARE WORKDIR           (accel_errors: every register access)
"""
import json
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_INPUTS = os.path.join(HERE, "..", "accelerator_interface", "make_inputs.py")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def stat(stats, name):
    return stats["statistics"][name]["value"]


def load_timeline(path):
    """Parses the file and checks the trace-event format; returns slices per track name."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("no traceEvents list")
    threads, processes = {}, {}
    for e in doc["traceEvents"]:
        ph = e.get("ph")
        if ph not in ("M", "X", "C"):
            fail("unexpected phase %r" % (ph,))
        if not isinstance(e.get("pid"), int) or not isinstance(e.get("name"), str):
            fail("event without pid or name: %r" % (e,))
        if ph == "M":
            if e["name"] == "thread_name":
                threads[(e["pid"], e["tid"])] = e["args"]["name"]
            elif e["name"] == "process_name":
                processes[e["pid"]] = e["args"]["name"]
    tracks = {}
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            for key in ("ts", "dur"):
                if not isinstance(e.get(key), (int, float)) or e[key] < 0:
                    fail("slice with a bad %s: %r" % (key, e))
            key = (e["pid"], e["tid"])
            if key not in threads or e["pid"] not in processes:
                fail("slice on an unnamed track: %r" % (e,))
            tracks.setdefault(processes[e["pid"]] + "/" + threads[key], []).append(e)
        elif e["ph"] == "C":
            if not e.get("args") or not all(isinstance(v, (int, float)) for v in e["args"].values()):
                fail("counter without numeric values: %r" % (e,))
    # A viewer nests slices of one track by time: they must not overlap (ps resolution).
    for name, slices in tracks.items():
        slices.sort(key=lambda e: e["ts"])
        for a, b in zip(slices, slices[1:]):
            if a["ts"] + a["dur"] > b["ts"] + 1e-6:
                fail("%s: slices overlap: %r and %r" % (name, a, b))
    return doc, tracks


def check_jobs(tracks, jobs, cycles, clock_ghz):
    seq = tracks.get("accelerator/job sequencer", [])
    if len(seq) != jobs:
        fail("%d job slices on the sequencer track, %d jobs in the statistics" % (len(seq), jobs))
    total = sum(e["args"]["cycles"] for e in seq)
    if total != cycles:
        fail("job slices add up to %d cycles, the statistics say %d" % (total, cycles))
    dur_us = sum(e["dur"] for e in seq)
    if abs(dur_us - cycles / clock_ghz / 1000.0) > 1e-6 * max(1, jobs):
        fail("job slices last %.6f us, %d cycles at %g GHz are %.6f us" % (dur_us, cycles, clock_ghz,
                                                                      cycles / clock_ghz / 1000.0))
    for e in seq:
        for key in ("op", "mode", "shape"):
            if not e["args"].get(key):
                fail("job slice without %s: %r" % (key, e))
    for track in ("accelerator/PE array", "accelerator/post-processing"):
        if not tracks.get(track):
            fail("nothing on " + track)
    if not any(t.startswith("accelerator/DMA") for t in tracks):
        fail("no DMA track")
    return seq


def make_inputs(work):
    run(["/usr/bin/python3", MAKE_INPUTS, work, "2", "4", "6", "10", "10", "3", "3", "1", "1", "0.4", "7"])


def timeline_run(vp, firmware, work):
    make_inputs(work)
    tl, st = os.path.join(work, "run.json"), os.path.join(work, "run_stats.json")
    run([vp, "run", "--firmware", firmware, "--load", "x=%s/x.npy" % work, "--load", "w=%s/w.npy" % work,
         "--load", "dy=%s/dy.npy" % work, "--timeline", tl, "--stats", st])
    stats = json.load(open(st))
    doc, tracks = load_timeline(tl)
    clock = stats["accelerator_configuration"]["accelerator.clock_ghz"]
    # The per-job statistics count every job the firmware queued; without top-K passes (none
    # in layer_job) their cycles are the job sequencer's too.
    seq = check_jobs(tracks, len(stats["jobs"]), int(stats["job_totals"]["cycles"]), clock)
    if int(stats["job_totals"]["cycles"]) != int(stat(stats, "accelerator.job_sequencer.cycles")):
        fail("per-job cycles %d, job sequencer cycles %d" % (stats["job_totals"]["cycles"],
                                                             stat(stats, "accelerator.job_sequencer.cycles")))
    # ... and one by one, in order, equal to the per-job statistics.
    per_job = [j["cycles"] for j in stats["jobs"]]
    if per_job != [e["args"]["cycles"] for e in seq]:
        fail("job slices %s, per-job statistics %s" % ([e["args"]["cycles"] for e in seq], per_job))
    core = tracks.get("core/core", [])
    if not core:
        fail("no core track")
    states = {e["name"] for e in core}
    if not {"running", "wfi", "trap handler"} <= states:
        fail("core states %s lack running, wfi or trap handler" % sorted(states))
    # The firmware sleeps in wfi while each job runs: the core is asleep for most of it
    # (it rings the doorbell, runs a few instructions to reach wfi, and is woken at the end).
    for job in seq:
        j0, j1 = job["ts"], job["ts"] + job["dur"]
        asleep = sum(max(0.0, min(j1, e["ts"] + e["dur"]) - max(j0, e["ts"])) for e in core if e["name"] == "wfi")
        if asleep < 0.9 * (j1 - j0):
            fail("the core sleeps for %.1f %% of job %r only" % (100 * asleep / (j1 - j0), job["args"]))
    if not any(e["ph"] == "C" and e["name"].startswith("DRAM bandwidth") for e in doc["traceEvents"]):
        fail("no DRAM bandwidth counter")
    print("timeline-run: %d jobs, %d cycles, %d events" % (len(seq), sum(e["args"]["cycles"] for e in seq),
                                                           len(doc["traceEvents"])))


def timeline_layer(vp, work, *extra):
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(5)
    a = (rng.random((1, 8, 12, 12)) * (rng.random((1, 8, 12, 12)) < 0.3)).astype(np.float32)
    b = (rng.random((16, 8, 3, 3)) * (rng.random((16, 8, 3, 3)) < 0.3)).astype(np.float32)
    np.save(os.path.join(work, "a.npy"), a)
    np.save(os.path.join(work, "b.npy"), b)
    tl, st = os.path.join(work, "layer.json"), os.path.join(work, "layer_stats.json")
    run([vp, "layer", "--op", "fw", "--mode", "ant", "--a", os.path.join(work, "a.npy"), "--b",
         os.path.join(work, "b.npy"), "--pad", "1", "--out", os.path.join(work, "out.npy"), "--stats", st,
         "--timeline", tl] + list(extra))
    stats = json.load(open(st))
    doc, tracks = load_timeline(tl)
    clock = stats["config"]["accelerator.clock_ghz"]
    check_jobs(tracks, 1, int(stats["cycles"]), clock)
    if any(t.startswith("core/") for t in tracks):
        fail("a core track in a layer run")
    if "--topk" in extra and not any(e["name"] == "top-K" for e in tracks["accelerator/post-processing"]):
        fail("no top-K slice")
    print("timeline-layer: %d cycles, %d events" % (stats["cycles"], len(doc["traceEvents"])))


LINE = re.compile(r"^\d+\.\d{3} \d+ [0-9a-f]{8} ([0-9a-f]{8}|[0-9a-f]{4}    ) [a-z.]+( [a-z0-9]+=[0-9a-f]{8})?"
                  r"( load\[[0-9a-f]{8}\]| store\[[0-9a-f]{8}\]=[0-9a-f]{8})?$")
TRAP = re.compile(r'^\d+\.\d{3} \d+ trap (exception|interrupt) [0-9a-f]{8} "[^"]+" mtval=[0-9a-f]{8} '
                  r"mepc=[0-9a-f]{8} handler=[0-9a-f]{8}$")


def instructions(vp, firmware, work):
    os.makedirs(work, exist_ok=True)
    trace, st = os.path.join(work, "trace.txt"), os.path.join(work, "trace_stats.json")
    run([vp, "run", "--firmware", firmware, "--trace-instructions", trace, "--stats", st])
    stats = json.load(open(st))
    retired = traps = 0
    kinds = set()
    last = ""
    previous = -1
    with open(trace) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                last = line
                continue
            m = TRAP.match(line)
            if m:
                traps += 1
                kinds.add(line.split()[4])  # mcause
                continue
            if not LINE.match(line):
                fail("malformed line: %r" % line)
            count = int(line.split()[1])
            if count != previous + 1 and previous >= 0:
                fail("instruction count jumps from %d to %d: %r" % (previous, count, line))
            previous = count
            retired += 1
    if retired != stat(stats, "core.instructions"):
        fail("%d instruction lines, %d instructions retired" % (retired, stat(stats, "core.instructions")))
    # hello takes an ecall, a timer and a software interrupt.
    for cause in ("0000000b", "80000007", "80000003"):
        if cause not in kinds:
            fail("no trap with mcause %s among %s" % (cause, sorted(kinds)))
    if last != "# end: firmware exit code 0":
        fail("last line %r" % last)
    print("instructions: %d retired, %d traps" % (retired, traps))


MMIO = re.compile(r"^mmio \d+\.\d{3} ns (read |write) 4000[0-9a-f]{4} (\S+) +=  ?[0-9a-f]{8}")


def mmio(vp, firmware, work):
    os.makedirs(work, exist_ok=True)
    st = os.path.join(work, "mmio_stats.json")
    r = run([vp, "run", "--firmware", firmware, "--trace-mmio", "-", "--stats", st])
    stats = json.load(open(st))
    lines = [l for l in r.stderr.splitlines() if l.startswith("mmio ")]
    for l in lines:
        if not MMIO.match(l):
            fail("malformed line: %r" % l)
    reads = sum(1 for l in lines if l.split()[3] == "read")
    writes = len(lines) - reads
    expected_reads = stat(stats, "register_file.register_reads")
    expected_writes = stat(stats, "register_file.register_writes")
    bad = stat(stats, "register_file.bad_accesses")
    # Every access is logged: the register file counts the well-formed ones as reads or
    # writes, and those it refuses before that (size, alignment) only as bad accesses.
    logged = reads + writes
    if not expected_reads + expected_writes <= logged <= expected_reads + expected_writes + bad:
        fail("%d reads + %d writes logged; the register file counted %d + %d and %d bad" %
             (reads, writes, expected_reads, expected_writes, bad))
    errors = sum(1 for l in lines if " error: " in l)
    if bad == 0 or errors != bad:
        fail("%d accesses logged with an error, the register file refused %d" % (errors, bad))
    if not any(re.search(r"write 40000014 DOORBELL", l) for l in lines):
        fail("no DOORBELL write logged")
    times = [float(l.split()[1]) for l in lines]
    if times != sorted(times):
        fail("times go backwards")
    print("mmio: %d reads, %d writes" % (reads, writes))


def main():
    what = sys.argv[1]
    if what == "timeline-run":
        timeline_run(*sys.argv[2:5])
    elif what == "timeline-layer":
        timeline_layer(*sys.argv[2:])
    elif what == "instructions":
        instructions(*sys.argv[2:5])
    elif what == "mmio":
        mmio(*sys.argv[2:5])
    else:
        fail("unknown check " + what)


if __name__ == "__main__":
    main()
