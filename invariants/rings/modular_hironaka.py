"""Primary and secondary invariants in the modular case (a finite group over K = GF(q), q = p^k,
with p | |G|).

Primary invariants (an hsop p_1 … p_n of R = K[V]^G) are proven in one of two ways, both valid in
every characteristic because they only use the common zeros of the p_i over the algebraic closure:

- ``quotient``: K[x]/(p) vanishes in degree Σ (d_i − 1) + 1, computed over K itself, so nothing is
  lost to a reduction: over GF(p) by `invariants.rings.hsop.quotient_proof`, over GF(p^k) by the
  rank of the degree-D multiples with K written as a GF(p)-space (`extension_quotient_vanishes`).
  Candidates are tried by increasing ∏ d_i, among the degree sequences with |G| dividing ∏ d_i (for
  an hsop [K(V) : K(p)] = ∏ d_i and [K(V) : K(V)^G] = |G|), from minimal generators, orbit products
  of linear forms and basis invariants;
- ``Dade``: linear forms ℓ_1 … ℓ_n such that every choice m_i ∈ Gℓ_i is linearly independent make
  the orbit products N(ℓ_i) = ∏_{m ∈ Gℓ_i} m an hsop (a common zero v has m_i(v) = 0 for some
  choice, so v = 0).  Derksen–Kemper, *Computational Invariant Theory*, §3.3 (Dade's
  algorithm).  When K is too small for such forms they are sought over GF(q^m), with orbits
  under G and the Frobenius, whose products have their coefficients in K
  (`invariants.rings.linear_forms`).

Secondary invariants are minimal homogeneous generators of R as a K[p]-module: in each degree e a
basis of R_e modulo (p)R_e = Σ_i p_i R_{e − d_i} (exact linear algebra over K, done over GF(p)
with K as a GF(p)-space, `_scalar_rows`; graded Nakayama).  No Reynolds operator is needed.  They
lie in degrees <= Σ (d_i − 1): Symonds (Ann. of Math. 174 (2011)) proved reg K[V]^G <= 0, which
bounds the degrees of module generators over an hsop by Σ (d_i − 1).

Cohen–Macaulayness (Kemper, J. Symb. Comput. 21 (1996); Derksen–Kemper, ch. 3): R is CM iff it
is a free K[p]-module (for any hsop p), of rank ∏ d_i / |G| (the degree of the field extension
above).  The number m of minimal homogeneous generators does not depend on their choice (graded
Nakayama), and a free module's is its rank.  So:

- m = ∏ d_i / |G|: K[p]^m → R is onto between modules of the same rank, its kernel is torsion-free
  of rank 0, hence 0: R is free (this needs the generators complete: Symonds' bound);
- m > ∏ d_i / |G|: R is not free, hence not CM (true whatever lies above Σ (d_i − 1)).

In the CM case Σ t^{deg s_j}/∏(1 − t^{d_i}) is checked against dim R_d (exact bases) through
degree Σ (d_i − 1); otherwise the first degree where the free module on the s_j is larger is named.

Example:
    >>> from invariants import MatrixGroup
    >>> from invariants.rings.modular import ModularInvariantRing
    >>> R = ModularInvariantRing(MatrixGroup([[[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]],
    ...                                      field="GF(2)"))
    >>> R.primary_degrees, R.secondary_degrees, R.cohen_macaulay
    ([1, 1, 2, 2], [0, 2], True)
"""
from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from flint import nmod

from invariants.linalg.matrix import Matrix
from invariants.linalg.modular import rref_mod
from invariants.polynomials.ring import PolynomialRing, degree, monomials
from invariants.rings.context import GradedInvariants
from invariants.rings.hilbert_ideal import MAX_ENTRIES, independent_rows
from invariants.rings.hsop import complete_intersection_dimensions, quotient_cost, quotient_proof
from invariants.rings.linear_forms import FormField, dade_orbits, form_images, orbit_of_form, orbit_product
from invariants.rings.secondaries import _counts
from invariants.series.hilbert import HilbertSeries

MAX_SEQUENCES = 40  # degree sequences tried for a quotient proof before Dade's construction
CHOICES_PER_SEQUENCE = 24  # structured choices (then a few random ones) per degree sequence


