"""A finite group as a factor of a product with compact groups (e.g. SO(3) × S_k on k points).

Its component classes are its conjugacy classes (share |class|/|G|, rank 0), and a
representation's "weights" on a class are the certified eigenvalues of its representative.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from invariants.groups.finite.eigen import eigen_exponents
from invariants.errors import InputError
from invariants.linalg.matrix import Matrix
from invariants.groups.finite.representation import as_representation
from invariants.groups.compact.group import CompactGroup, ComponentClass
from invariants.groups.compact.representation import CompactRepresentation


def finite_factor(obj: Any) -> CompactRepresentation:
    """A finite group's representation (natural, or a `Representation`) as a
    `CompactRepresentation` of a rank-0 compact group, ready for ``V.outer(W)``.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> from invariants.groups.compact import SO3
        >>> from invariants import molien_series
        >>> molien_series(SO3().irrep(1).outer(finite_factor(symmetric(2))))  # two points swapped
        1/((1 - t^2)^2(1 - t^4))
    """
    rep = as_representation(obj)
    image = rep.image_group()
    classes = sorted(image.conjugacy_classes(), key=lambda c: c.order)  # the identity first
    order = image.order()
    group = CompactGroup(image.name, [ComponentClass(Fraction(c.size, order), 0, (), f"class of order {c.order}")
                                      for c in classes],
                         ("finite", str(image.field), tuple(str(g.q) for g in image.generators)), 0)
    weights = [[((), Fraction(e, c.order)) for e in eigen_exponents(c.representative, c.order)] for c in classes]
    n = rep.dim
    basis = Matrix.identity(n, rep.field)

    def element_map(g: Any) -> Matrix:
        m = g if isinstance(g, Matrix) else Matrix.from_entries(g, rep.field)
        if m not in image:
            raise InputError(f"the matrix is not an element of {image.name}")
        return m

    return CompactRepresentation(group, [], list(image.generators), basis, [], weights, rep.name, rep.field,
                                 element_map if rep.is_natural() else None)
