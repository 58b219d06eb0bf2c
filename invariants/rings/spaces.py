"""Bases of the invariants of one degree, exactly, for any group.

The dimension comes first (the Hilbert series' coefficient, or a proven modular rank when the
series is out of reach), then a basis from the group's own method (`Group.invariant_basis`:
orbit sums, power sums or a fixed space for a finite group; the Lie algebra's kernel on
weight-zero monomials for a compact one), and the basis is checked to have exactly that many
elements: the result is certified.
"""
from __future__ import annotations

import math
import operator
from typing import Any, Sequence

import sympy
from flint import fmpq_mpoly

from invariants.errors import InputError, TooLargeError
from invariants.groups.representation import Representation, as_representation
from invariants.polynomials.ring import PolynomialRing

DEFAULT_MAX_MONOMIALS = 20_000
ENUMERATION_FACTOR = 100  # monomials of degree d listed at most (orbit sums, weights): this x max_monomials


class InvariantSpace:
    """A basis of the degree-d invariants of a representation, with how it was found.

    ``polynomials`` are sympy expressions; ``flint`` the same as flint polynomials in ``ring``.
    """

    def __init__(self, representation: Representation, degree: int, ring: PolynomialRing, basis: list[fmpq_mpoly],
                 method: str, expected: int | None):
        self.representation = representation
        self.degree = degree
        self.ring = ring
        self.flint = basis
        self.method = method
        self.expected_dimension = expected

    @property
    def polynomials(self) -> list[sympy.Expr]:
        return [self.ring.to_sympy(p) for p in self.flint]

    def __len__(self) -> int:
        return len(self.flint)

    def __repr__(self) -> str:
        return f"InvariantSpace(degree={self.degree}, dim={len(self)}, method={self.method!r})"

    def _repr_latex_(self) -> str:
        return "$" + ",\\; ".join(sympy.latex(p) for p in self.polynomials) + "$"


def invariants_of_degree(group: Any, d: int, *, symbols: Sequence[sympy.Symbol] | None = None,
                         method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> list[sympy.Expr]:
    """An exact basis of the homogeneous invariants of degree d, as sympy expressions.

    ``group`` is a group (its natural representation) or a representation.  Polynomials are in
    x0 … x{n-1} (or ``symbols``); p is invariant when p(g·x) = p(x).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> invariants_of_degree(symmetric(3), 2)
        [x0**2 + x1**2 + x2**2, x0*x1 + x0*x2 + x1*x2]
    """
    return invariant_space(group, d, symbols=symbols, method=method, max_monomials=max_monomials).polynomials


def refuse_enumeration(n: int, d: int, max_monomials: int) -> None:
    """A `TooLargeError` with the count and the knob when the monomials of degree d in n variables
    are more than a computation of invariants of that degree may list.

    Example:
        >>> refuse_enumeration(8, 30, DEFAULT_MAX_MONOMIALS)   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        invariants.errors.TooLargeError: degree 30 in 8 variables has 1.03e+07 monomials, ...
    """
    count = math.comb(n + d - 1, d) if n else int(d == 0)
    if count > ENUMERATION_FACTOR * max_monomials:
        raise TooLargeError(f"degree {d} in {n} variables has {count:.3g} monomials, more than "
                            f"{ENUMERATION_FACTOR} x max_monomials = {ENUMERATION_FACTOR * max_monomials:,} this "
                            f"computation enumerates at most; pass max_monomials={-(-count // ENUMERATION_FACTOR)} "
                            f"(command line: --max-monomials {-(-count // ENUMERATION_FACTOR)}) to try",
                            estimate=count, option="max_monomials")


def invariant_space(group: Any, d: int, *, symbols: Sequence[sympy.Symbol] | None = None,
                    method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> InvariantSpace:
    """Like `invariants_of_degree`, returning an `InvariantSpace` (flint polynomials, method, size).

    Example:
        >>> from invariants.groups.compact import SO3
        >>> invariant_space(SO3().irrep(2), 3)
        InvariantSpace(degree=3, dim=1, method='lie_kernel')
    """
    try:
        d = operator.index(d)
    except TypeError:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}") from None
    if d < 0:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}")
    rep = as_representation(group)
    refuse_enumeration(rep.dim, d, max_monomials)
    ring = PolynomialRing(rep.field, rep.dim, symbols)
    if d == 0:
        return InvariantSpace(rep, 0, ring, [ring.ctx.constant(1)], "constant", 1)
    if rep.dim == 0:
        return InvariantSpace(rep, d, ring, [], "zero space", 0)
    expected = rep.group.invariant_dimension(rep, d, max_monomials=max_monomials)
    if expected == 0:
        return InvariantSpace(rep, d, ring, [], "molien", 0)
    basis, how = rep.group.invariant_basis(rep, d, ring, expected=expected, method=method,
                                           max_monomials=max_monomials)
    if expected is not None and len(basis) != expected:
        raise AssertionError(f"found {len(basis)} invariants of degree {d}, the Hilbert series says {expected}")  # pragma: no cover
    return InvariantSpace(rep, d, ring, basis, how, expected)
