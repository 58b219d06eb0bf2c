"""Ideals of polynomials, as the proofs about systems of parameters need them.

Algebraic independence by a Jacobian of full rank at an exact point; zero sets by Gröbner bases
over QQ (degrevlex, flint's Buchberger) read through their leading terms; norms that carry a
polynomial over a number field to a rational one with a larger zero set; resultants of binary
forms.  `HsopProof` records which argument proved a system of parameters, with its data.
"""
from __future__ import annotations

import random
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from math import lcm
from typing import Any, Iterator, Sequence

from flint import fmpq, fmpq_mpoly, fmpz_mpoly_ctx, fmpz_mpoly_vec, fq_default_ctx

from invariants.errors import check_int
from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing


@dataclass(frozen=True)
class HsopProof:
    """How a system of parameters was proven: the method and its checkable data (``quotient``:
    K[x]/(p) over GF(p) when the proof computed it; the secondary invariants are read off it)."""

    method: str
    detail: str
    quotient: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.method}: {self.detail}"


def jacobian_nonzero(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], seed: int = 0, tries: int = 3) -> tuple | None:
    """An exact rational point where the Jacobian (∂p_i/∂x_j) has full rank len(polys)
    (proving algebraic independence), or None.  Over GF(p) the point lies in an extension GF(p^k)
    larger than the degree of the Jacobian's minors: a small prime field can lie entirely in the
    zero set of a non-zero minor (Dickson invariants: the product of all linear forms)."""
    n = ring.n
    if not polys:
        return ()  # the empty family is independent (the ring of constants, Krull dimension 0)
    if ring.field.characteristic:
        return _jacobian_point_in_extension(ring, polys, random.Random(seed), 4 * tries)
    rng = random.Random(seed)
    # a non-zero maximal minor has degree at most Σ (deg p_i − 1): numerators drawn from more than
    # four times as many integers miss its zero set with probability >= 3/4 (Schwartz–Zippel); a
    # narrower range fails for many high-degree forms (the 12 invariants of G(4,2,12), degree 276)
    bound = max(20, 2 * sum(max(0, p.total_degree() - 1) for p in polys))  # (a number field's a counted too)
    for _ in range(tries):
        point = [fmpq(rng.randint(-bound, bound), rng.randint(1, 7)) for _ in range(n)]
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


def _jacobian_point_in_extension(ring: PolynomialRing, polys: Sequence[Any], rng: random.Random,
                                 tries: int) -> tuple | None:
    """`jacobian_nonzero` over GF(p): a point of GF(p^k)^n, p^k > 4·(degree of a maximal minor), so
    a random point misses the zero set of a non-zero minor with probability ≥ 3/4 (Schwartz–Zippel)."""
    p = ring.field.characteristic
    minor_degree = max(1, sum(max(0, p_.total_degree() - 1) for p_ in polys))
    step = ring.field.degree  # over GF(p^s) the extension must contain it: k a multiple of s
    k = step
    while p ** k <= 4 * minor_degree:
        k += step
    field = fq_default_ctx(p, k)
    alpha = [ring.field.root_in(field)] if step > 1 else []  # the polynomials' variable a, embedded
    derivatives = [[q.derivative(j).to_dict() for j in range(ring.n)] for q in polys]
    for _ in range(tries):
        point = [field([rng.randrange(p) for _ in range(k)]) for _ in range(ring.n)] + alpha
        rows = [[_evaluate_terms(terms, point, field) for terms in row] for row in derivatives]
        if rank_over(rows, field) == len(polys):
            return tuple(point[:ring.n])
    return None


def _evaluate_terms(terms: dict, point: Sequence[Any], field: Any) -> Any:
    total = field.zero()
    for mono, c in terms.items():
        term = field(int(c))
        for x, e in zip(point, mono):
            if e:
                term *= x ** e
        total += term
    return total


def rank_over(rows: list[list[Any]], field: Any) -> int:
    """Rank of a small matrix over a finite field given as lists of its elements (Gaussian elimination)."""
    rows = [r[:] for r in rows]
    rank, cols = 0, len(rows[0]) if rows else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(rows)) if not rows[i][c].is_zero()), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inv = rows[rank][c].inverse()
        for i in range(rank + 1, len(rows)):
            if not rows[i][c].is_zero():
                factor = rows[i][c] * inv
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


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


