"""Primary invariants: homogeneous systems of parameters (hsops), chosen and proven.

p_1 … p_n (n = dim V) is an hsop of the invariant ring R when R is a finite module over
K[p_1 … p_n], i.e. when the only common zero of the p_i over the algebraic closure is 0.
Candidates come in increasing order of ∏ d_i (fewer secondaries); each accepted choice
carries a proof:

- ``polynomial ring``: the Molien series is ∏ 1/(1 − t^{d_i}) and the p_i are algebraically
  independent (Jacobian determinant ≠ 0 at an exact rational point), so K[p] = R;
- ``quotient mod p``: K[x]/(p) vanishes in degree Σ (d_i − 1) + 1, computed over GF(p) without a
  Gröbner basis (`invariants.rings.hilbert_ideal`; vanishing mod p proves it over K);
- ``groebner``: a Gröbner basis over QQ (degrevlex) of (p_1 … p_n) has a pure power of every
  variable among its leading monomials, so K[x]/(p) is finite-dimensional;
- ``fibre dimension`` (compact groups, m = dim R^G < n): dim V(p_1 … p_m) = n − m, read
  off a Gröbner basis; see `_fibre_dimension_proof`;
- ``resultant``: in two variables, the resultant of the two binary forms is non-zero, so they
  have no common zero on P^1.
"""
from __future__ import annotations

import heapq
import random
from math import comb, prod
from typing import Callable, Iterator, Sequence

from flint import fmpq_mpoly

from invariants.polynomials.ideals import (HsopProof, binary_resultant, current_proof_limits,
                                           groebner_leading_monomials, groebner_pure_powers, jacobian_nonzero,
                                           monomial_ideal_dimension, norm_to_rationals, pure_powers)
from invariants.polynomials.ring import PolynomialRing, degree
from invariants.rings.hilbert_ideal import MAX_ENTRIES, HilbertIdealQuotient
from invariants.series.hilbert import HilbertSeries


MAX_DEGREE_SEQUENCES = 200_000  # degree sequences of a candidate hsop examined before the search stops


class CandidateDegrees:
    """Degree sequences d_1 ≤ … ≤ d_n for which H(t)∏(1 − t^{d_i}) is a polynomial with
    non-negative coefficients and each degree has enough invariants, by increasing
    (∏ d_i, Σ d_i, sequence), found as they are asked for.

    The sequences are walked cheapest first (a heap: raising one degree raises ∏ d_i), so a
    search that takes the first candidate tests only the sequences cheaper than it; sorting all
    of them first had the order-10 group on R⁷ test 7,466 numerators for 0.3 s.  At most
    ``limit`` sequences are examined (`MAX_DEGREE_SEQUENCES`); those found are kept, so a
    second pass costs nothing.

    Example:
        >>> H = HilbertSeries.from_degrees([2, 3])
        >>> list(CandidateDegrees(H, 2, lambda d: H[d], 6))[:3]
        [(2, 3), (3, 4), (2, 6)]
    """

    def __init__(self, series: HilbertSeries, n: int, available: Callable[[int], int],
                 max_degree: int, limit: int | None = None) -> None:
        self.series, self.available = series, available
        self.degrees = [d for d in range(1, max_degree + 1) if available(d) > 0]
        self.orders = series.cyclotomic_exponents() or {}
        self.limit = MAX_DEGREE_SEQUENCES if limit is None else limit
        self.examined = 0
        self.found: list[tuple[int, ...]] = []
        start = (0,) * n
        # n = 0 has the one empty sequence, as combinations_with_replacement gave it before the walk
        self._heap = [self._key(start)] if self.degrees or n == 0 else []
        self._seen = {start}

    def _key(self, index: tuple[int, ...]) -> tuple[int, int, tuple[int, ...], tuple[int, ...]]:
        combo = tuple(self.degrees[i] for i in index)
        return prod(combo), sum(combo), combo, index

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        i = 0
        while i < len(self.found) or self._advance():
            yield self.found[i]
            i += 1

    def __bool__(self) -> bool:
        return bool(self.found) or self._advance()

    def _advance(self) -> bool:
        """Walk on to the next candidate; False when none is left within the limit."""
        while self._heap and self.examined < self.limit:
            _, _, combo, index = heapq.heappop(self._heap)
            self.examined += 1
            for j in range(len(index)):
                # raising position j keeps the indices non-decreasing: every sequence is reached
                if index[j] + 1 < len(self.degrees) and (j + 1 == len(index) or index[j] < index[j + 1]):
                    nxt = index[:j] + (index[j] + 1,) + index[j + 1:]
                    if nxt not in self._seen:
                        self._seen.add(nxt)
                        heapq.heappush(self._heap, self._key(nxt))
            if self._admissible(combo):
                self.found.append(combo)
                return True
        return False

    def _admissible(self, combo: tuple[int, ...]) -> bool:
        if any(combo.count(d) > self.available(d) for d in set(combo)):
            return False
        if any(sum(1 for d in combo if d % m == 0) < k for m, k in self.orders.items()):
            return False  # ∏ (1 − t^d) is not a multiple of the denominator
        try:
            numerator, _ = self.series.form(list(combo))
        except Exception:  # not a multiple of the denominator
            return False
        return min(numerator) >= 0


