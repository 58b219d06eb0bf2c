"""Symmetry coordinates: write data as ``x = g·s`` with ``s`` a canonical form, the same on a whole orbit.

A frame is an equivariant map ``x -> g(x)`` into the group; then ``s = g(x)^{-1}·x`` is
invariant and ``g`` carries the rest of the information.  Frames here are built from
equivariant vectors (Gram–Schmidt on the points themselves, or on learned combinations of them)
and from sorting rows by invariant keys.  No frame is continuous on every input for these
groups (Dym, Lawrence & Siegel 2024); inputs where the frame is not unique are reported in
``degenerate`` and still get a valid ``(g, s)``.  `weighted_frame_average` trades the single frame
for a weighted average over several frames, which is continuous.

Conventions: point clouds are rows, ``(..., k, d)``; a rotation ``g`` acts by ``x_i = g s_i``,
i.e. ``x = s @ gᵀ``; a permutation ``perm`` sorts rows, ``s = x[..., perm, :]``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from invariants.errors import InputError
from bridge import orthogonal
from neural.training import fit

__all__ = ["Canonical", "canonicalize_rotation", "canonicalize_so2_angle", "canonicalize_permutation",
           "canonicalize_points", "weighted_frame_average", "LearnedFrame", "noisy_discrepancy",
           "train_learned_frame"]


@dataclass(frozen=True, eq=False)
class Canonical:
    """``x = g·s``: ``g`` (..., d, d) orthogonal or None, ``s`` the canonical form, ``degenerate``
    (...) True where the frame is not unique, ``perm`` (..., k) the row order or None."""
    g: torch.Tensor | None
    s: torch.Tensor
    degenerate: torch.Tensor
    perm: torch.Tensor | None = None

    def reconstruct(self) -> torch.Tensor:
        """The original data: ``s @ gᵀ`` with the rows put back in their original order.

        Example:
            >>> x = torch.randn(4, 3, dtype=torch.float64)
            >>> torch.allclose(canonicalize_points(x).reconstruct(), x)
            True
        """
        x = self.s if self.g is None else self.s @ self.g.mT
        if self.perm is not None:
            inverse = torch.argsort(self.perm, dim=-1)
            x = x.gather(-2, inverse.unsqueeze(-1).expand_as(x))
        return x


def _check(x: torch.Tensor, name: str, d: int | None = None) -> None:
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise InputError(f"{name} must be a floating-point torch tensor, got {type(x).__name__}"
                         + (f" of {x.dtype}" if isinstance(x, torch.Tensor) else ""))
    if x.dim() < 2 or x.shape[-2] == 0 or x.shape[-1] == 0:
        raise InputError(f"{name} must have shape (..., k, d) with k, d >= 1, got {tuple(x.shape)}")
    if d is not None and x.shape[-1] != d:
        raise InputError(f"{name} must have last dimension {d}, got shape {tuple(x.shape)}")
    if not torch.isfinite(x).all():
        raise InputError(f"{name} contains NaN or inf; canonical forms need finite data")


def _frame(vectors: torch.Tensor, needed: int, special: bool, tol: float,
           scale: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Gram–Schmidt on the rows of ``vectors`` (..., m, d) until ``needed`` directions are found.

    Missing directions are filled from the standard basis (not equivariant, but only where
    the result is reported degenerate, or where the completion is unique up to the sign that
    ``special`` then fixes by det = +1)."""
    d = vectors.shape[-1]
    batch = vectors.shape[:-2]
    basis = vectors.new_zeros(*batch, d, d)
    count = torch.zeros(batch, dtype=torch.long, device=vectors.device)
    slots = torch.arange(d, device=vectors.device)

    def add(r: torch.Tensor, norm: torch.Tensor, accept: torch.Tensor) -> torch.Tensor:
        unit = r / torch.where(accept, norm, torch.ones_like(norm)).unsqueeze(-1)
        column = (slots == count.unsqueeze(-1)) & accept.unsqueeze(-1)
        return basis + unit.unsqueeze(-1) * column.unsqueeze(-2).to(r.dtype)

    def residual(v: torch.Tensor) -> torch.Tensor:  # columns of v (..., d, m) minus their projections
        for _ in range(2):  # twice is enough for orthogonality at machine precision (Kahan/Parlett)
            v = v - basis @ (basis.mT @ v)
        return v

    for i in range(vectors.shape[-2]):
        r = residual(vectors[..., i, :].unsqueeze(-1)).squeeze(-1)
        norm = r.norm(dim=-1)
        accept = (norm > tol * scale) & (norm > 0) & (count < needed)
        basis, count = add(r, norm, accept), count + accept
        if bool((count >= needed).all()):
            break
    degenerate = count < needed
    eye = torch.eye(d, dtype=vectors.dtype, device=vectors.device)
    for _ in range(d):
        if bool((count >= d).all()):
            break
        candidates = residual(eye.expand(*batch, d, d))  # columns: residuals of e_1..e_d
        best = candidates.norm(dim=-2).argmax(dim=-1)
        r = candidates.gather(-1, best[..., None, None].expand(*batch, d, 1)).squeeze(-1)
        norm = r.norm(dim=-1)
        accept = count < d
        basis, count = add(r, norm, accept), count + accept
    if special:
        flip = torch.linalg.det(basis) < 0
        sign = torch.where(flip.unsqueeze(-1) & (slots == d - 1), -1.0, 1.0).to(basis.dtype)
        basis = basis * sign.unsqueeze(-2)
    return basis, degenerate


