"""SWAT's sparsification (Raihan & Aamodt, NeurIPS 2020) applied to a PyTorch model via hooks.

Per convolution and fully connected layer, as SWAT's CustomConv2d / CustomLinear do it:
* forward:  out = layer(A, topK(W))   A as the previous layers leave it (ReLU zeros only)
* backward: dA  = layer_input_grad(dO, topK(W))   dO dense (SWAT never sparsifies it)
            dW  = layer_weight_grad(topK(A), dO)  handed to the dense W unmasked
* the network's first layer keeps W and A dense (SWAT's `sparsify_first_layer: False`); the
  last FC layer is sparsified (`sparsify_last_layer: True`); BN parameters and biases are dense.
topK keeps exactly K = round(density * numel) entries of the whole tensor (batch included) with
the largest magnitudes; equal magnitudes are broken towards the lower flat index, so the result
is deterministic. (SWAT keeps ceil(density*numel) and every entry tied with the K-th.)

`SwatRecorder` installs the hooks and records, per layer, the operands each job used.
"""

import math
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
import torch.nn.grad as conv_grad


def topk_count(numel: int, density: float) -> int:
    """K = density * numel rounded half up, at least 1 (density is in (0, 1])."""
    if not 0.0 < density <= 1.0:
        raise ValueError(f"density {density} is outside (0, 1]")
    return max(1, min(numel, math.floor(density * numel + 0.5)))


def topk_mask(tensor: torch.Tensor, density: float) -> torch.Tensor:
    """Boolean mask of the K largest magnitudes; ties go to the lower flat index."""
    magnitude = tensor.detach().reshape(-1).abs().cpu().numpy()
    if not np.isfinite(magnitude).all():
        raise ValueError("top-K of a tensor with NaN or infinite entries")
    n = magnitude.size
    k = topk_count(n, density)
    if k == n:
        mask = np.ones(n, dtype=bool)
    else:
        # Selection, not a sort: the K-th largest magnitude in linear time; everything above it
        # is kept, and of the entries equal to it the lowest-indexed ones fill up to K.
        threshold = np.partition(magnitude, n - k)[n - k]
        mask = magnitude > threshold
        ties = np.flatnonzero(magnitude == threshold)[:k - int(np.count_nonzero(mask))]
        mask[ties] = True
    return torch.from_numpy(mask).reshape(tensor.shape).to(tensor.device)


def keep_topk(tensor: torch.Tensor, density: float) -> torch.Tensor:
    """A copy of `tensor` with all but its K largest-magnitude entries zeroed."""
    return torch.where(topk_mask(tensor, density), tensor.detach(), torch.zeros((), dtype=tensor.dtype))


@dataclass
class ConvGeometry:
    stride: Tuple[int, int]
    padding: Tuple[int, int]
    dilation: Tuple[int, int]
    groups: int


class _SwatConv2d(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, weight, bias, w_sparse, a_sparse, geometry: ConvGeometry):
        ctx.save_for_backward(a_sparse, w_sparse)
        ctx.geometry = geometry
        ctx.a_shape = a.shape
        ctx.has_bias = bias is not None
        return F.conv2d(a, w_sparse, bias, geometry.stride, geometry.padding, geometry.dilation,
                        geometry.groups)

    @staticmethod
    def backward(ctx, d_out):
        a_sparse, w_sparse = ctx.saved_tensors
        g = ctx.geometry
        d_out = d_out.contiguous()
        d_a = None
        if ctx.needs_input_grad[0]:
            d_a = conv_grad.conv2d_input(ctx.a_shape, w_sparse, d_out, g.stride, g.padding,
                                         g.dilation, g.groups)
        d_w = conv_grad.conv2d_weight(a_sparse, w_sparse.shape, d_out, g.stride, g.padding,
                                      g.dilation, g.groups)
        d_bias = d_out.sum((0, 2, 3)) if ctx.has_bias else None
        return d_a, d_w, d_bias, None, None, None


class _SwatLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, weight, bias, w_sparse, a_sparse):
        ctx.save_for_backward(a_sparse, w_sparse)
        ctx.has_bias = bias is not None
        return F.linear(a, w_sparse, bias)

    @staticmethod
    def backward(ctx, d_out):
        a_sparse, w_sparse = ctx.saved_tensors
        d_a = d_out @ w_sparse if ctx.needs_input_grad[0] else None
        d_w = d_out.t() @ a_sparse
        d_bias = d_out.sum(0) if ctx.has_bias else None
        return d_a, d_w, d_bias, None, None


@dataclass
class LayerRecord:
    """One layer's SWAT operands from one iteration (float32 tensors, detached)."""
    name: str
    kind: str                               # "conv" | "fc"
    first: bool
    a_fw: torch.Tensor                      # input as the layer saw it
    w: torch.Tensor                         # top-K weight used by FW and BD
    a_bw: torch.Tensor                      # top-K input saved for BW
    out_shape: Tuple[int, ...]
    geometry: Optional[ConvGeometry] = None
    d_out: Optional[torch.Tensor] = None    # output gradient, filled in by backward


def _pair(value) -> Tuple[int, int]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def sparse_layers(model: nn.Module) -> List[Tuple[str, nn.Module]]:
    """The layers SWAT sparsifies: every Conv2d and Linear, by module name."""
    return [(name, m) for name, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


class SwatRecorder:
    """Replaces each conv/FC layer's output with SWAT's (a forward hook; the module's own dense
    result is discarded) and records the operands of its FW, BD and BW jobs. The first layer is
    the first one the forward pass runs: it is left dense."""

    def __init__(self, model: nn.Module, density: float):
        topk_count(1, density)  # validates the density
        self.density = density
        self.records: List[LayerRecord] = []
        self._handles = []
        for name, module in sparse_layers(model):
            self._check_supported(name, module)
            self._handles.append(module.register_forward_hook(self._make_hook(name)))

    @staticmethod
    def _check_supported(name: str, module: nn.Module) -> None:
        if isinstance(module, nn.Conv2d):
            if module.padding_mode != "zeros" or isinstance(module.padding, str) \
                    or _pair(module.dilation) != (1, 1):
                raise ValueError(f"layer {name}: only zero-padded, undilated convolutions are supported")

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def _make_hook(self, name: str):
        def hook(module, inputs, output):
            if any(r.name == name for r in self.records):
                raise RuntimeError(f"layer {name} ran twice in one forward pass (shared weights are not supported)")
            a = inputs[0]
            first = not self.records
            density = 1.0 if first else self.density
            w_sparse = keep_topk(module.weight, density)
            a_sparse = keep_topk(a, density)
            if isinstance(module, nn.Conv2d):
                geometry = ConvGeometry(_pair(module.stride), _pair(module.padding),
                                        _pair(module.dilation), module.groups)
                out = _SwatConv2d.apply(a, module.weight, module.bias, w_sparse, a_sparse, geometry)
                kind = "conv"
            else:
                if a.dim() != 2:
                    raise ValueError(f"layer {name}: FC input must be 2-D, got {tuple(a.shape)}")
                geometry = None
                out = _SwatLinear.apply(a, module.weight, module.bias, w_sparse, a_sparse)
                kind = "fc"
            record = LayerRecord(name=name, kind=kind, first=first,
                                 a_fw=a.detach().clone(), w=w_sparse, a_bw=a_sparse,
                                 out_shape=tuple(out.shape), geometry=geometry)
            self.records.append(record)
            if out.requires_grad:
                out.register_hook(lambda grad, r=record: setattr(r, "d_out", grad.detach().clone()))
            return out
        return hook