@dataclass(frozen=True)
class ModularPrimaries:
    """An hsop of K[V]^G (flint polynomials over K), its degrees, and why it is one."""

    polys: tuple
    degrees: tuple[int, ...]
    method: str  # "polynomial ring", "quotient" or "Dade"
    proof: str


@dataclass(frozen=True)
class ModularHironaka:
    """Primary invariants, minimal module generators over them (the secondaries), and the verdict.

    ``cohen_macaulay`` is True when the secondaries number ∏ d_i / |G| (R = ⊕ s_j K[p]), False when
    they are more (R is not free over K[p]); ``reason`` says which, with the figures."""

    primaries: ModularPrimaries
    polys: tuple
    degrees: tuple[int, ...]
    rank: int  # ∏ d_i / |G|, the rank of R over K[p]
    top_degree: int  # Σ (d_i − 1): Symonds' bound for the module generators
    cohen_macaulay: bool
    reason: str

    def __str__(self) -> str:
        return f"primary invariants: {self.primaries.method} ({self.primaries.proof}); {self.reason}"


def dade_primaries(graded: GradedInvariants) -> ModularPrimaries:
    """Orbit products of Dade's linear forms, over the group's field or, when it is too small, over
    the first extension that has them (`invariants.rings.linear_forms.dade_orbits`).

    Example:
        >>> from invariants import MatrixGroup
        >>> dade_primaries(GradedInvariants(MatrixGroup([[[1, 1], [0, 1]]], field="GF(3)").natural())).degrees
        (1, 3)
        >>> swap = MatrixGroup([[[0, 1], [1, 0]], [[1, 1], [0, 1]]], field="GF(2)")   # GL_2(F_2): GF(2) is too small
        >>> h = dade_primaries(GradedInvariants(swap.natural()))
        >>> h.degrees, "GF(4)" in h.proof
        ((3, 6), True)
    """
    L, orbits = dade_orbits(graded.rep, graded.seed)
    polys = tuple(orbit_product(graded.ring, L, o) for o in orbits)
    sizes = [len(o) for o in orbits]
    where = (f"linear forms over {L.field.name}" if L.m == 1 else
             f"linear forms over the extension {L.field.name} of {graded.rep.field.name} (orbits under G and the "
             f"Frobenius x -> x^{graded.rep.field.size}, so each product has its coefficients in "
             f"{graded.rep.field.name})")
    return ModularPrimaries(polys, tuple(sizes), "Dade",
                            f"orbit products of {where} with orbits of sizes {sizes}; every choice of one form per "
                            f"orbit ({math.prod(sizes)} choices) is linearly independent, so their only common zero "
                            "over the algebraic closure is 0")


def _degree_sequences(n: int, order: int, available, cap: int) -> list[tuple[int, ...]]:
    """Degree sequences d_1 <= … <= d_n with invariants of each degree, |G| | ∏ d_i, cheapest first."""
    degrees = [d for d in range(1, cap + 1) if available(d) > 0]
    out = [c for c in itertools.combinations_with_replacement(degrees, n)
           if math.prod(c) % order == 0 and all(c.count(d) <= available(d) for d in set(c))]
    out.sort(key=lambda c: (math.prod(c), sum(c), c))
    return out


def _pools(graded: GradedInvariants, gens: Sequence, L: FormField, orbits: Sequence,
           degrees: set[int]) -> dict[int, list]:
    """Candidates of each degree, simplest first: orbit products of the coordinate forms
    (Dickson-type norms), minimal generators, products of two generators, then the basis of R_d."""
    gdeg = [degree(g) for g in gens]
    pools = {}
    for d in degrees:
        items = [orbit_product(graded.ring, L, o) for o in orbits if len(o) == d][:12]
        items += [g for g, e in zip(gens, gdeg) if e == d]
        items += [graded.ring.reduce(gens[i] * gens[j]) for i, j in
                  itertools.combinations_with_replacement(range(len(gens)), 2) if gdeg[i] + gdeg[j] == d][:12]
        items += list(graded.basis(d))
        unique = []
        for f in items:
            if f != 0 and all(f != u for u in unique):
                unique.append(f)
        pools[d] = unique
    return pools


