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
import random
from dataclasses import dataclass
from math import lcm, prod
from typing import Callable, Sequence

from flint import fmpq, fmpq_mpoly, fmpz_mpoly_ctx, fmpz_mpoly_vec

from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing
from invariants.series.hilbert import HilbertSeries


@dataclass(frozen=True)
class HsopProof:
    """How a system of parameters was proven: the method and its checkable data."""

    method: str
    detail: str

    def __str__(self) -> str:
        return f"{self.method}: {self.detail}"


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


def jacobian_nonzero(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], seed: int = 0, tries: int = 3) -> tuple | None:
    """An exact rational point where the Jacobian (∂p_i/∂x_j) has full rank len(polys)
    (proving algebraic independence), or None."""
    n = ring.n
    if not polys:
        return ()  # the empty family is independent (the ring of constants, Krull dimension 0)
    rng = random.Random(seed)
    for _ in range(tries):
        point = [fmpq(rng.randint(-20, 20), rng.randint(1, 7)) for _ in range(n)]
        rows = []
        for p in polys:
            row = []
            for j in range(n):
                val = ring.evaluate(p.derivative(j), point)
                row.append(val)
            rows.append(row)
        if Matrix.from_coeffs(rows, ring.field).rank() == len(polys):
            return tuple(point)
    return None


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
        res = _binary_resultant(ring, polys[0], polys[1])
        if res:
            return HsopProof("resultant", "the resultant of the two binary forms is non-zero")
        return None
    if all(ring.is_rational(p) for p in polys):
        powers = _groebner_pure_powers(ring, polys, groebner_limit)
        if powers is not None:
            return HsopProof("groebner", "degrevlex Groebner basis over QQ contains leading terms "
                             + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)))
        return None
    norms = [norm_to_rationals(ring, p) for p in polys]
    powers = _groebner_pure_powers(ring, norms, groebner_limit)
    if powers is not None:
        return HsopProof("groebner of norms", "the norms N(p_i) = prod over conjugates (rational forms vanishing "
                         "wherever p_i does) have a degrevlex Groebner basis over QQ with leading terms "
                         + ", ".join(f"x{i}^{e}" for i, e in enumerate(powers)) + ", so V(p) ⊆ V(N(p)) = {0}")
    return None


def norm_to_rationals(ring: PolynomialRing, p: fmpq_mpoly) -> fmpq_mpoly:
    """N(p) = ∏_σ σ(p) over the embeddings of K = Q(α): the resultant in α of p(x, α) and the
    minimal polynomial, a form over QQ of degree [K:Q]·deg p that vanishes wherever p does.

    Example:
        >>> from invariants.fields import quadratic_field
        >>> R = PolynomialRing(quadratic_field(-1), 2)
        >>> x, y = R.gens
        >>> R.to_sympy(norm_to_rationals(R, x + R.element(R.field.parse("I")) * y))
        x0**2 + x1**2
    """
    if ring.field.degree == 1:
        return p
    name = ring.ctx.names()[-1]  # the variable standing for α
    res = p.resultant(ring._minpoly, name)
    return ring.ctx.from_dict({mono[:-1] + (0,): c for mono, c in res.to_dict().items()})


def _fibre_dimension_proof(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int) -> HsopProof | None:
    """m = dim R^G invariants of a reductive group with dim V(p) = n − m form an hsop of R^G.

    Why: otherwise p vanishes on a curve C through 0 in the quotient V//G, and every fibre of
    V → V//G over the image has dimension ≥ n − m, so V(p) ⊇ π⁻¹(C) would have dimension
    > n − m.  The dimension of V(p) is read off a Gröbner basis (that of its leading terms)."""
    if not all(ring.is_rational(p) for p in polys):
        return None
    leads = _groebner_leading_monomials(ring, polys, limit)
    if leads is None:
        return None
    n, m = ring.n, len(polys)
    dim = monomial_ideal_dimension(leads, n)
    if dim != n - m:
        return None
    return HsopProof("fibre dimension", f"a degrevlex Groebner basis of (p) has {len(leads)} leading terms and "
                     f"dim V(p) = {dim} = dim V - dim R^G, so R^G is finite over K[p]")


def monomial_ideal_dimension(leads: Sequence[tuple[int, ...]], n: int) -> int:
    """Krull dimension of K[x]/(monomials): the most variables whose monomials avoid the ideal.

    Example:
        >>> monomial_ideal_dimension([(1, 1, 0)], 3)
        2
    """
    supports = [frozenset(j for j, e in enumerate(m) if e) for m in leads]
    best = 0

    def rec(i: int, chosen: frozenset) -> None:
        nonlocal best
        if len(chosen) + (n - i) <= best:
            return
        if i == n:
            best = len(chosen)
            return
        bigger = chosen | {i}
        if not any(s <= bigger for s in supports):
            rec(i + 1, bigger)
        rec(i + 1, chosen)

    rec(0, frozenset())
    return best


def _binary_resultant(ring: PolynomialRing, f: fmpq_mpoly, g: fmpq_mpoly) -> bool:
    """Sylvester resultant of two binary forms (with their formal degrees) ≠ 0."""
    K = ring.field
    cf, cg = ring.coefficients(f), ring.coefficients(g)
    a = max(sum(m) for m in cf)
    b = max(sum(m) for m in cg)
    fa = [cf.get((a - i, i), K.zero) for i in range(a + 1)]
    gb = [cg.get((b - i, i), K.zero) for i in range(b + 1)]
    size = a + b
    rows = []
    for i in range(b):
        rows.append([K.zero] * i + fa + [K.zero] * (size - a - 1 - i))
    for i in range(a):
        rows.append([K.zero] * i + gb + [K.zero] * (size - b - 1 - i))
    return Matrix.from_coeffs(rows, K).q.det() != 0


def _groebner_leading_monomials(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int) -> list | None:
    """Leading monomials of a degrevlex Gröbner basis over QQ of the ideal, or None past the limit."""
    n = ring.n
    ctx = fmpz_mpoly_ctx.get(tuple(f"x{i}" for i in range(n)), "degrevlex")
    ints = []
    for p in polys:
        coeffs = ring.coefficients(p)
        den = 1
        for c in coeffs.values():
            den = lcm(den, int(c[0].q))
        ints.append(ctx.from_dict({m: int(c[0] * den) for m, c in coeffs.items()}))
    basis, done = fmpz_mpoly_vec(ints, ctx).buchberger_naive(limits=(limit, 10**6, 10**6))
    if not done:
        return None
    return [tuple(int(e) for e in basis[i].monoms()[0]) for i in range(len(basis))]


def _groebner_pure_powers(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int) -> list[int] | None:
    leads = _groebner_leading_monomials(ring, polys, limit)
    if leads is None:
        return None
    n = ring.n
    powers: list[int | None] = [None] * n
    for lead in leads:
        support = [j for j, e in enumerate(lead) if e]
        if len(support) == 1:
            j = support[0]
            powers[j] = lead[j] if powers[j] is None else min(powers[j], lead[j])
    return None if any(p is None for p in powers) else [int(p) for p in powers]
