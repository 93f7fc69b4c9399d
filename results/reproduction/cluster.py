"""Runs the reproduction's tasks on a Dask distributed cluster (--scheduler tcp://host:port).

Every task is submitted at once, largest first; a worker thread runs one `ant-vp layer`
process per task (runner.execute, as the local pool does) and sends back only the record,
so outputs never travel. The workers need the client's paths (the ant-vp binary and the
traces): one machine, or a shared file system. What the scheduler gives:
  * a worker that dies mid-task loses nothing: the scheduler runs the task again elsewhere
    (its ant-vp dies with it: it gets SIGKILL when the thread that started it ends);
  * a failed job, Ctrl-C or SIGTERM sets the run's stop event: queued tasks are cancelled
    and the workers kill the ant-vp processes they are running.
The tasks' code is sent by value (cloudpickle), so the workers need nothing of the
repository installed, only Debian's python3-distributed.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid

import cloudpickle
import distributed

import runner
from errors import InputError, JobError
from progress import Progress
from runner import _kill, execute

CONNECT_TIMEOUT_S = 10
# How often a worker asks the scheduler whether the run was stopped (a long poll: it returns
# at once when the stop event is set).
STOP_POLL_S = 2.0


def run_task(packed_task, index, ant_vp, timeout, stop_name):
    """On a worker: (seconds, record, failure) of one task (cloudpickled, as the workers cannot
    import its class), or None if the run was stopped before it started."""
    task = cloudpickle.loads(packed_task)
    stop = distributed.Event(stop_name)
    finished = threading.Event()

    def watch(proc):
        while not finished.is_set():
            if stop.wait(STOP_POLL_S):
                _kill(proc)
                return

    def launch(command):
        if stop.is_set():
            return None
        # setpriv (util-linux): SIGKILL to ant-vp when this worker thread ends, so a killed
        # worker leaves no simulation running.
        proc = subprocess.Popen(["setpriv", "--pdeathsig", "KILL", "--"] + command, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        threading.Thread(target=watch, args=(proc,), daemon=True).start()
        return proc

    workdir = tempfile.mkdtemp(prefix="ant-task-")
    try:
        outcome = execute(task, index, ant_vp, workdir, timeout, launch)
        return None if outcome is None else (outcome.seconds, outcome.record, outcome.failure)
    finally:
        finished.set()
        shutil.rmtree(workdir, ignore_errors=True)


def missing_paths(paths):
    """On a worker: the paths it cannot see."""
    return [p for p in paths if not os.path.exists(p)]


def connect(address):
    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as e:
        raise InputError("cannot reach the Dask scheduler at %s: %s" % (address, str(e).splitlines()[0] if str(e)
                                                                        else type(e).__name__))


def check_workers(client, address, paths):
    """At least one worker, and every worker sees the ant-vp binary and the traces."""
    workers = client.nthreads()
    if not workers:
        raise InputError("the Dask scheduler at %s has no workers" % address)
    for worker, missing in client.run(missing_paths, sorted(paths)).items():
        if missing:
            raise InputError("Dask worker %s cannot see %s (the workers need the same paths as this machine)"
                             % (worker, missing[0]))
    return sum(workers.values())


def run_all(tasks, ant_vp, address, keep_going=False, timeout=None, quiet=False):
    """runner.run_all on the cluster behind the scheduler at address."""
    for module in (runner, sys.modules[__name__]):
        cloudpickle.register_pickle_by_value(module)
    client = connect(address)
    run_id = uuid.uuid4().hex[:12]
    stop = distributed.Event("ant-reproduce-stop-" + run_id, client=client)
    futures = []
    progress = None
    try:
        threads = check_workers(client, address, {ant_vp} | {t.trace_path for t in tasks})
        if not quiet:
            print("reproduce: Dask scheduler %s: %d workers, %d threads" % (address, len(client.nthreads()), threads),
                  file=sys.stderr)
        progress = Progress([((t.mode, t.job["op"]), t.weight) for t in tasks], threads, quiet=quiet)
        for i, task in enumerate(tasks):
            futures.append(client.submit(run_task, cloudpickle.dumps(task), i, ant_vp, timeout, stop.name,
                                         key="ant-vp-%s-%d" % (run_id, i), priority=len(tasks) - i))
        index = {f.key: i for i, f in enumerate(futures)}
        records, failures = [None] * len(tasks), []
        for fut in distributed.as_completed(futures, loop=client.loop):
            i = index[fut.key]
            try:
                answer = fut.result()
            except distributed.KilledWorker:
                raise JobError("%s: the Dask workers running it died more often than the scheduler allows "
                               "(distributed.scheduler.allowed-failures)" % tasks[i].label())
            except Exception as e:  # the task's own code failed on the worker: a bug, reported as a job failure
                raise JobError("%s: failed on its Dask worker: %s: %s" % (tasks[i].label(), type(e).__name__, e))
            if answer is None:
                continue
            outcome = runner.Outcome(*answer)
            progress.started(tasks[i].network)
            if outcome.failure:
                failures.append(outcome.failure + (tasks[i],))
                if outcome.failure[0] == 2 or not keep_going:
                    break
            records[i] = outcome.record
            progress.finished(i, outcome.seconds)
    finally:
        _shut_down(client, stop, futures)
        if progress:
            progress.close()
    return runner.conclude(records, failures, keep_going)


def _shut_down(client, stop, futures):
    """Stops what still runs on the cluster (best effort: the scheduler may be gone)."""
    try:
        stop.set()
        client.cancel(futures)
    except Exception:  # noqa: BLE001 - a lost scheduler has nothing left to stop
        pass
    client.close()