def _choices(ring, pools: dict[int, list], combo: tuple[int, ...], rng: random.Random):
    groups = sorted(set(combo))
    per_degree = [itertools.combinations(pools[d], combo.count(d)) for d in groups]
    for pick in itertools.islice(itertools.product(*[list(it) for it in per_degree]), CHOICES_PER_SEQUENCE):
        yield [f for chunk in pick for f in chunk]
    p, k = ring.field.characteristic, ring.field.degree
    for _ in range(3):  # random K-combinations (generic, when the field is not too small)
        out = []
        for d in combo:
            f = sum((ring.reduce(b * ring.element(tuple(nmod(rng.randrange(p), p) for _ in range(k))))
                     for b in pools[d]), pools[d][0] * 0)
            out.append(f if f != 0 else pools[d][0])
        yield out


def quotient_primaries(graded: GradedInvariants, order: int, generators_through: Callable[[int], Sequence],
                       seed: int = 0) -> ModularPrimaries | None:
    """Invariants of small degrees proven an hsop by K[x]/(p) over K, or None.  Candidates
    come from ``generators_through(d)`` (minimal generators of degree <= d), orbit products of the
    coordinate forms and bases, in degrees up to the largest of those orbits.

    Example:
        >>> from invariants import MatrixGroup
        >>> from invariants.rings.modular import ModularGradedInvariants   # dimensions from bases, no Molien series
        >>> R = ModularGradedInvariants(MatrixGroup([[[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]]],
        ...                                         field="GF(3)").natural())
        >>> quotient_primaries(R, 3, lambda d: []).degrees
        (1, 1, 3, 3)
    """
    n = graded.n
    L = FormField(graded.rep.field)
    unit = [tuple(int(i == j) for j in range(n)) for i in range(n)]  # code 1 is the element 1
    orbits = sorted((orbit_of_form(L, form_images(L, graded.rep), e) for e in unit), key=len)
    cap = max([len(o) for o in orbits] + [1])
    gens = generators_through(cap)
    sequences = [c for c in _degree_sequences(n, order, graded.dimension, cap)
                 if quotient_cost(n, c) <= MAX_ENTRIES][:MAX_SEQUENCES]
    pools = _pools(graded, gens, L, orbits, {d for c in sequences for d in c})
    rng = random.Random(seed)
    for combo in sequences:
        for polys in _choices(graded.ring, pools, combo, rng):
            proof = _quotient_hsop(graded.ring, polys)
            if proof is not None:
                return ModularPrimaries(tuple(polys), tuple(combo), "quotient", proof)
    return None


def _quotient_hsop(ring, polys: Sequence) -> str | None:
    """Why K[x]/(polys) is finite-dimensional (then the polys are an hsop), or None.  Over GF(p) by
    `invariants.rings.hsop.quotient_proof` (computed over GF(p) itself); over GF(p^k) by
    `extension_quotient_vanishes`."""
    n, degrees = ring.n, [degree(f) for f in polys]
    top = sum(degrees) - n + 1
    if ring.field.degree == 1:
        proof, _ = quotient_proof(ring, polys)
        return None if proof is None else (
            f"K[x]/(p), computed exactly over GF({ring.field.characteristic}), vanishes in degree sum (d_i - 1) + 1 "
            f"= {top}: finite-dimensional, so the only common zero of p is 0")
    if not extension_quotient_vanishes(ring, polys):
        return None
    linear = degrees.count(1)
    return (f"K[x]/(p) over {ring.field.name} vanishes in degree sum (d_i - 1) + 1 = {top}"
            + (f" (computed on the common kernel of the {linear} linear primaries)" if linear else "")
            + f", by the rank over GF({ring.field.characteristic}) of the multiples a^t·m·p_i (K as a "
            "GF(p)-space): finite-dimensional, so the only common zero of p is 0")


