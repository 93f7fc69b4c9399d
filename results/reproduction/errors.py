"""The two ways a reproduction run ends early, with the driver's exit status for each."""


class InputError(Exception):
    """Bad command line, trace or environment: one line on stderr, exit 2, nothing written."""

    exit_status = 2


class JobError(Exception):
    """An `ant-vp layer` job failed (or an export failed): one line naming it, exit 1."""

    exit_status = 1


class Terminated(BaseException):
    """SIGTERM, handled like Ctrl-C: running child processes are stopped, nothing written."""


def raise_terminated(signum, frame):
    """SIGTERM handler (signal.signal(signal.SIGTERM, raise_terminated))."""
    raise Terminated()
