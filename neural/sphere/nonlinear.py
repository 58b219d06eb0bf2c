"""Nonlinearities for spectral features on the sphere.

* `GatedNonlinearity`: scalars through an activation, every V_l copy (l ≥ 1) scaled by the sigmoid
  of its own extra scalar (e3nn's gate): exactly equivariant, as gates are invariant.
* `NormNonlinearity`: each V_l copy scaled by a function of its norm (invariant: the basis is
  orthonormal for the engine's invariant form): exactly equivariant.
* `TensorProductNonlinearity`: the quadratic map x ↦ Σ W · C(x_{l1} ⊗ x_{l2}) with the engine's exact
  Clebsch–Gordan maps C (Kondor, Lin, Trivedi 2018): exactly equivariant, mixes degrees.
* `GridNonlinearity`: the activation applied to the signal's values on a quadrature grid, then
  projected back to degree ≤ L (Cohen et al. 2018; Esteves et al. 2018): equivariant only up to the
  aliasing of the activation's high frequencies, which falls as the grid is refined (measured in
  ``benchmarks/sphere.py``).

Example:
    >>> import torch
    >>> from neural.sphere.types import SphereType
    >>> t = SphereType.signal(4, 2)
    >>> gate = GatedNonlinearity(t)
    >>> str(gate.in_type), gate(torch.randn(3, gate.in_type.dim)).shape
    ('12x0 + 4x1 + 4x2', torch.Size([3, 36]))
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from bridge.sphere import clebsch_gordan_array
from invariants.errors import InputError
from neural.sphere.grid import SphereAnalysis
from neural.sphere.types import SphereType


class GatedNonlinearity(nn.Module):
    """In: ``out_type`` plus one gate scalar per copy of V_l, l ≥ 1 (appended to the l = 0 channels)."""

    def __init__(self, out_type: SphereType, activation: Callable[[torch.Tensor], torch.Tensor] = nn.functional.silu):
        super().__init__()
        self.out_type = out_type
        self.gates = sum(out_type.mults[1:])
        self.in_type = out_type + SphereType((self.gates,))
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        blocks = self.in_type.split(x, "GatedNonlinearity's input")
        scalars, gates = blocks[0][..., :self.out_type.mult(0), :], torch.sigmoid(blocks[0][..., self.out_type.mult(0):, :])
        out, start = [self.activation(scalars)], 0
        for l in range(1, len(self.out_type.mults)):
            m = self.out_type.mult(l)
            out.append(blocks[l] * gates[..., start:start + m, :])
            start += m
        return self.out_type.join(out)


class NormNonlinearity(nn.Module):
    """Scalars through ``activation``; each V_l copy (l ≥ 1) x ↦ x · relu(|x| + b)/|x|, b learned."""

    def __init__(self, sphere_type: SphereType, activation: Callable[[torch.Tensor], torch.Tensor] = nn.functional.silu,
                 eps: float = 1e-12):
        super().__init__()
        self.in_type = self.out_type = sphere_type
        self.activation, self.eps = activation, eps
        self.bias = nn.Parameter(torch.zeros(sum(sphere_type.mults[1:])))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        blocks = self.in_type.split(x, "NormNonlinearity's input")
        out, start = [self.activation(blocks[0])], 0
        for b in blocks[1:]:
            m = b.shape[-2]
            norm = torch.sqrt((b * b).sum(-1, keepdim=True) + self.eps)
            out.append(b * torch.relu(norm + self.bias[start:start + m, None].to(x.dtype)) / norm)
            start += m
        return self.out_type.join(out)


def _signal_channels(sphere_type: SphereType, who: str) -> int:
    if len(set(sphere_type.mults)) != 1:
        raise InputError(f"{who} acts on signals on S² (the same channels at every degree, SphereType.signal), "
                         f"got {sphere_type}: use GatedNonlinearity or NormNonlinearity for other types")
    return sphere_type.mults[0]


class TensorProductNonlinearity(nn.Module):
    """out_l = Σ_{l1 ≤ l2} W_{l1 l2 l} C_{l1 l2 l}(x_{l1} ⊗ x_{l2}) channel by channel, then mixed across
    channels by W (one matrix per path); inputs and outputs are S² signal types up to ``bandwidth``."""

    def __init__(self, in_type: SphereType, out_type: SphereType):
        super().__init__()
        self.in_type, self.out_type = in_type, out_type
        channels = _signal_channels(in_type, "TensorProductNonlinearity")
        self.paths: list[tuple[int, int, int]] = [
            (l1, l2, l) for l in range(len(out_type.mults)) for l1 in range(len(in_type.mults))
            for l2 in range(l1, len(in_type.mults)) if abs(l1 - l2) <= l <= l1 + l2
            and not (l1 == l2 and (l1 + l2 + l) % 2)]                         # antisymmetric: zero on x ⊗ x
        # one matrix per pair (l1, l2): the outer product x_{l1} ⊗ x_{l2} is formed once for all its l
        self.pairs = sorted({(l1, l2) for l1, l2, _ in self.paths})
        self.outputs = [[l for a, b, l in self.paths if (a, b) == pair] for pair in self.pairs]
        for i, ((l1, l2), outputs) in enumerate(zip(self.pairs, self.outputs)):
            maps = [clebsch_gordan_array(l1, l2, l).reshape(2 * l + 1, -1) for l in outputs]
            self.register_buffer(f"cg{i}", torch.tensor(np.concatenate(maps).T.copy()), persistent=False)
        self.weights = nn.ParameterList()
        for l in range(len(out_type.mults)):
            count = sum(1 for p in self.paths if p[2] == l)
            self.weights.append(nn.Parameter(torch.randn(out_type.mult(l), channels, count) / (channels * max(count, 1)) ** 0.5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        blocks = self.in_type.split(x, "TensorProductNonlinearity's input")
        products: list[list[torch.Tensor]] = [[] for _ in self.out_type.mults]
        for i, ((l1, l2), outputs) in enumerate(zip(self.pairs, self.outputs)):
            outer = (blocks[l1][..., :, None] * blocks[l2][..., None, :]).flatten(-2)
            images = outer @ getattr(self, f"cg{i}").to(x.dtype)
            for l, image in zip(outputs, images.split([2 * l + 1 for l in outputs], -1)):
                products[l].append(image)
        out = []
        for l, (m, w) in enumerate(zip(self.out_type.mults, self.weights)):
            if products[l]:
                out.append(torch.einsum("ocp,...cpm->...om", w.to(x.dtype), torch.stack(products[l], -2)))
            else:
                out.append(x.new_zeros(*x.shape[:-1], m, 2 * l + 1))
        return self.out_type.join(out)


class GridNonlinearity(nn.Module):
    """``activation`` on the values at the nodes of ``sphere_grid(resolution)`` (default 2·L), projected back."""

    def __init__(self, sphere_type: SphereType, activation: Callable[[torch.Tensor], torch.Tensor] = torch.relu,
                 resolution: int | None = None):
        super().__init__()
        _signal_channels(sphere_type, "GridNonlinearity")
        self.in_type = self.out_type = sphere_type
        self.activation = activation
        bandwidth = sphere_type.lmax
        resolution = 2 * bandwidth if resolution is None else resolution
        if resolution < bandwidth:
            raise InputError(f"GridNonlinearity's grid must resolve the signal: resolution >= {bandwidth}, got {resolution}")
        self.grid = SphereAnalysis(bandwidth, resolution)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        coefficients = torch.cat(self.in_type.split(x, "GridNonlinearity's input"), -1)   # (..., c, (L+1)²)
        return self.grid(self.activation(coefficients @ self.grid.synthesis.to(x.dtype)))
