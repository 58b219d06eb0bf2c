"""Gauge-equivariant nonlinearities for mesh fields ``(vertices, channels)``.

* `RegularNonlinearity`: an SO(2) field band-limited at M (frequencies 0 … M, one block) is the
  Fourier series of a function on the circle of frames; sample it at N angles, apply ReLU, take
  the Fourier coefficients back (de Haan et al. 2021).  Commutes exactly with turns of the frame
  by multiples of 2π/N (they shift the samples), and approximately with all others.
* `VertexwiseNonlinearity(module)`: any of the grid's field nonlinearities — `NormNonlinearity`,
  `GatedNonlinearity`, `PointwiseNonlinearity` (C_N regular fields: exact), and the exact
  covariant nonlinearity `CovariantNonlinearity` (Σ_j f_j(invariants) c_j(x) from the engine's
  covariants: exact for every angle) — applied at every vertex.

Example:
    >>> import torch
    >>> from neural.conv.gspace import steerable_space
    >>> relu = RegularNonlinearity(steerable_space(None), band_limit=2, copies=3)
    >>> relu.in_type, relu(torch.randn(10, 15)).shape
    (FieldType(SO(2): 3x0+1+2), torch.Size([10, 15]))
"""
from __future__ import annotations

import math
from typing import Callable

import torch
from torch import nn

from invariants.errors import InputError, ShapeError
from invariants.groups.representation import Representation
from neural.conv.gspace import SteerableSpace
from neural.mesh.fields import check_gauge_type


def fourier_field(space: SteerableSpace, band_limit: int) -> Representation:
    """The SO(2) representation ρ_0 ⊕ ρ_1 ⊕ … ⊕ ρ_M: a band-limited function on the circle."""
    if not space.continuous or space.plane.images:
        raise InputError("Fourier fields are fields of SO(2): use steerable_space(None)")
    rep = space.group.frequency(0)
    for k in range(1, band_limit + 1):
        rep = rep + space.group.frequency(k)
    return rep


class RegularNonlinearity(nn.Module):
    """``copies`` SO(2) fields band-limited at ``band_limit``: samples at ``samples`` angles (default
    4·band_limit + 2, above the Nyquist rate 2·band_limit + 1 so the projection back is exact on
    band-limited inputs), ``function`` (ReLU), Fourier coefficients back."""

    def __init__(self, space: SteerableSpace, band_limit: int, copies: int = 1, samples: int | None = None,
                 function: Callable[[torch.Tensor], torch.Tensor] = torch.relu):
        super().__init__()
        samples = 4 * band_limit + 2 if samples is None else samples
        if samples <= 2 * band_limit:
            raise InputError(f"{samples} samples cannot hold frequencies up to {band_limit}: use more than "
                             f"{2 * band_limit}")
        self.in_type = self.out_type = copies * space.type(fourier_field(space, band_limit))
        self.band_limit, self.samples, self.function = band_limit, samples, function
        theta = 2 * math.pi * torch.arange(samples, dtype=torch.float64) / samples
        columns = [torch.ones(samples, dtype=torch.float64)]
        for k in range(1, band_limit + 1):  # ρ_k(α) = rotation by kα: coefficients (a, b) ↦ a cos kθ + b sin kθ
            columns += [torch.cos(k * theta), torch.sin(k * theta)]
        sample = torch.stack(columns, 1)
        self.register_buffer("sample", sample, persistent=False)
        self.register_buffer("project", torch.linalg.pinv(sample), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2 or x.shape[1] != self.in_type.size:
            raise ShapeError(f"RegularNonlinearity expects (vertices, {self.in_type.size}), got {tuple(x.shape)}")
        d = 2 * self.band_limit + 1
        blocks = x.reshape(len(x), -1, d)
        values = self.function(blocks @ self.sample.to(x.dtype).T)
        return (values @ self.project.to(x.dtype).T).reshape(x.shape)


class VertexwiseNonlinearity(nn.Module):
    """A grid field nonlinearity (input ``(batch, channels, …)``) applied to mesh features
    ``(vertices, channels)``; its field type must be a gauge type (SO(2) or C_N).

    Example:
        >>> import torch
        >>> from neural.conv.gspace import steerable_space
        >>> from neural.conv.covariant import CovariantNonlinearity
        >>> space = steerable_space(None)
        >>> f = VertexwiseNonlinearity(CovariantNonlinearity(2 * space.type(space.group.frequency(1))))
        >>> f(torch.randn(7, 4)).shape
        torch.Size([7, 4])
    """

    def __init__(self, module: nn.Module):
        super().__init__()
        check_gauge_type(module.in_type, type(module).__name__)
        self.module, self.in_type, self.out_type = module, module.in_type, module.out_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2:
            raise ShapeError(f"mesh features are (vertices, channels), got {tuple(x.shape)}")
        return self.module(x.T.unsqueeze(0)).squeeze(0).T
