"""A sparse polynomial path: a few monomials in invariant features, chosen from very many.

A dense path (`neural.polynomial_path`) fits every monomial up to a degree, so it stops at a few
thousand columns: SO(3) on 8 vectors has 92 generators, and the monomials of degree 7 in the
inputs among them number ~37,000.  Targets built from a few interactions (a sum over neighbours of
a determinant times inner products) are a handful of those monomials.  Orthogonal matching
pursuit finds them: repeatedly the monomial most correlated with the residual joins and all
chosen ones are refitted by least squares.  How many to keep is decided on samples the pursuit did
not see (a pursuit over 10⁴–10⁵ columns fits noise, and its own leave-one-out error would not show
it): the pursuit runs on one half, the other half scores every prefix (below 1000 samples, five
folds, each scoring the pursuit on the other four, averaged), and the pursuit is rerun on all
samples for the best number of terms.  ``holdout_mse`` is that score.  The pursuit runs
over the monomials of each degree apart (a homogeneous target hides among far fewer columns) and
over all of them; the held-out score picks the pool too.

Example:
    >>> import torch
    >>> f = torch.randn(400, 6, dtype=torch.float64)
    >>> y = f[:, :1] * f[:, 1:2] * f[:, 2:3] - 0.5 * f[:, 3:4] ** 2 * f[:, 5:6]
    >>> path = SparsePath(6, 1, max_degree=3).fit(f, y)
    >>> sorted(path.chosen), path.holdout_mse < 1e-12
    ([(0, 1, 2), (3, 3, 5)], True)
"""
from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn

from invariants.errors import InputError, ShapeError

from .polynomial_path import _check, _Monomials, count_monomials, weighted_monomials

MAX_DICTIONARY = 60_000    # monomials searched (their values on the selection samples are kept in memory)
MAX_TERMS = 48             # the pursuit stops here
FOLDS = 5                  # folds that choose the number of terms below FOLD_SAMPLES samples (else one split in halves)
FOLD_SAMPLES = 1000
SELECTION_BYTES = 1 << 29  # the dictionary's values on the selection samples: at most 512 MB


def affordable_sparse_degree(weights: Sequence[int], max_degree: int, limit: int = MAX_DICTIONARY) -> int:
    """The largest D ≤ max_degree with at most ``limit`` monomials of weighted degree ≤ D (0 if none).

    Example:
        >>> affordable_sparse_degree([2] * 36 + [3] * 56, 9)
        7
    """
    degree = max_degree
    while degree >= 1 and count_monomials(weights, degree) > limit:
        degree -= 1
    return degree


