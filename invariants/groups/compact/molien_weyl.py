"""Hilbert series of compact-group invariants by the Molien–Weyl integral, exactly.

For each component class c (share s_c, torus rank r, positive roots Φ⁺) the Weyl
integration formula turns ∫ 1/det(1 − t g) into a constant term

    H_c(t) = CT_z [ ∏_{α∈Φ⁺} (1 − z^α) · χ̄(z) / ∏_j (1 − ζ_j t z^{ν_j}) ],

and H = Σ_c s_c H_c.  The coefficients h_d are counted exactly (a dynamic programme over
degree × weight, in Z[C_M] for the roots of unity ζ, modulo primes and lifted by CRT; the
total is rational, so each class is replaced by its Galois average as in `molien`).

The rational function is then *proven* from finitely many coefficients:

* **denominator.**  Each constant term is a signed sum over the lattice points of
  {x ≥ 0 : Σ x_j ν_j = γ}, whose recession cone C = {x ≥ 0 : Σ x_j ν_j = 0} has extreme
  rays r (support-minimal solutions).  A triangulation of C without new rays decomposes the
  points (Stanley), so the denominator divides the lcm over simplices σ of
  ∏_{r∈σ} (1 − t^{m_r |r|}) (m_r the order of ζ^r): the cyclotomic Φ_k occurs at most
  min(dim C, #{r : k | m_r |r|}) times.
* **numerator degree.**  Without χ, deg H < 0 when dim R^G > 0: R^G is Cohen–Macaulay
  (Hochster–Roberts) with rational singularities (Boutot), hence a(R^G) = deg H < 0 (Flenner,
  Watanabe); when R^G = K (SU(2) on C², a torus with weights (1, 1)) H = 1, of degree 0.  Either
  way deg N ≤ deg D.  With
  χ, the same decomposition bounds deg H by (dim C + 1 − rank + 1)·V, V the largest degree of
  a vertex of the polyhedra {x ≥ 0 : Σ x_j ν_j = γ}.

So N = H · D is a polynomial of degree < deg D + bound, fixed by h_0 … h_{deg D + bound − 1};
a few more coefficients are compared as a consistency check.
"""
from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field as dc_field
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy
from flint import fmpq, fmpq_mat, fmpq_poly, fmpz_poly

from invariants.errors import TooLargeError
from invariants.fields.primes import crt, crt_primes
from invariants.linalg import dense
from invariants.parallel.executor import current_executor
from invariants.series.galois import ramanujan_average
from invariants.series.hilbert import HilbertSeries

DEFAULT_MAX_TERMS = 150_000_000  # int64 cells: 1.2 GB
# the proven denominator tests every set of 2 … r+1 distinct non-zero weights for a circuit (a sympy
# kernel each, about 1 ms): SO(12) on C^12 has 3,289 such sets (seconds), SO(16) 50,626 (a minute),
# SO(30) 7.6·10^8 (never)
MAX_CIRCUIT_SUPPORTS = 20_000
CHECK_TERMS = 4


@dataclass
class MolienWeylCertificate:
    """Why the rational function is right: a proven denominator, a proven bound on the
    numerator degree, and how many exact coefficients fixed it."""

    denominator: fmpz_poly
    cyclotomic_exponents: dict[int, int]
    numerator_degree_bound: int
    reason: str
    coefficients_used: int
    rays: dict[str, int] = dc_field(default_factory=dict)

    def __str__(self) -> str:
        exps = " ".join(f"Φ{k}^{e}" for k, e in sorted(self.cyclotomic_exponents.items()))
        return (f"denominator divides {exps} (extreme rays of the weight cones); numerator degree < "
                f"{self.numerator_degree_bound} ({self.reason}); fixed by {self.coefficients_used} exact coefficients")


