#!/usr/bin/python3
"""Exports a SWAT training-iteration trace of one network (see docs/workloads.md).

    /usr/bin/python3 workloads/export_trace.py --network resnet18 [--batch 1] [--density 0.1]
        [--seed 0] [--out build/traces] [--force]

The trace goes to OUT/<network>-b<batch>-d<density>-s<seed>/. A complete, valid trace already
there is reused unless --force. It is written into a temporary directory and renamed, so a
trace directory is either complete or absent. Progress goes to stderr, a summary to stdout.
Exit status 0 success, 2 bad option or unwritable output (one line on stderr), 1 failure.
"""

import argparse
import math
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.join(os.path.dirname(HERE), "build", "traces")
PROG = "export_trace"


def fail(message: str, status: int = 2):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(status)


def progress(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):
        fail(message)


def integer_at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not an integer")
        if not low <= value < 2 ** 63:
            raise argparse.ArgumentTypeError(f"{value} is outside [{low}, 2^63)")
        return value
    return parse


def density_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number")
    if not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise argparse.ArgumentTypeError(f"{text} is outside (0, 1]")
    return value


def parse_args(argv, network_names):
    parser = OneLineParser(prog=PROG, description="Export a SWAT trace (FW/BD/BW operands of every conv and FC layer).")
    parser.add_argument("--network", help="one of " + ", ".join(network_names))
    parser.add_argument("--batch", type=integer_at_least(1), default=1, help="batch size (default 1)")
    parser.add_argument("--density", type=density_value, default=0.1,
                        help="share of weights and saved activations SWAT keeps, in (0, 1] (default 0.1)")
    parser.add_argument("--seed", type=integer_at_least(0), default=0, help="seed of the weights and the batch (default 0)")
    parser.add_argument("--out", default=DEFAULT_ROOT, help="trace root (default build/traces of the repository)")
    parser.add_argument("--force", action="store_true", help="re-export even if a complete trace exists")
    parser.add_argument("--list", action="store_true", help="list the networks and exit")
    args = parser.parse_args(argv)
    if not args.list:
        if args.network is None:
            fail("--network is required (one of " + ", ".join(network_names) + ")")
        if args.network not in network_names:
            fail(f"unknown network '{args.network}' (one of {', '.join(network_names)})")
    return args


def summarise(directory: str, manifest: dict, seconds, reused: bool) -> None:
    layers, jobs = manifest["layers"], manifest["jobs"]
    convs = sum(1 for layer in layers if layer["type"] == "conv")
    size = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory))
    how = "reused" if reused else f"exported in {seconds:.1f} s"
    print(f"trace {directory} ({how})")
    print(f"network {manifest['network']} ({manifest['dataset']}), batch {manifest['batch']}, "
          f"density {manifest['density']:g}, seed {manifest['seed']}: {len(layers)} layers "
          f"({convs} conv, {len(layers) - convs} fc), {len(jobs)} jobs, {size / 1e6:.1f} MB")
    sparse = [layer for layer in layers if not layer["first"]]
    for role in ("w", "a_fw", "a_bw", "dO"):
        values = [layer["density"][role] for layer in sparse] or [layer["density"][role] for layer in layers]
        print(f"  density {role:4s} min {min(values):.3f}  mean {sum(values) / len(values):.3f}  max {max(values):.3f}"
              f"  (non-first layers)")
    first = next(layer for layer in layers if layer["first"])
    print(f"  first layer {first['name']} (dense): w {first['density']['w']:.3f}, a_fw {first['density']['a_fw']:.3f}")


def prepare_root(root: str) -> None:
    try:
        os.makedirs(root, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".probe-", dir=root)
        os.rmdir(probe)
    except OSError as e:
        fail(f"cannot write to trace root '{root}': {e.strerror or e}")


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def install(temporary: str, final: str) -> None:
    """Renames the finished temporary directory to its final name, replacing a stale trace."""
    stale = None
    if os.path.exists(final):
        stale = tempfile.mkdtemp(prefix=".stale-", dir=os.path.dirname(final))
        os.rename(final, os.path.join(stale, "trace"))
    os.rename(temporary, final)
    if stale:
        shutil.rmtree(stale, ignore_errors=True)


def main(argv) -> int:
    from catalog import NETWORKS
    args = parse_args(argv, list(NETWORKS))
    if args.list:
        for spec in NETWORKS.values():
            print(f"{spec.name:12s} {spec.dataset:9s} {'x'.join(map(str, spec.input_chw)):10s} {spec.description}")
        return 0
    from check_trace import check_trace, trace_name
    import json

    spec = NETWORKS[args.network]
    root = os.path.abspath(args.out)
    prepare_root(root)
    final = os.path.join(root, trace_name(spec.name, args.batch, args.density, args.seed))
    if os.path.exists(final) and not args.force:
        error = check_trace(final)
        if error is None:
            with open(os.path.join(final, "manifest.json")) as f:
                manifest = json.load(f)
            asked = dict(network=spec.name, batch=args.batch, density=args.density, seed=args.seed)
            if all(manifest[key] == value for key, value in asked.items()):
                summarise(final, manifest, None, reused=True)
                return 0
            error = "its parameters differ from the request (density beyond 6 digits?)"
        progress(f"existing trace {final} is not usable, re-exporting: {error}")

    started = time.monotonic()
    temporary = tempfile.mkdtemp(prefix=f".tmp-{os.path.basename(final)}-", dir=root)
    try:
        os.chmod(temporary, 0o777 & ~current_umask())  # mkdtemp's 0700 is for the probe, not the trace
        manifest = export(spec, args, temporary)
        error = check_trace(temporary)
        if error:
            raise RuntimeError(f"exported trace fails validation: {error}")
        install(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    summarise(final, manifest, time.monotonic() - started, reused=False)
    return 0


def export(spec, args, directory: str) -> dict:
    import torch
    from swat import SwatRecorder
    from swat_trace import build_model, synthetic_batch, run_iteration, write_trace

    torch.set_grad_enabled(True)
    label = f"{spec.name} batch {args.batch} density {args.density:g} seed {args.seed}"
    progress(f"{label}: building the model")
    model = build_model(spec, args.seed)
    images, labels = synthetic_batch(spec, args.batch, args.seed)
    recorder = SwatRecorder(model, args.density)
    progress(f"{label}: forward and backward pass with SWAT top-K")
    records = run_iteration(model, images, labels, recorder)
    recorder.remove()
    step = max(1, len(records) // 10)

    def report(done, total):
        if done % step == 0 or done == total:
            progress(f"{label}: wrote {done}/{total} layers")
    return write_trace(directory, spec, args.batch, args.density, args.seed, records, report)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as e:
        fail(f"{e.strerror or e}: {e.filename}" if getattr(e, "filename", None) else str(e), status=1)
    except Exception as e:  # the export failed; nothing was installed (see main)
        fail(f"export failed: {type(e).__name__}: {e}", status=1)