def canonicalize_rotation(points: torch.Tensor, *, reflections: bool = False, tol: float = 1e-9) -> Canonical:
    """Canonical form of a point cloud (..., k, d) under SO(d), or O(d) with ``reflections=True``.

    The frame is Gram–Schmidt on the points in order (a point is skipped when its residual is
    below ``tol`` times the largest point norm); SO(d) needs d−1 directions and completes the
    last axis so that det g = +1, O(d) needs d.  Fewer directions: ``degenerate`` is True.

    Example:
        >>> x = torch.tensor([[2.0, 0, 0], [1, 1, 0], [0, 0, 5]], dtype=torch.float64)
        >>> c = canonicalize_rotation(x)
        >>> c.s.round(decimals=6).tolist(), bool(c.degenerate)
        ([[2.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 5.0]], False)
        >>> bool(canonicalize_rotation(x[:2], reflections=True).degenerate)
        True
    """
    _check(points, "points")
    d = points.shape[-1]
    scale = points.norm(dim=-1).amax(dim=-1)
    g, degenerate = _frame(points, d if reflections else d - 1, not reflections, tol, scale)
    return Canonical(g, points @ g, degenerate)


def canonicalize_so2_angle(z: torch.Tensor, *, tol: float = 1e-9) -> Canonical:
    """SO(2) on k planar vectors (..., k, 2): θ = arg of the first vector longer than ``tol``
    times the longest, g = R(θ); the angle is ``atan2(g[..., 1, 0], g[..., 0, 0])``.

    Degenerate (θ = 0) when all vectors vanish.

    Example:
        >>> c = canonicalize_so2_angle(torch.tensor([[0.0, 2.0], [1.0, 1.0]], dtype=torch.float64))
        >>> round(float(torch.atan2(c.g[1, 0], c.g[0, 0])), 6), c.s.round(decimals=6).tolist()
        (1.570796, [[2.0, 0.0], [1.0, -1.0]])
    """
    _check(z, "z", 2)
    norm = z.norm(dim=-1)
    nonzero = (norm > tol * norm.amax(dim=-1, keepdim=True)) & (norm > 0)
    first = nonzero.to(torch.int8).argmax(dim=-1, keepdim=True)  # index of the first True
    v = z.gather(-2, first.unsqueeze(-1).expand(*z.shape[:-2], 1, 2)).squeeze(-2)
    degenerate = ~nonzero.any(dim=-1)
    theta = torch.where(degenerate, torch.zeros_like(v[..., 0]), torch.atan2(v[..., 1], v[..., 0]))
    c, s = torch.cos(theta), torch.sin(theta)
    g = torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2)
    return Canonical(g, z @ g, degenerate)


def _lexsort(columns: torch.Tensor) -> torch.Tensor:
    """Row order (..., n) sorting (..., n, m) lexicographically, first column most significant."""
    perm = torch.arange(columns.shape[-2], device=columns.device).expand(columns.shape[:-1])
    for j in reversed(range(columns.shape[-1])):
        order = torch.sort(columns[..., j].gather(-1, perm), dim=-1, stable=True).indices
        perm = perm.gather(-1, order)
    return perm


