"""Exact kernel bases and group actions on a lattice, as float arrays for convolution layers.

The engine solves Hom_G(P ⊗ ρ_in, ρ_out) exactly (`invariants.covariants.kernels`); this module
turns a solution into an array ``(basis, d_out, d_in, 2r+1, …)`` laid out as torch's convolution
weights (lattice coordinates = array axes, offsets from the stencil's centre), and keeps the exact
entries on disk beside the compiled generator sets, keyed by the group, both field types and the
stencil, so a network's second construction reads them back.

Example:
    >>> from invariants import dihedral
    >>> G = dihedral(4)
    >>> kernel_basis_array(G.natural(), G.atom("0"), G.regular(), 1).shape
    (9, 8, 1, 3, 3)
"""
from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from bridge.cache import cached_value
from invariants.covariants.kernels import invariant_vectors, kernel_basis, listed_elements, stencil
from invariants.errors import InputError
from invariants.groups.representation import Representation
from invariants.parse import parse_number

FORMAT = "molien.kernel-basis/1"


def kernel_basis_array(space: Representation, rho_in: Representation, rho_out: Representation,
                       radius: int) -> np.ndarray:
    """Basis kernels on the (2·radius+1)^n stencil, each divided by its Frobenius norm (a positive
    scalar: the span and its equivariance are exact), as float64."""
    dims = space.dim
    side = 2 * radius + 1
    key = ["kernel", space.spec_or_none, rho_in.spec_or_none, rho_out.spec_or_none, radius]

    def compute() -> list:
        basis = kernel_basis(space, rho_in, rho_out, stencil(radius, dims))
        return [[(i, r, c, text) for i, k in enumerate(kernel) for r, c, text in k.nonzero_texts()]
                for kernel in basis.elements]

    def valid(i: Any, r: Any, c: Any, text: Any) -> bool:
        return (all(isinstance(v, int) for v in (i, r, c)) and 0 <= i < side ** dims and 0 <= r < rho_out.dim
                and 0 <= c < rho_in.dim and isinstance(text, str))

    entries = _cached(key, compute, lambda value: all(valid(*e) for kernel in value for e in kernel))
    out = np.zeros((len(entries), rho_out.dim, rho_in.dim, side ** dims))
    for b, kernel in enumerate(entries):
        for i, r, c, text in kernel:
            out[b, r, c, i] = _number(text)
    norms = np.sqrt((out ** 2).sum(axis=(1, 2, 3)))
    out /= norms[:, None, None, None]
    return out.reshape((len(entries), rho_out.dim, rho_in.dim) + (side,) * dims)


def bias_basis_array(rho: Representation) -> np.ndarray:
    """The fixed vectors of ρ (what a bias of a field of type ρ may be), unit length, rows."""
    vectors = _cached(["bias", rho.spec_or_none],
                      lambda: [[str(rho.field.to_sympy(row[0])) for row in v.entries()] for v in invariant_vectors(rho)],
                      lambda value: all(len(v) == rho.dim and all(isinstance(x, str) for x in v) for v in value))
    out = np.array([[_number(x) for x in v] for v in vectors], dtype=float).reshape(len(vectors), rho.dim)
    return out / np.linalg.norm(out, axis=1, keepdims=True) if len(out) else out


def group_elements(space: Representation) -> list[Any]:
    """The group's elements in a fixed order (the order of `action_arrays` and `lattice_arrays`)."""
    return listed_elements(space.group)


def lattice_arrays(space: Representation) -> np.ndarray:
    """The lattice action of every element, ``(|G|, n, n)`` integers (refused when not integral)."""
    mats = [space(g) for g in group_elements(space)]
    out = np.zeros((len(mats), space.dim, space.dim), dtype=np.int64)
    for e, m in enumerate(mats):
        for i, row in enumerate(m.entries()):
            for j, a in enumerate(row):
                if a[0].q != 1 or any(x != 0 for x in a[1:]):
                    raise InputError(f"{space.group.name} does not act on the lattice by integer matrices: "
                                     "use a steerable convolution")
                out[e, i, j] = int(a[0].p)
    return out


def action_arrays(space: Representation, rho: Representation) -> np.ndarray:
    """ρ(g) for every element g (in `group_elements` order), ``(|G|, d, d)`` float64."""
    return np.stack([rho(g).to_numpy(float) for g in group_elements(space)])


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> float:
    try:
        return float(Fraction(text))
    except ValueError:
        return float(parse_number(text))


def _cached(key: list, compute: Callable[[], list], valid: Callable[[list], bool]) -> list:
    if any(part is None for part in key):
        return compute()  # a representation without a spec has no stable key: computed each time

    def decode(data: dict) -> list:
        value = data["value"]
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value) or not valid(value):
            raise TypeError("a damaged kernel basis file")
        return value

    return cached_value("kernels", FORMAT, key, compute, lambda value: {"value": value}, decode)
