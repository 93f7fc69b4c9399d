"""One SWAT training iteration of a network and its trace: per layer, the operands of the FW, BD
and BW jobs as .npy files and a manifest (format: docs/workloads.md, "Trace format")."""

import json
import os
from typing import Callable, Dict, List, Optional

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from catalog import NetworkSpec
from check_trace import FORMAT, VERSION
from swat import LayerRecord, SwatRecorder


def synthetic_batch(spec: NetworkSpec, batch: int, seed: int):
    """Normalised-image-like inputs (standard normal) and uniform labels, from their own
    generator so that the batch does not depend on how the model consumed random numbers."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn((batch,) + tuple(spec.input_chw), generator=generator)
    labels = torch.randint(spec.num_classes, (batch,), generator=generator)
    return images, labels


def build_model(spec: NetworkSpec, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    model = spec.build()
    model.train()  # a training iteration: BN on batch statistics, dropout active
    return model


def run_iteration(model: nn.Module, images: torch.Tensor, labels: torch.Tensor,
                  recorder: SwatRecorder) -> List[LayerRecord]:
    """Forward, cross-entropy loss, backward; returns the layers in execution order."""
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    missing = [r.name for r in recorder.records if r.d_out is None]
    if missing:
        raise RuntimeError(f"no output gradient reached layer(s) {', '.join(missing)}")
    return recorder.records


def _density(array: np.ndarray) -> float:
    return round(float(np.count_nonzero(array)) / array.size, 6)


def _as_f32(tensor: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(tensor.detach().cpu().numpy(), dtype=np.float32)


def layer_operands(record: LayerRecord) -> Dict[str, np.ndarray]:
    """The arrays a layer's jobs read, keyed by file role."""
    arrays = {"a_fw": _as_f32(record.a_fw), "w": _as_f32(record.w),
              "a_bw": _as_f32(record.a_bw), "dO": _as_f32(record.d_out)}
    if record.kind == "fc":
        # The accelerator keeps SPMM's B stationary in the image buffer, so the small,
        # batch-wide operand is B: out^T = W A^T, dA^T = W^T dO^T, dW = dO^T A.
        arrays["w_t"] = np.ascontiguousarray(arrays["w"].T)
        arrays["dO_t"] = np.ascontiguousarray(arrays["dO"].T)
        arrays["a_fw_t"] = np.ascontiguousarray(arrays["a_fw"].T)
    return arrays


# An SPMM job's A operand streams through the 512 KiB kernel buffer as one plane, and its
# output (A's rows x B's columns) is one plane of the 640 KiB accumulator and output buffers
# (the default configuration); larger FC jobs are cut into row blocks of A (separate jobs)
# that fit both.
SPMM_A_BUDGET_BYTES = 384 * 1024
SPMM_OUTPUT_BUDGET_BYTES = 640 * 1024