def canonicalize_permutation(x: torch.Tensor, *, key: torch.Tensor | None = None, tol: float = 0.0) -> Canonical:
    """S_n on the rows of a set (..., n, f): sort the rows lexicographically by ``key`` (..., n)
    or (..., n, m), ties broken by the rows themselves; without ``key`` the rows are the key.

    ``perm`` is the group element (``s = x[perm]``, ``g`` is None).  ``degenerate`` marks two
    keys equal within ``tol`` in every entry: the stabiliser may then be nontrivial (equal rows)
    or the order may rest on a non-invariant tie-break.

    Example:
        >>> x = torch.tensor([[3.0, 1], [1, 2], [3, 0]])
        >>> c = canonicalize_permutation(x)
        >>> c.perm.tolist(), c.s.tolist(), bool(c.degenerate)
        ([1, 2, 0], [[1.0, 2.0], [3.0, 0.0], [3.0, 1.0]], False)
        >>> bool(canonicalize_permutation(x, key=x[:, 0]).degenerate)
        True
    """
    _check(x, "x")
    if key is None:
        key = x
    else:
        if not isinstance(key, torch.Tensor) or key.shape[:x.dim() - 1] != x.shape[:-1] or key.dim() > x.dim():
            raise InputError(f"key must have shape (..., n) or (..., n, m) matching x {tuple(x.shape)}, got "
                             f"{tuple(key.shape) if isinstance(key, torch.Tensor) else type(key).__name__}")
        key = key.to(x.dtype).reshape(*x.shape[:-1], -1)
        if not torch.isfinite(key).all():
            raise InputError("key contains NaN or inf")
    perm = _lexsort(torch.cat([key, x], dim=-1))
    close = ((key.unsqueeze(-2) - key.unsqueeze(-3)).abs() <= tol).all(dim=-1)
    close = close & ~torch.eye(x.shape[-2], dtype=torch.bool, device=x.device)
    s = x.gather(-2, perm.unsqueeze(-1).expand_as(x))
    return Canonical(None, s, close.flatten(-2).any(dim=-1), perm)


def canonicalize_points(points: torch.Tensor, *, reflections: bool = False, tol: float = 1e-9) -> Canonical:
    """SO(d)×S_k (O(d)×S_k with ``reflections=True``) on point clouds (..., k, d).

    Rows are sorted by the invariant keys (|x_i|, Σ_j <x_i, x_j>), scaled by the largest norm
    so that ``tol`` is relative; then the rotation frame is Gram–Schmidt on the sorted points.
    ``x[perm] = s @ gᵀ``.  Degenerate on key ties or a degenerate frame.

    Example:
        >>> x = torch.tensor([[0.0, 3, 0], [1, 0, 0], [0, 0, 2]], dtype=torch.float64)
        >>> c = canonicalize_points(x)
        >>> c.perm.tolist(), c.s.round(decimals=6).tolist()
        ([1, 2, 0], [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, -3.0]])
    """
    _check(points, "points")
    norm = points.norm(dim=-1)
    scale = norm.amax(dim=-1, keepdim=True)
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    total = (points @ points.sum(dim=-2).unsqueeze(-1)).squeeze(-1)
    key = torch.stack([norm / safe, total / (safe ** 2 * points.shape[-2])], dim=-1)
    sorted_ = canonicalize_permutation(points, key=key, tol=tol)
    rotated = canonicalize_rotation(sorted_.s, reflections=reflections, tol=tol)
    return Canonical(rotated.g, rotated.s, sorted_.degenerate | rotated.degenerate, sorted_.perm)


def weighted_frame_average(f: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor, *,
                           power: float = 2) -> torch.Tensor:
    """SO(2)-invariant and continuous version of ``f``: Σ_i w_i f(R(−θ_i) z) over the frames
    θ_i = arg z_i of planar vectors z (..., k, 2), with w_i = |z_i|^power / Σ_j |z_j|^power.

    ``f`` maps (..., k, 2) to (..., *out) and is called once on a batch (..., k, k, 2) of
    canonical copies.  A frame jumps when its z_i passes through 0, but its weight vanishes
    there, so the average is continuous wherever some z_i ≠ 0 (at z = 0 it is f(0)).

    Example:
        >>> z = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
        >>> f = lambda c: c[..., 0, 1]  # the y-coordinate of the first vector
        >>> r = torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64)
        >>> torch.allclose(weighted_frame_average(f, z), weighted_frame_average(f, z @ r.T))
        True
    """
    _check(z, "z", 2)
    if not power > 0:
        raise InputError(f"power must be > 0 (weights must vanish with |z_i|), got {power!r}")
    norm = z.norm(dim=-1)
    theta = torch.atan2(z[..., 1], z[..., 0])
    c, s = torch.cos(theta).unsqueeze(-1), torch.sin(theta).unsqueeze(-1)
    x, y = z[..., 0].unsqueeze(-2), z[..., 1].unsqueeze(-2)  # copies indexed by frame i, vector j
    copies = torch.stack([c * x + s * y, c * y - s * x], dim=-1)  # R(−θ_i) z_j
    w = norm ** power
    total = w.sum(dim=-1, keepdim=True)
    w = torch.where(total > 0, w / torch.where(total > 0, total, torch.ones_like(total)), 1.0 / z.shape[-2])
    out = f(copies)
    w = w.reshape(*w.shape, *([1] * (out.dim() - w.dim())))
    return (w * out).sum(dim=z.dim() - 2)


