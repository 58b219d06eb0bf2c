"""Ridge regression whose degree and ridge are chosen by exact leave-one-out, for designs whose
samples are blocks of rows (an equivariant target: one row per output coordinate).

Leaving out sample i removes its w rows at once; with H the hat matrix, its residual is
(I − H_ii)⁻¹ (y_i − ŷ_i), H_ii the w × w block.  One eigendecomposition per nested column set
(primal ZᵀZ when there are fewer columns than rows, dual ZZᵀ otherwise) serves every ridge, so a
(level, ridge) grid costs little more than one solve per level.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from invariants.errors import InputError

RIDGES = (1e-10, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)
SELECTION_SAMPLES = 4000  # (level, ridge) is chosen on at most this many samples, then refitted on all


@dataclass(frozen=True)
class RidgeFit:
    """Coefficients (columns, targets) in the units of the design, zero off the ``keep`` columns:
    those of level ≤ ``level``, or with ``homogeneous`` those of level exactly ``level`` (and 0)."""
    coef: torch.Tensor
    keep: torch.Tensor
    level: int
    homogeneous: bool
    ridge: float
    loo_mse: float


@torch.no_grad()
def fit_ridge(design: torch.Tensor, y: torch.Tensor, levels: torch.Tensor, *, candidates: Sequence[int] | None = None,
              ridges: Sequence[float] = RIDGES, max_columns: int | None = None,
              selection_samples: int = SELECTION_SAMPLES) -> RidgeFit:
    """Ridge regression of ``y`` (n, w, t) on ``design`` (n, w, p), the columns kept being those with
    ``levels`` (p,) ≤ a level L from ``candidates`` (default: every level present), or = L and 0 (a
    homogeneous target: a polynomial of one degree needs far fewer columns than all up to it); the
    (columns, ridge) pair with the lowest leave-one-out MSE (whole samples left out) wins and is
    refitted on all n.  Column sets wider than ``max_columns`` are not tried.

    Example:
        >>> import torch
        >>> x = torch.randn(50, 1, 3, dtype=torch.float64)
        >>> y = 2 * x[..., :1] - x[..., 1:2]
        >>> result = fit_ridge(x, y, torch.tensor([1, 1, 2]))
        >>> result.level, torch.allclose(result.coef[:, 0], torch.tensor([2.0, -1.0, 0.0], dtype=torch.float64), atol=1e-6)
        (1, True)
    """
    if design.dim() != 3 or y.dim() != 3 or design.shape[:2] != y.shape[:2] or levels.shape != design.shape[2:]:
        raise InputError(f"fit_ridge needs design (n, w, p), y (n, w, t) and levels (p,), got "
                         f"{tuple(design.shape)}, {tuple(y.shape)}, {tuple(levels.shape)}")
    if len(y) < 2:
        raise InputError("fitting a polynomial path needs at least two samples")
    candidates = sorted(set(levels.tolist())) if candidates is None else sorted(set(candidates))
    if not candidates or not ridges:
        raise InputError("fit_ridge needs at least one level and one ridge")
    design, y = design.double(), y.double()
    # columns of one spread make one ridge grid fit every level; not centred, so that a column of
    # ones (an intercept) stays one, shrunk like the others
    scale = design.pow(2).mean((0, 1)).sqrt().clamp_min(1e-300)
    z = design / scale
    sz, sy = z[:selection_samples], y[:selection_samples]
    best = None
    for level in candidates:
        below, exact = levels <= level, (levels == level) | (levels == 0)
        for homogeneous, keep in ((False, below), (True, exact)):
            width = int(keep.sum())
            if not width or (max_columns is not None and width > max_columns) \
                    or (homogeneous and bool((exact == below).all())):
                continue
            for ridge, residuals in _loo_grid(sz[:, :, keep], sy, ridges):
                loo = float(residuals.pow(2).mean())
                if best is None or loo < best[0]:
                    best = (loo, level, homogeneous, keep, ridge)
    if best is None:
        raise InputError(f"no column has a level among {candidates}")
    loo, level, homogeneous, keep, ridge = best
    coef = torch.zeros(design.shape[2], y.shape[2], dtype=torch.float64)
    coef[keep] = _solve(z[:, :, keep], y, ridge) / scale[keep, None]
    return RidgeFit(coef, keep, level, homogeneous, ridge, loo)


def _loo_grid(z: torch.Tensor, y: torch.Tensor, ridges: Sequence[float]):
    """(ridge, leave-one-sample-out residuals (n, w, t)) for every ridge, from one eigendecomposition."""
    n, w, q = z.shape
    flat, targets = z.reshape(n * w, q), y.reshape(n * w, -1)
    if q <= n * w:
        values, vectors = torch.linalg.eigh(flat.T @ flat)
        projected = flat @ vectors                          # Z Q: the hat matrix is P D Pᵀ
        py = projected.T @ targets
        blocks = projected.reshape(n, w, q)
        for ridge in ridges:
            d = 1 / (values.clamp_min(0) + ridge)
            residual = (targets - projected @ (d[:, None] * py)).reshape(n, w, -1)
            hat = torch.einsum("nwq,q,nvq->nwv", blocks, d, blocks)
            eye = torch.eye(w, dtype=z.dtype)
            yield ridge, torch.linalg.solve(eye - hat, residual)
    else:
        values, vectors = torch.linalg.eigh(flat @ flat.T)
        uy = vectors.T @ targets
        blocks = vectors.reshape(n, w, n * w)
        for ridge in ridges:
            # I − H = λ(K + λI)⁻¹: the residual of sample i is M_ii⁻¹ (M y)_i with M = (K + λI)⁻¹
            d = 1 / (values.clamp_min(0) + ridge)
            alpha = (vectors @ (d[:, None] * uy)).reshape(n, w, -1)
            inverse = torch.einsum("nwk,k,nvk->nwv", blocks, d, blocks)
            yield ridge, torch.linalg.solve(inverse, alpha)


def _solve(z: torch.Tensor, y: torch.Tensor, ridge: float) -> torch.Tensor:
    n, w, q = z.shape
    flat, targets = z.reshape(n * w, q), y.reshape(n * w, -1)
    if q <= n * w:
        return torch.linalg.solve(flat.T @ flat + ridge * torch.eye(q, dtype=z.dtype), flat.T @ targets)
    return flat.T @ torch.linalg.solve(flat @ flat.T + ridge * torch.eye(n * w, dtype=z.dtype), targets)
