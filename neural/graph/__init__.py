"""Particles and graphs: equivariant message passing from the engine's invariants and covariants.

* `graph`: `fully_connected`, `radius_graph`, torch_geometric-style ``edge_index`` checks, `as_graph`;
* `message`: `EquivariantMessagePassing` (one layer, any orthogonal representation of any group),
  `ParticleNetwork` (positions, vectors, node features → positions);
* `egnn`: `EGNN`, the baseline from Satorras et al. (2021).
"""
from neural.graph.egnn import EGNN
from neural.graph.graph import as_graph, fully_connected, radius_graph
from neural.graph.message import EquivariantMessagePassing, ParticleNetwork

__all__ = ["fully_connected", "radius_graph", "as_graph", "EquivariantMessagePassing", "ParticleNetwork", "EGNN"]
