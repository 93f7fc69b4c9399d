"""Runs trace jobs through `ant-vp layer` on a pool of worker processes, or on a Dask cluster.

Each task is one (network, memory setting, mode, trace job); a worker thread starts one
`ant-vp layer` process for it, reads the statistics JSON it writes and keeps only the
numbers the reproduction needs. The simulations run as separate processes, so --jobs N
keeps N cores busy. Ctrl-C or a failed job stops the pool and kills what still runs.
With a Dask scheduler address the same tasks run on that cluster's workers (cluster.py).
"""
import concurrent.futures
import json
import os
import signal
import subprocess
import threading
import time

from errors import InputError, JobError
from progress import Progress

# Columns kept per job: name in the record -> path in the statistics JSON.
STATS = {
    "cycles": ("cycles",),
    "compute_cycles": ("compute_cycles",),
    "stall_cycles": ("stall_cycles",),
    "energy_pj": ("energy_pj",),
    "energy_dram_pj": ("energy", "dram_pj"),
    "products_issued": ("products_issued",),
    "products_valid": ("products_valid",),
    "products_rcp": ("products_rcp",),
    "products_rcp_scnn": ("products_rcp_scnn",),
    "rcp_avoided_vs_scnn": ("rcp_avoided_vs_scnn",),
    "dram_read_bytes": ("dram_read_bytes",),
    "dram_write_bytes": ("dram_write_bytes",),
    "wall_seconds": ("wall_seconds",),
}


class Task:
    """One ant-vp run: a trace job in one mode under one memory setting."""

    def __init__(self, network, trace_path, job, mode, memory, settings, layout="csr"):
        self.network, self.trace_path, self.job = network, trace_path, job
        self.mode, self.memory, self.settings, self.layout = mode, memory, settings, layout
        self.weight = job_weight(job)

    def label(self):
        return "%s %s %s%s (op %s, mode %s, memory %s)" % (self.network, self.job["layer"], self.job["phase"],
                                                           part_label(self.job, " part "), self.job["op"],
                                                           self.mode, self.memory)

    def command(self, ant_vp, out, stats):
        j = self.job
        cmd = [ant_vp, "layer", "--op", j["op"], "--mode", self.mode,
               "--a", os.path.join(self.trace_path, j["a"]), "--b", os.path.join(self.trace_path, j["b"]),
               "--out", out, "--stats", stats]
        if j["op"] != "spmm":
            cmd += ["--stride", "%dx%d" % tuple(j["stride"]), "--pad", "%dx%d" % tuple(j["pad"])]
        if j["op"] == "bw":
            cmd += ["--kernel", "%dx%d" % tuple(j["kernel"])]
        if j["op"] == "bd":
            cmd += ["--in", "%dx%d" % tuple(j["in"])]
        if self.layout == "smaller":
            # Gradients (dI, dW, and the FC layers' backward SPMMs) come out dense; forward
            # activations leave ReLU half zero and stay CSR.
            cmd += ["--in-format", "smaller", "--out-format", "dense" if j["phase"] in ("bd", "bw") else "csr"]
        for s in self.settings:
            cmd += ["--set", s]
        return cmd


def part_label(job, prefix=""):
    """'i/n' for a job that is row block i of n of a split SPMM (see docs/workloads.md), else ''."""
    part = job.get("part")
    return "%s%d/%d" % (prefix, part[0] + 1, part[1]) if part else ""


def job_weight(job):
    """Dense multiply-accumulates of a job plus a per-process constant: a rough cost for
    ordering (largest first, so the pool does not end on one long job) and for the ETA."""
    a, b = job["a_shape"], job["b_shape"]
    if job["op"] == "spmm":
        macs = a[0] * a[1] * b[1]
    elif job["op"] == "fw":
        macs = a[0] * b[0] * b[1] * b[2] * b[3] * a[2] * a[3]  # N K C R S H W (stride ignored)
    elif job["op"] == "bd":
        macs = a[0] * a[1] * a[2] * a[3] * b[1] * b[2] * b[3]  # N K Ho Wo C R S
    else:
        macs = b[0] * b[1] * b[2] * b[3] * a[1] * job["kernel"][0] * job["kernel"][1]  # N K Ho Wo C R S
    return macs + 2e6


def _lookup(doc, path):
    for part in path:
        doc = doc[part]
    return doc


