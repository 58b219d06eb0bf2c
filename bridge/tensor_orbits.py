"""The engine's orbits of a permutation group on index tuples, as the index tensors of equivariant
linear layers on (R^n)^{⊗k} (see `invariants.groups.finite.tensor_orbits`).

Example:
    >>> from invariants import symmetric
    >>> labels, count, rows = orbit_basis(symmetric(3).natural(), 1, 1)
    >>> labels.tolist(), count      # the identity and the all-ones part: DeepSets' layer
    ([[0, 1, 1], [1, 0, 1], [1, 1, 0]], 2)
"""
from __future__ import annotations

import torch

from invariants.catalogue.spec import load_spec
from invariants.groups.finite.tensor_orbits import MAX_TUPLES, generator_permutations, tensor_orbits
from invariants.groups.representation import Representation, as_representation


def as_permutation_rep(rep: Representation | str | dict) -> Representation:
    """A representation, or a spec of one (``"symmetric(5):v"``, ``"cyclic(6, form='permutation'):v"``; a
    group stands for its natural representation)."""
    return as_representation(rep if isinstance(rep, Representation) else load_spec(rep))


def orbit_basis(rep: Representation | str | dict, order_in: int, order_out: int, *,
                max_tuples: int = MAX_TUPLES) -> tuple[torch.Tensor, int, torch.Tensor]:
    """``labels`` ``(n^order_out, n^order_in)``: the orbit of each (output index, input index) pair, i.e.
    which basis map of Hom_G((R^n)^{⊗order_in}, (R^n)^{⊗order_out}) the entry belongs to; ``count``
    the dimension of that space; ``rows`` ``(n^order_out, count)``: how many entries of each output
    row belong to each orbit (0 where none)."""
    rep = as_permutation_rep(rep)
    orbits = tensor_orbits(rep, order_out + order_in, max_tuples=max_tuples)
    n = rep.dim
    labels = torch.from_numpy(orbits.labels.reshape(n ** order_out, n ** order_in).copy())
    rows = torch.zeros(labels.shape[0], orbits.count, dtype=torch.int64)
    rows.scatter_add_(1, labels, torch.ones_like(labels))
    return labels, orbits.count, rows


def permutation_images(rep: Representation | str | dict) -> torch.Tensor:
    """``(generators, n)``: the permutation π of each generator (it sends coordinate i to π(i))."""
    return torch.stack([torch.from_numpy(p) for p in generator_permutations(as_permutation_rep(rep))])
