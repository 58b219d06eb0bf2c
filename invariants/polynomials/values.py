"""Invariants as their values at random points over GF(p): ranks without coefficient vectors.

The generated part of R_d is spanned by products g·b (a generator times a basis invariant of
the complementary degree).  Expanding those products and reading their coefficients is what
costs; their *values* at points are pointwise products of the factors' values.  So ranks of
sets of degree-d invariants are computed on value vectors at N ≥ dim R_d random points of
GF(p)^n, p < 2^31 a prime with a root r of the field's minimal polynomial (α ↦ r is a ring
map from the p-integral elements of K onto GF(p)).

Why the answers are proofs: evaluation φ is linear over K → GF(p), so vectors independent after
φ are independent over K, and a candidate outside φ(span F) is outside span F.  A rank that
reaches the Molien coefficient dim R_d therefore proves that the vectors span R_d.  What
unlucky points can do is only *lose* rank (a minor of size r vanishes with probability at most
r·d/p by Schwartz–Zippel); callers that need the exact rank of a span (minimality of
generators) confirm it at a second, independent set of points.

Example:
    >>> from invariants.fields import QQ
    >>> from invariants.polynomials.ring import PolynomialRing
    >>> R = PolynomialRing(QQ, 2)
    >>> x, y = R.gens
    >>> ev = PointValues(R)
    >>> fixed = ev.values([x**2 + y**2], 4)
    >>> ev.select(fixed, ev.values([x*y, (x + y)**2], 4), None, 2)
    ([0], 2, 1)
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from flint import fmpq_mpoly, nmod_mat

from invariants.fields.base import Reduction

from invariants.fields.primes import WORD, reductions
from invariants.linalg import dense
from invariants.linalg.modular import as_nmod_columns, mulmod, random_combinations
from invariants.polynomials.ring import PolynomialRing

_CHUNK = 1 << 22  # entries per temporary (terms × points): bounds memory at ~32 MB
_TABLE_LIMIT = 1 << 24  # monomial values kept per point range (~128 MB)


class PointValues:
    """Value vectors of polynomials at a growing sequence of random points of GF(p)^n.

    ``which`` picks an independent evaluation (another prime, other points).  With ``vanishing``
    (linear forms) the points are drawn from their common zeros W instead of from all of GF(p)^n:
    see `on_zeros` for what ranks there prove."""

    def __init__(self, ring: PolynomialRing, which: int = 0, seed: int = 0,
                 vanishing: Sequence[fmpq_mpoly] = ()):
        self.ring = ring
        primes = reductions(ring.field, below=WORD)
        for _ in range(which + 1):
            reduction = next(primes, None)
            if reduction is None:  # GF(p) has one reduction: callers catch this and eliminate exactly
                raise ZeroDivisionError(f"{ring.field} has no reduction number {which}")
            self.reduction = reduction
        self.prime = self.reduction.p
        self._rng = np.random.default_rng((seed, which))
        self.points = np.zeros((0, ring.n), dtype=np.int64)
        self._cache: dict[int, tuple[fmpq_mpoly, np.ndarray]] = {}
        self._rows: dict[tuple[int, int], dict[tuple[int, ...], np.ndarray]] = {}
        self._zeros = on_zeros(ring, self.reduction, vanishing) if vanishing else None
        self._reduced = reduced_terms(ring, self.reduction)  # each distinct coefficient reduced once

    def _grow(self, n_points: int) -> None:
        if n_points > len(self.points):
            count = n_points - len(self.points)
            if self._zeros is None:
                more = self._rng.integers(1, self.prime, size=(count, self.ring.n), dtype=np.int64)
            else:
                coords = self._rng.integers(1, self.prime, size=(count, len(self._zeros)), dtype=np.int64)
                more = mulmod(coords, self._zeros, self.prime)
            self.points = np.vstack([self.points, more])

    def values(self, polys: Sequence[fmpq_mpoly], n_points: int, start: int = 0) -> np.ndarray:
        """(len(polys), n_points - start) int64 array of values mod p at points[start:n_points].

        Each monomial's values are its parent's times one coordinate (the parent drops one
        factor), so a monomial costs one vector product; then a weighted sum per polynomial.
        Raises ZeroDivisionError when p divides a denominator (the caller takes another prime)."""
        self._grow(n_points)
        p = self.prime
        pts = self.points[start:n_points]
        m = len(pts)
        index: dict[tuple[int, ...], int] = {}
        terms, coefs, owner = [], [], []
        for k, poly in enumerate(polys):
            for mono, r in self._reduced(poly):
                terms.append(index.setdefault(mono, len(index)))
                coefs.append(r)
                owner.append(k)
        out = np.zeros((len(polys), m), dtype=np.int64)
        if not terms or m == 0:
            return out
        if len(polys) > 1 and len(index) * m > _TABLE_LIMIT:  # bound the monomial table's memory
            half = len(polys) // 2
            return np.vstack([self.values(polys[:half], n_points, start), self.values(polys[half:], n_points, start)])
        rows = self._rows.setdefault((start, n_points), {})
        if len(rows) * m > _TABLE_LIMIT:
            rows.clear()
        table = self._monomial_table(list(index), pts, (start, n_points))
        terms_arr = np.asarray(terms, dtype=np.int64)
        coefs_arr = np.asarray(coefs, dtype=np.int64)
        owner_arr = np.asarray(owner, dtype=np.int64)
        step = max(1, _CHUNK // m)
        for lo in range(0, len(terms), step):
            hi = min(lo + step, len(terms))
            acc = table[terms_arr[lo:hi]] * coefs_arr[lo:hi, None] % p
            _segment_add(out, owner_arr[lo:hi], acc)
            out %= p
        return out

    def _monomial_table(self, monos: list[tuple[int, ...]], pts: np.ndarray, key: tuple[int, int]) -> np.ndarray:
        """Values of the given monomials (rows, in order) at the points, each from its parent
        (kept per point range: the next polynomials at the same points reuse them)."""
        p = self.prime
        rows = self._rows.setdefault(key, {})

        def value(mono: tuple[int, ...]) -> np.ndarray:
            got = rows.get(mono)
            if got is None:
                i = next((j for j, e in enumerate(mono) if e), None)
                if i is None:
                    got = np.ones(len(pts), dtype=np.int64)
                else:
                    parent = mono[:i] + (mono[i] - 1,) + mono[i + 1:]
                    got = value(parent) * pts[:, i] % p
                rows[mono] = got
            return got

        for mono in sorted(monos, key=sum):  # parents first: the recursion stays shallow
            value(mono)
        return np.stack([rows[mono] for mono in monos])

    def value(self, poly: fmpq_mpoly, n_points: int) -> np.ndarray:
        """The values of one polynomial at the first n_points points, cached (kept alive with it)."""
        key = id(poly)
        got = self._cache.get(key)
        have = got[1] if got is not None and got[0] is poly else np.zeros(0, dtype=np.int64)
        if len(have) < n_points:
            have = np.concatenate([have, self.values([poly], n_points, start=len(have))[0]])
            self._cache[key] = (poly, have)
        return have[:n_points]

    def rank(self, vectors: np.ndarray) -> int:
        if len(vectors) == 0:
            return 0
        return dense.rank(as_nmod_columns(self.compress(vectors), self.prime))

    def compress(self, vectors: np.ndarray) -> np.ndarray:
        """Random combinations of the rows, a few more than there are points (when fewer than
        the rows), by `random_combinations`: the span is kept but for a probability below 2^-34,
        and the rank computation gets a near-square matrix.  Small coefficients, one float64
        product: the cyclic shift of R^8's minimal generators spent 1.1 s of 4.2 in `mulmod` here."""
        if len(vectors) <= vectors.shape[1]:
            return vectors
        return random_combinations(vectors, self.prime, self._rng)

    def select(self, fixed: np.ndarray, candidates: np.ndarray, need: int | None,
               expected_rank: int | None) -> tuple[list[int], int, int] | None:
        """Candidates independent modulo the span of ``fixed`` (rows are value vectors), greedily
        in order and at most ``need``; with the rank of everything and the rank of ``fixed``.
        None when ``expected_rank`` is given and not reached (unlucky points or prime)."""
        fixed = self.compress(fixed.reshape(-1, candidates.shape[1]))
        stacked = np.vstack([fixed, candidates])
        if len(stacked) == 0:
            return [], 0, 0
        _, pivots = dense.rref(as_nmod_columns(stacked, self.prime))
        rank = len(pivots)
        if expected_rank is not None and rank != expected_rank:
            return None
        n_fixed = len(fixed)
        chosen = [j - n_fixed for j in pivots if j >= n_fixed]
        fixed_rank = rank - len(chosen)
        return (chosen[:need] if need is not None else chosen), rank, fixed_rank