def _kill(proc):
    # os.kill, not Popen.kill: Popen would poll (and might reap) the child that the worker
    # thread is waiting for with os.wait4. An unreaped child keeps its pid, so this is safe.
    try:
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_measured(proc, timeout):
    """stderr and CPU seconds (user + system) of a child, waited for with os.wait4 so that
    its own CPU time is known even when other processes load the machine; killed (and
    reported as failed) after timeout seconds."""
    timed_out = threading.Event()

    def expire():
        timed_out.set()
        _kill(proc)

    timer = threading.Timer(timeout, expire) if timeout else None
    if timer:
        timer.start()
    try:
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if timer:
            timer.cancel()
        proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timed_out.is_set():
        err += b"\ntimed out after %g s" % timeout
    return err, usage.ru_utime + usage.ru_stime


class Outcome:
    """What one task gave: its record (a dict) or its failure (ant-vp exit status, message),
    and the job's wall and CPU seconds."""

    def __init__(self, seconds, record=None, failure=None):
        self.seconds, self.record, self.failure = seconds, record, failure


def execute(task, index, ant_vp, workdir, timeout, launch):
    """Runs one task's `ant-vp layer` (started by launch(command), which returns the Popen, or
    None to refuse because the run is stopping: then None is returned) and reads its record."""
    out = os.path.join(workdir, "out-%d.npy" % index)
    stats = os.path.join(workdir, "stats-%d.json" % index)
    proc = launch(task.command(ant_vp, out, stats))
    if proc is None:
        return None
    t0 = time.monotonic()
    err, cpu_seconds = _wait_measured(proc, timeout)
    seconds = time.monotonic() - t0
    if os.path.exists(out):
        os.unlink(out)
    if proc.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines()
        msg = "%s: ant-vp exit %d: %s" % (task.label(), proc.returncode, lines[-1] if lines else "(no message)")
        return Outcome(seconds, failure=(proc.returncode, msg))
    rec = {"network": task.network, "layer": task.job["layer"], "phase": task.job["phase"],
           "part": part_label(task.job), "op": task.job["op"], "mode": task.mode, "memory": task.memory}
    try:
        with open(stats) as f:
            doc = json.load(f)
        os.unlink(stats)
        for name, path in STATS.items():
            rec[name] = _lookup(doc, path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        return Outcome(seconds, failure=(1, "%s: unreadable statistics %s: %s" % (task.label(), stats, e)))
    rec["cpu_seconds"] = cpu_seconds
    return Outcome(seconds, record=rec)


def conclude(records, failures, keep_going):
    """run_all's answer from the records (None where a task gave none) and failures
    ((exit status, message, task) each), or its exception."""
    refused = [m for rc, m, _ in failures if rc == 2]
    if refused:
        raise InputError(refused[0])
    if failures and not keep_going:
        raise JobError(failures[0][1])
    return [r for r in records if r is not None], [(m, t) for _, m, t in failures]


def run_all(tasks, ant_vp, workdir, jobs, keep_going=False, timeout=None, quiet=False, scheduler="local"):
    """Records (a dict per successful task, in task order) and failures ((message, task) each).

    Stops at the first failure unless keep_going; an ant-vp exit 2 (it refused its input or
    a --set key) always stops and raises InputError, a job failure raises JobError unless
    keep_going (then every task runs and the failures are returned). scheduler "local" runs
    `jobs` processes at a time on this machine; a Dask scheduler address (tcp://host:port)
    runs the tasks on that cluster's workers instead (see cluster.py)."""
    if scheduler != "local":
        import cluster  # Dask is imported only when a cluster is used (its import takes seconds)
        return cluster.run_all(tasks, ant_vp, scheduler, keep_going=keep_going, timeout=timeout, quiet=quiet)
    records = [None] * len(tasks)
    failures = []
    lock = threading.Lock()
    running = {}
    stop = threading.Event()
    progress = Progress([((t.mode, t.job["op"]), t.weight) for t in tasks], jobs, quiet=quiet)

    def halt():
        """No new job starts; the running ones are killed (their results are not wanted)."""
        with lock:
            stop.set()
            for proc in running.values():
                _kill(proc)

    def run(index):
        task = tasks[index]

        def launch(command):
            with lock:
                if stop.is_set():
                    return None
                proc = running[index] = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                                         stderr=subprocess.PIPE)
            progress.started(task.network)
            return proc

        outcome = execute(task, index, ant_vp, workdir, timeout, launch)
        if outcome is None:
            return
        with lock:
            running.pop(index, None)
            killed = stop.is_set()
        if outcome.failure:
            if killed:
                return
            with lock:
                failures.append(outcome.failure + (task,))
            if outcome.failure[0] == 2 or not keep_going:
                halt()
        records[index] = outcome.record
        progress.finished(index, outcome.seconds)

    futures = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = [pool.submit(run, i) for i in range(len(tasks))]
        for fut in concurrent.futures.as_completed(futures):
            fut.result()
    finally:
        for fut in futures:
            fut.cancel()
        halt()
        pool.shutdown(wait=True)
        progress.close()
    return conclude(records, failures, keep_going)
