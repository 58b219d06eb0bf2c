"""Graphs of particles in torch_geometric's conventions: nodes of a batch stacked, ``edge_index``
(2, E) whose columns (i, j) carry a message from j to i, and a ``batch`` vector naming each
node's graph.  torch_geometric itself is optional: `as_graph` also reads its ``Data`` objects.

Example:
    >>> edges = fully_connected(3, 2)          # two graphs of 3 nodes, 6 directed edges each
    >>> edges.shape, edges[:, :3].tolist()
    (torch.Size([2, 12]), [[0, 0, 1], [1, 2, 0]])
"""
from __future__ import annotations

from typing import Any

import torch

from invariants.errors import InputError, ShapeError, TooLargeError, check_int

MAX_PAIRS = 250_000_000   # node pairs one call may form (a dense N × N distance matrix, or the edges of complete graphs)


def _check_pairs(pairs: int, what: str) -> None:
    if pairs > MAX_PAIRS:
        raise TooLargeError(f"{what} forms {pairs:,} node pairs, above MAX_PAIRS = {MAX_PAIRS:,} (a dense table of "
                            "them); split the batch, or raise neural.graph.graph.MAX_PAIRS", estimate=pairs,
                            option="neural.graph.graph.MAX_PAIRS")


def fully_connected(nodes: int, graphs: int = 1, device: Any = None) -> torch.Tensor:
    """Every ordered pair i ≠ j within each of ``graphs`` graphs of ``nodes`` nodes (stacked)."""
    for name, value in (("nodes", nodes), ("graphs", graphs)):
        check_int(value, f"fully_connected: {name}", 1)
    _check_pairs(nodes * nodes * graphs, f"fully_connected({nodes}, {graphs})")
    i, j = torch.meshgrid(torch.arange(nodes, device=device), torch.arange(nodes, device=device), indexing="ij")
    keep = i != j
    base = torch.stack([i[keep], j[keep]])
    offsets = (torch.arange(graphs, device=device) * nodes).repeat_interleave(base.shape[1])
    return base.repeat(1, graphs) + offsets


def radius_graph(positions: torch.Tensor, radius: float, batch: torch.Tensor | None = None) -> torch.Tensor:
    """Ordered pairs i ≠ j of one graph with |x_i − x_j| < radius (dense distances per graph: fine
    up to a few thousand nodes per graph)."""
    check_positions(positions)
    _check_pairs(len(positions) ** 2, f"radius_graph on {len(positions):,} nodes")
    if not radius > 0:
        raise InputError(f"the radius is a positive distance, got {radius!r}")
    batch = torch.zeros(len(positions), dtype=torch.long, device=positions.device) if batch is None else batch
    close = (torch.cdist(positions, positions) < radius) & (batch[:, None] == batch[None, :])
    close.fill_diagonal_(False)
    return close.nonzero().T


def check_positions(positions: torch.Tensor) -> None:
    if positions.ndim != 2:
        raise ShapeError(f"positions are (nodes, dimension), got shape {tuple(positions.shape)}")
    if not torch.isfinite(positions).all():
        raise InputError("positions contain NaN or infinite coordinates: clean the data before building the graph")


def check_edges(edge_index: torch.Tensor, nodes: int) -> None:
    if edge_index.ndim != 2 or edge_index.shape[0] != 2 or edge_index.dtype not in (torch.int64, torch.int32):
        raise ShapeError(f"edge_index is an integer tensor of shape (2, edges), got {tuple(edge_index.shape)} "
                         f"{edge_index.dtype}")
    if edge_index.numel() and (edge_index.min() < 0 or edge_index.max() >= nodes):
        raise InputError(f"edge_index refers to node {int(edge_index.max() if edge_index.max() >= nodes else edge_index.min())}"
                         f" but there are {nodes} nodes (0 … {nodes - 1})")


def as_graph(data: Any) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """(positions, edge_index, batch) from a torch_geometric ``Data``/``Batch`` (``pos``, ``edge_index``, ``batch``)."""
    try:
        return data.pos, data.edge_index, getattr(data, "batch", None)
    except AttributeError:
        raise InputError("a graph is given as (positions, edge_index) tensors or an object with .pos and .edge_index "
                         "(torch_geometric's Data)") from None