def molien_weyl(rep: Any, chi: Any = None, *,
                max_terms: int = DEFAULT_MAX_TERMS) -> tuple[HilbertSeries, MolienWeylCertificate]:
    """Σ_d (multiplicity of χ in S^d V) t^d — for χ = None the invariants — as an exact series, with
    its `MolienWeylCertificate` (``rep`` and ``chi`` are representations of one compact group).

    Example:
        >>> from invariants.groups.compact import SU2
        >>> series, certificate = molien_weyl(SU2().binary_forms(5))
        >>> series
        (1 + t^18)/((1 - t^4)(1 - t^8)(1 - t^12))
    """
    group = rep.group
    exponents: dict[int, int] = {}
    extra = 0
    rays_seen: dict[str, int] = {}
    for c, cls in enumerate(group.classes):
        cyc, dim_cone, nrays = _denominator_exponents(rep.class_weights[c], cls.rank)
        rays_seen[cls.name] = nrays
        for k, e in cyc.items():
            exponents[k] = max(exponents.get(k, 0), e)
        if chi is not None:
            vmax = _vertex_degree_bound(rep.class_weights[c], numerator_terms(cls.positive_roots, chi.class_weights[c], cls.rank))
            rank = _rank([w for w, _ in rep.class_weights[c]], cls.rank)
            extra = max(extra, (dim_cone + 2 - rank) * vmax if vmax else 0)
    den = fmpz_poly([1])
    for k, e in exponents.items():
        den *= fmpz_poly.cyclotomic(k) ** e
    # deg H < 0 when R^G has positive dimension; when R^G = K (e.g. SU(2) on C^2) H = 1 has degree 0
    # although the weight cone has rays: so deg N <= deg D, fixed by deg D + 1 coefficients
    bound = den.degree() + (extra if chi is not None else 1)
    bound = max(bound, 1)
    reason = ("deg H < 0: R^G is Cohen–Macaulay with rational singularities, or H = 1 when R^G = K" if chi is None
              else f"deg H < {extra} from the vertex degrees of the weight polyhedra")
    coeffs = series_coefficients(rep, bound + CHECK_TERMS, chi, max_terms=max_terms)
    num = (fmpq_poly(coeffs[:bound]) * fmpq_poly(den))
    num = fmpq_poly([num[i] for i in range(bound)])
    series = HilbertSeries(num, den)
    if series.coefficients(len(coeffs)) != coeffs:
        raise AssertionError("Molien–Weyl: the proven form disagrees with the counted coefficients")  # pragma: no cover
    cert = MolienWeylCertificate(den, exponents, bound, reason, bound, rays_seen)
    return series, cert


def constant_term_series(signed: Sequence, rank: int, terms: dict, *,
                         max_terms: int = DEFAULT_MAX_TERMS) -> tuple[fmpq_poly, fmpq_poly]:
    """CT_z [Σ c ζ t^e z^γ / ∏_j (1 − ζ_j t z^{ν_j})] for one class, as an exact fraction
    (numerator, proven denominator); ``terms`` maps (γ, ζ, e) to c."""
    cyc, dim_cone, _ = _denominator_exponents(signed, rank)
    den = fmpz_poly([1])
    for k, e in cyc.items():
        den *= fmpz_poly.cyclotomic(k) ** e
    rk = _rank([w for w, _ in signed], rank)
    extra = 0
    for key in terms:
        gamma, _, e = key
        vmax = _vertex_degree_bound(signed, {(gamma, 0): 1})
        extra = max(extra, e + (dim_cone + 2 - rk) * vmax)
    bound = den.degree() + extra
    values = _class_coefficients(signed, rank, terms, bound + CHECK_TERMS, max_terms)
    if any(v.denominator != 1 for v in values):
        raise AssertionError("a constant term with a non-integral coefficient")  # pragma: no cover
    num = fmpq_poly([int(v) for v in values[:bound]]) * fmpq_poly(den)
    num = fmpq_poly([num[i] for i in range(bound)])
    check = HilbertSeries(num, den) if num != 0 else None
    if check is not None and check.coefficients(len(values)) != [int(v) for v in values]:
        raise AssertionError("constant term: the proven form disagrees with the counted coefficients")  # pragma: no cover
    return num, fmpq_poly(den)


# -- the proven denominator --------------------------------------------------------------------
def _rank(weights: Sequence[tuple[int, ...]], r: int) -> int:
    if not weights or r == 0:
        return 0
    return dense.rank(fmpq_mat([list(w) for w in weights]))


def _order(z: Fraction) -> int:
    return Fraction(z).denominator