SMALL_BEZOUT = 300  # up to this ∏ d_i flint's Buchberger decides faster than the quotient mod p


def prove_hsop(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], polynomial_ring: bool = False,
               groebner_limit: int = 400, max_bezout: int | None = None, cheap: bool = False) -> HsopProof | None:
    """A proof that ``polys`` is an hsop, or None when none of the available methods applies.
    ``max_bezout`` bounds ∏ d_i for the positive-dimensional Gröbner proof of fewer invariants than
    variables (None: unbounded).  ``cheap`` tries only the methods that take milliseconds (the
    Jacobian, a resultant, flint's Buchberger on sparse forms of small ∏ d_i): for a search that
    already holds a proven choice."""
    n = ring.n
    point = jacobian_nonzero(ring, polys)
    if point is None:
        return None  # algebraically dependent (almost surely): not a system of parameters
    if polynomial_ring:
        return HsopProof("polynomial ring", f"Jacobian of full rank at {list(map(str, point))}, "
                                            "and the Molien series is prod 1/(1 - t^d_i)")
    if len(polys) < n:
        return _fibre_dimension_proof(ring, polys, groebner_limit, max_bezout)
    if n == 1:
        return HsopProof("one variable", "a non-zero form in one variable vanishes only at 0")
    if n == 2:
        res = binary_resultant(ring, polys[0], polys[1])
        if res:
            return HsopProof("resultant", "the resultant of the two binary forms is non-zero")
        return None
    rational = all(ring.is_rational(p) for p in polys)
    if rational and prod(degree(p) for p in polys) <= SMALL_BEZOUT and _sparse(n, polys):
        leads = groebner_leading_monomials(ring, polys, groebner_limit)
        if leads is not None:  # the basis is complete: it decides
            powers = pure_powers(leads, n)
            return None if powers is None else _groebner_proof(powers)
    if cheap:
        return None
    proof, decided = quotient_proof(ring, polys)
    if decided:  # proven, or a quotient larger than a complete intersection's: no Gröbner basis
        return proof
    if rational:
        powers = groebner_pure_powers(ring, polys, groebner_limit)
        return None if powers is None else _groebner_proof(powers)
    norms = [norm_to_rationals(ring, p) for p in polys]
    powers = groebner_pure_powers(ring, norms, groebner_limit)
    if powers is not None:
        return HsopProof("groebner of norms", "the norms N(p_i) = prod over conjugates (rational forms vanishing "
                         "wherever p_i does) have a degrevlex Groebner basis over QQ with leading terms "
                         + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)) + ", so V(p) ⊆ V(N(p)) = {0}")
    return None


def _sparse(n: int, polys: Sequence[fmpq_mpoly]) -> bool:
    """At most half the monomials of their degrees (orbit sums, say): there flint's Buchberger
    over QQ decides small products of degrees fast.  Dense forms (the same group in a
    non-permutation basis) make its coefficients explode: an order-36 group on R^6 with primaries
    of degrees 1, 2, 2, 3, 4, 6 ran past 60 s there and are proven by the quotient mod p in about
    a second (2.6 s for the whole decomposition)."""
    forms = [p for p in polys if degree(p) >= 2]
    return 2 * sum(len(p.coeffs()) for p in forms) <= sum(comb(n + degree(p) - 1, degree(p)) for p in forms)


def _groebner_proof(powers: Sequence[int]) -> HsopProof:
    return HsopProof("groebner", "degrevlex Groebner basis over QQ contains leading terms "
                     + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)))


def complete_intersection_dimensions(n: int, degrees: Sequence[int]) -> list[int]:
    """dim (K[x]/(p))_d for d = 0 … Σ (d_i − 1) when p_1 … p_n (of these degrees) are an hsop:
    the coefficients of ∏ (1 − t^{d_i}) / (1 − t)^n.

    Example:
        >>> complete_intersection_dimensions(2, [2, 3])
        [1, 2, 2, 1]
    """
    top = sum(d - 1 for d in degrees)
    poly = [1] + [0] * top
    for d in degrees:  # times 1 + t + … + t^(d − 1) = (1 − t^d)/(1 − t)
        poly = [sum(poly[max(k - d + 1, 0):k + 1]) for k in range(top + 1)]
    return poly


def quotient_cost(n: int, degrees: Sequence[int]) -> int:
    """The largest relation matrix (entries) `quotient_proof` builds for an hsop of these degrees."""
    dims = complete_intersection_dimensions(n, degrees)
    return max((comb(n, 2) * dims[d - 2] * n * dims[d - 1] for d in range(2, len(dims) + 1)), default=0)


