"""Progress on stderr: jobs done/total, elapsed time, ETA and the current network.

On a terminal it is a tqdm progress bar redrawn in place (at most 4 times a second);
otherwise (a log file, CI) a full line is printed every 10 seconds. The jobs of one run
differ in cost by orders of magnitude, so the ETA predicts each remaining job from its
estimated size times the seconds per unit of size measured so far on finished jobs of the
same kind (mode and op), or of any kind until one of that kind has finished.
"""
import collections
import sys
import threading
import time


def _clock(seconds):
    seconds = int(round(seconds))
    if seconds >= 3600:
        return "%dh%02dm" % (seconds // 3600, seconds % 3600 // 60)
    return "%dm%02ds" % (seconds // 60, seconds % 60)


class Progress:
    def __init__(self, jobs, parallel, quiet=False, stream=sys.stderr):
        """jobs: (kind, size) of every job; parallel: how many run at once."""
        self.jobs, self.parallel = list(jobs), max(1, parallel)
        self.total_jobs = len(self.jobs)
        self.done = set()
        self.seconds = collections.Counter()  # kind -> job seconds measured
        self.size = collections.Counter()     # kind -> size of those jobs
        self.network = ""
        self.quiet, self.stream = quiet, stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last_print = -1e9
        self.lock = threading.Lock()
        self.bar = None
        if self.tty and not quiet:
            from tqdm import tqdm
            self.bar = tqdm(total=self.total_jobs, file=stream, dynamic_ncols=True, leave=True,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} jobs, {elapsed} elapsed{postfix}")

    def started(self, network):
        with self.lock:
            self.network = network
            self._show(False)

    def finished(self, index, seconds):
        with self.lock:
            self.done.add(index)
            kind, size = self.jobs[index]
            self.seconds[kind] += seconds
            self.size[kind] += size
            self._show(len(self.done) == self.total_jobs)

    def _eta(self):
        total_size = sum(self.size.values())
        if not total_size:
            return None
        overall = sum(self.seconds.values()) / total_size
        left = sum(size * (self.seconds[kind] / self.size[kind] if self.size[kind] else overall)
                   for i, (kind, size) in enumerate(self.jobs) if i not in self.done)
        return left / self.parallel

    def _eta_text(self):
        if len(self.done) >= self.total_jobs:
            return "done"
        left = self._eta()
        return "ETA ?" if left is None else "ETA %s" % _clock(left)

    def line(self):
        elapsed = time.monotonic() - self.start
        return "[%d/%d jobs] %s elapsed, %s, %s" % (len(self.done), self.total_jobs, _clock(elapsed), self._eta_text(),
                                                   self.network)

    def _show(self, force):
        if self.quiet:
            return
        now = time.monotonic()
        if not force and now - self.last_print < (0.25 if self.tty else 10.0):
            return
        self.last_print = now
        if self.bar is not None:
            self.bar.n = len(self.done)
            self.bar.set_postfix_str("%s, %s" % (self._eta_text(), self.network), refresh=False)
            self.bar.refresh()
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self):
        with self.lock:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
