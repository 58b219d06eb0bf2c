"""A proof that invariants p_1 … p_m form a system of parameters of K[V]^G, G reductive.

p is an hsop of R = K[V]^G exactly when R/(p)R is finite-dimensional.  Because G is
reductive, (p)K[V] ∩ R = (p)R, so R/(p)R = A^G with A = K[V]/(p)K[V].  A Gröbner basis of
(p) in the *weight* coordinates w = P x gives A's character under the maximal torus T (its
standard monomials are weight vectors): H_A(t, z) = K(t, z)/∏(1 − t z^{ν_j}), K the
multigraded K-polynomial of the leading-term ideal.  The Weyl integration formula then gives

    H_{A^G}(t) = CT_z [∏_{α>0}(1 − z^α) K(t, z) / ∏_j (1 − t z^{ν_j})],

an exact rational function (proven as in `molien_weyl`); p is an hsop when it is a polynomial.
Over QQ(i) the coordinates carry i: the ideal is taken in Q[w, a] with a² + 1, a of degree 0,
which doubles every dimension and changes nothing else.
"""
from __future__ import annotations

import functools
from math import lcm
from typing import Any, Sequence

from flint import fmpz_mpoly_ctx, fmpz_mpoly_vec

from invariants.polynomials.ideals import HsopProof, current_proof_limits
from invariants.polynomials.ring import PolynomialRing
from invariants.groups.compact.molien_weyl import constant_term_series, numerator_terms


