"""Invariant networks for any permutation group G ≤ S_n (Maron, Fetaya, Segol, Lipman, ICML 2019),
with the layer bases computed by the engine, and the choice between them and the polynomial route.

`UniversalInvariantNetwork`: x ∈ R^n → a G-equivariant linear lift to (R^n)^{⊗k} with C channels,
``layers`` G-equivariant linear maps (R^n)^{⊗k} → (R^n)^{⊗k} with SiLU between them (pointwise
functions commute with permutations), the invariant read-out (R^n)^{⊗k} → R (one mean per orbit of G
on [n]^k and channel), then an MLP.

Which order is universal: an order-d network approximates every G-invariant polynomial of degree
≤ d (the first layers build the products of d coordinates of each index tuple, the read-out takes
their orbit sums), so it is universal as soon as d reaches the top degree of a generating set of the
invariant ring (the argument of Maron et al., Section 3, where Göbel's bound max(n, n(n−1)/2) on the
degrees of generators for every G ≤ S_n gives their order).  The
engine computes that degree exactly: `universal_order`.  Lower orders can lose universality for some
groups (Maron et al., Section 4), but an order-2 network already sees every pair (x_i, x_j) with the
orbit of (i, j) — pair interactions, which DeepSets (order 1, S_n only) must build from moments.

`set_model` chooses by size: the order-2 network while it fits, else the engine's minimal generators
and an MLP on them (`neural.models.InvariantModel`) when the ring is small, else the order-1 network.

Example:
    >>> import torch
    >>> net = UniversalInvariantNetwork("cyclic(6, form='permutation'):v", order=2, channels=8).double()
    >>> x = torch.randn(4, 6, dtype=torch.float64)
    >>> torch.allclose(net(x), net(torch.roll(x, 1, dims=1)))
    True
    >>> universal_order("symmetric(5):v"), universal_order("cyclic(4, form='permutation'):v")
    (5, 4)
"""
from __future__ import annotations

import torch
from torch import nn

from bridge.tensor_orbits import MAX_TUPLES, as_permutation_rep
from invariants.errors import ShapeError, check_int
from neural.sets.linear import PermutationLinear


def universal_order(rep) -> int:
    """The top degree of the minimal generators of the invariant ring of ``rep`` (the engine's answer):
    G-invariant networks with tensors of this order are universal."""
    from invariants import invariant_ring
    degrees = invariant_ring(as_permutation_rep(rep)).generator_degrees
    return max(degrees, default=0)


class UniversalInvariantNetwork(nn.Module):
    """See the module docstring; input ``(batch, n)``, output ``(batch, out_size)``."""

    def __init__(self, rep, order: int = 2, out_size: int = 1, *, channels: int = 16, layers: int = 2,
                 hidden: int = 128, max_tuples: int = MAX_TUPLES):
        super().__init__()
        for name, value in (("order", order), ("out_size", out_size), ("channels", channels), ("layers", layers),
                            ("hidden", hidden)):
            check_int(value, f"UniversalInvariantNetwork: {name}", 1)
        rep = as_permutation_rep(rep)
        self.n, self.order = rep.dim, order
        size = {"max_tuples": max_tuples}  # the guard on n^(2·order) orbit labels, raised here if asked
        self.lift = PermutationLinear(rep, 1, order, 1, channels, **size)
        self.mix = nn.ModuleList(PermutationLinear(rep, order, order, channels, channels, **size)
                                 for _ in range(layers - 1))
        self.readout = PermutationLinear(rep, order, 0, channels, hidden, **size)
        self.head = nn.Sequential(nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, out_size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.n:
            raise ShapeError(f"UniversalInvariantNetwork takes (batch, {self.n}), got {tuple(x.shape)}")
        h = torch.nn.functional.silu(self.lift(x[:, None]))
        for layer in self.mix:
            h = torch.nn.functional.silu(layer(h))
        return self.head(self.readout(h))


MAX_POLYNOMIAL_GENERATORS = 64
MAX_PAIR_WEIGHTS = 1 << 20   # n^4 gathered weights per channel pair in an order-2 layer: n ≤ 32


def set_model(rep, out_size: int = 1, *, max_generators: int = MAX_POLYNOMIAL_GENERATORS,
              max_pair_weights: int = MAX_PAIR_WEIGHTS, **options) -> nn.Module:
    """The best invariant model for a permutation representation, by size:

    * `UniversalInvariantNetwork` of order 2 while its layers fit (n^4 ≤ ``max_pair_weights``): on
      SymmetricSet (S_8) it was below the MLP on the engine's 8 generators by 2.2–9.6× and below
      DeepSets by 2.1–4.3× at every size from 30 to 3000 samples (3 seeds,
      ``benchmarks/results/sets.md``);
    * else the polynomial route — an MLP on the engine's minimal generators — when the invariant ring
      has at most ``max_generators`` generators (large n, small rings such as S_n's power sums);
    * else the order-1 network (G-equivariant layers on R^n: linear cost in n², any G).

    Example:
        >>> type(set_model("cyclic(6, form='permutation'):v")).__name__
        'UniversalInvariantNetwork'
    """
    from invariants import invariant_ring
    from invariants.errors import TooLargeError
    from neural.models import InvariantModel
    rep = as_permutation_rep(rep)
    if rep.dim ** 4 <= max_pair_weights:
        return UniversalInvariantNetwork(rep, 2, out_size, **options)
    try:
        small = len(invariant_ring(rep).generators) <= max_generators
    except TooLargeError:
        small = False
    if small:
        return InvariantModel(rep, out_size, normalize="root", path=None, **options)
    return UniversalInvariantNetwork(rep, 1, out_size, **options)
