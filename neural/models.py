"""Models on the bridge: invariant features → MLP, and Σ_j MLP_j(invariants)·e_j(x) over
equivariant generators e_j.

Both are plain `nn.Module`s; invariance/equivariance holds by construction (the features are
exact invariants, the e_j exact equivariants), up to floating point.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import sympy

import torch
from torch import nn

from bridge import compile_polynomials, invariant_layer
from invariants.errors import InputError

from .baselines import MLP
from .polynomial_path import PolynomialPath


MAX_PATH_MONOMIALS = 2000  # monomials a candidate polynomial path may have (leave-one-out costs their cube)


class InvariantModel(nn.Module):
    """f(x) = path(invariants(x)) + MLP(invariants(x)), answering in the units of the targets.

    ``features`` is a bridge layer, or anything `bridge.invariant_layer` accepts (a group, a
    representation, a spec such as ``"O(3):4xv"``).  Before gradient training, `prepare` (called by
    `neural.training.fit` on the training data) fits the closed-form parts:

    * the targets are standardised (mean, spread), so losses are comparable across tasks and a
      heavy-tailed target does not set the step size;
    * ``path="auto"`` (default) chooses the features and a polynomial path by exact leave-one-out on
      the training set, among the generators raw or root-conditioned (sign(f)|f|^(1/deg): every
      feature then scales like ‖x‖), with a path of degree ≤ 3, and the generators with their
      pairwise products, with a path of degree 1.  Why: a target that is a polynomial of the
      invariants (a determinant times inner products, a norm cubed) is then fitted exactly from few
      samples, which an MLP on conditioned features cannot do; a non-polynomial target gets the
      best low-degree part, and the MLP learns the rest.  An int fixes the path's maximal degree
      on the given features; None uses the MLP alone;
    * the chosen features are standardised, and the MLP starts at zero: it learns the residual.

    Example:
        >>> import torch
        >>> from neural.training import fit
        >>> x = torch.randn(200, 6, dtype=torch.float64)
        >>> y = (x[:, :3] * x[:, 3:]).sum(1, keepdim=True) ** 2       # (v1·v2)², O(3)-invariant
        >>> model = InvariantModel("O(3):2xv", channels=16)
        >>> history = fit(model, (x, y), (x, y), epochs=1, progress=False)
        >>> float((model(x) - y).abs().max().detach()) < 1e-6   # the path found the polynomial
        True
    """

    def __init__(self, features: Any, out_size: int = 1, *, degree_bound: int | None = None,
                 normalize: str | None = "root", channels: int = 384, layers: int = 3, path: str | int | None = "auto",
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        if path not in ("auto", None) and not (isinstance(path, int) and path >= 1):
            raise InputError(f"path must be 'auto', None or a degree >= 1, got {path!r}")
        if not isinstance(features, nn.Module):
            features = invariant_layer(features, degree_bound=degree_bound, normalize=normalize, dtype=dtype)
        self.features = features
        self.path_mode, self.channels, self.layers, self.out_size = path, channels, layers, out_size
        self.mlp = MLP(features.n_features, out_size, channels=channels, layers=layers).to(dtype)
        self.path = (PolynomialPath(features.n_features, out_size, max_degree=path, dtype=dtype)
                     if isinstance(path, int) else None)
        self.register_buffer("y_shift", torch.zeros(out_size, dtype=dtype))
        self.register_buffer("y_scale", torch.ones(out_size, dtype=dtype))
        self.prepared = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x).to(self.y_scale.dtype)
        out = self.mlp(f) + (self.path(f) if self.path is not None else 0)
        return out * self.y_scale + self.y_shift

    @torch.no_grad()
    def prepare(self, x: torch.Tensor, y: torch.Tensor, *, scale_targets: bool = True) -> "InvariantModel":
        """Fit the closed-form parts on training data (see the class docstring); `fit` calls this
        once before the first epoch.  ``scale_targets=False`` keeps targets as they are (when a
        wrapper already standardised them)."""
        y = y.reshape(len(y), -1).to(torch.float64)
        if scale_targets:
            self.y_shift.copy_(y.mean(0))
            self.y_scale.copy_(y.std(0, correction=0).clamp_min(1e-12) if len(y) > 1 else torch.ones_like(y[0]))
        z = (y - self.y_shift.double()) / self.y_scale.double()
        if self.path_mode == "auto":
            self._choose_path(x, z)
        else:
            self.features.fit_standardization(x)
            if self.path is not None:
                self.path.fit(self.features(x).double(), z)
        if self.path is not None:
            last = self.mlp[-1]
            last.weight.zero_()  # the MLP starts as the zero function: it learns the residual
            last.bias.zero_()
        self.prepared = True
        return self

    def _choose_path(self, x: torch.Tensor, z: torch.Tensor) -> None:
        polys, variables = self.features.polynomials, self.features.variables
        dtype = self.y_scale.dtype  # the model's, after any .to(dtype)
        products = [sympy.expand(a * b) for i, a in enumerate(polys) for b in polys[i:]]
        best = None
        for candidate, degree in ((polys, 3), (polys + products, 1)):
            degree = _affordable_degree(len(candidate), degree)
            if degree == 0:
                continue
            for normalize in (None, "root"):
                features = compile_polynomials(candidate, variables, normalize=normalize, dtype=dtype)
                features.fit_standardization(x)
                path = PolynomialPath(features.n_features, self.out_size, max_degree=degree, dtype=dtype)
                path.fit(features(x).double(), z)
                if best is None or path.loo_mse < best[1].loo_mse:
                    best = (features, path)
        if best is None:  # too many generators for any path: standardised features and the MLP alone
            self.features.fit_standardization(x)
            return
        self.features, self.path = best
        if self.features.n_features != self.mlp[0].in_features:
            self.mlp = MLP(self.features.n_features, self.out_size, channels=self.channels,
                           layers=self.layers).to(dtype)

    @torch.no_grad()
    def fit_features(self, x: torch.Tensor) -> "InvariantModel":
        """Standardise the invariant features on training inputs (invariant: feature by feature)."""
        self.features.fit_standardization(x)
        return self


def _affordable_degree(n_features: int, degree: int) -> int:
    """The largest degree ≤ ``degree`` whose monomials in ``n_features`` features stay within
    MAX_PATH_MONOMIALS (0 when not even the features themselves do)."""
    while degree >= 1 and math.comb(n_features + degree, degree) - 1 > MAX_PATH_MONOMIALS:
        degree -= 1
    return degree


class EquivariantModel(nn.Module):
    """y = Σ_j MLP(invariants(x))_j · e_j(x): the e_j are exact equivariant maps V → W (a list of
    maps, each a list of dim W polynomials, e.g. the generators of a covariant module), the
    coefficients any invariant functions — universal on compact sets when the e_j generate.

    Example:
        >>> import sympy, torch
        >>> v = sympy.symbols("x0:3")
        >>> generators = [list(v)]                                  # v ↦ v
        >>> model = EquivariantModel({"group": "O(n)", "n": 3, "vectors": 1}, generators, channels=8)
        >>> model(torch.randn(5, 3, dtype=torch.float64)).shape
        torch.Size([5, 3])
    """

    def __init__(self, features: Any, generators: Sequence[Sequence[Any]], variables: Sequence[Any] | None = None, *,
                 degree_bound: int | None = None, normalize: str | None = "root", channels: int = 384,
                 layers: int = 3, dtype: torch.dtype = torch.float64):
        super().__init__()
        if not isinstance(features, nn.Module):
            features = invariant_layer(features, degree_bound=degree_bound, normalize=normalize, dtype=dtype)
        self.features = features
        if not generators or not all(isinstance(g, (list, tuple)) for g in generators):
            raise InputError("generators must be a non-empty list of equivariant maps (lists of polynomials)")
        self.generators = compile_polynomials([list(g) for g in generators], variables or features.variables, dtype=dtype)
        self.mlp = MLP(features.n_features, len(generators), channels=channels, layers=layers).to(dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        coefficients = self.mlp(self.features(x).to(next(self.mlp.parameters()).dtype))  # (..., m)
        values = self.generators(x).to(coefficients.dtype)                                 # (..., m, w)
        return (coefficients.unsqueeze(-1) * values).sum(-2)

    def fit_features(self, x: torch.Tensor) -> "EquivariantModel":
        self.features.fit_standardization(x)
        return self