def prove_hsop_by_quotient(rep: Any, ring: PolynomialRing, polys: Sequence,
                           groebner_limit: int = 3000) -> HsopProof | None:
    """An `HsopProof` that ``polys`` (invariants in the representation's coordinates) is an
    hsop of the invariants of the identity component — hence of G — or None."""
    leads = _weight_coordinate_leading_terms(rep, ring, polys, groebner_limit)
    if leads is None:
        return None
    weights = list(rep.weights)
    with_a = rep.weight_field.degree > 1
    grades = [(1, w, 0) for w in weights] + ([(0, (0,) * len(weights[0]), 1)] if with_a else [])
    kpoly = k_polynomial(tuple(sorted(set(leads))), tuple(grades))
    if with_a:  # K(t, z, s)/(1 − s) at s = 1 is −∂K/∂s at s = 1
        collapsed: dict = {}
        for (e, g, s), c in kpoly.items():
            if s:
                collapsed[(e, g)] = collapsed.get((e, g), 0) - s * c
        kz = collapsed
    else:
        kz = {(e, g): c for (e, g, _), c in kpoly.items()}
    cls = rep.group.classes[0]
    roots = numerator_terms(cls.positive_roots, None, cls.rank)
    terms: dict = {}
    for (gamma, zeta), c in roots.items():
        for (e, g), k in kz.items():
            if k:
                key = (tuple(a + b for a, b in zip(gamma, g)), zeta, e)
                terms[key] = terms.get(key, 0) + c * k
    terms = {key: c for key, c in terms.items() if c}
    num, den = constant_term_series(rep.class_weights[0], cls.rank, terms)
    quotient, remainder = divmod(num, den)
    if remainder != 0:
        return None
    dims = [int(x) // (2 if with_a else 1) for x in quotient.coeffs()]
    return HsopProof("Molien–Weyl quotient",
                     f"dim (K[V]/(p))^G by degree = {dims}: finite, so R^G is finite over K[p] "
                     f"(Groebner basis of (p) with {len(leads)} leading terms in weight coordinates)")


def _weight_coordinate_leading_terms(rep: Any, ring: PolynomialRing, polys: Sequence,
                                     limit: int) -> list[tuple[int, ...]] | None:
    n = rep.dim
    wf = rep.weight_field
    wring = PolynomialRing(wf, n)
    p_inv = rep.weight_basis.inverse()
    k = wf.degree
    names = tuple(f"w{i}" for i in range(n)) + (("a",) if k > 1 else ())
    ctx = fmpz_mpoly_ctx.get(names, "degrevlex")
    gens = []
    for p in polys:
        lifted = wring.from_coefficients({m: (c[0],) + (0,) * (k - 1) for m, c in ring.coefficients(p).items()})
        q = wring.coefficients(wring.substitute(lifted, p_inv))
        den = 1
        for c in q.values():
            for x in c:
                den = lcm(den, int(x.q))
        terms = {}
        for m, c in q.items():
            for power, x in enumerate(c):
                if x != 0:
                    terms[tuple(m) + ((power,) if k > 1 else ())] = int(x * den)
        gens.append(ctx.from_dict(terms))
    if k > 1:
        if wf.minpoly.coeffs() != [1, 0, 1]:
            return None  # weight coordinates over QQ or QQ(i) only
        gens.append(ctx.from_dict({(0,) * n + (2,): 1, (0,) * (n + 1): 1}))
    basis, done = fmpz_mpoly_vec(gens, ctx).buchberger_naive(
        limits=(limit, current_proof_limits().max_terms, current_proof_limits().max_bits))
    if not done:
        return None
    return [tuple(int(e) for e in basis[i].monoms()[0]) for i in range(len(basis))]


def k_polynomial(gens: tuple[tuple[int, ...], ...], grades: tuple) -> dict:
    """The multigraded K-polynomial of K[x]/(monomials): H = K / ∏(1 − x_j), each x_j
    recorded by its grade (t-degree, weight, s-degree).

    Example:
        >>> k_polynomial(((2,),), ((1, (1,), 0),))
        {(0, (0,), 0): 1, (2, (2,), 0): -1}
    """
    return dict(_k_polynomial(_minimal(gens), grades))


def _minimal(gens) -> tuple:
    gens = sorted(set(gens), key=sum)
    out: list = []
    for g in gens:
        if not any(all(a <= b for a, b in zip(h, g)) for h in out):
            out.append(g)
    return tuple(sorted(out))


def _grade(m: tuple[int, ...], grades: tuple) -> tuple:
    e = sum(x * g[0] for x, g in zip(m, grades))
    w = tuple(sum(x * g[1][i] for x, g in zip(m, grades)) for i in range(len(grades[0][1])))
    s = sum(x * g[2] for x, g in zip(m, grades))
    return e, w, s


def _times(poly: dict, grade: tuple, c: int = 1) -> dict:
    e, w, s = grade
    return {(a + e, tuple(x + y for x, y in zip(b, w)), d + s): c * v for (a, b, d), v in poly.items()}


def _add(a: dict, b: dict) -> dict:
    out = dict(a)
    for key, v in b.items():
        out[key] = out.get(key, 0) + v
    return {key: v for key, v in out.items() if v}


@functools.lru_cache(maxsize=100_000)
def _k_polynomial(gens: tuple, grades: tuple) -> tuple:
    """Bigatti's pivot recursion: K(I) = K(I + (x_j^e)) + x_j^e K(I : x_j^e)."""
    zero = (0, (0,) * len(grades[0][1]), 0)
    result = {zero: 1}
    if not gens:
        return tuple(result.items())
    n = len(gens[0])
    counts = [sum(1 for g in gens if g[j]) for j in range(n)]
    j = max(range(n), key=lambda i: counts[i])
    if counts[j] <= 1:  # pairwise coprime generators: K = ∏(1 − x^g)
        for g in gens:
            result = _add(result, _times(result, _grade(g, grades), -1))
        return tuple(result.items())
    e = min(g[j] for g in gens if g[j])
    pivot = tuple(e if i == j else 0 for i in range(n))
    bigger = _minimal(gens + (pivot,))
    colon = _minimal(tuple(tuple(max(0, x - y) for x, y in zip(g, pivot)) for g in gens))
    first = dict(_k_polynomial(bigger, grades))
    second = _times(dict(_k_polynomial(colon, grades)), _grade(pivot, grades))
    return tuple(_add(first, second).items())