def _denominator_exponents(signed: Sequence, r: int) -> tuple[dict[int, int], int, int]:
    """Cyclotomic exponents bounding the denominator of one class's constant term, the
    dimension of its weight cone, and the number of extreme rays."""
    k = len(signed)
    dim_cone = k - _rank([w for w, _ in signed], r)
    pairs: dict[tuple, int] = {}
    for w, z in signed:
        pairs[(w, Fraction(z) % 1)] = pairs.get((w, Fraction(z) % 1), 0) + 1
    by_weight: dict[tuple, list[tuple[Fraction, int]]] = {}
    for (w, z), mult in pairs.items():
        by_weight.setdefault(w, []).append((z, mult))
    degrees: list[tuple[int, int]] = []  # (m_r |r|, count)
    zero = (0,) * r
    for z, mult in by_weight.get(zero, []):
        degrees.append((_order(z), mult))
    nonzero = [w for w in by_weight if w != zero]
    supports = sum(math.comb(len(nonzero), size) for size in range(2, r + 2))
    if supports > MAX_CIRCUIT_SUPPORTS:
        raise TooLargeError(f"the Molien–Weyl denominator tests {supports:,} sets of the {len(nonzero)} distinct non-zero "
                            f"weights (rank {r}) for circuits, above MAX_CIRCUIT_SUPPORTS = {MAX_CIRCUIT_SUPPORTS:,} "
                            f"(about 1 ms each); raise invariants.groups.compact.molien_weyl.MAX_CIRCUIT_SUPPORTS "
                            "to compute anyway", estimate=supports,
                            option="invariants.groups.compact.molien_weyl.MAX_CIRCUIT_SUPPORTS")
    for size in range(2, r + 2):
        for support in itertools.combinations(nonzero, size):
            circuit = _positive_circuit(support)
            if circuit is None:
                continue
            for choice in itertools.product(*[by_weight[w] for w in support]):
                zeta = sum((c * z for c, (z, _) in zip(circuit, choice)), Fraction(0)) % 1
                count = math.prod(mult for _, mult in choice)
                degrees.append((_order(zeta) * sum(circuit), count))
    exps: dict[int, int] = {}
    for kk in sorted({d for deg, _ in degrees for d in sympy.divisors(deg)}):
        total = sum(count for deg, count in degrees if deg % kk == 0)
        exps[kk] = min(dim_cone, total)
    return {kk: e for kk, e in exps.items() if e}, dim_cone, sum(c for _, c in degrees)