def quotient_proof(ring: PolynomialRing, polys: Sequence[fmpq_mpoly]) -> tuple[HsopProof | None, bool]:
    """An hsop proof by the vanishing of K[x]/(p) in degree Σ (d_i − 1) + 1 over GF(p), and
    whether the quotient decided: (proof, True); (None, True) when the quotient mod p outgrows a
    complete intersection's (not an hsop, unless the prime is unlucky: the caller tries other
    candidates); (None, False) when it cannot be computed (larger than `MAX_ENTRIES` allows)."""
    n = ring.n
    degrees = [degree(p) for p in polys]
    if len(polys) != n or 0 in degrees or quotient_cost(n, degrees) > MAX_ENTRIES:
        return None, False
    expected = complete_intersection_dimensions(n, degrees)
    try:
        quotient = HilbertIdealQuotient.over(ring)
        if quotient is None:
            return None, False
        for d in range(1, len(expected) + 1):
            h = quotient.advance([p for p, e in zip(polys, degrees) if e == d])
            if h == 0:
                return HsopProof("quotient mod p", f"K[x]/(p) over GF({quotient.p}) has dimensions "
                                 f"{[1] + expected[1:d]} in degrees 0..{d - 1} and 0 in degree {d} "
                                 "(a reduction mod p only makes the quotient larger), so it is finite",
                                 quotient), True
            if d == len(expected) or h > expected[d]:
                return None, True
    except ZeroDivisionError:
        return None, False
    return None, True


SLICE_ENTRY = 1 << 31  # the slice's random entries: 1 … this, never 0 (a zero meets coordinate subspaces)


def _slice_proof(ring: PolynomialRing, polys: Sequence[fmpq_mpoly]) -> tuple[HsopProof | None, bool]:
    """dim V(p) ≤ n − m from p restricted to an m-dimensional subspace L mod a prime: when
    K[L]/(p|_L) is finite over GF(q), V(p) meets L only in 0 over the algebraic closure of GF(q),
    so dim V(p) ≤ n − m there; the fibre dimension of the cone of p over Spec Z only grows under
    reduction mod a prime (upper semicontinuity for the proper Proj), so dim V(p) ≤ n − m over QQ
    too.  L is spanned by the columns of [I_m; random positive integers]: of rank m modulo every
    prime.  (proof, True) when proven; (None, False) otherwise — the quotient too large to compute,
    the field not QQ, or the slice unlucky or p not an hsop, which only a Gröbner basis decides."""
    n, m = ring.n, len(polys)
    if ring.field.characteristic or ring.field.degree != 1 or not 0 < m < n:
        return None, False
    small = PolynomialRing(ring.field, m)
    rng = random.Random(n * 1009 + m)
    rows = [[int(i == j) for j in range(m)] for i in range(m)]
    rows += [[rng.randint(1, SLICE_ENTRY) for _ in range(m)] for _ in range(n - m)]
    images = [small.linear_form([ring.field.parse(v) for v in row]) for row in rows]
    proof, _ = quotient_proof(small, [p.compose(*images, ctx=small.ctx) for p in polys])
    if proof is None:
        return None, False
    return HsopProof("fibre dimension by a slice mod p", f"restricted to the span of the columns of {rows} "
                     f"(rank {m} modulo every prime), {proof.detail}; so V(p) meets that {m}-dimensional "
                     f"subspace only in 0 and dim V(p) = {n - m} = dim V - dim R^G"), True


def _fibre_dimension_proof(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int,
                           max_bezout: int | None = None) -> HsopProof | None:
    """m = dim R^G invariants of a reductive group with dim V(p) = n − m form an hsop of R^G.

    Why: otherwise p vanishes on a curve C through 0 in the quotient V//G, and every fibre of
    V → V//G over the image has dimension ≥ n − m, so V(p) ⊇ π⁻¹(C) would have dimension
    > n − m.  The dimension of V(p) is bounded first by a slice mod p (`_slice_proof`, linear
    algebra of a known size), else read off a Gröbner basis (that of its leading terms), whose
    running time nothing bounds in advance."""
    if not all(ring.is_rational(p) for p in polys):
        return None
    proof, decided = _slice_proof(ring, polys)
    if decided:
        return proof
    if max_bezout is not None and prod(degree(p) for p in polys) > max_bezout:
        # flint's Buchberger checks its limits between reductions, and one reduction can need more
        # than the machine: O(3) on 1o+1o+1o+1e, degrees 2^5·4^4 (∏ = 8192), asked for 12 GB
        return None
    limits = current_proof_limits()
    leads = groebner_leading_monomials(ring, polys, limit, limits.max_terms, limits.max_bits)
    if leads is None:
        return None
    n, m = ring.n, len(polys)
    dim = monomial_ideal_dimension(leads, n)
    if dim != n - m:
        return None
    return HsopProof("fibre dimension", f"a degrevlex Groebner basis of (p) has {len(leads)} leading terms and "
                     f"dim V(p) = {dim} = dim V - dim R^G, so R^G is finite over K[p]")


