"""Polynomial paths beside a network, fitted in closed form: over the monomials m(f) in invariant
features f of weighted degree ≤ D (a feature of degree d in the inputs weighs d, so D is a degree
in the inputs),

* `PolynomialPath`: y = W·m(f) + b, an invariant;
* `EquivariantPath`: y = Σ_j Σ_a W_ja m_a(f) e_j(x) over equivariant maps e_j, the terms of degree
  deg m_a + deg e_j ≤ D.

The degree and the ridge are chosen by exact leave-one-out (`neural.ridge.fit_ridge`).  On
invariant features any polynomial is invariant, and an invariant times an equivariant map is
equivariant, so a path adds no symmetry error.  It is the part of a target that few samples
determine well (a polynomial of the invariants; a power of a norm under root conditioning); the
network beside it learns the residual.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

import torch
from torch import nn

from invariants.errors import InputError

from .ridge import RIDGES, fit_ridge


def weighted_monomials(weights: Sequence[int], max_degree: int) -> list[tuple[int, ...]]:
    """The monomials (sorted index tuples, the empty one first) in features of the given positive
    integer weights, of weighted degree ≤ ``max_degree``, by degree.

    Example:
        >>> weighted_monomials([1, 2], 3)
        [(), (0,), (0, 0), (1,), (0, 0, 0), (0, 1)]
    """
    out: list[tuple[int, ...]] = []

    def extend(start: int, prefix: tuple[int, ...], degree: int) -> None:
        out.append(prefix)
        for i in range(start, len(weights)):
            if degree + weights[i] <= max_degree:
                extend(i, prefix + (i,), degree + weights[i])

    extend(0, (), 0)
    return sorted(out, key=lambda m: (sum(weights[i] for i in m), m))


def count_monomials(weights: Sequence[int], max_degree: int) -> int:
    """len(weighted_monomials(weights, max_degree)) without listing them.

    Example:
        >>> count_monomials([1, 1, 1], 2), count_monomials([2] * 15 + [3] * 10, 7)
        (10, 2231)
    """
    return _count(tuple(weights), max_degree)


@lru_cache(maxsize=256)
def _count(weights: tuple[int, ...], max_degree: int) -> int:
    if max_degree < 0:
        return 0
    ways = [1] + [0] * max_degree  # ways[d]: monomials of weighted degree exactly d
    for w in weights:
        for d in range(w, max_degree + 1):
            ways[d] += ways[d - w]
    return sum(ways)


class _Monomials(nn.Module):
    """Evaluates a fixed list of monomials in features (padding with a column of ones)."""

    def __init__(self, n_features: int, monomials: list[tuple[int, ...]]):
        super().__init__()
        width = max((len(m) for m in monomials), default=0) or 1
        index = [list(m) + [n_features] * (width - len(m)) for m in monomials]
        self.register_buffer("index", torch.tensor(index, dtype=torch.long), persistent=False)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        padded = torch.cat([f, torch.ones_like(f[..., :1])], dim=-1)
        return padded[..., self.index].prod(-1)


def _check(n_features: int, weights: Sequence[int] | None, max_degree: int) -> list[int]:
    weights = [1] * n_features if weights is None else [int(w) for w in weights]
    if n_features < 1 or max_degree < 1 or len(weights) != n_features or min(weights) < 1:
        raise InputError(f"a polynomial path needs n_features >= 1, max_degree >= 1 and one positive weight per "
                         f"feature, got {n_features}, {max_degree}, {weights}")
    return weights


class PolynomialPath(nn.Module):
    """W·m(f) + b over the monomials of weighted degree 1 … D (weights default 1: D counts factors),
    those off the fitted degree masked out (above it, or all but it when ``homogeneous``).

    Example:
        >>> import torch
        >>> f = torch.randn(40, 2, dtype=torch.float64)
        >>> y = (f[:, :1] * f[:, 1:] - 2 * f[:, :1] ** 3)
        >>> path = PolynomialPath(2, 1, max_degree=3).fit(f, y)
        >>> path.degree, float((path(f) - y).abs().max().detach()) < 1e-6
        (3, True)
    """

    def __init__(self, n_features: int, out_size: int = 1, *, max_degree: int = 1,
                 weights: Sequence[int] | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.weights = _check(n_features, weights, max_degree)
        monomials = weighted_monomials(self.weights, max_degree)[1:]
        self.monomials = _Monomials(n_features, monomials)
        self.register_buffer("monomial_degree", torch.tensor([sum(self.weights[i] for i in m) for m in monomials]),
                             persistent=False)
        self.register_buffer("mask", torch.ones(len(monomials), dtype=dtype))
        self.weight = nn.Parameter(torch.zeros(out_size, len(monomials), dtype=dtype))
        self.bias = nn.Parameter(torch.zeros(out_size, dtype=dtype))
        self.max_degree = self.degree = max_degree
        self.homogeneous = False  # after `fit`: the terms of exactly ``degree`` (else all up to it)
        self.ridge: float | None = None
        self.loo_mse: float | None = None

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        return self.monomials(f) @ (self.weight * self.mask).T + self.bias

    @torch.no_grad()
    def fit(self, f: torch.Tensor, y: torch.Tensor, degrees: Sequence[int] | None = None,
            ridges: Sequence[float] = RIDGES, max_columns: int | None = None) -> "PolynomialPath":
        """Ridge regression on the monomials, (degree, ridge) with the lowest leave-one-out MSE among
        ``degrees`` (default: every degree present), all monomials up to it or those of exactly it, ×
        ``ridges`` (sets of more than ``max_columns`` monomials skipped); sets ``degree``,
        ``homogeneous``, ``ridge``, ``loo_mse``."""
        present = sorted(set(self.monomial_degree.tolist()))
        degrees = present if degrees is None else list(degrees)
        if not degrees or not all(1 <= d <= self.max_degree for d in degrees):
            raise InputError(f"degrees must lie in 1..{self.max_degree}, got {degrees}")
        y = y.double().reshape(len(y), 1, -1)
        columns = self.monomials(f.double())
        design = torch.cat([columns, torch.ones_like(columns[:, :1])], dim=1)[:, None, :]
        levels = torch.cat([self.monomial_degree, torch.zeros(1, dtype=torch.long)])
        result = fit_ridge(design, y, levels, candidates=degrees, ridges=ridges, max_columns=max_columns)
        self.weight.copy_(result.coef[:-1].T)
        self.bias.copy_(result.coef[-1])
        self.mask.copy_(result.keep[:-1].to(self.mask.dtype))
        self.degree, self.homogeneous = result.level, result.homogeneous
        self.ridge, self.loo_mse = result.ridge, result.loo_mse
        return self

    def extra_repr(self) -> str:
        return f"{self.weight.shape[1]} monomials up to degree {self.max_degree}, fitted degree {self.degree}"


class EquivariantPath(nn.Module):
    """Σ_j Σ_a W_ja m_a(f) e_j over equivariant values e (..., J, w) and invariant features f, the
    terms with deg m_a + deg e_j ≤ D (``map_degrees`` the e_j's degrees), those off the fitted
    degree masked out.

    Example:
        >>> import torch
        >>> x = torch.randn(60, 3, dtype=torch.float64)
        >>> f, e = (x * x).sum(1, keepdim=True), x[:, None, :]          # |x|², and the map x ↦ x
        >>> path = EquivariantPath(1, [2], [1], max_degree=3).fit(f, e, (2 - f) * x)
        >>> path.degree, float((path(f, e) - (2 - f) * x).abs().max().detach()) < 1e-6
        (3, True)
    """

    def __init__(self, n_features: int, feature_degrees: Sequence[int], map_degrees: Sequence[int], *,
                 max_degree: int, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.weights = _check(n_features, feature_degrees, max_degree)
        if not map_degrees or min(map_degrees) < 0:
            raise InputError(f"an equivariant path needs the degrees (>= 0) of at least one map, got {map_degrees}")
        monomials = weighted_monomials(self.weights, max_degree)
        degree = [sum(self.weights[i] for i in m) for m in monomials]
        self.monomials = _Monomials(n_features, monomials)
        terms = torch.tensor([[a + b for a in degree] for b in map_degrees])     # (J, A)
        self.register_buffer("term_degree", terms, persistent=False)
        self.register_buffer("mask", (terms <= max_degree).to(dtype))
        self.weight = nn.Parameter(torch.zeros(len(map_degrees), len(monomials), dtype=dtype))
        self.max_degree = self.degree = max_degree
        self.homogeneous = False  # after `fit`: the terms of exactly ``degree`` (else all up to it)
        self.ridge: float | None = None
        self.loo_mse: float | None = None

    def forward(self, f: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        return torch.einsum("...a,...jw,ja->...w", self.monomials(f), e, self.weight * self.mask)

    @torch.no_grad()
    def fit(self, f: torch.Tensor, e: torch.Tensor, y: torch.Tensor, ridges: Sequence[float] = RIDGES,
            max_columns: int | None = None) -> "EquivariantPath":
        """Ridge regression on the terms m_a(f) e_j, (degree, ridge) by leave-one-out (a sample's w
        coordinates left out together); sets ``degree``, ``ridge``, ``loo_mse``."""
        allowed = (self.term_degree <= self.max_degree).flatten()
        maps, monomials = torch.nonzero(self.term_degree <= self.max_degree, as_tuple=True)  # row-major, as ``allowed``
        # only the allowed terms m_a e_j: the full (J, A) product would not fit in memory for large sets
        design = self.monomials(f.double())[:, None, monomials] * e.double().transpose(1, 2)[:, :, maps]
        levels = self.term_degree.flatten()[allowed]
        result = fit_ridge(design, y.double().reshape(len(y), -1, 1), levels, ridges=ridges, max_columns=max_columns)
        weight = torch.zeros(self.weight.numel(), dtype=torch.float64)
        weight[allowed] = result.coef[:, 0]
        self.weight.copy_(weight.reshape(self.weight.shape))
        mask = torch.zeros(self.mask.numel(), dtype=self.mask.dtype)
        mask[allowed] = result.keep.to(mask.dtype)
        self.mask.copy_(mask.reshape(self.mask.shape))
        self.degree, self.homogeneous = result.level, result.homogeneous
        self.ridge, self.loo_mse = result.ridge, result.loo_mse
        return self

    def extra_repr(self) -> str:
        return f"{int((self.term_degree <= self.max_degree).sum())} terms up to degree {self.max_degree}, " \
               f"fitted degree {self.degree}"


def affordable_degree(weights: Sequence[int], degree: int, limit: int) -> int:
    """The largest weighted degree D ≤ ``degree`` with at most ``limit`` monomials of degree exactly
    D and 2·``limit`` up to it (0 when there is none): a homogeneous fit of degree D, or any of a
    lower degree, then stays within ``limit`` columns.

    Example:
        >>> affordable_degree([1] * 6, 3, 100), affordable_degree([2] * 15 + [3] * 10, 9, 2000), affordable_degree([1] * 100, 3, 50)
        (3, 7, 0)
    """
    while degree >= 1:
        exact = count_monomials(weights, degree) - count_monomials(weights, degree - 1)
        if exact <= limit and count_monomials(weights, degree) - 1 <= 2 * limit:
            break
        degree -= 1
    return degree if degree >= min(weights, default=math.inf) else 0