class LearnedFrame(nn.Module):
    """A learned SO(3) frame for noisy point clouds (..., k, 3).

    u = Σ a_i x_i, v = Σ b_i x_i with (a_i, b_i) = MLP(|x_i|, <x_i, c>, |c|), c the centroid:
    the weights are rotation invariant, so u, v and the frame (Gram–Schmidt, det = +1) are
    exactly SO(3)-equivariant; they are also invariant under reordering the points.  Where u, v
    do not span a plane (relative ``tol``) the frame is completed arbitrarily and ``degenerate`` is set.

    Example:
        >>> frame = LearnedFrame(seed=0)
        >>> x = torch.randn(5, 3, dtype=torch.float64)
        >>> g = orthogonal(3, 1, special=True)[0]
        >>> torch.allclose(frame(x @ g.T).s, frame(x).s)
        True
    """

    def __init__(self, hidden: int = 32, *, seed: int | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        with torch.random.fork_rng(enabled=seed is not None):
            if seed is not None:
                torch.manual_seed(seed)
            self.mlp = nn.Sequential(nn.Linear(3, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                     nn.Linear(hidden, 2)).to(dtype)

    def forward(self, points: torch.Tensor, tol: float = 1e-9) -> Canonical:
        _check(points, "points", 3)
        centroid = points.mean(dim=-2, keepdim=True)
        features = torch.cat([points.norm(dim=-1, keepdim=True), (points * centroid).sum(-1, keepdim=True),
                              centroid.norm(dim=-1, keepdim=True).expand_as(points[..., :1])], dim=-1)
        weights = self.mlp(features.to(self.mlp[0].weight.dtype)).to(points.dtype)  # (..., k, 2)
        uv = weights.mT @ points
        scale = points.norm(dim=-1).amax(dim=-1)
        g, degenerate = _frame(uv, 2, True, tol, scale)
        return Canonical(g, points @ g, degenerate)


def noisy_discrepancy(canonicalize: Callable[[torch.Tensor], Canonical], clean_points: torch.Tensor, *,
                      noise: float = 0.05, generator: torch.Generator | None = None) -> torch.Tensor:
    """Mean squared difference between the canonical forms of two independently noised
    (Gaussian, std ``noise``) and randomly rotated copies of each cloud in (n, k, 3).

    Example:
        >>> x = torch.randn(8, 5, 3, dtype=torch.float64)
        >>> float(noisy_discrepancy(canonicalize_rotation, x, noise=0.0)) < 1e-20
        True
    """
    _check(clean_points, "clean_points", 3)
    if clean_points.dim() != 3:
        raise InputError(f"clean_points must have shape (n, k, 3), got {tuple(clean_points.shape)}")
    n, dtype = clean_points.shape[0], clean_points.dtype

    def copy() -> torch.Tensor:
        g = orthogonal(3, n, special=True, generator=generator, dtype=dtype)
        eps = torch.randn(clean_points.shape, generator=generator, dtype=dtype)
        return (clean_points + noise * eps) @ g.mT

    return ((canonicalize(copy()).s - canonicalize(copy()).s) ** 2).mean()


def train_learned_frame(frame: LearnedFrame, clean_points: torch.Tensor, noise: float = 0.05, steps: int = 300,
                        seed: int = 0, lr: float = 1e-2) -> list[float]:
    """Train ``frame`` in place (`neural.training.fit`: full-batch Adam, an unsupervised objective) to
    minimise `noisy_discrepancy` on ``clean_points`` (n, k, 3), fresh noise and rotations at every
    step; returns the loss of every step.

    Example:
        >>> x = torch.randn(16, 6, 3, dtype=torch.float64)
        >>> losses = train_learned_frame(LearnedFrame(seed=0), x, steps=5)
        >>> len(losses)
        5
    """
    if not isinstance(steps, int) or steps < 1:
        raise InputError(f"steps must be a positive int, got {steps!r}")
    generator = torch.Generator().manual_seed(seed)
    history = fit(frame, clean_points, loss=lambda model, batch: noisy_discrepancy(model, batch, noise=noise,
                                                                                   generator=generator),
                  epochs=steps, lr=lr, batch_size=len(clean_points), shuffle=False, seed=seed, progress=False)
    frame.eval()
    return history.epoch_loss