def reduced_terms(ring: PolynomialRing, reduction: Reduction):
    """poly -> [(monomial, coefficient mod p)], memoising the reduction per coefficient (invariants
    repeat few distinct coefficients; a rational one is keyed by its numerator and denominator,
    which hash ten times faster than the fraction; an integer one needs no inverse)."""
    cache: dict = {}
    p = reduction.p

    def rational(poly: fmpq_mpoly) -> list:
        residues = []
        for c in poly.coeffs():  # flint's lists, not a dict: a third of the time on dense invariants
            if c.q == 1:
                residues.append(int(c.p % p))
                continue
            key = (c.p, c.q)
            got = cache.get(key)
            if got is None:
                q = int(c.q)
                if q % p == 0:
                    raise ZeroDivisionError(f"{p} divides a denominator: bad reduction")
                got = cache[key] = int(c.p) * pow(q, -1, p) % p
            residues.append(got)
        return list(zip(poly.monoms(), residues))

    def general(poly: fmpq_mpoly) -> list:
        out = []
        for mono, c in ring.coefficients(poly).items():
            got = cache.get(c)
            if got is None:
                got = cache[c] = reduction.element(c)
            out.append((mono, got))
        return out

    return rational if ring.field.degree == 1 and not ring.field.characteristic else general


