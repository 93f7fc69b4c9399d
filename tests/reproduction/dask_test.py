#!/usr/bin/python3
"""Tests of the reproduction drivers on a real Dask cluster (results/reproduction/cluster.py).

    /usr/bin/python3 dask_test.py --ant-vp build/ant-vp --workdir /tmp/x --case NAME
    /usr/bin/python3 dask_test.py --list

* sweep_on_cluster_equals_local_and_survives_a_killed_worker: starts `dask-scheduler` and two
  `dask-worker`s (one thread each) on 127.0.0.1, runs a two-point sweep.py through them with
  --scheduler, and SIGKILLs one worker while it runs a job. The sweep still succeeds and its
  CSV equals the same sweep run locally (no point lost: the scheduler re-ran the job); the
  killed worker's ant-vp died with it. Afterwards the cluster is shut down: no process of the
  test is left and the scheduler's port is free again.
* terminate_on_cluster_kills_its_jobs: SIGTERM to a reproduction running on the cluster: exit
  143, nothing written, and the workers kill the ant-vp processes they were running.
* unreachable_scheduler_exits_2: nothing listens at the address: exit 2, one line naming it,
  nothing written.
* malformed_scheduler_exits_2: an address without a protocol: exit 2, one line.
* progress_bar_on_a_terminal: on a terminal the run draws a tqdm bar that reaches 100 %.
"""
import fcntl
import json
import os
import pty
import signal
import socket
import struct
import subprocess
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import reproduce_test  # noqa: E402
from reproduce_test import DRIVER, PYTHON, check  # noqa: E402

SWEEP = os.path.join(ROOT, "results", "reproduction", "sweep.py")
BIN = os.path.dirname(PYTHON)  # Debian's dask-scheduler and dask-worker sit next to /usr/bin/python3
START_TIMEOUT_S = 60
# Every job is held this long before ant-vp starts, so that a worker can be caught mid-job.
JOB_DELAY_S = 0.1


