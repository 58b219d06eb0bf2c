"""A finite group's elements, exactly: multiplication table, inverses, and ρ(g) as float64 matrices.

The engine lists the elements (`invariants.covariants.kernels.group_elements`, the order every
layer of molien uses) and evaluates ρ on each exactly; only the final ρ(g) are rounded to float64.
The table is exact: for each generator s the products s·h are exact matrix products looked up
among the elements (|G|·k products), and a row g = s·g' of the table is row g' relabelled by s,
walking a spanning tree of the Cayley graph from the identity.

A complex representation (Q8's natural one lives over QQ(i)) is refused unless ``realify=True``,
which lets it act on R^{2n} in the coordinates (Re z₀, Im z₀, Re z₁, …).  A ``dim`` larger than
ρ's adds trivial coordinates (ρ ⊕ 1^{dim−n}), a smaller one is refused.

Example:
    >>> from invariants import symmetric
    >>> t = group_table(symmetric(3).natural())
    >>> t.order, t.matrices.shape, len(t.generators)
    (6, (6, 3, 3), 2)
    >>> s = t.generators[0]                                   # a transposition
    >>> int(t.table[s, s]) == t.identity, int(t.inverses[s]) == s
    (True, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from invariants.covariants.kernels import element_images, group_elements
from invariants.errors import InputError, MolienError, NotHomomorphismError, TooLargeError
from invariants.groups.representation import Representation
from invariants.linalg.matrix import Matrix

MAX_ORDER = 4096  # the table has |G|² entries


@dataclass(frozen=True)
class GroupTable:
    """``matrices[g]`` = ρ(g) (float64, (|G|, d, d)); ``table[g, h]`` = index of gh; ``inverses[g]`` =
    index of g⁻¹; ``generators`` = indices of the group's generators, in the order it was given them."""

    matrices: np.ndarray
    table: np.ndarray
    inverses: np.ndarray
    identity: int
    generators: tuple[int, ...]

    @property
    def order(self) -> int:
        return len(self.matrices)


def group_table(rep: Representation, *, dim: int | None = None, realify: bool = False,
                max_order: int = MAX_ORDER) -> GroupTable:
    """The table of ``rep``'s group and its float64 matrices (see the module docstring)."""
    check_finite_real(rep, realify)
    group = rep.group
    order = group.order()
    if order > max_order:
        raise TooLargeError(f"{group.name} has {order} elements and its table {order}² entries, refused past "
                            f"max_order={max_order}; pass max_order={order} to allow it",
                            estimate=float(order), option="max_order")
    elements = group_elements(group, max_order)
    index = {m: i for i, m in enumerate(elements)}
    identity = index[Matrix.identity(elements[0].nrows, elements[0].field)]
    generators = tuple(index[s] for s in group.generator_elements())
    left = {s: np.array([index[elements[s] @ h] for h in elements], dtype=np.int64) for s in set(generators)}
    table = np.full((order, order), -1, dtype=np.int64)
    table[identity] = np.arange(order)
    frontier = [identity]
    while frontier:
        nxt = []
        for g in frontier:
            for s in generators:
                sg = int(left[s][g])
                if table[sg, 0] < 0:
                    table[sg] = left[s][table[g]]  # (s·g)·h = s·(g·h)
                    nxt.append(sg)
        frontier = nxt
    inverses = np.argmax(table == identity, axis=1)
    matrices = _real_matrices(rep, realify, max_order)
    matrices = _padded(matrices, dim, rep)
    _check_homomorphism(matrices, table, generators, rep)
    return GroupTable(matrices, table, inverses, identity, generators)