def norm_to_prime_field(ring: PolynomialRing, p: Any) -> tuple[PolynomialRing, Any]:
    """Over GF(p^k), k > 1: a form over GF(p) vanishing (over the algebraic closure) wherever p does,
    in the ring over GF(p) — p itself when its coefficients lie in GF(p), else its Galois norm
    N(p) = ∏_j φ^j(p), φ the Frobenius c ↦ c^p on coefficients (a ↦ a^p), of degree k·deg p.

    Example:
        >>> from invariants.fields import FiniteField
        >>> R = PolynomialRing(FiniteField(2, 2), 2)
        >>> x, y = R.gens
        >>> S, n = norm_to_prime_field(R, x + R.element(R.field.parse("a")) * y)
        >>> S.to_sympy(n)                       # (x + a y)(x + a² y), a² = a + 1
        x0**2 + x0*x1 + x1**2
    """
    from invariants.fields.finite import prime_field

    field = ring.field
    prime_ring = PolynomialRing(prime_field(field.characteristic), ring.n)
    if not ring.is_rational(p):
        frobenius = [*ring.gens, ring._alpha ** field.characteristic]
        norm, conjugate = p, p
        for _ in range(field.degree - 1):
            conjugate = ring.reduce(conjugate.compose(*frobenius, ctx=ring.ctx))
            norm = ring.reduce(norm * conjugate)
        p = norm
    coeffs = ring.coefficients(p)  # Galois-fixed: coordinates (c, 0, …, 0)
    return prime_ring, prime_ring.from_coefficients({m: c[:1] for m, c in coeffs.items()})


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


def binary_resultant(ring: PolynomialRing, f: fmpq_mpoly, g: fmpq_mpoly) -> bool:
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


# A Buchberger run that does not end swells its S-polynomials: SO(3) on 1+1+2 tries a candidate hsop
# whose basis reaches 539-term elements with 1,000-bit coefficients in 3.6 s, 2,000 bits in 13 s, and
# runs for hours past that; the bases that do end there stay under 300 terms and 1,000 bits.  The
# proofs give up at these sizes (and say which knob to raise) instead of running silently.
PROOF_MAX_TERMS = 2_000
PROOF_MAX_BITS = 1_000


@dataclass(frozen=True)
class ProofLimits:
    """Where a Gröbner-basis proof of an hsop gives up: an element of more than ``max_terms``
    terms or ``max_bits``-bit coefficients.  `InvariantRing` sets them (keywords
    ``max_proof_terms``, ``max_proof_bits``; ``molien ring --max-proof-terms/--max-proof-bits``)
    for the proofs it runs, by `proof_limits`.

    Example:
        >>> with proof_limits(ProofLimits(max_terms=10_000)):
        ...     current_proof_limits().max_terms
        10000
    """

    max_terms: int = PROOF_MAX_TERMS
    max_bits: int = PROOF_MAX_BITS

    def __post_init__(self) -> None:
        for name in ("max_terms", "max_bits"):
            check_int(getattr(self, name), f"max_proof_{name[4:]}", 1)


# a context value, not an argument: the proofs run deep below the group's own hooks (Group.hsop_proof)
_PROOF_LIMITS: ContextVar[ProofLimits] = ContextVar("proof_limits", default=ProofLimits())


def current_proof_limits() -> ProofLimits:
    """The limits in force (the defaults outside `proof_limits`)."""
    return _PROOF_LIMITS.get()


@contextmanager
def proof_limits(limits: ProofLimits) -> Iterator[ProofLimits]:
    """Run the proofs inside with ``limits`` (restored on exit)."""
    token = _PROOF_LIMITS.set(limits)
    try:
        yield limits
    finally:
        _PROOF_LIMITS.reset(token)


def groebner_leading_monomials(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int,
                               max_terms: int = 10**6, max_bits: int = 10**6) -> list | None:
    """Leading monomials of a degrevlex Gröbner basis over QQ of the ideal, or None past ``limit``
    elements or an element of more than ``max_terms`` terms or ``max_bits``-bit coefficients (and
    over GF(p), where a basis over QQ of lifted polynomials proves nothing)."""
    n = ring.n
    if ring.field.characteristic:
        return None
    ctx = fmpz_mpoly_ctx.get(tuple(f"x{i}" for i in range(n)), "degrevlex")
    ints = []
    for p in polys:
        coeffs = ring.coefficients(p)
        den = 1
        for c in coeffs.values():
            den = lcm(den, int(c[0].q))
        ints.append(ctx.from_dict({m: int(c[0] * den) for m, c in coeffs.items()}))
    basis, done = fmpz_mpoly_vec(ints, ctx).buchberger_naive(limits=(limit, max_terms, max_bits))
    if not done:
        return None
    return [tuple(int(e) for e in basis[i].monoms()[0]) for i in range(len(basis))]


def groebner_pure_powers(ring: PolynomialRing, polys: Sequence[fmpq_mpoly], limit: int) -> list[int] | None:
    leads = groebner_leading_monomials(ring, polys, limit)
    return None if leads is None else pure_powers(leads, ring.n)


def pure_powers(leads: Sequence[tuple[int, ...]], n: int) -> list[int] | None:
    """The smallest pure power x_j^e among the leading monomials for every variable, or None
    when a variable has none (then K[x]/(p) is infinite-dimensional)."""
    powers: list[int | None] = [None] * n
    for lead in leads:
        support = [j for j, e in enumerate(lead) if e]
        if len(support) == 1:
            j = support[0]
            powers[j] = lead[j] if powers[j] is None else min(powers[j], lead[j])
    return None if any(p is None for p in powers) else [int(p) for p in powers]
