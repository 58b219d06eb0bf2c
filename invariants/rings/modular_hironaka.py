"""Primary and secondary invariants in the modular case (a finite group over GF(p), p | |G|).

Over prime fields only (`ModularInvariantRing.hironaka` refuses GF(p^k) unless the ring is polynomial).
Primary invariants (an hsop p_1 … p_n of R = K[V]^G, K = GF(p)) are proven in one of two ways,
both valid in every characteristic because they only use the common zeros of the p_i over the
algebraic closure:

- ``quotient``: K[x]/(p) vanishes in degree Σ (d_i − 1) + 1 (`invariants.rings.hsop.quotient_proof`,
  here computed over K itself, so nothing is lost to a reduction).  Candidates are tried by
  increasing ∏ d_i, among the degree sequences with |G| dividing ∏ d_i (for an hsop
  [K(V) : K(p)] = ∏ d_i and [K(V) : K(V)^G] = |G|), from minimal generators, orbit products of
  linear forms and basis invariants;
- ``Dade``: linear forms ℓ_1 … ℓ_n such that every choice m_i ∈ Gℓ_i is linearly independent make
  the orbit products N(ℓ_i) = ∏_{m ∈ Gℓ_i} m an hsop (a common zero v has m_i(v) = 0 for some
  choice, so v = 0).  Derksen–Kemper, *Computational Invariant Theory*, §3.3 (Dade's
  algorithm).  Over a small field such forms may not exist: a `ModularError` says so (field
  extensions are not supported yet).

Secondary invariants are minimal homogeneous generators of R as a K[p]-module: in each degree e a
basis of R_e modulo (p)R_e = Σ_i p_i R_{e − d_i} (exact linear algebra over GF(p); graded
Nakayama).  No Reynolds operator is needed.  They lie in degrees <= Σ (d_i − 1): Symonds
(Ann. of Math. 174 (2011)) proved reg K[V]^G <= 0, which bounds the degrees of module generators
over an hsop by Σ (d_i − 1).

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

from invariants.errors import ModularError
from invariants.polynomials.ring import degree
from invariants.rings.context import GradedInvariants
from invariants.rings.hilbert_ideal import MAX_ENTRIES, independent_rows
from invariants.rings.hsop import quotient_cost, quotient_proof
from invariants.rings.secondaries import _counts
from invariants.series.hilbert import HilbertSeries

MAX_SEQUENCES = 40  # degree sequences tried for a quotient proof before Dade's construction
CHOICES_PER_SEQUENCE = 24  # structured choices (then a few random ones) per degree sequence
MAX_DADE_TUPLES = 200_000  # choices of one form per orbit Dade's check enumerates


@dataclass(frozen=True)
class ModularPrimaries:
    """An hsop of K[V]^G (flint polynomials over GF(p)), its degrees, and why it is one."""

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


def orbit_of_form(images: Sequence[Sequence[Sequence[int]]], form: tuple[int, ...], p: int) -> list[tuple[int, ...]]:
    """The orbit of a linear form ℓ (its coefficient vector c) under ℓ ↦ ℓ∘g, i.e. c ↦ c·g, for the
    generator matrices ``images`` (integer entries mod p).

    Example:
        >>> orbit_of_form([[[0, 1], [1, 0]]], (1, 0), 2)
        [(1, 0), (0, 1)]
    """
    seen, todo = [form], [form]
    known = {form}
    while todo:
        c = todo.pop()
        for g in images:
            image = tuple(sum(c[i] * g[i][j] for i in range(len(c))) % p for j in range(len(c)))
            if image not in known:
                known.add(image)
                seen.append(image)
                todo.append(image)
    return seen


def _integer_images(rep) -> list[list[list[int]]]:
    return [[[int(x) for x in row] for row in g.to_sympy().tolist()] for g in rep.images]


def _reduce_against(echelon: list[tuple[int, tuple[int, ...]]], v: tuple[int, ...], p: int) -> tuple[int, ...]:
    """v minus its component in the span of ``echelon`` (rows with a pivot entry 1)."""
    v = list(v)
    for pivot, row in echelon:
        c = v[pivot]
        if c:
            v = [(a - c * b) % p for a, b in zip(v, row)]
    return tuple(v)


def _extended(echelon: list, v: tuple[int, ...], p: int) -> list | None:
    """``echelon`` with v added, or None when v lies in its span."""
    r = _reduce_against(echelon, v, p)
    pivot = next((i for i, x in enumerate(r) if x), None)
    if pivot is None:
        return None
    inv = pow(r[pivot], -1, p)
    return echelon + [(pivot, tuple(x * inv % p for x in r))]


def dade_forms(rep, p: int) -> list[list[tuple[int, ...]]]:
    """Orbits Gℓ_1 … Gℓ_n of linear forms over GF(p) such that every choice of one form from each
    orbit is linearly independent (Dade's condition, checked over all choices), preferring small
    orbits; a `ModularError` when GF(p) has none.

    Example:
        >>> from invariants import MatrixGroup
        >>> [len(o) for o in dade_forms(MatrixGroup([[[1, 1], [0, 1]]], field="GF(3)").natural(), 3)]
        [1, 3]
    """
    n, images = rep.dim, _integer_images(rep)
    # one form per projective point (ℓ and cℓ span the same lines), small orbits first
    points = [v for v in itertools.product(range(p), repeat=n) if any(v) and v[next(i for i, x in enumerate(v) if x)] == 1]
    orbits = sorted((orbit_of_form(images, v, p) for v in points), key=len)
    budget = [20_000]  # candidate checks of the backtracking search

    def search(chosen: list, tuples: list) -> list | None:
        if len(chosen) == n:
            return chosen
        for orbit in orbits:
            budget[0] -= 1
            if budget[0] < 0 or len(tuples) * len(orbit) > MAX_DADE_TUPLES:
                return None
            grown = [e for t in tuples for m in orbit if (e := _extended(t, m, p)) is not None]
            if len(grown) == len(tuples) * len(orbit):  # no choice m ∈ orbit lies in a span
                found = search(chosen + [orbit], grown)
                if found is not None:
                    return found
        return None

    found = search([], [[]])
    if found is None:
        raise ModularError(
            f"GF({p}) is too small for Dade's construction of primary invariants for {rep}: no {n} linear forms "
            "over it have orbits whose every choice of one form each is linearly independent, and invariant "
            "rings over a field extension GF(p^k) are not supported yet; the minimal generators "
            "(invariant_ring(G).generators, complete by Symonds' bound) and invariants_of_degree(G, d) still apply")
    return found


def _orbit_product(ring, orbit: Sequence[tuple[int, ...]]):
    out = ring.ctx.constant(1)
    for c in orbit:
        out *= ring.linear_form([ring.field.parse(x) for x in c])
    return out


def dade_primaries(graded: GradedInvariants) -> ModularPrimaries:
    """Orbit products of Dade's linear forms (see `dade_forms`).

    Example:
        >>> from invariants import MatrixGroup
        >>> dade_primaries(GradedInvariants(MatrixGroup([[[1, 1], [0, 1]]], field="GF(3)").natural())).degrees
        (1, 3)
    """
    p = graded.rep.field.characteristic
    orbits = dade_forms(graded.rep, p)
    polys = tuple(_orbit_product(graded.ring, o) for o in orbits)
    return ModularPrimaries(polys, tuple(len(o) for o in orbits), "Dade",
                            f"orbit products of linear forms with orbits of sizes {[len(o) for o in orbits]}; every "
                            f"choice of one form per orbit ({math.prod(len(o) for o in orbits)} choices) is linearly "
                            "independent, so their only common zero over the algebraic closure is 0")


def _degree_sequences(n: int, order: int, available, cap: int) -> list[tuple[int, ...]]:
    """Degree sequences d_1 <= … <= d_n with invariants of each degree, |G| | ∏ d_i, cheapest first."""
    degrees = [d for d in range(1, cap + 1) if available(d) > 0]
    out = [c for c in itertools.combinations_with_replacement(degrees, n)
           if math.prod(c) % order == 0 and all(c.count(d) <= available(d) for d in set(c))]
    out.sort(key=lambda c: (math.prod(c), sum(c), c))
    return out


def _pools(graded: GradedInvariants, gens: Sequence, orbits: Sequence, degrees: set[int]) -> dict[int, list]:
    """Candidates of each degree, simplest first: orbit products of the coordinate forms
    (Dickson-type norms), minimal generators, products of two generators, then the basis of R_d."""
    gdeg = [degree(g) for g in gens]
    pools = {}
    for d in degrees:
        items = [_orbit_product(graded.ring, o) for o in orbits if len(o) == d][:12]
        items += [g for g, e in zip(gens, gdeg) if e == d]
        items += [gens[i] * gens[j] for i, j in itertools.combinations_with_replacement(range(len(gens)), 2)
                  if gdeg[i] + gdeg[j] == d][:12]
        items += list(graded.basis(d))
        unique = []
        for f in items:
            if f != 0 and all(f != u for u in unique):
                unique.append(f)
        pools[d] = unique
    return pools


def _choices(pools: dict[int, list], combo: tuple[int, ...], rng: random.Random, p: int):
    groups = sorted(set(combo))
    per_degree = [itertools.combinations(pools[d], combo.count(d)) for d in groups]
    for pick in itertools.islice(itertools.product(*[list(it) for it in per_degree]), CHOICES_PER_SEQUENCE):
        yield [f for chunk in pick for f in chunk]
    for _ in range(3):  # random GF(p)-combinations (generic, when the field is not too small)
        out = []
        for d in combo:
            f = sum((b * rng.randrange(p) for b in pools[d]), pools[d][0] * 0)
            out.append(f if f != 0 else pools[d][0])
        yield out


def quotient_primaries(graded: GradedInvariants, order: int, generators_through: Callable[[int], Sequence],
                       seed: int = 0) -> ModularPrimaries | None:
    """Invariants of small degrees proven an hsop by K[x]/(p) over GF(p), or None.  Candidates
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
    p, n = graded.rep.field.characteristic, graded.n
    unit = [tuple(int(i == j) for j in range(n)) for i in range(n)]
    orbits = sorted((orbit_of_form(_integer_images(graded.rep), e, p) for e in unit), key=len)
    cap = max([len(o) for o in orbits] + [1])
    gens = generators_through(cap)
    sequences = [c for c in _degree_sequences(n, order, graded.dimension, cap)
                 if quotient_cost(n, c) <= MAX_ENTRIES][:MAX_SEQUENCES]
    pools = _pools(graded, gens, orbits, {d for c in sequences for d in c})
    rng = random.Random(seed)
    for combo in sequences:
        for polys in _choices(pools, combo, rng, p):
            proof, _ = quotient_proof(graded.ring, polys)
            if proof is not None:
                return ModularPrimaries(tuple(polys), tuple(combo), "quotient",
                                        f"K[x]/(p), computed exactly over GF({p}), vanishes in degree "
                                        f"sum (d_i - 1) + 1 = {sum(combo) - n + 1}: finite-dimensional, so the "
                                        "only common zero of p is 0")
    return None


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
    p = graded.rep.field.characteristic
    prim, pdeg = list(primaries.polys), list(primaries.degrees)
    top = sum(d - 1 for d in pdeg)
    found, found_deg = [], []
    for e in range(top + 1):
        basis = list(graded.basis(e))
        if not basis:
            continue
        ideal = [f * b for f, d in zip(prim, pdeg) if d <= e for b in graded.basis(e - d)]
        products = [found[i] * found[j] for i, j in itertools.combinations_with_replacement(range(len(found)), 2)
                    if found_deg[i] and found_deg[j] and found_deg[i] + found_deg[j] == e]
        candidates = products + basis
        picked = independent_rows(_coefficient_rows(ideal + candidates, p), p, fixed=len(ideal))
        found += [candidates[k] for k in picked]
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


def _coefficient_rows(polys: Sequence, p: int) -> np.ndarray:
    """Coefficient vectors mod p (columns: the monomials that occur)."""
    terms = [f.to_dict() for f in polys]
    index: dict = {}
    for t in terms:
        for m in t:
            index.setdefault(m, len(index))
    rows = np.zeros((len(polys), len(index)), dtype=np.int64)
    for r, t in enumerate(terms):
        for m, c in t.items():
            rows[r, index[m]] = int(c) % p
    return rows
