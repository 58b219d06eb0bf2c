"""Models on the bridge: invariant features → MLP, and Σ_j MLP_j(invariants)·e_j(x) over
equivariant generators e_j.

Both are plain `nn.Module`s; invariance/equivariance holds by construction (the features are
exact invariants, the e_j exact equivariants), up to floating point.
"""
from __future__ import annotations

from typing import Any, Sequence

import torch
from torch import nn

from bridge import compile_polynomials, invariant_layer
from invariants.errors import InputError

from .baselines import MLP
from .polynomial_path import PolynomialPath


class InvariantModel(nn.Module):
    """MLP(invariants(x)): ``features`` is a bridge layer, or anything `bridge.invariant_layer`
    accepts (a group, a representation, a spec such as ``{"group": "O(n)", "n": 5, "vectors": 2}``).
    ``linear=True`` adds a `PolynomialPath` of degree ≤ ``linear_degree`` in the features beside
    the MLP, fitted in closed form by `fit_linear` before training.

    Example:
        >>> import torch
        >>> model = InvariantModel({"group": "O(n)", "n": 3, "vectors": 2}, out_size=1, channels=16)
        >>> model(torch.randn(4, 6, dtype=torch.float64)).shape
        torch.Size([4, 1])
    """

    def __init__(self, features: Any, out_size: int = 1, *, degree_bound: int | None = None,
                 normalize: str | None = "root", channels: int = 384, layers: int = 3, linear: bool = False,
                 linear_degree: int = 1, dtype: torch.dtype = torch.float64):
        super().__init__()
        if not isinstance(features, nn.Module):
            features = invariant_layer(features, degree_bound=degree_bound, normalize=normalize, dtype=dtype)
        self.features = features
        self.mlp = MLP(features.n_features, out_size, channels=channels, layers=layers).to(dtype)
        # a polynomial path beside the MLP (`PolynomialPath`): exact when the target is a
        # polynomial of degree <= linear_degree in the features
        self.linear = (PolynomialPath(features.n_features, out_size, max_degree=linear_degree, dtype=dtype)
                       if linear else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x).to(next(self.mlp.parameters()).dtype)
        return self.mlp(f) + (self.linear(f) if self.linear is not None else 0)

    @torch.no_grad()
    def fit_linear(self, x: torch.Tensor, y: torch.Tensor, ridge: float | str = "loo") -> "InvariantModel":
        """Fit the polynomial path on training data in closed form, before gradient training, and
        start the MLP at zero (it learns the residual).  ``ridge="loo"``: degree (1 … linear_degree)
        and ridge chosen by leave-one-out; a number: that ridge at degree linear_degree."""
        if self.linear is None:
            raise InputError("the model has no linear path: build it with linear=True")
        f = self.features(x).double()
        if ridge == "loo":
            self.linear.fit(f, y)
        elif isinstance(ridge, (int, float)) and ridge >= 0:
            self.linear.fit(f, y, degrees=[self.linear.max_degree], ridges=[float(ridge)])
        else:
            raise InputError(f"ridge must be 'loo' or a number >= 0, got {ridge!r}")
        last = self.mlp[-1]
        last.weight.zero_()  # the MLP starts as the zero function: it learns the residual
        last.bias.zero_()
        return self

    def fit_features(self, x: torch.Tensor) -> "InvariantModel":
        """Standardise the invariant features on training inputs (invariant: feature by feature)."""
        self.features.fit_standardization(x)
        return self


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
