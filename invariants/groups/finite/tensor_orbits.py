"""Orbits of a permutation group on index tuples: the exact bases of its equivariant linear layers.

A finite group G acting on R^n by permutations acts on the tensors (R^n)^{⊗k} by permuting the k
indices of each entry at once.  The G-equivariant linear maps (R^n)^{⊗k} → (R^n)^{⊗l} are the G-fixed
tensors of order k + l, and those have the orbit indicators of G on [n]^{k+l} as a basis (Maron,
Ben-Hamu, Shamir, Lipman, ICLR 2019, for S_n; the argument is the same for every G ≤ S_n).  The
orbits are the connected components of the graph in which each generator joins a tuple to its image
(union–find), which is already a proof; their number is cross-checked against Burnside's count
(1/|G|) Σ_g fix(g)^{k+l} over the conjugacy classes when the group is small enough to enumerate.

Example:
    >>> from invariants import symmetric, cyclic
    >>> tensor_orbits(symmetric(4).natural(), 2).count      # S_n on pairs: the diagonal and the rest
    2
    >>> tensor_orbits(symmetric(5).natural(), 4).count      # Bell number B_4: S_n for n ≥ 4
    15
    >>> tensor_orbits(cyclic(6, form="permutation").natural(), 2).count   # C_6: one orbit per difference
    6
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from invariants.errors import InputError, TooLargeError
from invariants.groups.finite.permutation_reps import is_permutation_representation
from invariants.groups.representation import Representation

MAX_TUPLES = 1 << 24   # n^order labels as int64: 128 MB
MAX_BURNSIDE_ELEMENTS = 1 << 20   # the cross-check enumerates the group for its conjugacy classes


@dataclass(frozen=True)
class TensorOrbits:
    """The orbits of G on [n]^order: ``labels`` (shape ``(n,) * order``, values 0 … count − 1, numbered in
    order of first appearance) and Burnside's count (None when the group has more than ``max_elements``)."""

    degree: int
    order: int
    labels: np.ndarray
    count: int
    burnside: Fraction | None

    @property
    def certified(self) -> bool:
        """Burnside's count agrees (False when it was not computed)."""
        return self.burnside == self.count


def generator_permutations(rep: Representation) -> list[np.ndarray]:
    """The permutation of {0, …, n−1} each generator's image performs (ρ(g) e_i = e_{π(i)})."""
    if not is_permutation_representation(rep):
        raise InputError(f"{rep} is not a permutation representation (every generator must act by a permutation "
                         "matrix): build it from a permutation group, e.g. symmetric(n).natural() or "
                         "Representation(G, [permutation matrices])")
    perms = []
    for image in rep.images:
        rows = image.entries()
        perms.append(np.array([next(r for r in range(rep.dim) if rows[r][c] != rep.field.zero)
                               for c in range(rep.dim)], dtype=np.int64))
    return perms


def tensor_orbits(rep: Representation, order: int, *, max_tuples: int = MAX_TUPLES,
                  max_elements: int = MAX_BURNSIDE_ELEMENTS) -> TensorOrbits:
    """The orbits of the permutation representation ``rep`` acting diagonally on [n]^order, with
    Burnside's count beside them (a `TooLargeError` with the size past ``max_tuples``)."""
    if not isinstance(order, int) or order < 0:
        raise InputError(f"the tensor order must be a non-negative integer, got {order!r}")
    n = rep.dim
    size = n ** order
    if size > max_tuples:
        raise TooLargeError(f"the orbits of {rep} on [{n}]^{order} need {size} labels > max_tuples={max_tuples}; "
                            f"pass max_tuples={size} if {8 * size / 2**20:.3g} MB fit, or use a lower tensor order",
                            estimate=size, option="max_tuples")
    perms = generator_permutations(rep)
    parent = np.arange(size, dtype=np.int64)
    index = np.arange(size, dtype=np.int64).reshape((n,) * order) if order else np.zeros((), dtype=np.int64)
    for p in perms:
        # the tuple (i_1, …, i_k) goes to (π(i_1), …, π(i_k)): permute every axis by π⁻¹
        moved = index
        inverse = np.argsort(p)
        for axis in range(order):
            moved = np.take(moved, inverse, axis=axis)
        _union(parent, index.reshape(-1), moved.reshape(-1))
    roots = _find_all(parent)
    _, first, labels = np.unique(roots, return_index=True, return_inverse=True)
    renumber = np.empty(len(first), dtype=np.int64)
    renumber[np.argsort(np.argsort(first))] = np.arange(len(first))
    labels = renumber[labels].reshape((n,) * order)
    burnside = _burnside(rep, order) if rep.group.order() <= max_elements else None
    return TensorOrbits(n, order, labels, len(first), burnside)


def _union(parent: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Merge the classes of a[i] and b[i] for every i (vectorised pointer jumping until stable)."""
    while True:
        ra, rb = _find_all(parent)[a], _find_all(parent)[b]
        differ = ra != rb
        if not differ.any():
            return
        lo, hi = np.minimum(ra[differ], rb[differ]), np.maximum(ra[differ], rb[differ])
        np.minimum.at(parent, hi, lo)


def _find_all(parent: np.ndarray) -> np.ndarray:
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent[:] = grand


def _burnside(rep: Representation, order: int) -> Fraction:
    """(1/|G|) Σ_classes |C| fix(g_C)^order, fix = the trace of the permutation matrix."""
    group = rep.group
    total = 0
    for c in group.conjugacy_classes(max_elements=group.order()):
        rows = rep(c.representative).entries()
        fixed = sum(1 for i in range(rep.dim) if rows[i][i] != rep.field.zero)
        total += c.size * fixed ** order
    return Fraction(total, group.order())
