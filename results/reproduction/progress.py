"""One progress line on stderr: jobs done/total, elapsed time, ETA and the current network.

On a terminal the line is rewritten in place (at most 4 times a second); otherwise (a log
file, CI) a full line is printed every 10 seconds. The ETA weighs jobs by their estimated
cost, since the jobs of one run differ in size by orders of magnitude.
"""
import sys
import threading
import time


def _clock(seconds):
    seconds = int(round(seconds))
    if seconds >= 3600:
        return "%dh%02dm" % (seconds // 3600, seconds % 3600 // 60)
    return "%dm%02ds" % (seconds // 60, seconds % 60)


class Progress:
    def __init__(self, total_weight, total_jobs, quiet=False, stream=sys.stderr):
        self.total_weight, self.total_jobs = float(total_weight), total_jobs
        self.done_weight, self.done_jobs = 0.0, 0
        self.network = ""
        self.quiet, self.stream = quiet, stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last_print = -1e9
        self.lock = threading.Lock()
        self.printed = False

    def started(self, network):
        with self.lock:
            self.network = network
            self._show(False)

    def finished(self, weight):
        with self.lock:
            self.done_jobs += 1
            self.done_weight += weight
            self._show(self.done_jobs == self.total_jobs)

    def line(self):
        elapsed = time.monotonic() - self.start
        if self.done_weight > 0 and self.done_jobs < self.total_jobs:
            eta = "ETA %s" % _clock(elapsed * (self.total_weight - self.done_weight) / self.done_weight)
        elif self.done_jobs >= self.total_jobs:
            eta = "done"
        else:
            eta = "ETA ?"
        return "[%d/%d jobs %3.0f%%] %s elapsed, %s, %s" % (
            self.done_jobs, self.total_jobs, 100.0 * self.done_weight / max(self.total_weight, 1.0),
            _clock(elapsed), eta, self.network)

    def _show(self, force):
        if self.quiet:
            return
        now = time.monotonic()
        if not force and now - self.last_print < (0.25 if self.tty else 10.0):
            return
        self.last_print = now
        if self.tty:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
        self.printed = True

    def close(self):
        with self.lock:
            if self.tty and self.printed and not self.quiet:
                self.stream.write("\n")
                self.stream.flush()