def extension_quotient_vanishes(ring, polys: Sequence) -> bool | None:
    """Whether (K[x]/(p))_D = 0 for D = Σ (d_i − 1) + 1, i.e. whether the n forms p are an hsop of
    K[x] (a regular sequence has Hilbert series ∏ (1 − t^{d_i})/(1 − t)^n, zero from degree D on; a
    quotient vanishing in one degree vanishes above it, so it is finite).  Linear forms are first
    removed: K[x]/(ℓ_1 … ℓ_r, p') = K[y]/(p'(By)) for B a basis of their common kernel.  The degree-e
    part of the ideal is the K-span of the m·p_i, i.e. the GF(p)-span of the a^t·m·p_i (t < k), of
    GF(p)-rank k times its K-dimension; the quotient's dimensions are compared with the complete
    intersection's degree by degree up to D.  None when the matrix would exceed
    `MAX_ENTRIES`.  Works over any finite field (used over GF(p^k), where `quotient_proof` has no
    reduction to work with).

    Example:
        >>> from invariants.polynomials.ring import PolynomialRing
        >>> from invariants.fields import parse_field
        >>> R = PolynomialRing(parse_field("GF(4)"), 2)
        >>> x, y = R.gens
        >>> w = R.element(R.field.parse("a"))
        >>> extension_quotient_vanishes(R, [x**2 + w*x*y + y**2, x*y]), extension_quotient_vanishes(R, [x*y, x**2])
        (True, False)
    """
    restricted = _restrict_to_linear_kernel(ring, list(polys))
    if restricted is None:
        return False  # dependent linear forms have a common non-zero zero
    small, rest = restricted
    if small.n == 0:
        return True
    degrees = [degree(f) for f in rest]
    if 0 in degrees or len(rest) != small.n:
        return False
    top = sum(degrees) - small.n + 1
    k, width = small.field.degree, math.comb(small.n + top - 1, top)
    multiples = sum(math.comb(small.n + top - d - 1, top - d) for d in degrees)
    if (k * multiples) * (k * width) > MAX_ENTRIES:
        return None
    expected = complete_intersection_dimensions(small.n, degrees) + [0]
    # an hsop's quotient has exactly the complete intersection's dimensions: the first degree that
    # differs refutes it, usually far below D (cheaper than D alone for most rejected candidates)
    for e in range(min(degrees), top + 1):
        products = [small.reduce(small.monomial(m) * f) for f, d in zip(rest, degrees) if d <= e
                    for m in monomials(small.n, e - d)]
        rank = len(rref_mod(_scalar_rows(small, products), small.field.characteristic)[1]) // k
        if math.comb(small.n + e - 1, e) - rank != expected[e]:
            return False
    return True


def _restrict_to_linear_kernel(ring, polys: list):
    """(ring in n − r variables y, the non-linear polys at x = By) for B a basis of the common kernel
    of the r linear polys; None when the linear ones are linearly dependent."""
    linear = [f for f in polys if degree(f) == 1]
    rest = [f for f in polys if degree(f) != 1]
    if not linear:
        return ring, rest
    F, n = ring.field, ring.n
    coefficients = [ring.coefficients(f) for f in linear]
    rows = [[c.get(tuple(int(i == j) for j in range(n)), F.zero) for i in range(n)] for c in coefficients]
    matrix = Matrix.from_coeffs(rows, F)
    if matrix.rank() < len(linear):
        return None
    kernel = matrix.kernel().entries()  # n × (n − r): x = B y
    small = PolynomialRing(F, n - len(linear))
    images = [small.linear_form(row) for row in kernel]
    if F.degree > 1:
        images.append(small.ctx.gens()[small.n])  # the field generator a stays itself
    return small, [small.reduce(f.compose(*images, ctx=small.ctx)) for f in rest]


