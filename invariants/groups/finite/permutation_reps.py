"""Permutation representations of a finite matrix group: the regular one and those on cosets G/H.

These are the feature types of group convolutions: a regular field carries one value per group
element (a G-CNN's rotated copies), a quotient field one value per coset (a field on G/H, such as
the plane's directions).  Both are built exactly from the action of the generators on a list of
the elements, so they refuse groups past ``max_elements``.

Example:
    >>> from invariants import dihedral
    >>> G = dihedral(4)
    >>> regular(G).dim, quotient(G, G.subgroup([G.generators[1]])).dim
    (8, 4)
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterator

from invariants.errors import InputError, TooLargeError
from invariants.groups.representation import ATOM, Representation
from invariants.linalg.matrix import Matrix

MAX_PERMUTATION_DEGREE = 4096  # a dense dim x dim image per generator: past this, a sparse design is needed
_DEGREE_LIMIT: ContextVar[int | None] = ContextVar("permutation_degree_limit", default=None)


@contextlib.contextmanager
def permutation_degree_limit(max_elements: int | None) -> Iterator[None]:
    """Within it, `regular` and `quotient` called without ``max_elements`` (as a spec's ``regular``
    atom is) allow this degree; None keeps the default.  The command line's ``--max-elements``.

    Example:
        >>> from invariants import load_spec
        >>> with permutation_degree_limit(4):
        ...     load_spec("symmetric(3):regular")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        invariants.errors.TooLargeError: a permutation representation of S3 has degree 6 > max_elements=4; ...
        >>> load_spec("symmetric(3):regular").dim
        6
    """
    token = _DEGREE_LIMIT.set(max_elements)
    try:
        yield
    finally:
        _DEGREE_LIMIT.reset(token)


def regular(group: Any, *, max_elements: int | None = None) -> Representation:
    """G on the functions on G: ρ(s) e_g = e_{sg} (refused past ``max_elements``, default
    `MAX_PERMUTATION_DEGREE` or the `permutation_degree_limit` in force)."""
    elements = _elements(group, max_elements)
    index = {g: i for i, g in enumerate(elements)}
    perms = [[index[s @ g] for g in elements] for s in group.generators]
    return _permutation_representation(group, perms, "regular")


def quotient(group: Any, subgroup: Any, *, max_elements: int | None = None) -> Representation:
    """G on the functions on the cosets G/H: ρ(s) e_{gH} = e_{sgH} (H a subgroup, or a list of its
    generators)."""
    if getattr(subgroup, "generators", None) is None:
        subgroup = group.subgroup(subgroup if isinstance(subgroup, (list, tuple)) else [subgroup])
    if subgroup.field != group.field or any(h not in group for h in subgroup.generators):
        raise InputError(f"quotient(G, H) needs a subgroup H of {group.name} over its field {group.field}: build it "
                         "with G.subgroup([...]) or pass the list of its generators")
    elements = _elements(group, max_elements)
    inner = list(subgroup.elements())
    coset_of: dict[Matrix, int] = {}
    cosets = 0
    for g in elements:
        if g not in coset_of:
            for h in inner:
                coset_of[g @ h] = cosets
            cosets += 1
    perms = [[coset_of[s @ g] for g in _coset_representatives(elements, coset_of)] for s in group.generators]
    return _permutation_representation(group, perms, None)


def is_permutation_representation(rep: Representation) -> bool:
    """Every generator acts by a permutation matrix (so pointwise functions commute with it), and a
    continuous group's Lie algebra acts by zero (no continuous family of permutations)."""
    if any(m != Matrix.zeros(*m.shape, m.field) for m in getattr(rep, "lie_algebra", ())):
        return False
    return all(m.permutation() is not None for m in rep.images)


def _elements(group: Any, max_elements: int | None) -> list[Matrix]:
    if max_elements is None:
        max_elements = _DEGREE_LIMIT.get() or MAX_PERMUTATION_DEGREE
    order = group.order()
    if order > max_elements:
        raise TooLargeError(f"a permutation representation of {group.name} has degree {order} > max_elements="
                            f"{max_elements}; pass max_elements={order} if the dense {order}x{order} images fit")
    return list(group.elements())


def _coset_representatives(elements: list[Matrix], coset_of: dict[Matrix, int]) -> list[Matrix]:
    first: dict[int, Matrix] = {}
    for g in elements:
        first.setdefault(coset_of[g], g)
    return [first[c] for c in sorted(first)]


def _permutation_representation(group: Any, perms: list[list[int]], label: str | None) -> Representation:
    field = group.field
    images = []
    for perm in perms:
        rows = [[field.zero] * len(perm) for _ in perm]
        for j, i in enumerate(perm):
            rows[i][j] = field.one
        images.append(Matrix.from_coeffs(rows, field))
    base = group.representation_from_images(images, check=False)  # a permutation action is a homomorphism
    if label is None:
        return base
    return Representation.make(group, base.images, [], dim=base.dim, field=field, text=label, precedence=ATOM,
                               element_map=base._element_map)
