"""Stage 3 of an invariant ring: minimal generators, degree by degree up to a proven bound.

The bound (`generator_bound`) is the smaller of two, decided from the inputs alone:

* Noether's bound (the group's `noether_bound`, |G| in characteristic 0), used without any hsop
  when it is no larger than the Hironaka bound the Hilbert series suggests (the degrees of its own
  ∏(1 − t^d) form);
* for a proven hsop p, the largest primary degree or the top degree of H(t)∏(1 − t^{d_i}): the
  algebra generated up to there holds the primaries and secondaries, hence R = ⊕ s_j K[p].

In each degree d the generated part of R_d is spanned by g·b (a generator times a basis
invariant of degree d − deg g), because R is generated in every lower degree; invariants outside
it (ranks on values at random points, `GradedInvariants.choose`) are new generators.  A rank that
reaches dim R_d proves generation in degree d; minimality is confirmed at independent points.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from flint import fmpq_mpoly

from invariants.progress import progress_bar
from invariants.rings.context import GradedInvariants, degree
from invariants.rings.primaries import Primaries

NOETHER = "Noether's bound: in characteristic 0, R is generated in degrees <= |G|"
HIRONAKA = ("the largest primary/secondary degree (secondary degrees from H(t)∏(1 − t^d_i) for the proven "
            "hsop): the algebra generated up to there holds R = ⊕ s_j K[p]")
POLYNOMIAL = "R = K[primaries], a polynomial ring"


@dataclass(frozen=True)
class GeneratorBound:
    """A degree up to which generators of R lie, and why."""

    degree: int
    reason: str
    kind: str = "noether"  # "noether", "hironaka", "polynomial ring" or "theorem"


@dataclass(frozen=True)
class Generators:
    """Minimal generators, their degrees, the bound searched to, and in every degree d <= bound the
    pair (dim R_d, dimension of the part they generate): equal pairs prove generation."""

    polys: tuple[fmpq_mpoly, ...]
    degrees: tuple[int, ...]
    bound: GeneratorBound
    dimensions: tuple[tuple[int, int, int], ...]

    @property
    def certified(self) -> bool:
        return all(a == b for _, a, b in self.dimensions)


@dataclass(frozen=True)
class GenerationCheck:
    """The outcome of `check_generators`: dim R_d against the dimension of the algebra the
    candidates generate, degree by degree up to ``bound``."""

    complete: bool
    first_missing_degree: int | None
    dimensions: list[tuple[int, int, int]]
    bound: int
    reason: str = ""  # why generation up to ``bound`` is generation of R

    def __str__(self) -> str:
        if self.complete:
            return (f"complete: the candidates generate R in every degree <= {self.bound}, which proves generation"
                    + (f" ({self.reason})" if self.reason else ""))
        d, dim, got = self.dimensions[-1]
        return f"incomplete: in degree {d} they generate a space of dimension {got}, but dim R_{d} = {dim}"


def generator_bound(graded: GradedInvariants, primaries: Callable[[], Primaries]) -> GeneratorBound:
    """The degree bound for generators (see the module docstring); ``primaries`` is called only
    when Noether's bound is not the smaller one.

    Example:
        >>> from invariants import cyclic
        >>> generator_bound(GradedInvariants(cyclic(8, form="permutation").natural()), None).degree
        8
    """
    H = graded.series
    noether = graded.rep.group.noether_bound()
    if noether is not None:
        degs = H.greedy_degrees()
        suggested = max(max(degs), len(H.form(degs)[0]) - 1) if degs else None
        if suggested is None or noether <= suggested:
            return GeneratorBound(noether, NOETHER, "noether")
    prim = primaries()
    if prim.polynomial_ring:
        return GeneratorBound(max(prim.degrees, default=0), POLYNOMIAL, "polynomial ring")
    numerator, _ = H.form(list(prim.degrees))
    hironaka = max(list(prim.degrees) + [max((e for e, c in enumerate(numerator) if c), default=0)])
    if noether is not None and noether < hironaka:
        return GeneratorBound(noether, NOETHER, "noether")
    return GeneratorBound(hironaka, HIRONAKA, "hironaka")


def minimal_generators(graded: GradedInvariants, bound: GeneratorBound,
                       primaries: Primaries | None = None) -> Generators:
    """Minimal generators of R up to ``bound`` (the primaries themselves when R is the polynomial
    ring they generate, as ``bound`` then says).

    Example:
        >>> from invariants import cyclic
        >>> R = GradedInvariants(cyclic(4).natural())
        >>> minimal_generators(R, generator_bound(R, None)).degrees
        (2, 4, 4)
    """
    if bound.kind == "polynomial ring" and primaries is not None:
        degs = sorted(set(primaries.degrees))
        return Generators(primaries.polys, primaries.degrees, bound,
                          tuple((d, graded.dimension(d), graded.dimension(d)) for d in degs))
    polys, checks = generators_through(graded, bound.degree)
    return Generators(tuple(polys), tuple(degree(p) for p in polys), bound, tuple(checks))


def generators_through(graded: GradedInvariants, bound: int) -> tuple[list[fmpq_mpoly], list[tuple[int, int, int]]]:
    """Minimal generators of degree <= bound, and the dimension checks of each degree."""
    gens: list[fmpq_mpoly] = []
    degs: list[int] = []
    checks = []
    n_points = max(graded.dimension(d) for d in range(bound + 1)) + 8
    update = progress_bar("minimal generators", enabled=graded.progress, min_total=500)
    total = sum(graded.dimension(d) for d in range(1, bound + 1))  # work grows with dim R_d
    done = 0
    for d in range(1, bound + 1):
        dim = graded.dimension(d)
        done += dim
        if dim == 0:
            checks.append((d, 0, 0))
            continue
        basis = graded.basis(d)  # the echelon basis: its elements are the simplest (monomials for a torus)
        idx, spanned = graded.choose(
            dim, functools.partial(graded.generated_values, list(gens), list(degs), d), list(basis), None,
            functools.partial(graded.products, list(gens), list(degs), d),
            candidate_values=functools.partial(graded.basis_values, d), confirm=True, n_points=n_points)
        picked = [basis[k] for k in idx]
        gens += picked
        degs += [d] * len(picked)
        checks.append((d, dim, spanned))
        update(done, total)
    return gens, checks


def check_generators(graded: GradedInvariants, polys: Sequence[fmpq_mpoly], bound: GeneratorBound) -> GenerationCheck:
    """Do these invariants generate R?  Compared degree by degree with the Hilbert series up to the
    proven bound (an algebra containing R up to that degree contains all of R)."""
    degs = [degree(p) for p in polys]
    rows = []
    n_points = max(graded.dimension(d) for d in range(bound.degree + 1)) + 8
    for d in range(1, bound.degree + 1):
        dim = graded.dimension(d)
        if dim:
            same = [p for p, dp in zip(polys, degs) if dp == d]

            def generated(n_points, which, d=d, same=same):
                ev = graded.evaluator(which)
                return np.vstack([graded.generated_values(polys, degs, d, n_points, which)]
                                 + [ev.value(p, n_points)[None, :] for p in same])

            _, spanned = graded.choose(dim, generated, [], None,
                                       functools.partial(graded.products, polys, degs, d), n_points=n_points)
        else:
            spanned = 0
        rows.append((d, dim, spanned))
        if spanned < dim:
            return GenerationCheck(False, d, rows, bound.degree, bound.reason)
    return GenerationCheck(True, None, rows, bound.degree, bound.reason)
