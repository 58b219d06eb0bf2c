"""Primary invariants: homogeneous systems of parameters (hsops), chosen and proven.

p_1 … p_n (n = dim V) is an hsop of the invariant ring R when R is a finite module over
K[p_1 … p_n], i.e. when the only common zero of the p_i over the algebraic closure is 0.
Candidates come in increasing order of ∏ d_i (fewer secondaries); each accepted choice
carries a proof:

- ``polynomial ring``: the Molien series is ∏ 1/(1 − t^{d_i}) and the p_i are algebraically
  independent (Jacobian determinant ≠ 0 at an exact rational point), so K[p] = R;
- ``groebner``: a Gröbner basis over QQ (degrevlex) of (p_1 … p_n) has a pure power of every
  variable among its leading monomials, so K[x]/(p) is finite-dimensional;
- ``fibre dimension`` (compact groups, m = dim R^G < n): dim V(p_1 … p_m) = n − m, read
  off a Gröbner basis; see `_fibre_dimension_proof`;
- ``resultant``: in two variables, the resultant of the two binary forms is non-zero, so they
  have no common zero on P^1.
"""
from __future__ import annotations

import itertools
from math import prod
from typing import Callable, Sequence

from flint import fmpq_mpoly

from invariants.polynomials.ideals import (HsopProof, binary_resultant, groebner_leading_monomials,
                                           groebner_pure_powers, jacobian_nonzero, monomial_ideal_dimension,
                                           norm_to_rationals)
from invariants.polynomials.ring import PolynomialRing
from invariants.series.hilbert import HilbertSeries


def candidate_degrees(series: HilbertSeries, n: int, available: Callable[[int], int],
                      max_degree: int, limit: int = 200_000) -> list[tuple[int, ...]]:
    """Degree sequences d_1 ≤ … ≤ d_n for which H(t)∏(1 − t^{d_i}) is a polynomial with
    non-negative coefficients and each degree has enough invariants, by increasing ∏ d_i."""
    degrees = [d for d in range(1, max_degree + 1) if available(d) > 0]
    out = []
    for step, combo in enumerate(itertools.combinations_with_replacement(degrees, n)):
        if step > limit:
            break
        if any(combo.count(d) > available(d) for d in set(combo)):
            continue
        try:
            numerator, _ = series.form(list(combo))
        except Exception:  # not a multiple of the denominator
            continue
        if min(numerator) >= 0:
            out.append(combo)
    out.sort(key=lambda c: (prod(c), sum(c), c))
    return out


def prove_hsop(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], polynomial_ring: bool = False,
               groebner_limit: int = 400) -> HsopProof | None:
    """A proof that ``polys`` is an hsop, or None when none of the available methods applies."""
    n = ring.n
    point = jacobian_nonzero(ring, polys)
    if point is None:
        return None  # algebraically dependent (almost surely): not a system of parameters
    if polynomial_ring:
        return HsopProof("polynomial ring", f"Jacobian of full rank at {list(map(str, point))}, "
                                            "and the Molien series is prod 1/(1 - t^d_i)")
    if len(polys) < n:
        return _fibre_dimension_proof(ring, polys, groebner_limit)
    if n == 1:
        return HsopProof("one variable", "a non-zero form in one variable vanishes only at 0")
    if n == 2:
        res = binary_resultant(ring, polys[0], polys[1])
        if res:
            return HsopProof("resultant", "the resultant of the two binary forms is non-zero")
        return None
    if all(ring.is_rational(p) for p in polys):
        powers = groebner_pure_powers(ring, polys, groebner_limit)
        if powers is not None:
            return HsopProof("groebner", "degrevlex Groebner basis over QQ contains leading terms "
                             + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)))
        return None
    norms = [norm_to_rationals(ring, p) for p in polys]
    powers = groebner_pure_powers(ring, norms, groebner_limit)
    if powers is not None:
        return HsopProof("groebner of norms", "the norms N(p_i) = prod over conjugates (rational forms vanishing "
                         "wherever p_i does) have a degrevlex Groebner basis over QQ with leading terms "
                         + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)) + ", so V(p) ⊆ V(N(p)) = {0}")
    return None


def _fibre_dimension_proof(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int) -> HsopProof | None:
    """m = dim R^G invariants of a reductive group with dim V(p) = n − m form an hsop of R^G.

    Why: otherwise p vanishes on a curve C through 0 in the quotient V//G, and every fibre of
    V → V//G over the image has dimension ≥ n − m, so V(p) ⊇ π⁻¹(C) would have dimension
    > n − m.  The dimension of V(p) is read off a Gröbner basis (that of its leading terms)."""
    if not all(ring.is_rational(p) for p in polys):
        return None
    leads = groebner_leading_monomials(ring, polys, limit)
    if leads is None:
        return None
    n, m = ring.n, len(polys)
    dim = monomial_ideal_dimension(leads, n)
    if dim != n - m:
        return None
    return HsopProof("fibre dimension", f"a degrevlex Groebner basis of (p) has {len(leads)} leading terms and "
                     f"dim V(p) = {dim} = dim V - dim R^G, so R^G is finite over K[p]")


