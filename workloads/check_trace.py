#!/usr/bin/python3
"""Validates a SWAT trace directory: manifest fields, every file present, file shapes equal to
the manifest's and consistent with each layer's geometry (convolution arithmetic).

Library: `check_trace(directory) -> Optional[str]` returns None or a one-line error.
`check_trace(directory, data=True)` also reads every operand (finite, densities as recorded).
Command line: `check_trace.py [--data] DIR...` prints `ok DIR` per trace, or the error on stderr
and exits 2.
Needs numpy only.
"""

import json
import math
import os
import sys
from typing import Optional

import numpy as np

FORMAT = "ant-swat-trace"
VERSION = 1
DATASETS = ("cifar10", "imagenet")
DENSITY_ROLES = ("w", "a_fw", "a_bw", "dO")


def trace_name(network: str, batch: int, density: float, seed: int) -> str:
    """The trace's directory name under the trace root."""
    return f"{network}-b{batch}-d{density:g}-s{seed}"


class TraceError(Exception):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TraceError(message)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ints(value, length: int, what: str, minimum: int = 0) -> list:
    _require(isinstance(value, list) and len(value) == length
             and all(_is_int(v) and v >= minimum for v in value),
             f"{what} must be a list of {length} integers >= {minimum}, got {value!r}")
    return value


def _npy_header(path: str, what: str):
    """(shape, dtype, fortran_order) from the .npy header alone (no data read)."""
    try:
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                return np.lib.format.read_array_header_1_0(f)
            if version == (2, 0):
                return np.lib.format.read_array_header_2_0(f)
            raise TraceError(f"{what}: unsupported .npy version {version}")
    except FileNotFoundError:
        raise TraceError(f"{what}: missing file {path}")
    except (OSError, ValueError) as e:
        raise TraceError(f"{what}: {path} is not a readable .npy file ({e})")


def _check_file(directory: str, job: dict, role: str, what: str) -> None:
    relative = job.get(role)
    _require(isinstance(relative, str) and relative and not os.path.isabs(relative)
             and ".." not in relative.split("/"), f"{what}: '{role}' must be a relative file name, got {relative!r}")
    declared = job.get(role + "_shape")
    _require(isinstance(declared, list), f"{what}: '{role}_shape' missing")
    path = os.path.join(directory, relative)
    shape, fortran, dtype = _npy_header(path, what)
    _require(dtype == np.dtype("<f4"), f"{what}: {relative} holds {dtype}, not float32")
    _require(not fortran or len(shape) < 2, f"{what}: {relative} is not in C order")
    _require(list(shape) == declared, f"{what}: {relative} has shape {list(shape)}, manifest says {declared}")
    size = os.path.getsize(path)
    _require(size >= 4 * math.prod(shape), f"{what}: {relative} is truncated ({size} bytes)")


def _conv_out(size: int, kernel: int, stride: int, pad: int) -> int:
    return (size + 2 * pad - kernel) // stride + 1


def _check_layer(layer: dict, batch: int) -> None:
    name = layer.get("name")
    _require(isinstance(name, str) and name, f"layer without a name: {layer!r}"[:200])
    what = f"layer {name}"
    kind = layer.get("type")
    _require(kind in ("conv", "fc"), f"{what}: type must be conv or fc, got {kind!r}")
    _require(isinstance(layer.get("first"), bool), f"{what}: 'first' must be true or false")
    rank = 4 if kind == "conv" else 2
    in_shape = _ints(layer.get("in_shape"), rank, f"{what}: in_shape", 1)
    out_shape = _ints(layer.get("out_shape"), rank, f"{what}: out_shape", 1)
    _require(in_shape[0] == batch and out_shape[0] == batch, f"{what}: batch of in/out shapes is not {batch}")
    if kind == "conv":
        r, s = _ints(layer.get("kernel"), 2, f"{what}: kernel", 1)
        sh, sw = _ints(layer.get("stride"), 2, f"{what}: stride", 1)
        ph, pw = _ints(layer.get("padding"), 2, f"{what}: padding", 0)
        groups = layer.get("groups")
        _require(_is_int(groups) and groups >= 1 and in_shape[1] % groups == 0 and out_shape[1] % groups == 0,
                 f"{what}: groups {groups!r} does not divide the channels")
        expected = [_conv_out(in_shape[2], r, sh, ph), _conv_out(in_shape[3], s, sw, pw)]
        _require(out_shape[2:] == expected,
                 f"{what}: out_shape {out_shape} does not follow from in_shape {in_shape}, kernel {[r, s]}, "
                 f"stride {[sh, sw]}, padding {[ph, pw]} (expected spatial {expected})")
    density = layer.get("density")
    _require(isinstance(density, dict) and all(
        isinstance(density.get(k), (int, float)) and 0 <= density[k] <= 1 for k in DENSITY_ROLES),
        f"{what}: density must give {', '.join(DENSITY_ROLES)} in [0, 1]")