def check_finite_real(rep: Representation, realify: bool) -> None:
    """Refuse what has no finite table of real matrices, naming the fix."""
    if not isinstance(rep, Representation):
        raise InputError(f"a neural group action needs an engine Representation (e.g. cyclic(5).natural(), "
                         f"symmetric(3).natural(), G.regular()), got {type(rep).__name__}")
    if not isinstance(rep.group.order(), int):  # a compact group has no finite order
        raise InputError(f"{rep.group.name} is not a finite group: a neural group action keeps one network per "
                         "element; give a finite group by its generators (e.g. a finite subgroup such as cyclic(n))")
    if rep.field.characteristic:
        raise InputError(f"{rep} lives over {rep.field.name}, a field of characteristic {rep.field.characteristic}: "
                         "a neural action needs real matrices; use a representation over QQ or a number field")
    if not realify and not _real_images(rep):
        raise InputError(f"{rep} lives over {rep.field.name}, which is not real: pass realify=True to act on "
                         f"R^{2 * rep.dim} by (Re z, Im z) pairs, or use a real representation such as G.regular()")


def _real_images(rep: Representation) -> bool:
    """Whether every ρ(s) is a real matrix (a regular representation over QQ(i) is: its field is not)."""
    if rep.field.is_real or all(m.is_rational() for m in rep.images):
        return True
    return all(sympy.simplify(sympy.im(rep.field.to_sympy(a))) == 0 for m in rep.images for row in m.entries()
               for a in row)


def check_unimodular(rep: Representation, tolerance: float = 1e-9) -> None:
    """Refuse ρ with |det ρ(s)| ≠ 1 for a generator s (then N_s cannot preserve volume).

    For a finite group this always holds (det ρ(g) is a root of unity); the check guards images
    given with ``check=False``, before the engine is asked to enumerate them."""
    for i, m in enumerate(rep.images):
        value = abs(complex(np.linalg.det(m.to_numpy())))
        if abs(value - 1.0) > tolerance:
            raise InputError(f"volume_preserving=True needs |det ρ(g)| = 1, but generator {i} of {rep.group.name} "
                             f"has |det ρ| = {value:.6g}: pass volume_preserving=False, or a representation by "
                             "permutation or orthogonal matrices")


def _real_matrices(rep: Representation, realify: bool, max_order: int) -> np.ndarray:
    try:
        images = element_images(rep, max_order=max_order)
    except MolienError:
        raise
    except ValueError as error:  # the engine's word for images given with check=False that do not fit
        raise NotHomomorphismError(f"the images of {rep} do not define a representation of {rep.group.name} "
                                   f"({error}): build it with check=True, which says which relation fails") from error
    mats = np.stack([m.to_numpy() for m in images])
    if not realify:
        return mats.real.astype(np.float64)  # real entries of a non-real field come back complex
    mats = mats.astype(np.complex128)
    order, n, _ = mats.shape
    out = np.zeros((order, 2 * n, 2 * n))
    out[:, 0::2, 0::2], out[:, 0::2, 1::2] = mats.real, -mats.imag  # z ↦ (a + ib) z on (Re z, Im z)
    out[:, 1::2, 0::2], out[:, 1::2, 1::2] = mats.imag, mats.real
    return out


def _padded(mats: np.ndarray, dim: int | None, rep: Representation) -> np.ndarray:
    order, n, _ = mats.shape
    if dim is None or dim == n:
        return mats
    if dim < n:
        raise InputError(f"ρ acts on R^{n} but dim={dim}: the data must have ρ's dimension; pass dim={n} and pad "
                         f"the data with {n - dim} constant coordinates, or choose a representation of dimension "
                         f"<= {dim} (e.g. {rep.group.name}'s natural one)")
    out = np.zeros((order, dim, dim))
    out[:, :n, :n] = mats
    out[:, range(n, dim), range(n, dim)] = 1.0  # ρ ⊕ trivial: the extra coordinates are fixed by G
    return out


def _check_homomorphism(mats: np.ndarray, table: np.ndarray, generators: tuple[int, ...], rep: Representation,
                        tolerance: float = 1e-9) -> None:
    scale = max(1.0, float(np.abs(mats).max()))
    for s in set(generators):
        error = float(np.abs(mats[s] @ mats - mats[table[s]]).max())
        if error > tolerance * scale ** 2:
            raise NotHomomorphismError(f"ρ(s)ρ(h) ≠ ρ(sh) for a generator s of {rep.group.name} (error {error:.3g}): "
                                       "build the representation with check=True, which verifies the images")