def _positive_circuit(support: Sequence[tuple[int, ...]]) -> list[int] | None:
    """The primitive positive integer relation among the weights, if they form a circuit
    (one-dimensional kernel with full support) with a positive kernel vector."""
    a = sympy.Matrix([list(w) for w in support]).T
    kernel = a.nullspace()
    if len(kernel) != 1:
        return None
    v = kernel[0]
    if any(x == 0 for x in v):
        return None
    if all(x < 0 for x in v):
        v = -v
    if not all(x > 0 for x in v):
        return None
    den = math.lcm(*[sympy.Rational(x).q for x in v])
    ints = [int(x * den) for x in v]
    g = math.gcd(*ints)
    return [x // g for x in ints]


def numerator_terms(roots: Sequence[tuple[int, ...]], chi_weights: Sequence | None, r: int) -> dict:
    """(γ, ζ) → coefficient of the Laurent polynomial ∏(1 − z^α) · χ̄(z)."""
    terms: dict = {((0,) * r, Fraction(0)): 1}
    for alpha in roots:
        out: dict = dict(terms)
        for (g, z), c in terms.items():
            key = (tuple(a + b for a, b in zip(g, alpha)), z)
            out[key] = out.get(key, 0) - c
        terms = {key: c for key, c in out.items() if c}
    if chi_weights is not None:
        out = {}
        for (g, z), c in terms.items():
            for w, y in chi_weights:
                key = (tuple(a - b for a, b in zip(g, w)), (z - y) % 1)
                out[key] = out.get(key, 0) + c
        terms = {key: c for key, c in out.items() if c}
    return terms


def _vertex_degree_bound(signed: Sequence, terms: dict) -> int:
    """The largest degree Σx of a vertex of {x ≥ 0 : Σ x_j ν_j = −γ} over the terms γ."""
    weights = sorted({w for w, _ in signed})
    if not weights or not weights[0]:
        return 0
    r = len(weights[0])
    full = _rank(weights, r)
    best = Fraction(0)
    targets = {tuple(-x for x in key[0]) for key in terms}
    for basis in itertools.combinations(weights, full):
        a = sympy.Matrix([list(w) for w in basis]).T
        if a.rank() < full:
            continue
        for target in targets:
            try:
                sol, params = a.gauss_jordan_solve(sympy.Matrix(target))
            except ValueError:
                continue
            if params.shape[0] or any(x < 0 for x in sol):
                continue
            best = max(best, Fraction(str(sum(sol))))
    return math.ceil(best)


# -- exact coefficients by counting ----------------------------------------------------------
def series_coefficients(rep: Any, count: int, chi: Any = None, *,
                        max_terms: int = DEFAULT_MAX_TERMS) -> list[int]:
    """h_0 … h_{count−1} of the Molien–Weyl series, counted exactly from the weights.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> series_coefficients(SO3().irrep(2), 7)
        [1, 0, 1, 1, 1, 1, 2]
    """
    total = [Fraction(0)] * count
    for c, cls in enumerate(rep.group.classes):
        terms = numerator_terms(cls.positive_roots, None if chi is None else chi.class_weights[c], cls.rank)
        values = _class_coefficients(rep.class_weights[c], cls.rank, terms, count, max_terms)
        for d in range(count):
            total[d] += cls.share * values[d]
    out = []
    for v in total:
        if v.denominator != 1:
            raise AssertionError("Molien–Weyl produced a non-integral dimension")  # pragma: no cover
        out.append(int(v))
    return out


def _class_coefficients(signed: Sequence, r: int, terms: dict, count: int, max_terms: int) -> list[Fraction]:
    """Galois-averaged constant terms of one class, degree by degree.  ``terms`` maps
    (γ, ζ) or (γ, ζ, e) to the coefficient of ζ t^e z^γ in the numerator."""
    m = math.lcm(*([_order(z) for _, z in signed] + [_order(key[1]) for key in terms] + [1]))
    k = len(signed)
    reach = [max([abs(w[i]) for w, _ in signed] + [0]) * (count - 1) for i in range(r)]
    shape = tuple(2 * b + 1 for b in reach)
    bound = math.comb(k + count, count) * (1 + max(k, 1))
    primes = crt_primes(bound)
    cells = len(primes) * count * m * math.prod(shape)
    if cells > max_terms:
        raise TooLargeError(
            f"the Molien–Weyl count needs {cells:,} table entries (degrees < {count}, weights up to {reach}); "
            f"pass max_terms={cells} to compute anyway", estimate=cells, option="max_terms")
    # the entries the sum below reads: (degree, key, power of ζ_m) → a residue per prime
    wanted = [(d, key, a) for d in range(count) for key in terms for a in range(m)]
    points = [_cell(d, key, a, reach, shape) for d, key, a in wanted]
    count_for = functools.partial(_modular_counts, [(tuple(w), Fraction(z)) for w, z in signed], m, count,
                                  tuple(reach), points)
    # the primes' tables are independent images: on a cluster one task per prime (each returns only
    # the entries read below), serially one numpy table for all primes at once
    executor = current_executor()
    chunks = [[p] for p in primes] if executor.distributed and len(primes) > 1 else [primes]
    residues = np.concatenate(executor.map(count_for, chunks), axis=0)           # (primes, wanted)
    averages = [ramanujan_average(a, m) for a in range(m)]
    out = [Fraction(0)] * count
    for j, (d, key, a) in enumerate(wanted):
        if points[j] is None or not residues[:, j].any():
            continue
        z = key[1]
        shift = int(Fraction(z) * m) % m
        out[d] += terms[key] * crt([int(x) for x in residues[:, j]], primes) * averages[(a + shift) % m]
    return out


def _cell(d: int, key: tuple, a: int, reach: Sequence[int], shape: Sequence[int]) -> tuple[int, ...] | None:
    """Where the count of (degree d, numerator term ``key``, ζ_m^a) sits in a prime's table
    (degree, power of ζ, weight), or None when the term cannot reach it."""
    g, _, e = key if len(key) == 3 else key + (0,)
    idx = tuple(-x + b for x, b in zip(g, reach))
    if d < e or any(i < 0 or i >= n for i, n in zip(idx, shape)):
        return None
    return (d - e, a) + idx


def _modular_counts(signed: Sequence, m: int, count: int, reach: tuple[int, ...], points: Sequence,
                    primes: Sequence[int]) -> np.ndarray:
    """For each prime, the table of counts modulo p of (degree, ζ_m power, weight) in the product
    of 1/(1 − ζ t z^w) over ``signed``, read at ``points`` (0 where a point is None): plain data in
    and out, a cluster's task."""
    shape = tuple(2 * b + 1 for b in reach)
    p = np.array(primes, dtype=np.int64).reshape((-1,) + (1,) * (1 + len(reach)))
    table = np.zeros((len(primes), count, m) + shape, dtype=np.int64)
    table[(slice(None), 0, 0) + tuple(reach)] = 1
    for w, z in signed:
        shift = int(Fraction(z) * m) % m
        dst = tuple(slice(max(0, s), n - max(0, -s)) for s, n in zip(w, shape))
        src = tuple(slice(max(0, -s), n - max(0, s)) for s, n in zip(w, shape))
        for d in range(1, count):
            moved = np.roll(table[:, d - 1], shift, axis=1) if shift else table[:, d - 1]
            layer = table[:, d]
            layer[(slice(None), slice(None)) + dst] += moved[(slice(None), slice(None)) + src]
            np.subtract(layer, p, out=layer, where=layer >= p)
    out = np.zeros((len(primes), len(points)), dtype=np.int64)
    for j, point in enumerate(points):
        if point is not None:
            out[:, j] = table[(slice(None),) + point]
    return out