def _expected_jobs(layer: dict) -> dict:
    """phase -> (op, a_shape, b_shape, extra fields) for a layer, from its geometry."""
    n, c = layer["in_shape"][:2]
    k = layer["out_shape"][1]
    if layer["type"] == "conv":
        kernel = layer["kernel"]
        weight = [k, c // layer["groups"]] + kernel
        conv = {"stride": layer["stride"], "pad": layer["padding"]}
        jobs = {"fw": ("fw", layer["in_shape"], weight, conv),
                "bd": ("bd", layer["out_shape"], weight, dict(conv, **{"in": layer["in_shape"][2:]})),
                "bw": ("bw", layer["in_shape"], layer["out_shape"], dict(conv, kernel=kernel))}
    else:
        jobs = {"fw": ("spmm", [k, c], [c, n], {}),
                "bd": ("spmm", [c, k], [k, n], {}),
                "bw": ("spmm", [k, n], [n, c], {})}
    if layer["first"]:
        del jobs["bd"]
    return jobs


def _check_manifest(manifest: dict) -> None:
    _require(isinstance(manifest, dict), "manifest.json is not a JSON object")
    _require(manifest.get("format") == FORMAT, f"format is {manifest.get('format')!r}, not {FORMAT!r}")
    _require(manifest.get("version") == VERSION, f"version {manifest.get('version')!r} is not {VERSION}")
    _require(manifest.get("complete") is True, "trace is not complete (complete is not true)")
    _require(isinstance(manifest.get("network"), str) and manifest["network"], "network missing")
    _require(manifest.get("dataset") in DATASETS, f"dataset {manifest.get('dataset')!r} is not one of {DATASETS}")
    batch = manifest.get("batch")
    _require(_is_int(batch) and batch >= 1, f"batch {batch!r} is not a positive integer")
    density = manifest.get("density")
    _require(isinstance(density, (int, float)) and not isinstance(density, bool) and 0 < density <= 1,
             f"density {density!r} is outside (0, 1]")
    _require(_is_int(manifest.get("seed")), "seed missing or not an integer")
    input_shape = _ints(manifest.get("input_shape"), 4, "input_shape", 1)
    _require(input_shape[0] == batch, f"input_shape {input_shape} does not start with the batch {batch}")
    layers, jobs = manifest.get("layers"), manifest.get("jobs")
    _require(isinstance(layers, list) and layers, "layers missing or empty")
    _require(isinstance(jobs, list), "jobs missing")


# Where each measured density's operand sits: (phase, file role) for conv and for FC layers.
DENSITY_SOURCES = {
    "conv": {"a_fw": ("fw", "a"), "w": ("fw", "b"), "a_bw": ("bw", "a"), "dO": ("bw", "b")},
    "fc": {"a_fw": ("fw", "b"), "w": ("fw", "a"), "a_bw": ("bw", "b"), "dO": ("bw", "a")},
}


def _check_data(directory: str, layers: dict, jobs: dict) -> None:
    """Reads every operand: all values finite, and the manifest's densities those of the files."""
    finite = {}
    for name, layer in layers.items():
        for role, (phase, side) in DENSITY_SOURCES[layer["type"]].items():
            relative = jobs[(name, phase)][side]
            array = np.load(os.path.join(directory, relative), mmap_mode="r")
            if relative not in finite:
                finite[relative] = bool(np.isfinite(array).all())
                _require(finite[relative], f"{relative} holds NaN or infinite values")
            measured = np.count_nonzero(array) / array.size
            _require(abs(measured - layer["density"][role]) <= 1e-5,
                     f"layer {name}: density {role} is {layer['density'][role]} in the manifest, "
                     f"{measured:.6f} in {relative}")


def check_trace(directory: str, data: bool = False) -> Optional[str]:
    """None when the trace at `directory` is valid, else a one-line description of the first fault.
    Reads the manifest and the .npy headers; with `data`, every operand too (finite values,
    densities as the manifest says)."""
    path = os.path.join(directory, "manifest.json")
    try:
        _require(os.path.isdir(directory), "no such trace directory")
        try:
            with open(path) as f:
                manifest = json.load(f)
        except FileNotFoundError:
            raise TraceError("manifest.json missing")
        except (OSError, ValueError) as e:
            raise TraceError(f"manifest.json unreadable: {e}")
        _check_manifest(manifest)
        layers = {}
        for layer in manifest["layers"]:
            _require(isinstance(layer, dict), "a layer entry is not an object")
            _check_layer(layer, manifest["batch"])
            _require(layer["name"] not in layers, f"layer {layer['name']} listed twice")
            layers[layer["name"]] = layer
        firsts = [name for name, layer in layers.items() if layer["first"]]
        _require(len(firsts) == 1, f"exactly one layer must be first, found {len(firsts)}")
        seen, parts = {}, {}
        for job in manifest["jobs"]:
            _require(isinstance(job, dict), "a job entry is not an object")
            layer = layers.get(job.get("layer"))
            _require(layer is not None, f"job names unknown layer {job.get('layer')!r}")
            phase = job.get("phase")
            what = f"layer {layer['name']} {phase} job"
            expected = _expected_jobs(layer)
            _require(phase in ("fw", "bd", "bw"), f"{what}: phase must be fw, bd or bw")
            _require(phase in expected, f"{what}: the first layer has no bd job")
            op, a_shape, b_shape, extra = expected[phase]
            _require(job.get("op") == op, f"{what}: op {job.get('op')!r}, expected {op!r}")
            part = job.get("part")
            if part is None:
                _require((layer["name"], phase) not in seen and (layer["name"], phase) not in parts,
                         f"{what}: listed twice")
                seen[(layer["name"], phase)] = job
                _require(job.get("a_shape") == a_shape, f"{what}: a_shape {job.get('a_shape')} does not match the layer (expected {a_shape})")
            else:
                # An SPMM job cut into row blocks of A: the parts' rows add up to A's.
                _require(op == "spmm" and isinstance(part, list) and len(part) == 2 and all(map(_is_int, part))
                         and 0 <= part[0] < part[1], f"{what}: part {part!r} is not [index, parts] of an spmm job")
                _require((layer["name"], phase) not in seen, f"{what}: listed twice")
                _require(isinstance(job.get("a_whole"), str), f"{what}: a part names no a_whole file")
                entry = parts.setdefault((layer["name"], phase),
                                         {"parts": part[1], "seen": set(), "rows": 0, "job": dict(job, a=job["a_whole"])})
                _require(entry["parts"] == part[1] and part[0] not in entry["seen"], f"{what}: part {part} repeated or inconsistent")
                entry["seen"].add(part[0])
                shape = job.get("a_shape")
                _require(isinstance(shape, list) and len(shape) == 2 and shape[1] == a_shape[1] and _is_int(shape[0])
                         and shape[0] >= 1, f"{what}: a_shape {shape} is not a row block of {a_shape}")
                entry["rows"] += shape[0]
            _require(job.get("b_shape") == b_shape, f"{what}: b_shape {job.get('b_shape')} does not match the layer (expected {b_shape})")
            for key, value in extra.items():
                _require(job.get(key) == value, f"{what}: {key} {job.get(key)!r}, expected {value}")
            _check_file(directory, job, "a", what)
            _check_file(directory, job, "b", what)
        for (name, phase), entry in parts.items():
            rows = _expected_jobs(layers[name])[phase][1][0]
            _require(len(entry["seen"]) == entry["parts"] and entry["rows"] == rows,
                     f"layer {name}: {phase} parts cover {entry['rows']} of {rows} rows in {len(entry['seen'])} of {entry['parts']} parts")
            seen[(name, phase)] = entry["job"]
        for name, layer in layers.items():
            for phase in _expected_jobs(layer):
                _require((name, phase) in seen, f"layer {name}: {phase} job missing")
        if data:
            _check_data(directory, layers, seen)
    except TraceError as e:
        return f"trace {directory}: {e}"
    return None


def main(argv) -> int:
    data = "--data" in argv
    directories = [a for a in argv if a != "--data"]
    if not directories or directories[0] in ("-h", "--help"):
        print("usage: check_trace.py [--data] TRACE_DIR...  (--data: read every operand too)", file=sys.stderr)
        return 0 if directories else 2
    for directory in directories:
        error = check_trace(directory, data)
        if error:
            print(f"check_trace: {error}", file=sys.stderr)
            return 2
        print(f"ok {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