def row_blocks(matrix: np.ndarray, budget: int = SPMM_A_BUDGET_BYTES, out_cols: int = 1,
               out_budget: int = SPMM_OUTPUT_BUDGET_BYTES) -> List[tuple]:
    """[r0, r1) row ranges of a 2-D matrix whose CSR (row pointers, u16 columns, f32 values)
    stays within `budget` bytes and whose output rows (out_cols wide, dense f32 or worst-case
    CSR) stay within `out_budget`; one block if the whole matrix fits."""
    nnz = np.count_nonzero(matrix, axis=1)
    max_rows = max(1, (out_budget - 4) // (6 * out_cols + 4))
    blocks, start, size = [], 0, 4
    for r, count in enumerate(nnz):
        row = 4 + 6 * int(count) + 4
        if r > start and (size + row > budget or r - start >= max_rows):
            blocks.append((start, r))
            start, size = r, 4
        size += row
    blocks.append((start, matrix.shape[0]))
    return blocks


def layer_entry(record: LayerRecord, arrays: Dict[str, np.ndarray]) -> dict:
    entry = {"name": record.name, "type": record.kind, "first": record.first,
             "in_shape": list(arrays["a_fw"].shape), "out_shape": list(record.out_shape)}
    if record.kind == "conv":
        g = record.geometry
        entry.update(kernel=list(arrays["w"].shape[2:]), stride=list(g.stride),
                     padding=list(g.padding), groups=g.groups)
    entry["density"] = {role: _density(arrays[role]) for role in ("w", "a_fw", "a_bw", "dO")}
    return entry


def layer_jobs(record: LayerRecord, files: Dict[str, str], arrays: Dict[str, np.ndarray]) -> List[dict]:
    """FW, BD (not for the first layer: nothing needs the image's gradient) and BW jobs in the
    operand order `ant-vp layer` takes."""
    def job(phase, op, a, b, **extra):
        return dict(layer=record.name, phase=phase, op=op, a=files[a], b=files[b],
                    a_shape=list(arrays[a].shape), b_shape=list(arrays[b].shape), **extra)

    if record.kind == "conv":
        g = record.geometry
        conv = dict(stride=list(g.stride), pad=list(g.padding))
        jobs = [job("fw", "fw", "a_fw", "w", **conv)]
        if not record.first:
            jobs.append(job("bd", "bd", "dO", "w", **conv, **{"in": list(arrays["a_fw"].shape[2:])}))
        jobs.append(job("bw", "bw", "a_bw", "dO", **conv, kernel=list(arrays["w"].shape[2:])))
    else:
        jobs = [job("fw", "spmm", "w", "a_fw_t")]
        if not record.first:
            jobs.append(job("bd", "spmm", "w_t", "dO_t"))
        jobs.append(job("bw", "spmm", "dO_t", "a_bw"))
    return jobs


def split_spmm_jobs(jobs: List[dict], directory: str) -> List[dict]:
    """Cuts SPMM jobs whose A operand would not fit the kernel buffer into row-block jobs
    (`part` [i, parts], files `<a>.partI.npy`, `a_whole` the uncut file); the parts together
    are the layer's job."""
    out = []
    for job in jobs:
        if job["op"] != "spmm":
            out.append(job)
            continue
        a = np.load(os.path.join(directory, job["a"]))
        blocks = row_blocks(a, out_cols=job["b_shape"][1])
        if len(blocks) == 1:
            out.append(job)
            continue
        for i, (r0, r1) in enumerate(blocks):
            name = f"{job['a'][:-len('.npy')]}.part{i}.npy"
            if not os.path.exists(os.path.join(directory, name)):
                np.save(os.path.join(directory, name), np.ascontiguousarray(a[r0:r1]))
            out.append(dict(job, a=name, a_shape=[r1 - r0, a.shape[1]], part=[i, len(blocks)], a_whole=job["a"]))
    return out


def write_trace(directory: str, spec: NetworkSpec, batch: int, density: float, seed: int,
                records: List[LayerRecord],
                progress: Optional[Callable[[int, int], None]] = None) -> dict:
    """Writes every operand file and, last, manifest.json (complete: true) into `directory`."""
    layers, jobs = [], []
    for index, record in enumerate(records):
        arrays = layer_operands(record)
        files = {}
        for role, array in arrays.items():
            if record.first and role == "a_bw":
                continue  # the first layer is dense: BW reads the FW activation file
            files[role] = f"{record.name}.{role}.npy"
            np.save(os.path.join(directory, files[role]), array)
        if record.first:
            files["a_bw"] = files["a_fw"]
        layers.append(layer_entry(record, arrays))
        jobs.extend(split_spmm_jobs(layer_jobs(record, files, arrays), directory))
        if progress:
            progress(index + 1, len(records))
    manifest = {
        "format": FORMAT, "version": VERSION, "network": spec.name, "dataset": spec.dataset,
        "batch": batch, "density": density, "seed": seed,
        "input_shape": [batch] + list(spec.input_chw),
        "torch_version": torch.__version__, "complete": True,
        "layers": layers, "jobs": jobs,
    }
    with open(os.path.join(directory, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
        out.write("\n")
    return manifest
