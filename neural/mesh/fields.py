"""Fields on a mesh: channels per vertex expressed in the vertex's frame, of a `FieldType` over the
gauge group — SO(2) (``steerable_space(None)``: fields of any frequency, every angle) or C_N
(``steerable_space(N)``: regular and other C_N fields; frames then matter up to turns by 2π/N,
and a transport angle is taken to the nearest of them, the reduction of the frame bundle to C_N).

Features are ``(vertices, channels)`` tensors, as in torch_geometric.  `gauge_matrices` gives ρ at
one angle per row (transport along edges, or a change of gauge); `change_gauge` moves features
to frames turned by γ_p: x_p ↦ ρ(−γ_p) x_p.

Example:
    >>> import math, torch
    >>> from neural.conv.gspace import steerable_space
    >>> space = steerable_space(None)
    >>> vector = space.type(space.group.frequency(1))
    >>> y = change_gauge(torch.tensor([[1.0, 0.0]], dtype=torch.float64), torch.tensor([math.pi / 2]), vector)
    >>> y.round().abs().tolist()  # e₁ seen from a frame turned a quarter: (0, −1)
    [[0.0, 1.0]]
    >>> round(float(y[0, 1]), 12)
    -1.0
"""
from __future__ import annotations

import math

import numpy as np
import torch

from bridge.actions import matrices
from invariants.errors import InputError, ShapeError
from neural.conv.fields import FieldType
from neural.conv.gspace import SteerableSpace


def is_gauge_type(field_type: FieldType) -> bool:
    """Over SO(2) or C_N acting on the plane by rotations (orientable surfaces have no reflections)."""
    space = field_type.space
    return isinstance(space, SteerableSpace) and bool(np.allclose(np.linalg.det(space.points), 1))


def check_gauge_type(field_type: FieldType, where: str) -> None:
    if not is_gauge_type(field_type):
        raise InputError(f"{where}: mesh fields live over the gauge group SO(2) or C_N — build their types from "
                         "steerable_space(None) or steerable_space(N) (no flips: a surface's frames keep their "
                         f"orientation); got {field_type}")


def gauge_matrices(field_type: FieldType, angles: torch.Tensor) -> torch.Tensor:
    """ρ(angle) for each angle, ``(n, size, size)`` block diagonal, float64.  Over C_N the angle is
    first taken to the nearest multiple of 2π/N."""
    space = field_type.space
    angles = angles.to(torch.float64).reshape(-1)
    out = torch.zeros(len(angles), field_type.size, field_type.size, dtype=torch.float64)
    if space.continuous:
        c, s = torch.cos(angles), torch.sin(angles)
        turns = torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], 1)
        blocks = {rep: matrices(rep, turns) for rep in field_type.distinct}
    else:
        index = torch.from_numpy(_element_of_turn(space))[_nearest_turn(angles, space.order)]
        blocks = {rep: space.matrices(rep)[index] for rep in field_type.distinct}
    for sl, rep in zip(field_type.slices, field_type.reps):
        out[:, sl, sl] = blocks[rep]
    return out


def change_gauge(x: torch.Tensor, gamma: torch.Tensor, field_type: FieldType) -> torch.Tensor:
    """Features ``(V, size)`` re-expressed in frames turned by ``gamma`` (V,): ρ(−γ_p) x_p.  Over C_N,
    γ must be multiples of 2π/N (the gauge group)."""
    if x.dim() != 2 or x.shape[1] != field_type.size or gamma.shape != (x.shape[0],):
        raise ShapeError(f"features (V, {field_type.size}) and one angle per vertex, got {tuple(x.shape)} and "
                         f"{tuple(gamma.shape)}")
    if not field_type.space.continuous:
        steps = gamma.to(torch.float64) * field_type.space.order / (2 * math.pi)
        if (steps - steps.round()).abs().max() > 1e-9:
            raise InputError(f"a change of gauge for C_{field_type.space.order} fields turns frames by multiples of "
                             f"2π/{field_type.space.order}; use such angles (or SO(2) fields for any angle)")
    rho = gauge_matrices(field_type, -gamma).to(x.dtype).to(x.device)
    return torch.einsum("vij,vj->vi", rho, x)


TIE_BREAK = 1e-7  # in steps of 2π/N: symmetric meshes have transports exactly halfway between two turns


def _nearest_turn(angles: torch.Tensor, n: int) -> torch.Tensor:
    """The nearest turn j·2π/N; exactly halfway goes counter-clockwise, and rounding noise (≪ TIE_BREAK)
    cannot flip it, so the choice moves with a change of gauge (torch.round's half-to-even would not)."""
    return torch.floor(angles * n / (2 * math.pi) + 0.5 + TIE_BREAK).long() % n


def _element_of_turn(space) -> np.ndarray:
    """Element index of the turn by 2πj/N, j = 0 … N−1."""
    angles = np.arctan2(space.points[:, 1, 0], space.points[:, 0, 0])
    j = np.round(angles * space.order / (2 * np.pi)).astype(np.int64) % space.order
    out = np.empty(space.order, dtype=np.int64)
    out[j] = np.arange(space.order)
    return out