def on_zeros(ring: PolynomialRing, reduction: Reduction, forms: Sequence[fmpq_mpoly]) -> np.ndarray:
    """A basis (rows, mod p) of the common zeros of linear forms l_1 … l_k of K[V], reduced.

    Why values there prove ranks: when the reduced forms keep their rank k, these rows span the
    reduction of W = {l = 0} (a saturated p-integral basis of W reduces to n − k independent
    vectors in the kernel of the reduced forms, which has dimension n − k), so a value at one of
    these points is the reduction of the restriction f|_W at a point.  Values there therefore bound the rank of the
    restrictions from below, as values at any points bound the rank of polynomials.  For
    invariants, the kernel of f ↦ f|_W on R_d is (l)K[V] ∩ R_d = Σ l_i R_{d−1} (the Reynolds
    operator), of dimension dim R_d − [t^d](1 − t)^k H(t) when the l_i are the linear invariants
    (R = K[l] ⊗ K[U]^G for a complement U); a set that contains those products and whose
    restrictions reach rank [t^d](1 − t)^k H(t) spans R_d.  Raises ZeroDivisionError when p
    divides a denominator or the reduced forms lose rank (the caller takes another prime).

    Example:
        >>> from invariants.fields import QQ
        >>> R = PolynomialRing(QQ, 3)
        >>> x, y, z = R.gens
        >>> from invariants.fields.primes import reductions
        >>> W = on_zeros(R, next(reductions(QQ)), [x + y + z])
        >>> W.shape, bool((W.sum(axis=1) % next(reductions(QQ)).p == 0).all())
        ((2, 3), True)
    """
    n, p = ring.n, reduction.p
    rows = []
    for form in forms:
        row = [0] * n
        for mono, c in ring.coefficients(form).items():
            if sum(mono) != 1:
                raise ValueError("on_zeros takes linear forms")
            row[mono.index(1)] = reduction.element(c)
        rows.append(row)
    echelon, rank = nmod_mat(rows, p).rref()
    if rank < len(forms):
        raise ZeroDivisionError(f"the linear forms lose rank modulo {p}")
    pivots = dense._pivots(echelon, rank)
    free = [j for j in range(n) if j not in pivots]
    basis = np.zeros((len(free), n), dtype=np.int64)
    for t, j in enumerate(free):  # x_j = 1 and the pivots solved for: the kernel's reduced basis
        basis[t, j] = 1
        for i, c in enumerate(pivots):
            basis[t, c] = -int(echelon[i, j]) % p
    return basis


def _segment_add(out: np.ndarray, owner: np.ndarray, acc: np.ndarray) -> None:
    """out[owner[t]] += acc[t] for sorted owner (terms of one polynomial are contiguous)."""
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sums = np.add.reduceat(acc, starts, axis=0)
    out[owner[starts]] += sums
