"""Equivariant message passing whose edge features are the engine's invariants and covariants.

Particles carry positions x_i in a space W (any orthogonal engine representation on R^d: ``"O(3):v"``,
``"SO(3):v"``, ``"O(2):v"``, …), ``vectors`` vector channels V_i ∈ W^C and ``scalars`` invariant
channels h_i.  On an edge j → i the engine gives, for the tuple (x_i − x_j, V_i, V_j) ∈ W^{1+2C}:

* the generators u of its invariants up to degree 3 (Gram entries; determinants for SO(3)), and
* the generators c_k of the covariants W^{1+2C} → W up to degree 2 (the vectors; cross products
  for SO(3)),

both compiled by the bridge.  The message m_ij = φ_e(h_i, h_j, u) is invariant; positions and
vectors move by mean_j Σ_k φ_k(m_ij) c_k — equivariant for every element of G, translations
included (only differences of positions enter) and permutations of the particles.  For O(3) with one
vector channel this is EGNN's layer (Satorras et al. 2021) with its hand-picked |x_i − x_j|² and
x_i − x_j replaced by everything the engine finds; for SO(3) chiral terms appear by themselves.

Example:
    >>> import torch
    >>> from neural.graph.graph import fully_connected
    >>> layer = EquivariantMessagePassing("O(3):v", scalars=2, vectors=1).double()
    >>> x, v, h = torch.randn(4, 3).double(), torch.randn(4, 1, 3).double(), torch.randn(4, 2).double()
    >>> [t.shape for t in layer(h, v, x, fully_connected(4))]
    [torch.Size([4, 2]), torch.Size([4, 1, 3]), torch.Size([4, 3])]
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

from bridge import Representation, equivariant_layer, invariant_layer, load_spec
from invariants.errors import ShapeError
from neural.graph.graph import check_edges, check_positions


def _mlp(sizes: list[int], last_activation: bool = False) -> nn.Sequential:
    layers: list[nn.Module] = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [nn.Linear(a, b), nn.SiLU()]
    return nn.Sequential(*(layers if last_activation else layers[:-1]))


def _space(space: Representation | str) -> Representation:
    return load_spec(space) if isinstance(space, str) else space


class EquivariantMessagePassing(nn.Module):
    """One layer: (h, V, x, edge_index) → (h', V', x'); see the module docstring."""

    def __init__(self, space: Representation | str, scalars: int, vectors: int, hidden: int = 64,
                 invariant_degree: int = 3, covariant_degree: int = 2):
        super().__init__()
        self.space = _space(space)
        self.dim, self.scalars, self.vectors = self.space.dim, scalars, vectors
        edge = self.space
        for _ in range(2 * vectors):
            edge = edge + self.space
        self.invariants = invariant_layer(edge, degree_bound=invariant_degree, normalize="root")
        self.covariants = equivariant_layer(edge, self.space, degree_bound=covariant_degree)
        self.count = self.covariants.polys.output_shape[0]
        size = len(self.invariants.polynomials)
        self.message = _mlp([2 * scalars + size, hidden, hidden], last_activation=True)
        self.weights = _mlp([hidden, hidden, self.count * (vectors + 1)])
        self.update = _mlp([scalars + hidden, hidden, scalars])

    def forward(self, h: torch.Tensor, v: torch.Tensor, x: torch.Tensor, edge_index: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        nodes = len(x)
        check_positions(x)
        check_edges(edge_index, nodes)
        if h.shape != (nodes, self.scalars) or v.shape != (nodes, self.vectors, self.dim) or x.shape[1] != self.dim:
            raise ShapeError(f"the layer takes scalars ({nodes}, {self.scalars}), vectors ({nodes}, {self.vectors}, "
                             f"{self.dim}) and positions ({nodes}, {self.dim}); got {tuple(h.shape)}, {tuple(v.shape)}, "
                             f"{tuple(x.shape)}")
        i, j = edge_index
        tuple_ = torch.cat([(x[i] - x[j])[:, None], v[i], v[j]], 1).flatten(1)     # (E, (1+2C) d)
        m = self.message(torch.cat([h[i], h[j], self.invariants(tuple_).to(x.dtype)], -1))
        c = self.covariants(tuple_).to(x.dtype)                                    # (E, K, d)
        w = self.weights(m).view(-1, self.vectors + 1, self.count)
        moves = torch.einsum("eak,ekd->ead", w, c)                                 # (E, 1+C, d)
        degree = torch.zeros(nodes, dtype=x.dtype, device=x.device).index_add_(0, i, torch.ones_like(i, dtype=x.dtype))
        scale = 1 / degree.clamp_min(1)
        total = torch.zeros(nodes, self.vectors + 1, self.dim, dtype=x.dtype, device=x.device).index_add_(0, i, moves)
        total = total * scale[:, None, None]
        messages = torch.zeros(nodes, m.shape[1], dtype=x.dtype, device=x.device).index_add_(0, i, m) * scale[:, None]
        return h + self.update(torch.cat([h, messages], -1)), v + total[:, 1:], x + total[:, 0]


class ParticleNetwork(nn.Module):
    """Stacked `EquivariantMessagePassing` layers predicting new positions from positions, vector
    features (velocities) and invariant node features (charges), on a batch of graphs.

    Example:
        >>> import torch
        >>> from neural.graph.graph import fully_connected
        >>> net = ParticleNetwork("O(3):v", node_features=1, vectors=1, layers=2).double()
        >>> x, v, q = torch.randn(10, 3).double(), torch.randn(10, 1, 3).double(), torch.randn(10, 1).double()
        >>> net(x, v, q, fully_connected(5, 2)).shape
        torch.Size([10, 3])
    """

    def __init__(self, space: Representation | str, node_features: int, vectors: int = 1, layers: int = 4,
                 hidden: int = 64, scalars: int = 32):
        super().__init__()
        self.embed = nn.Linear(node_features, scalars)
        self.layers = nn.ModuleList(EquivariantMessagePassing(space, scalars, vectors, hidden) for _ in range(layers))

    def forward(self, positions: torch.Tensor, vectors: torch.Tensor, features: torch.Tensor, edge_index: Any
                ) -> torch.Tensor:
        h = self.embed(features)
        v, x = vectors, positions
        for layer in self.layers:
            h, v, x = layer(h, v, x, edge_index)
        return x
