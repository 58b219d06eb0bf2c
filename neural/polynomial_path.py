"""A polynomial path beside a network: y = W·m(f) + b over all monomials m(f) of degree ≤ D in
invariant features f, fitted in closed form (ridge regression), its degree and ridge chosen by
leave-one-out on the training set.

On invariant features any polynomial is invariant, so the path adds no symmetry error.  It is
the part of a target that few samples determine well (e.g. a polynomial of the invariants, or a
power of a norm under root conditioning); the network beside it then learns the residual.
Leave-one-out residuals of ridge regression are exact in closed form, e_i / (1 − H_ii) with H
the hat matrix (every coefficient, the intercept included, is shrunk), so the selection costs one
solve per candidate.
"""
from __future__ import annotations

import itertools
from typing import Sequence

import torch
from torch import nn

from invariants.errors import InputError

from .standardize import Standardizer

RIDGES = (1e-10, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0)


class PolynomialPath(nn.Module):
    """W·(monomials of degree 1 … D of f) + b, the monomials above the fitted degree masked out.

    Example:
        >>> import torch
        >>> f = torch.randn(40, 2, dtype=torch.float64)
        >>> y = (f[:, :1] * f[:, 1:] - 2 * f[:, :1] ** 3)
        >>> path = PolynomialPath(2, 1, max_degree=3).fit(f, y)
        >>> path.degree, float((path(f) - y).abs().max().detach()) < 1e-6
        (3, True)
    """

    def __init__(self, n_features: int, out_size: int = 1, *, max_degree: int = 1,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        if max_degree < 1 or n_features < 1:
            raise InputError(f"a polynomial path needs n_features >= 1 and max_degree >= 1, got {n_features}, {max_degree}")
        monomials = [c for d in range(1, max_degree + 1)
                     for c in itertools.combinations_with_replacement(range(n_features), d)]
        pad = n_features  # index of a column of ones: monomials of lower degree padded to max_degree factors
        index = [list(c) + [pad] * (max_degree - len(c)) for c in monomials]
        self.register_buffer("index", torch.tensor(index, dtype=torch.long), persistent=False)
        self.register_buffer("monomial_degree", torch.tensor([len(c) for c in monomials]), persistent=False)
        self.register_buffer("mask", torch.ones(len(monomials), dtype=dtype))
        self.weight = nn.Parameter(torch.zeros(out_size, len(monomials), dtype=dtype))
        self.bias = nn.Parameter(torch.zeros(out_size, dtype=dtype))
        self.max_degree = max_degree
        self.degree = max_degree
        self.ridge: float | None = None
        self.loo_mse: float | None = None

    def monomials(self, f: torch.Tensor) -> torch.Tensor:
        """(..., k) features → (..., M) monomials of degree 1 … max_degree."""
        padded = torch.cat([f, torch.ones_like(f[..., :1])], dim=-1)
        return padded[..., self.index].prod(-1)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        return self.monomials(f) @ (self.weight * self.mask).T + self.bias

    @torch.no_grad()
    def fit(self, f: torch.Tensor, y: torch.Tensor, degrees: Sequence[int] | None = None,
            ridges: Sequence[float] = RIDGES) -> "PolynomialPath":
        """Ridge regression on the monomials, (degree, ridge) with the lowest leave-one-out MSE
        among ``degrees`` (default 1 … max_degree) × ``ridges``; sets ``degree``, ``ridge``, ``loo_mse``."""
        degrees = list(degrees) if degrees is not None else list(range(1, self.max_degree + 1))
        if not degrees or not all(1 <= d <= self.max_degree for d in degrees) or not ridges:
            raise InputError(f"degrees must lie in 1..{self.max_degree} and ridges be non-empty")
        y = y.double().reshape(len(y), -1)
        if len(y) < 2:
            raise InputError("fitting a polynomial path needs at least two samples")
        all_monomials = self.monomials(f.double())
        ones = torch.ones_like(y[:, :1])
        best = None
        for d in degrees:
            keep = self.monomial_degree <= d
            # columns of one spread make one ridge grid fit every degree; not centred, so that the
            # intercept stays a column of ones, shrunk like the others
            columns = Standardizer.fit(all_monomials[:, keep], center=False)
            z = torch.cat([columns(all_monomials[:, keep]), ones], dim=1)
            scale = torch.cat([columns.scale, ones[0]])
            for r in ridges:
                solution, residual = _ridge_loo(z, y, r)
                loo = (residual**2).mean()
                if best is None or loo < best[0]:
                    best = (float(loo), d, r, keep, solution / scale.unsqueeze(1))
        self.loo_mse, self.degree, self.ridge, keep, solution = best
        weight = torch.zeros_like(self.weight, dtype=torch.float64)
        weight[:, keep] = solution[:-1].T
        self.weight.copy_(weight)
        self.bias.copy_(solution[-1])
        self.mask.copy_(keep.to(self.mask.dtype))
        return self

    def extra_repr(self) -> str:
        return f"{self.index.shape[0]} monomials up to degree {self.max_degree}, fitted degree {self.degree}"


def _ridge_loo(z: torch.Tensor, y: torch.Tensor, ridge: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Ridge solution of z·w ≈ y and its exact leave-one-out residuals.

    With A = z zᵀ + ridge·I, the residuals y − Hy = ridge·A⁻¹y and I − H = ridge·A⁻¹, so the
    leave-one-out residual (y − Hy)_i / (1 − H_ii) is (A⁻¹y)_i / (A⁻¹)_ii: the dual form, stable
    when there are more monomials than samples (H_ii → 1); the primal form otherwise."""
    n, p = z.shape
    if p <= n:
        gram = z.T @ z + ridge * torch.eye(p, dtype=z.dtype)
        inv_zt = torch.linalg.solve(gram, z.T)
        solution = inv_zt @ y
        hat = (z * inv_zt.T).sum(1)
        return solution, (y - z @ solution) / (1 - hat).clamp_min(1e-12).unsqueeze(1)
    inverse = torch.linalg.inv(z @ z.T + ridge * torch.eye(n, dtype=z.dtype))
    alpha = inverse @ y
    return z.T @ alpha, alpha / inverse.diagonal().unsqueeze(1)