def children_of(pid, named=""):
    """Pids of the live processes whose parent is pid (and whose command line has `named`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid and named in _cmdline(entry):
            found.append(int(entry))
    return found


def _cmdline(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_free(port):
    """Nothing listens on the port: a new server could listen there (SO_REUSEADDR, as servers do,
    so that connections of the old one in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
    return True


class DaskCluster:
    """dask-scheduler and n dask-workers (no nanny, so a killed worker stays dead) on 127.0.0.1."""

    def __init__(self, work, workers=2):
        self.procs = []
        self.logs = os.path.join(work, "dask-logs")
        os.makedirs(self.logs)
        info = os.path.join(work, "scheduler.json")
        self.scheduler = self._start("scheduler", [os.path.join(BIN, "dask-scheduler"), "--host", "127.0.0.1",
                                                   "--port", "0", "--no-dashboard", "--scheduler-file", info])
        deadline = time.monotonic() + START_TIMEOUT_S
        while not os.path.exists(info) and time.monotonic() < deadline and self.scheduler.poll() is None:
            time.sleep(0.1)
        check(os.path.exists(info), "dask-scheduler did not start: %s" % self.log("scheduler", 2000))
        time.sleep(0.1)  # the file is written in one go, but give the writer a moment to close it
        with open(info) as f:
            self.address = json.load(f)["address"]
        self.port = int(self.address.rsplit(":", 1)[1])
        self.workers = [self._start("worker-%d" % i, [os.path.join(BIN, "dask-worker"), self.address, "--nthreads", "1",
                                                     "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                                     "--name", "worker-%d" % i,
                                                     "--local-directory", os.path.join(work, "worker-%d" % i)])
                        for i in range(workers)]
        while time.monotonic() < deadline and self.registered() < workers:
            time.sleep(0.2)
        check(self.registered() == workers, "%d of %d workers registered: %s" % (
            self.registered(), workers, " | ".join(self.log("worker-%d" % i, 1000) for i in range(workers))))

    def _start(self, name, cmd):
        with open(os.path.join(self.logs, name + ".log"), "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.procs.append(proc)
        return proc

    def log(self, name, tail=None):
        with open(os.path.join(self.logs, name + ".log")) as f:
            text = f.read()
        return text[-tail:] if tail else text

    def registered(self):
        """Workers the scheduler's log says joined (minus those it removed)."""
        text = self.log("scheduler")
        return text.count("Register worker") - text.count("Remove worker")

    def close(self):
        """SIGTERM to the workers, then to the scheduler, SIGKILL to any still running after 20 s;
        every exit is waited for."""
        for group in (self.workers, [self.scheduler]):
            for proc in group:
                if proc.poll() is None:
                    proc.terminate()
            for proc in group:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def wrapper(c):
    """An ant-vp that waits JOB_DELAY_S, then becomes the real one (same process)."""
    path = os.path.join(c.work, "slow-start-ant-vp")
    with open(path, "w") as f:
        f.write("#!%s\nimport os, sys, time\ntime.sleep(%g)\nos.execv(%r, [%r] + sys.argv[1:])\n"
                % (PYTHON, JOB_DELAY_S, c.ant_vp, c.ant_vp))
    os.chmod(path, 0o755)
    return path


def sweep(c, out_dir, ant_vp, *extra):
    cmd = [PYTHON, SWEEP, "--sweep", "pe_array.f=2,4", "--out-dir", out_dir, "--networks", "resnet18",
           "--modes", "scnn,ant", "--memory", "ideal", "--trace-root", c.traces, "--ant-vp", ant_vp,
           "--quiet"] + list(extra)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sweep_on_cluster_equals_local_and_survives_a_killed_worker(c):
    local_dir, dask_dir = os.path.join(c.work, "local"), os.path.join(c.work, "dask")
    local = sweep(c, local_dir, c.ant_vp, "--jobs", "2")
    out, err = local.communicate()
    check(local.returncode == 0, "local sweep exit %d: %s" % (local.returncode, err))
    cluster = DaskCluster(c.work)
    try:
        proc = sweep(c, dask_dir, wrapper(c), "--scheduler", cluster.address)
        victim, orphan = cluster.workers[0], None
        deadline = time.monotonic() + 120
        while proc.poll() is None and orphan is None and time.monotonic() < deadline:
            jobs = children_of(victim.pid, named="ant-vp")
            if jobs:
                orphan = jobs[0]
                victim.send_signal(signal.SIGKILL)
            time.sleep(0.02)
        out, err = proc.communicate(timeout=180)
        check(orphan is not None, "worker 0 ran no job during the sweep: %s" % cluster.log("worker-0", 2000))
        check(victim.wait(timeout=10) == -signal.SIGKILL, "worker 0 was not killed")
        check(proc.returncode == 0, "sweep on the cluster exit %d after a worker was killed: %s"
              % (proc.returncode, err))
        check(not alive(orphan), "the killed worker's ant-vp (pid %d) still runs" % orphan)
        with open(os.path.join(local_dir, "pe_array.f.csv")) as f:
            local_csv = f.read()
        with open(os.path.join(dask_dir, "pe_array.f.csv")) as f:
            dask_csv = f.read()
        check(local_csv.count("\n") > 2, "the local sweep wrote no rows")
        check(dask_csv == local_csv, "the sweep on the cluster differs from the local one:\n%s\nvs\n%s"
              % (dask_csv, local_csv))
        check("Remove worker" in cluster.log("scheduler"), "the scheduler did not see the worker die")
    finally:
        cluster.close()
    for p in cluster.procs:
        check(p.returncode is not None, "a Dask process did not exit")
        left = children_of(p.pid)
        check(not left, "processes left behind by pid %d: %s" % (p.pid, left))
    check(port_free(cluster.port), "the scheduler's port %d is still taken" % cluster.port)


def terminate_on_cluster_kills_its_jobs(c):
    slow = os.path.join(c.work, "slow-ant-vp")
    with open(slow, "w") as f:
        f.write("#!/bin/sh\nexec sleep 120\n")
    os.chmod(slow, 0o755)
    cluster = DaskCluster(c.work)
    try:
        cmd = [PYTHON, DRIVER, "--networks", "resnet18", "--modes", "ant", "--memory", "ideal", "--trace-root",
               c.traces, "--out", c.out, "--ant-vp", slow, "--scheduler", cluster.address, "--quiet"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        jobs = []
        deadline = time.monotonic() + 60
        while len(jobs) < 2 and time.monotonic() < deadline and proc.poll() is None:
            jobs = [p for w in cluster.workers for p in children_of(w.pid, named="sleep")]
            time.sleep(0.05)
        check(len(jobs) == 2, "the workers did not start a job each within 60 s (%d running)" % len(jobs))
        proc.terminate()
        out, err = proc.communicate(timeout=30)
        check(proc.returncode == 143, "exit %d after SIGTERM, expected 143; stderr: %s" % (proc.returncode, err))
        check("no results written" in err, "stderr does not say nothing was written: %r" % err)
        check(not os.path.exists(c.out) or not os.listdir(c.out), "results were written: %s" % c.out)
        deadline = time.monotonic() + 10
        while any(alive(p) for p in jobs) and time.monotonic() < deadline:
            time.sleep(0.1)
        check(not any(alive(p) for p in jobs), "jobs still run on the workers 10 s after the driver stopped")
        check(all(w.poll() is None for w in cluster.workers), "a worker died")
    finally:
        cluster.close()


def unreachable_scheduler_exits_2(c):
    with socket.socket() as s:  # a port nothing listens on: bound here, never listened to
        s.bind(("127.0.0.1", 0))
        address = "tcp://127.0.0.1:%d" % s.getsockname()[1]
        c.expect_refusal(2, "--scheduler", address, mention=["Dask scheduler", address])


def malformed_scheduler_exits_2(c):
    c.expect_refusal(2, "--scheduler", "127.0.0.1:8786", mention=["--scheduler", "127.0.0.1:8786"])


def progress_bar_on_a_terminal(c):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal 120 wide
    cmd = [PYTHON, DRIVER, "--networks", "resnet18", "--modes", "ant", "--memory", "ideal", "--trace-root", c.traces,
           "--out", c.out, "--ant-vp", c.ant_vp, "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    text = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal's other end closed: the driver exited
            break
        if not chunk:
            break
        text += chunk
    os.close(master)
    check(proc.wait(timeout=60) == 0, "driver exit %d: %s" % (proc.returncode, text[-500:]))
    screen = text.decode(errors="replace")
    jobs = len(c.manifest()["jobs"])
    check("100%|" in screen and "%d/%d jobs" % (jobs, jobs) in screen and "done" in screen,
          "no finished tqdm bar on the terminal:\n%s" % screen[-800:])


CASES = {f.__name__: f for f in (
    sweep_on_cluster_equals_local_and_survives_a_killed_worker, terminate_on_cluster_kills_its_jobs,
    unreachable_scheduler_exits_2,
    malformed_scheduler_exits_2, progress_bar_on_a_terminal)}


if __name__ == "__main__":
    sys.exit(reproduce_test.main(CASES, __doc__))
