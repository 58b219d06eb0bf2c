"""The exact equivariant nonlinearity: a field's covariants weighted by functions of its invariants.

For a field x of type ρ the engine gives the generators c_j of the covariant module (the
equivariant polynomial maps ρ → ρ, up to a degree) and the generators of the invariant ring;
every equivariant polynomial map is Σ_j q_j(x) c_j(x) with invariant q_j.  The layer computes

    y = |x| · Σ_j f_j(u(x)) · c_j(x) / |x|^{deg c_j},

u(x) the invariants scaled the same way (degree 0) beside |x|, and f a small network per field: a
learned, exactly equivariant function for *every* field type of every finite group, with no
sampling of the group (so no harmonic distortion).  |x| is the field's Euclidean norm, which
needs an orthogonal representation (permutation fields, the plane's vectors, signs): others are
refused with that reason.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("D4")
    >>> layer = CovariantNonlinearity(2 * space.type(space.plane), degree=3)
    >>> layer(torch.randn(1, 4, 5, 5)).shape
    torch.Size([1, 4, 5, 5])
"""
from __future__ import annotations

import math

import torch
from torch import nn

from bridge import equivariant_layer, invariant_layer
from invariants.errors import InputError
from neural.conv.fields import FieldType


class CovariantNonlinearity(nn.Module):
    """y = |x| Σ_j f_j(u(x)) ĉ_j(x) per field (module docstring); covariants up to ``degree``,
    invariants up to ``invariant_degree`` (default: ``degree``, at least 2), f with ``hidden`` units."""

    def __init__(self, field_type: FieldType, degree: int = 2, invariant_degree: int | None = None,
                 hidden: int = 16):
        super().__init__()
        self.in_type = self.out_type = field_type
        mats = field_type._matrices
        if not torch.allclose(torch.einsum("gji,gjk->gik", mats, mats), torch.eye(field_type.size, dtype=mats.dtype)):
            raise InputError(f"CovariantNonlinearity scales by the Euclidean norm, so it needs orthogonal fields; "
                             f"{field_type} has a non-orthogonal summand: change its basis to an orthonormal one")
        invariant_degree = invariant_degree or max(degree, 2)
        self.blocks = nn.ModuleList()
        for rep in field_type.distinct:
            covariants = equivariant_layer(rep, rep, degree_bound=degree, normalize="degree")
            invariants = invariant_layer(rep, degree_bound=invariant_degree, normalize="degree")
            self.blocks.append(_FieldBlock(field_type.channels_of(rep), covariants, invariants, hidden))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "CovariantNonlinearity's input")
        out = torch.empty_like(x)
        for block in self.blocks:
            block(x, out)
        return out


class _FieldBlock(nn.Module):
    """All fields of one type: their channels, the compiled maps and one network per field."""

    def __init__(self, channels: torch.Tensor, covariants: nn.Module, invariants: nn.Module, hidden: int):
        super().__init__()
        self.register_buffer("channels", channels, persistent=False)
        self.covariants, self.invariants = covariants, invariants
        fields, n_cov, n_inv = len(channels), covariants.polys.output_shape[0], invariants.n_features
        self.w1 = nn.Parameter(torch.randn(fields, n_inv, hidden) / math.sqrt(n_inv))
        self.b1 = nn.Parameter(torch.zeros(fields, hidden))
        self.w2 = nn.Parameter(torch.randn(fields, hidden, n_cov) / math.sqrt(hidden * n_cov))
        self.b2 = nn.Parameter(torch.zeros(fields, n_cov))

    def forward(self, x: torch.Tensor, out: torch.Tensor) -> None:
        m, d = self.channels.shape
        xs = x[:, self.channels.reshape(-1)]  # (B, m·d, *space)
        spatial = xs.shape[2:]
        flat = xs.reshape(xs.shape[0], m, d, -1).permute(0, 3, 1, 2).reshape(-1, d)  # (N·m, d)
        dtype = flat.dtype
        cov = self.covariants(flat)  # (N·m, n_cov, d)
        inv = self.invariants(flat)  # (N·m, n_inv): u, then |x| last
        norm = inv[:, -1:]
        cov, inv = cov.reshape(-1, m, *cov.shape[1:]), inv.reshape(-1, m, inv.shape[-1])
        h = torch.tanh(torch.einsum("nmi,mih->nmh", inv, self.w1.to(dtype)) + self.b1.to(dtype))
        coeff = torch.einsum("nmh,mhc->nmc", h, self.w2.to(dtype)) + self.b2.to(dtype)
        y = torch.einsum("nmc,nmcd->nmd", coeff, cov) * norm.reshape(-1, m, 1)
        y = y.reshape(xs.shape[0], -1, m, d).permute(0, 2, 3, 1).reshape(xs.shape[0], m * d, *spatial)
        out[:, self.channels.reshape(-1)] = y