def modular_secondaries(graded: GradedInvariants, primaries: ModularPrimaries, order: int) -> ModularHironaka:
    """Minimal generators of R over K[primaries], in degrees <= Σ (d_i − 1), and the CM verdict
    (see the module docstring).  ``graded`` must count dimensions from bases
    (`invariants.rings.modular.ModularGradedInvariants`): a Molien series does not apply.

    Example:
        >>> from invariants import MatrixGroup
        >>> from invariants.rings.modular import ModularGradedInvariants   # dimensions from bases, no Molien series
        >>> R = ModularGradedInvariants(MatrixGroup([[[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]]],
        ...                                         field="GF(3)").natural())
        >>> h = modular_secondaries(R, quotient_primaries(R, 3, lambda d: []), 3)
        >>> h.degrees, h.rank, h.cohen_macaulay
        ((0, 2, 4), 3, True)
    """
    p, k, ring = graded.rep.field.characteristic, graded.rep.field.degree, graded.ring
    prim, pdeg = list(primaries.polys), list(primaries.degrees)
    top = sum(d - 1 for d in pdeg)
    found, found_deg = [], []
    for e in range(top + 1):
        basis = list(graded.basis(e))
        if not basis:
            continue
        ideal = [ring.reduce(f * b) for f, d in zip(prim, pdeg) if d <= e for b in graded.basis(e - d)]
        products = [ring.reduce(found[i] * found[j])
                    for i, j in itertools.combinations_with_replacement(range(len(found)), 2)
                    if found_deg[i] and found_deg[j] and found_deg[i] + found_deg[j] == e]
        candidates = products + basis
        # a candidate is new over K iff the first of its k rows is new over GF(p) (see `_scalar_rows`)
        rows = independent_rows(_scalar_rows(ring, ideal + candidates), p, fixed=k * len(ideal))
        picked = [r // k for r in rows if r % k == 0]
        found += [candidates[j] for j in picked]
        found_deg += [e] * len(picked)
    rank = math.prod(pdeg) // order
    free = HilbertSeries.from_degrees(pdeg, _counts(found_deg)).coefficients(top + 1)
    dims = [graded.dimension(d) for d in range(top + 1)]
    if len(found) == rank:
        if free != dims:  # pragma: no cover - impossible: R = ⊕ s_j K[p] has this series
            raise AssertionError(f"free-module series {free} disagrees with dim R_d = {dims}")
        reason = (f"Cohen–Macaulay: {rank} minimal generators over the primaries of degrees {pdeg} "
                  f"(complete: Symonds' bound puts them in degrees <= {top}), as many as the rank "
                  f"prod d_i / |G| = {math.prod(pdeg)}/{order}, so R is free over K[p] with Hilbert series "
                  f"sum t^deg(s_j) / prod (1 - t^d_i) (checked against dim R_d through degree {top})")
        return ModularHironaka(primaries, tuple(found), tuple(found_deg), rank, top, True, reason)
    first = next((d for d, (a, b) in enumerate(zip(free, dims)) if a != b), None)
    reason = (f"NOT Cohen–Macaulay: {len(found)} minimal generators over the primaries of degrees {pdeg}, more than "
              f"the rank prod d_i / |G| = {math.prod(pdeg)}/{order} = {rank}, so R is not free over K[p]"
              + (f" (the free module on them has dimension {free[first]} in degree {first}, R has {dims[first]})"
                 if first is not None else ""))
    return ModularHironaka(primaries, tuple(found), tuple(found_deg), rank, top, False, reason)


def _scalar_rows(ring, polys: Sequence) -> np.ndarray:
    """Coefficient rows over GF(p) of a^t·f for each f and t < k = [K : GF(p)] (a block of k rows per
    f; columns: the k coordinates of each monomial that occurs).  The K-span of the f is the
    GF(p)-span of these rows, so f lies outside the K-span of the earlier polys iff its first row
    lies outside the GF(p)-span of the earlier rows (then all k of its rows do).  Over GF(p): the
    coefficient vectors.

    Example:
        >>> from invariants.polynomials.ring import PolynomialRing
        >>> from invariants.fields import parse_field
        >>> R = PolynomialRing(parse_field("GF(4)"), 1)
        >>> w = R.element(R.field.parse("a"))
        >>> _scalar_rows(R, [R.gens[0] * w]).tolist()    # a·x and a²·x = (a + 1)·x
        [[0, 1], [1, 1]]
    """
    F = ring.field
    p, k = F.characteristic, F.degree
    coefficients = [ring.coefficients(f) for f in polys]
    index: dict = {}
    for c in coefficients:
        for m in c:
            index.setdefault(m, len(index))
    a = F.generator if k > 1 else F.one
    powers = [np.array(F.mult_matrix(F.power(a, t)).entries(), dtype=np.int64).reshape(k, k).T if k > 1
              else np.ones((1, 1), dtype=np.int64) for t in range(k)]  # row coordinates times M^T: times a^t
    rows = np.zeros((k * len(polys), k * len(index)), dtype=np.int64)
    for r, c in enumerate(coefficients):
        if not c:
            continue
        columns = (k * np.array([index[m] for m in c], dtype=np.int64)[:, None] + np.arange(k)).ravel()
        values = np.array([[int(x) for x in v] for v in c.values()], dtype=np.int64)
        for t, power in enumerate(powers):
            rows[k * r + t, columns] = (values @ power % p).ravel()
    return rows
