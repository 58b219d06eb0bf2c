"""Bases of the invariants of one degree, exactly, for any group.

The dimension comes first (the Hilbert series' coefficient, or a proven modular rank when the
series is out of reach), then a basis from the group's own method (`Group.invariant_basis`:
orbit sums, power sums or a fixed space for a finite group; the Lie algebra's kernel on
weight-zero monomials for a compact one), and the basis is checked to have exactly that many
elements: the result is certified.
"""
from __future__ import annotations

import functools
import math
import operator
from typing import Any, Sequence

import sympy
from flint import fmpq_mpoly

from invariants.errors import InputError, MolienError, TooLargeError
from invariants.groups.representation import Representation, as_representation
from invariants.parallel.executor import SerialExecutor, current_executor
from invariants.polynomials.echelon import echelon_basis
from invariants.polynomials.ring import PolynomialRing

DEFAULT_MAX_MONOMIALS = 20_000
ENUMERATION_FACTOR = 100  # monomials of degree d listed at most (orbit sums, weights): this x max_monomials


class InvariantSpace:
    """A basis of the degree-d invariants of a representation, with how it was found.

    ``polynomials`` are sympy expressions; ``flint`` the same as flint polynomials in ``ring``: the
    simplest basis the method gives (orbit sums, power sums of linear forms, a fixed space's
    echelon basis).  ``echelon`` is the canonical one, the reduced echelon basis of the span.
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

    @functools.cached_property
    def echelon(self) -> list[fmpq_mpoly]:
        """The reduced echelon basis of the space (leading coefficients 1, then primitive over QQ):
        unique, so two methods' spaces are equal exactly when their ``echelon`` lists are.

        Example:
            >>> from invariants.catalogue import coxeter
            >>> H3 = coxeter("H3")
            >>> invariant_space(H3, 6).echelon == invariant_space(H3, 6, method="fixed_space").echelon
            True
        """
        return echelon_basis(self.ring, self.flint)

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
                            f"computation enumerates at most; pass max_monomials={count} (CLI: --max-monomials "
                            f"{count}) to try",
                            estimate=count, option="max_monomials")


def invariant_space(group: Any, d: int, *, symbols: Sequence[sympy.Symbol] | None = None,
                    method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> InvariantSpace:
    """Like `invariants_of_degree`, returning an `InvariantSpace` (flint polynomials, method, size).

    Example:
        >>> from invariants.groups.compact import SO3
        >>> invariant_space(SO3().irrep(2), 3)
        InvariantSpace(degree=3, dim=1, method='lie_kernel')
    """
    spaces = invariant_spaces(group, [d], symbols=symbols, method=method, max_monomials=max_monomials)
    return spaces[operator.index(d)]


def invariant_spaces(group: Any, degrees: Sequence[int], *, symbols: Sequence[sympy.Symbol] | None = None,
                     method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> dict[int, InvariantSpace]:
    """`invariant_space` for several degrees: on a cluster (``with cluster(...)``,
    `invariants.parallel`) the degrees are solved side by side, one task each; the same bases.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> {d: len(space) for d, space in invariant_spaces(symmetric(4), [2, 3, 4]).items()}
        {2: 2, 3: 3, 4: 5}
    """
    spaces, failure = spaces_until_failure(as_representation(group), degrees, symbols=symbols, method=method,
                                           max_monomials=max_monomials)
    if failure is not None:
        raise failure[1]
    return spaces


def spaces_until_failure(rep: Representation, degrees: Sequence[int], *,
                         symbols: Sequence[sympy.Symbol] | None = None, method: str = "auto",
                         max_monomials: int = DEFAULT_MAX_MONOMIALS
                         ) -> tuple[dict[int, InvariantSpace], tuple[int, MolienError] | None]:
    """The spaces of the given degrees, in order, up to the first degree whose computation fails,
    and that degree with its error — the error computing them one at a time would raise, wherever
    each degree was solved (a caller that may never need the failing degree defers it)."""
    ring = PolynomialRing(rep.field, rep.dim, symbols)
    spaces: dict[int, InvariantSpace] = {}
    work: list[tuple[int, int | None]] = []
    order: list[int] = []
    failure = None
    for d in degrees:
        try:
            d = _degree(d)
            if d in order:
                continue
            found = _without_solving(rep, d, ring, max_monomials)
        except MolienError as exc:  # raised once the lower degrees are solved, as one at a time would
            failure = (d, exc)
            break
        order.append(d)
        if isinstance(found, InvariantSpace):
            spaces[d] = found
        else:
            work.append((d, found))
    # one degree to solve is solved here: a task would only add the trip
    # a task carries the representation as its spec (`invariants.catalogue.spec`): one without a spec stays here
    executor = current_executor() if len(work) > 1 and rep.spec_or_none is not None else SerialExecutor()
    # in this process the polynomials come back as they are; a task returns plain data, which pickles
    local = None if executor.distributed else ring
    solved = executor.map(functools.partial(_solve, method=method, max_monomials=max_monomials, ring=local),
                          [rep] * len(work), [d for d, _ in work], [e for _, e in work])
    for (d, expected), answer in zip(work, solved):
        if isinstance(answer, MolienError):
            failure = (d, answer)
            break
        found, how = answer
        basis = list(found) if local is not None else [ring.from_plain(p) for p in found]
        if expected is not None and len(basis) != expected:
            raise AssertionError(f"found {len(basis)} invariants of degree {d}, the Hilbert series says {expected}")  # pragma: no cover
        spaces[d] = InvariantSpace(rep, d, ring, basis, how, expected)
    return {d: spaces[d] for d in order if d in spaces}, failure


def _degree(d: Any) -> int:
    try:
        d = operator.index(d)
    except TypeError:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}") from None
    if d < 0:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}")
    return d


def _without_solving(rep: Representation, d: int, ring: PolynomialRing, max_monomials: int) -> InvariantSpace | int | None:
    """The space of degree d when it needs no solving (degree 0, the zero space, a zero Molien
    coefficient), else its expected dimension (None when unknown ahead of a basis)."""
    refuse_enumeration(rep.dim, d, max_monomials)
    if d == 0:
        return InvariantSpace(rep, 0, ring, [ring.ctx.constant(1)], "constant", 1)
    if rep.dim == 0:
        return InvariantSpace(rep, d, ring, [], "zero space", 0)
    expected = rep.group.invariant_dimension(rep, d, max_monomials=max_monomials)
    if expected == 0:
        return InvariantSpace(rep, d, ring, [], "molien", 0)
    return expected


def _solve(rep: Representation, d: int, expected: int | None, *, method: str, max_monomials: int,
           ring: PolynomialRing | None = None) -> tuple[tuple, str] | MolienError:
    """A basis of degree d by the group's own method: polynomials of ``ring`` when one is given
    (in this process), else plain data (a cluster's task); a `MolienError` is returned, so that
    the caller raises it in degree order."""
    work_ring = ring or PolynomialRing(rep.field, rep.dim)
    try:
        basis, how = rep.group.invariant_basis(rep, d, work_ring, expected=expected, method=method,
                                               max_monomials=max_monomials)
    except MolienError as exc:
        return exc
    if ring is not None:
        return tuple(basis), how
    return tuple(work_ring.to_plain(p) for p in basis), how
