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
from bridge.actions import matrices, sample
from invariants.errors import InputError, ShapeError, check_int
from neural.graph.graph import check_edges, check_positions


def mlp(sizes: list[int], last_activation: bool = False) -> nn.Sequential:
    """Linear layers with SiLU between them (and after the last with ``last_activation``)."""
    layers: list[nn.Module] = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [nn.Linear(a, b), nn.SiLU()]
    return nn.Sequential(*(layers if last_activation else layers[:-1]))


def _space(space: Representation | str) -> Representation:
    return load_spec(space) if isinstance(space, str) else space


class EquivariantMessagePassing(nn.Module):
    """One layer: (h, V, x, edge_index) → (h', V', x'); see the module docstring.

    ``vectors``: C (the node features are C copies of W, shape ``(nodes, C, d)``), or a representation U
    of the same group (or its spec, e.g. ``"O(3):1o+2e"``: node features of any type, shape
    ``(nodes, U.dim)``), which then move by the engine's covariants of the edge tuple into U.
    ``body_order`` ν = 3 or 4 adds the invariants of degree ν − 1 of each node's aggregated moves (sums
    over neighbours, so ν-body terms, as in the atomic cluster expansion) to the scalar update.
    ``radial`` R > 0 adds R Gaussians of the distance |x_i − x_j| (centres evenly spaced on [0, ``cutoff``],
    widths their spacing) to the message's inputs: the polynomial invariants see a distance through its
    powers, which resolve a sharp close-range interaction poorly (the charged N-body task, 4 layers and
    R = 16: test MSE 0.0063 → 0.0055, three seeds at 200 epochs; benchmarks/results/manybody.md).  Off by
    default because it needs the data's length scale: the polynomial invariants need none."""

    def __init__(self, space: Representation | str, scalars: int, vectors: int | Representation | str = 1,
                 hidden: int = 64, invariant_degree: int = 3, covariant_degree: int = 2, edge_features: int = 0,
                 body_order: int = 2, radial: int = 0, cutoff: float = 4.0):
        super().__init__()
        if body_order not in (2, 3, 4):
            raise InputError(f"body_order is 2 (pairs), 3 or 4, got {body_order!r}")
        check_int(radial, "EquivariantMessagePassing: radial", 0)
        if not cutoff > 0:
            raise InputError(f"the radial cutoff is a positive distance, got {cutoff!r}")
        self.radial, self.cutoff = radial, float(cutoff)
        self.space = _space(space)
        if radial:
            _check_orthogonal(self.space)
        self.dim, self.scalars, self.edge_features, self.body_order = self.space.dim, scalars, edge_features, body_order
        self.typed = not isinstance(vectors, int)
        if self.typed:
            self.features, self.vectors = _space(vectors), 0
        else:
            self.features, self.vectors = _copies(self.space, vectors), vectors
        # the edge tuple (x_i − x_j, U_i, U_j) and a node's aggregated moves (W, U)
        edge = self.space + self.features + self.features if self.features is not None else self.space
        node = self.space + self.features if self.features is not None else self.space
        self.invariants = invariant_layer(edge, degree_bound=invariant_degree, normalize="root")
        self.covariants = equivariant_layer(edge, self.space, degree_bound=covariant_degree)
        self.count = self.covariants.polys.output_shape[0]
        if self.typed:
            self.feature_covariants = equivariant_layer(edge, self.features, degree_bound=covariant_degree)
            outputs = self.count + self.feature_covariants.polys.output_shape[0]
        else:
            outputs = self.count * (self.vectors + 1)
        self.message = mlp([2 * scalars + len(self.invariants.polynomials) + edge_features + radial, hidden, hidden],
                            last_activation=True)
        self.weights = mlp([hidden, hidden, outputs])
        extra = 0
        if body_order > 2:
            self.many_body = invariant_layer(node, degree_bound=body_order - 1, normalize="root")
            extra = len(self.many_body.polynomials)
        self.update = mlp([scalars + hidden + extra, hidden, scalars])

    def forward(self, h: torch.Tensor, v: torch.Tensor, x: torch.Tensor, edge_index: torch.Tensor,
                edge_attr: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        nodes = len(x)
        check_positions(x)
        check_edges(edge_index, nodes)
        shape = (nodes, self.features.dim) if self.typed else (nodes, self.vectors, self.dim)   # U typed, or W^C
        if h.shape != (nodes, self.scalars) or v.shape != shape or x.shape[1] != self.dim:
            raise ShapeError(f"the layer takes scalars ({nodes}, {self.scalars}), features {shape} and positions "
                             f"({nodes}, {self.dim}); got {tuple(h.shape)}, {tuple(v.shape)}, {tuple(x.shape)}")
        i, j = edge_index
        attr = _edge_attr(edge_attr, edge_index.shape[1], self.edge_features, x)
        flat = v.reshape(nodes, -1)
        tuple_ = torch.cat([x[i] - x[j], flat[i], flat[j]], 1)                        # (E, dim W + 2 dim U)
        m = self.message(torch.cat([h[i], h[j], self.invariants(tuple_).to(x.dtype), attr,
                                    self._radial(tuple_[:, :self.dim])], -1))
        c = self.covariants(tuple_).to(x.dtype)                                    # (E, K, d)
        w = self.weights(m)
        if self.typed:
            moves_x = torch.einsum("ek,ekd->ed", w[:, :self.count], c)
            moves_v = torch.einsum("ek,eku->eu", w[:, self.count:], self.feature_covariants(tuple_).to(x.dtype))
            moves = torch.cat([moves_x, moves_v], 1)
        else:
            moves = torch.einsum("eak,ekd->ead", w.view(-1, self.vectors + 1, self.count), c).flatten(1)
        degree = torch.zeros(nodes, dtype=x.dtype, device=x.device).index_add_(0, i, torch.ones_like(i, dtype=x.dtype))
        scale = 1 / degree.clamp_min(1)
        total = torch.zeros(nodes, moves.shape[1], dtype=x.dtype, device=x.device).index_add_(0, i, moves)
        total = total * scale[:, None]
        messages = torch.zeros(nodes, m.shape[1], dtype=x.dtype, device=x.device).index_add_(0, i, m) * scale[:, None]
        parts = [h, messages]
        if self.body_order > 2:
            parts.append(self.many_body(total).to(x.dtype))
        return (h + self.update(torch.cat(parts, -1)), v + total[:, self.dim:].reshape(v.shape),
                x + total[:, :self.dim])

    def _radial(self, r: torch.Tensor) -> torch.Tensor:
        """Gaussians of |r| (the representation is orthogonal, so |r| is invariant)."""
        if not self.radial:
            return r.new_zeros(len(r), 0)
        spacing = self.cutoff / max(self.radial - 1, 1)
        centres = torch.arange(self.radial, dtype=r.dtype, device=r.device) * spacing
        return torch.exp(-0.5 * ((r.norm(dim=-1, keepdim=True) - centres) / spacing) ** 2)


def _check_orthogonal(space: Representation) -> None:
    """|r| is invariant only if ρ(g) is orthogonal: checked on random elements."""
    rho = matrices(space, sample(space.group, 4, generator=torch.Generator().manual_seed(0)))
    eye = torch.eye(space.dim, dtype=rho.dtype)
    if not torch.allclose(rho.transpose(1, 2) @ rho, eye.expand_as(rho), atol=1e-9):
        raise InputError(f"radial features need |x_i − x_j| invariant, so an orthogonal representation; {space} is "
                         "not orthogonal: pass radial=0 (the engine's invariants stay)")


def _copies(space: Representation, count: int) -> Representation | None:
    """W^count (None for no vector channels)."""
    if count < 0:
        raise InputError(f"the number of vector channels is non-negative, got {count}")
    if count == 0:
        return None
    rep = space
    for _ in range(count - 1):
        rep = rep + space
    return rep


def _edge_attr(edge_attr: torch.Tensor | None, edges: int, width: int, like: torch.Tensor) -> torch.Tensor:
    if edge_attr is None and width == 0:
        return like.new_zeros(edges, 0)
    if edge_attr is None or edge_attr.shape != (edges, width):
        got = None if edge_attr is None else tuple(edge_attr.shape)
        raise ShapeError(f"the layer was built for edge features of shape (edges, {width}) = ({edges}, {width}); got {got}")
    return edge_attr.to(like.dtype)


class ParticleNetwork(nn.Module):
    """Stacked `EquivariantMessagePassing` layers predicting new positions from positions, vector
    features (velocities), invariant node features (charges) and optional invariant edge features
    (e.g. products of charges), on a batch of graphs.  The ``vectors`` input vector channels are mixed
    linearly into ``hidden_vectors`` channels (a linear map commutes with every group element), which
    every layer updates: more covariant channels for the same cost in invariants.  ``radial`` and
    ``cutoff`` go to every layer (Gaussians of the distances, see `EquivariantMessagePassing`).

    Example:
        >>> import torch
        >>> from neural.graph.graph import fully_connected
        >>> net = ParticleNetwork("O(3):v", node_features=1, vectors=1, layers=2).double()
        >>> x, v, q = torch.randn(10, 3).double(), torch.randn(10, 1, 3).double(), torch.randn(10, 1).double()
        >>> net(x, v, q, fully_connected(5, 2)).shape
        torch.Size([10, 3])
    """

    def __init__(self, space: Representation | str, node_features: int, vectors: int = 1, layers: int = 4,
                 hidden: int = 64, scalars: int = 32, hidden_vectors: int | None = None, edge_features: int = 0,
                 body_order: int = 2, radial: int = 0, cutoff: float = 4.0):
        super().__init__()
        channels = vectors if hidden_vectors is None else hidden_vectors
        for name, value, least in (("node_features", node_features, 0), ("vectors", vectors, 1), ("layers", layers, 1),
                                   ("hidden", hidden, 1), ("scalars", scalars, 1), ("hidden_vectors", channels, 1)):
            check_int(value, f"ParticleNetwork: {name}", least)
        self.node_features, self.vectors = node_features, vectors
        self.embed = nn.Linear(node_features, scalars)
        self.mix = nn.Linear(vectors, channels, bias=False)
        with torch.no_grad():   # the inputs pass through unchanged at the start, the extra channels are mixtures
            self.mix.weight.normal_(0, 0.5 / vectors ** 0.5)
            self.mix.weight[:min(vectors, channels)] = torch.eye(vectors)[:channels]
        self.layers = nn.ModuleList(EquivariantMessagePassing(space, scalars, channels, hidden, edge_features=edge_features,
                                                              body_order=body_order, radial=radial, cutoff=cutoff)
                                    for _ in range(layers))

    def forward(self, positions: torch.Tensor, vectors: torch.Tensor, features: torch.Tensor, edge_index: Any,
                edge_attr: torch.Tensor | None = None) -> torch.Tensor:
        nodes = len(positions)
        if vectors.shape[:2] != (nodes, self.vectors) or features.shape != (nodes, self.node_features):
            raise ShapeError(f"the network takes vectors ({nodes}, {self.vectors}, dim) and features ({nodes}, "
                             f"{self.node_features}) for {nodes} positions; got {tuple(vectors.shape)} and "
                             f"{tuple(features.shape)}")
        h = self.embed(features)
        v, x = self.mix(vectors.transpose(1, 2)).transpose(1, 2), positions
        for layer in self.layers:
            h, v, x = layer(h, v, x, edge_index, edge_attr)
        return x