class SparsePath(nn.Module):
    """y = Σ_t c_t m_t(f) + b over at most ``max_terms`` monomials m_t of weighted degree ≤ D in the
    features f, chosen by orthogonal matching pursuit (see the module docstring).

    Example:
        >>> import torch
        >>> f = torch.randn(300, 4, dtype=torch.float64)
        >>> path = SparsePath(4, 1, max_degree=2).fit(f, 3 * f[:, :1] * f[:, 2:3] + 1)
        >>> path.chosen, round(float(path.bias.detach()), 6)
        ([(0, 2)], 1.0)
    """

    def __init__(self, n_features: int, out_size: int = 1, *, max_degree: int, weights: Sequence[int] | None = None,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        self.weights = _check(n_features, weights, max_degree)
        self.n_features, self.out_size, self.max_degree = n_features, out_size, max_degree
        self.chosen: list[tuple[int, ...]] = []
        self.monomials = _Monomials(n_features, [()])
        self.weight = nn.Parameter(torch.zeros(out_size, 0, dtype=dtype))
        self.bias = nn.Parameter(torch.zeros(out_size, dtype=dtype))
        self.holdout_mse: float | None = None

    @property
    def loo_mse(self) -> float | None:
        """The held-out error, under the name the other paths use for their model-selection score."""
        return self.holdout_mse

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        if not self.chosen:
            return self.bias.expand(*f.shape[:-1], self.out_size)
        return self.monomials(f) @ self.weight.T + self.bias

    @torch.no_grad()
    def fit(self, f: torch.Tensor, y: torch.Tensor, *, max_terms: int = MAX_TERMS,
            seed: int = 0) -> "SparsePath":
        """Choose and fit the monomials; sets ``chosen``, the coefficients and ``holdout_mse``."""
        f, y = f.double(), y.double().reshape(len(y), -1)
        dictionary = weighted_monomials(self.weights, self.max_degree)[1:]
        rows = max(2, min(len(f), SELECTION_BYTES // (8 * max(1, len(dictionary)))))
        order = torch.randperm(len(f), generator=torch.Generator().manual_seed(seed))[:rows]
        values = _Monomials(self.n_features, dictionary)(f[order])
        level = torch.tensor([sum(self.weights[i] for i in m) for m in dictionary])
        target = y[order]
        # the monomials of each degree apart (a homogeneous target hides among far fewer), and all
        self.holdout_mse, chosen = _choose(lambda i: (values[i], target[i]), len(order), _pools(level), max_terms)
        self.chosen = [dictionary[j] for j in chosen]
        self.monomials = _Monomials(self.n_features, self.chosen or [()]).to(f.device)
        design = self.monomials(f) if self.chosen else f[:, :0]
        coef, bias = _least_squares(design, y)
        self.weight = nn.Parameter(coef.T.to(self.bias.dtype).contiguous())
        self.bias.copy_(bias)
        return self

    def extra_repr(self) -> str:
        return f"{len(self.chosen)} monomials of weighted degree <= {self.max_degree}"


def _pursuit(values: torch.Tensor, y: torch.Tensor, steps: int, center: bool = True) -> list[int]:
    """Orthogonal matching pursuit on (centred) columns: the indices chosen, in order."""
    x = values - values.mean(0) if center else values
    norms = x.norm(dim=0)
    usable = norms > 1e-12 * float(norms.max()) if len(norms) else norms > 0
    x = x / torch.where(usable, norms, torch.ones_like(norms))
    target = y - y.mean(0) if center else y
    residual = target.clone()
    chosen: list[int] = []
    basis = torch.zeros(len(x), 0, dtype=x.dtype)  # orthonormal basis of the chosen columns
    for _ in range(steps):
        score = (x.T @ residual).norm(dim=1)
        score[~usable] = -1
        if chosen:
            score[chosen] = -1
        j = int(score.argmax())
        if score[j] <= 1e-12 * float(target.norm()):
            break
        column = x[:, j] - basis @ (basis.T @ x[:, j])
        size = float(column.norm())
        if size < 1e-9:  # numerically inside the span already
            usable[j] = False
            continue
        basis = torch.cat([basis, (column / size)[:, None]], dim=1)
        residual = target - basis @ (basis.T @ target)
        chosen.append(j)
    return chosen


def _least_squares(design: torch.Tensor, y: torch.Tensor, center: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Coefficients and intercept of y on the columns (lstsq on centred data; no intercept without ``center``)."""
    if design.shape[1] == 0:
        return design.new_zeros(0, y.shape[1]), y.mean(0) if center else y.new_zeros(y.shape[1])
    if not center:
        return torch.linalg.lstsq(design, y, driver="gelsd").solution, y.new_zeros(y.shape[1])
    mean_x, mean_y = design.mean(0), y.mean(0)
    coef = torch.linalg.lstsq(design - mean_x, y - mean_y, driver="gelsd").solution
    return coef, mean_y - mean_x @ coef


def _holdout_mse(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor, test_y: torch.Tensor,
                 columns: list[int], center: bool = True) -> float:
    coef, bias = _least_squares(train_x[:, columns], train_y, center)
    return float(((test_x[:, columns] @ coef + bias - test_y) ** 2).mean())


def _pools(level: torch.Tensor) -> list[torch.Tensor]:
    """The columns of each degree apart, then all of them."""
    return [torch.nonzero(level == d).flatten() for d in sorted(set(level.tolist()))] + [torch.arange(len(level))]


def _folds(n: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(training, held-out) sample indices: one split in halves, or FOLDS folds below FOLD_SAMPLES
    samples, where one split's score is noise (SO(3) on 8 points, a degree-6 target of 8 terms,
    N = 100: the pursuit on 50 samples kept nothing, 0.95 of the variance on test; on 80 it finds
    most terms)."""
    index = torch.arange(n)
    if n >= FOLD_SAMPLES:
        return [(index[:n // 2], index[n // 2:])]
    bounds = [n * i // FOLDS for i in range(FOLDS + 1)]
    return [(torch.cat([index[:lo], index[hi:]]), index[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]


def _choose(design: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]], n: int, pools: list[torch.Tensor],
            max_terms: int, rows_per_sample: int = 1, center: bool = True) -> tuple[float, list[int]]:
    """The pursuit in each pool on the training samples of each fold, every prefix scored on the
    fold's held-out samples and averaged over the folds; the best (pool, number of terms) rerun on
    all samples.  ``design(indices)`` gives the columns' rows and the targets of those samples (in
    their order, already shuffled).  Returns the held-out MSE and the columns chosen."""
    folds = _folds(n)
    steps = min(max_terms, max(0, min(len(a) for a, _ in folds) * rows_per_sample - 2))
    parts = [(design(a), design(b)) for a, b in folds]
    best = (float("inf"), pools[-1], 0)   # (held-out MSE, pool, number of terms)
    for pool in pools:
        scores = torch.zeros(steps + 1, dtype=torch.float64)
        for (train_x, train_y), (test_x, test_y) in parts:
            picked = pool[_pursuit(train_x[:, pool], train_y, steps, center)].tolist()
            fold = [_holdout_mse(train_x, train_y, test_x, test_y, picked[:s], center) for s in range(len(picked) + 1)]
            scores += torch.tensor(fold + [fold[-1]] * (steps + 1 - len(fold)), dtype=torch.float64)
        s = int(scores.argmin())
        if float(scores[s]) / len(parts) < best[0]:
            best = (float(scores[s]) / len(parts), pool, s)
    score, pool, terms = best
    if not terms:
        return score, []
    all_x, all_y = design(torch.arange(n))
    return score, [int(pool[j]) for j in _pursuit(all_x[:, pool], all_y, terms, center)]


class SparseEquivariantPath(nn.Module):
    """y = Σ_t c_t m_t(f) e_{j_t}(x): at most ``max_terms`` products of an equivariant map e_j with a
    monomial m_t of weighted degree ≤ ``max_degree`` in the invariant features f (1 included), chosen
    by orthogonal matching pursuit, the number kept by held-out samples and the columns pooled by
    total degree (map degree + monomial degree) as in `SparsePath`; no intercept (a shift is not
    equivariant).

    Why: a target such as Σ_i tanh(x_i·x_{i+1}) x_i × x_{i+1} on 8 points of R³ puts one inner product
    on each of 8 of SO(3)'s 36 covariant generators, and the pseudo-scalar Σ_i det(x_i, x_{i+1}, x_{i+2})
    (x_i·x_{i+3})(x_{i+1}·x_{i+2}) two on each of 8 of O(3)'s 56 determinants; a dense path has tens of
    thousands of coefficients to fit, the pursuit finds the few.

    Example:
        >>> import torch
        >>> f, e = torch.randn(200, 3, dtype=torch.float64), torch.randn(200, 4, 3, dtype=torch.float64)
        >>> y = 2 * f[:, 1:2] * e[:, 0] - e[:, 3] + f[:, :1] * f[:, 2:] * e[:, 2]
        >>> path = SparseEquivariantPath(3, 4, max_degree=2).fit(f, e, y)
        >>> sorted(path.chosen), path.holdout_mse < 1e-20
        ([(0, (1,)), (2, (0, 2)), (3, ())], True)
    """

    def __init__(self, n_features: int, n_maps: int, *, max_degree: int = 1, weights: Sequence[int] | None = None,
                 map_degrees: Sequence[int] | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.weights = _check(n_features, weights, max_degree)
        self.n_features, self.n_maps, self.max_degree = n_features, n_maps, max_degree
        self.map_degrees = [0] * n_maps if map_degrees is None else list(map_degrees)
        if len(self.map_degrees) != n_maps:
            raise InputError(f"map_degrees lists one degree per map: {n_maps} maps, got {len(self.map_degrees)} degrees")
        self.chosen: list[tuple[int, tuple[int, ...]]] = []   # (map j, monomial: feature indices, () for 1)
        self.register_buffer("maps", torch.zeros(0, dtype=torch.long))
        self.register_buffer("index", torch.zeros(0, 1, dtype=torch.long))  # padded with n_features (a 1)
        self.weight = nn.Parameter(torch.zeros(0, dtype=dtype))
        self.holdout_mse: float | None = None

    def forward(self, f: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        return torch.einsum("...tw,t->...w", self._terms(f.to(e.dtype), e), self.weight.to(e.dtype))

    @torch.no_grad()
    def fit(self, f: torch.Tensor, e: torch.Tensor, y: torch.Tensor, *, max_terms: int = MAX_TERMS,
            seed: int = 0) -> "SparseEquivariantPath":
        """Choose and fit the terms; sets ``chosen``, the coefficients and ``holdout_mse``."""
        f, e, y = f.double(), e.double(), y.double().reshape(len(y), -1)
        n, w = len(f), e.shape[-1]
        if f.shape[1:] != (self.n_features,) or e.shape[:2] != (n, self.n_maps) or y.shape != (n, w) or len(y) != n:
            raise ShapeError(f"a sparse equivariant path of {self.n_features} features and {self.n_maps} maps fits f of "
                             f"shape (N, {self.n_features}), maps e of shape (N, {self.n_maps}, W) and targets of shape "
                             f"(N, W); got {tuple(f.shape)}, {tuple(e.shape)}, {tuple(y.shape)}")
        dictionary = weighted_monomials(self.weights, self.max_degree)
        columns = self.n_maps * len(dictionary)
        # the pursuit sees at most SELECTION_BYTES of column values; the chosen few are fitted on all samples
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
        order = order[:max(4, min(n, SELECTION_BYTES // (8 * columns * w)))]
        m = _Monomials(self.n_features, dictionary)(f[order])
        values = (e[order][:, :, None, :] * m[:, None, :, None]).reshape(len(order), columns, w)
        scale = values.pow(2).mean((0, 2)).sqrt()
        values /= torch.where(scale > 1e-12 * float(scale.max()), scale, torch.ones_like(scale))[None, :, None]
        rows = lambda v: v.transpose(1, 2).reshape(-1, v.shape[1])              # noqa: E731 - one row per coordinate
        level = torch.tensor([self.map_degrees[j] + sum(self.weights[i] for i in mono)
                              for j in range(self.n_maps) for mono in dictionary])
        target = y[order]
        self.holdout_mse, chosen = _choose(lambda i: (rows(values[i]), target[i].reshape(-1, 1)), len(order),
                                           _pools(level), max_terms, rows_per_sample=w, center=False)
        del values
        width = len(dictionary)
        self.chosen = [(j // width, dictionary[j % width]) for j in chosen]
        pad = max((len(mono) for _, mono in self.chosen), default=0) or 1
        self.maps = torch.tensor([j for j, _ in self.chosen], dtype=torch.long, device=f.device)
        self.index = torch.tensor([list(mono) + [self.n_features] * (pad - len(mono)) for _, mono in self.chosen],
                                  dtype=torch.long, device=f.device).reshape(len(self.chosen), pad)
        if self.chosen:   # refitted on all samples
            coef, _ = _least_squares(rows(self._terms(f, e)), y.reshape(-1, 1), center=False)
            self.weight = nn.Parameter(coef[:, 0].to(self.weight.dtype))
        else:
            self.weight = nn.Parameter(self.weight.new_zeros(0))
        return self

    def _terms(self, f: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        padded = torch.cat([f, torch.ones_like(f[..., :1])], -1)
        return padded[..., self.index].prod(-1)[..., None] * e[..., self.maps, :]

    def extra_repr(self) -> str:
        return (f"{len(self.chosen)} terms: a map × a monomial of weighted degree <= {self.max_degree} in "
                f"{self.n_features} features")
