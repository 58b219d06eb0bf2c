"""A two-body network for k copies of one representation: Σ_{a<b} φ(u(x_a, x_b), e_ab).

The invariants of k ≥ 3 copies of V grow with k (O(3) on 8 vectors: 36 inner products; SO(3): 56
determinants more), and an MLP on all of them has to find, from few samples, that a target such as
Σ_{a<b} exp(−|x_a − x_b|²) is a sum of one function over pairs.  By Weyl's polarization theorem
the invariants of V^k are polarizations of those of V^{dim V}, so a body-ordered expansion over
subsets of copies is complete in the limit; its first term, over pairs, is what this module
computes: the engine's invariants u of V ⊕ V are evaluated on every pair of copies, a learned
embedding e_ab names the pair (targets need not be symmetric in the copies), and one MLP φ, shared
by the pairs, is summed over them (divided by √pairs: the sum starts at unit scale).

Example:
    >>> import torch
    >>> from bridge import load_spec
    >>> pairs = PairSum(load_spec("O(3):4xv"), 1, channels=16)
    >>> x = torch.randn(5, 12, dtype=torch.float64)
    >>> pairs.pairs, pairs(x).shape
    (6, torch.Size([5, 1]))
"""
from __future__ import annotations

import itertools
from typing import Any

import torch
from torch import nn

from bridge import compile_polynomials, invariant_layer
from invariants.errors import InputError
from neural.baselines import MLP

EMBEDDING = 8   # the width of a pair's learned name


class PairSum(nn.Module):
    """Σ_{a<b} φ(u(x_a, x_b), e_ab) on inputs (batch, k·dim V); see the module docstring.

    ``rep`` is k ≥ 2 copies of one representation V (`Representation.copies`); ``channels`` and
    ``layers`` size φ, which runs once per pair and sample (k(k−1)/2 times the batch: narrower than
    a global MLP's 384)."""

    def __init__(self, rep: Any, out_size: int, *, degree_bound: int | None = None, channels: int = 128,
                 layers: int = 3, dtype: torch.dtype = torch.float64):
        super().__init__()
        V, k = rep.copies()
        if k < 2:
            raise InputError(f"PairSum needs several copies of one representation, got {rep}")
        layer = invariant_layer(V + V, degree_bound=degree_bound, normalize=None, dtype=dtype)
        # degree <= 2 (inner products, 2x2 determinants) have light tails and stay raw; higher
        # degrees are root-conditioned, each then scaling like |x| (as InvariantModel's network)
        if max(layer.polys.degrees) > 2:
            layer = compile_polynomials(layer.polynomials, layer.polys.variables, normalize="root", dtype=dtype)
        self.invariants = layer
        self.copies, self.dim = k, V.dim
        first, second = zip(*itertools.combinations(range(k), 2))
        self.register_buffer("first", torch.tensor(first))
        self.register_buffer("second", torch.tensor(second))
        self.pairs = len(first)
        self.embedding = nn.Parameter(0.1 * torch.randn(self.pairs, EMBEDDING, dtype=dtype))
        self.mlp = MLP(self.invariants.n_features + EMBEDDING, out_size, channels=channels, layers=layers).to(dtype)

    def _pairs(self, x: torch.Tensor) -> torch.Tensor:
        p = x.reshape(len(x), self.copies, self.dim)
        return torch.cat([p[:, self.first], p[:, self.second]], -1).reshape(-1, 2 * self.dim)

    @torch.no_grad()
    def fit_standardization(self, x: torch.Tensor) -> "PairSum":
        """Standardise the pair invariants on training inputs (over all pairs of all samples)."""
        self.invariants.fit_standardization(self._pairs(x))
        return self

    def pair_invariants(self, x: torch.Tensor) -> torch.Tensor:
        """The invariants of V ⊕ V on every pair of copies: (batch, pairs, features)."""
        return self.invariants(self._pairs(x)).to(self.embedding.dtype).reshape(len(x), self.pairs, -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = self.pair_invariants(x)
        e = self.embedding.expand(len(x), -1, -1)
        return self.mlp(torch.cat([u, e], -1)).sum(1) / self.pairs ** 0.5
