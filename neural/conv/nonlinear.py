"""Equivariant nonlinearities for fields on the grid.

* `PointwiseNonlinearity`: any function applied channel by channel, for fields that *permute*
  their channels (trivial, regular, quotient): it commutes with permutations exactly.
* `NormNonlinearity`: each field scaled by a function of its invariant norm, for any type (the
  norm is taken in the G-invariant inner product the engine's group averages give, so it is
  invariant even for non-orthogonal representations).
* `GatedNonlinearity`: invariant fields through an activation, every other field scaled by the
  sigmoid of its own gate, an extra invariant channel (as in e3nn and escnn), for any type.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("C4")
    >>> PointwiseNonlinearity(2 * space.type(space.regular))(torch.randn(1, 8, 3, 3)).shape
    torch.Size([1, 8, 3, 3])
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from invariants.errors import InputError
from invariants.groups.finite.permutation_reps import is_permutation_representation
from neural.conv.fields import FieldType


class PointwiseNonlinearity(nn.Module):
    """``function`` (default ReLU) on every channel of a permutation-field type."""

    def __init__(self, field_type: FieldType, function: Callable[[torch.Tensor], torch.Tensor] = torch.relu):
        super().__init__()
        if not field_type.is_permutation:
            bad = [field_type.name_of(r) for r in field_type.distinct if not is_permutation_representation(r)]
            raise InputError(f"a pointwise nonlinearity commutes only with fields that permute their channels; "
                             f"{', '.join(bad)} in {field_type} do not: use NormNonlinearity for them")
        self.in_type = self.out_type = field_type
        self.function = function

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "PointwiseNonlinearity's input")
        return self.function(x)


class NormNonlinearity(nn.Module):
    """x ↦ x · relu(|x| − b)/|x| per field, |x| the invariant norm and b a learned bias per field."""

    def __init__(self, field_type: FieldType, eps: float = 1e-8):
        super().__init__()
        self.in_type = self.out_type = field_type
        self.eps = eps
        self.register_buffer("metric", field_type.metric.clone(), persistent=False)
        index = torch.zeros(field_type.size, dtype=torch.long)
        for f, s in enumerate(field_type.slices):
            index[s] = f
        self.register_buffer("field_of_channel", index, persistent=False)
        self.bias = nn.Parameter(torch.full((len(field_type),), 0.1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "NormNonlinearity's input")
        fields = len(self.in_type)
        mx = torch.einsum("ij,bj...->bi...", self.metric.to(x.dtype), x)
        sq = torch.zeros(x.shape[0], fields, *x.shape[2:], dtype=x.dtype, device=x.device)
        sq = sq.index_add(1, self.field_of_channel, x * mx)
        norm = torch.sqrt(sq + self.eps)
        scale = torch.relu(norm - self.bias.view(1, -1, *([1] * (x.dim() - 2))).to(x.dtype)) / norm
        return x * scale.index_select(1, self.field_of_channel)



class GatedNonlinearity(nn.Module):
    """Fields the group fixes go through ``activation``; every other field x becomes σ(g) x, with g its
    gate: one trivial channel per such field, appended to the input (``in_type`` = type + gates).
    Exactly equivariant for any field type: the gates are invariant.

    Example:
        >>> import torch
        >>> from neural.conv.gspace import grid_space
        >>> space = grid_space("D4")
        >>> gate = GatedNonlinearity(space.type(space.group.natural(), space.trivial))
        >>> gate.in_type, gate(torch.randn(1, 4, 3, 3)).shape
        (FieldType(D4: 1xplane + 2xtrivial), torch.Size([1, 3, 3, 3]))
    """

    def __init__(self, field_type: FieldType, activation: Callable[[torch.Tensor], torch.Tensor] = nn.functional.silu):
        super().__init__()
        space = field_type.space
        fixed = [bool(torch.allclose(field_type.projector[s, s], torch.eye(s.stop - s.start, dtype=torch.float64)))
                 for s in field_type.slices]
        gated = [s for s, f in zip(field_type.slices, fixed) if not f]
        self.out_type = field_type
        self.in_type = field_type + len(gated) * space.type(space.trivial)
        self.activation = activation
        gate_of = torch.full((field_type.size,), -1, dtype=torch.long)
        for k, s in enumerate(gated):
            gate_of[s] = field_type.size + k
        self.register_buffer("gate_of", gate_of, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "GatedNonlinearity's input")
        body = x[:, :self.out_type.size]
        gated = self.gate_of >= 0
        gates = torch.sigmoid(x.index_select(1, self.gate_of.clamp_min(0)))
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return torch.where(gated.view(shape), body * gates, self.activation(body))
