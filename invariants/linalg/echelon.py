"""Exact linear algebra on polynomials over a number field, as sparse coefficient vectors.

`Echelon` keeps a reduced row echelon form of a growing set of polynomials; it answers
"is this in the span?", "which of these are independent modulo that?", and — tracking the
combination that produced each row — "write this as a combination of those".
"""
from __future__ import annotations

from typing import Any, Hashable, Sequence

from flint import fmpq_mat, fmpq_mpoly

from invariants.polynomials.ring import PolynomialRing


class Echelon:
    """Incremental reduced echelon form over K of polynomial coefficient vectors.

    Each row may carry a *tag combination*: the linear combination of tagged inputs that it
    equals, so `solve` can express a polynomial in terms of the inputs.

    Example:
        >>> from invariants.fields import QQ
        >>> R = PolynomialRing(QQ, 2)
        >>> x, y = R.gens
        >>> E = Echelon(R)
        >>> E.add(x**2 + y**2, tag="a"), E.add(x*y, tag="b"), E.add(x**2 + y**2 + 2*x*y)
        (True, True, False)
        >>> sorted((t, str(c[0])) for t, c in E.solve((x + y)**2).items())
        [('a', '1'), ('b', '2')]
    """

    def __init__(self, ring: PolynomialRing):
        self.ring = ring
        self.rows: list[tuple[tuple[int, ...], dict, dict]] = []  # (pivot, coefficients, tag combination)

    def __len__(self) -> int:
        return len(self.rows)

    def _eliminate(self, target: dict, combo: dict | None, pivot: tuple[int, ...], row: dict, row_combo: dict) -> None:
        """target -= target[pivot] · row (and the same on the tag combinations)."""
        f = self.ring.field
        c = target.get(pivot)
        if c is None or f.is_zero(c):
            return
        self._subtract(target, c, row)
        if combo is not None:
            self._subtract(combo, c, row_combo)

    def _subtract(self, target: dict, c: tuple, row: dict) -> None:
        """target -= c · row on sparse coefficient dictionaries, dropping zeros."""
        f = self.ring.field
        for m, x in row.items():
            new = f.add(target.get(m, f.zero), f.neg(f.mul(c, x)))
            if f.is_zero(new):
                target.pop(m, None)
            else:
                target[m] = new

    def _reduce(self, p: fmpq_mpoly, combo: dict | None) -> dict:
        v = dict(self.ring.coefficients(p))
        for pivot, row, row_combo in self.rows:
            self._eliminate(v, combo, pivot, row, row_combo)
        return v

    def reduce(self, p: fmpq_mpoly) -> dict:
        """The remainder of p modulo the span (empty when p is in the span)."""
        return self._reduce(p, None)

    def contains(self, p: fmpq_mpoly) -> bool:
        return not self.reduce(p)

    def add(self, p: fmpq_mpoly, tag: Hashable | None = None) -> bool:
        """Add p to the span; False (and nothing changes) when it was already in it."""
        f = self.ring.field
        combo: dict = {} if tag is None else {tag: f.one}
        v = self._reduce(p, combo)
        if not v:
            return False
        pivot = max(v)
        inv = f.inv(v[pivot])
        row = {m: f.mul(x, inv) for m, x in v.items()}
        row_combo = {t: f.mul(x, inv) for t, x in combo.items()}
        for _, earlier, earlier_combo in self.rows:  # keep earlier rows reduced at the new pivot
            self._eliminate(earlier, earlier_combo, pivot, row, row_combo)
        self.rows.append((pivot, row, row_combo))
        return True

    def solve(self, p: fmpq_mpoly) -> dict[Any, tuple] | None:
        """Coefficients c_t with p = Σ c_t · (input tagged t), or None if p is not in the span.

        Only exact when every input was added with a tag (untagged rows are treated as 0)."""
        f = self.ring.field
        combo: dict = {}
        v = dict(self.ring.coefficients(p))
        for pivot, row, row_combo in self.rows:
            c = v.get(pivot)
            if c is None or f.is_zero(c):
                continue
            for t, x in row_combo.items():
                combo[t] = f.add(combo.get(t, f.zero), f.mul(c, x))
            self._eliminate(v, None, pivot, row, row_combo)
        if v:
            return None
        return {t: c for t, c in combo.items() if not f.is_zero(c)}

    def basis(self) -> list[fmpq_mpoly]:
        """The reduced echelon rows as polynomials, leading monomial first."""
        return [self.ring.from_coefficients(row) for _, row, _ in sorted(self.rows, key=lambda r: r[0], reverse=True)]


def independent_modulo(ring: PolynomialRing, fixed: Sequence[fmpq_mpoly], candidates: Sequence[fmpq_mpoly],
                       need: int | None = None, expected_rank: int | None = None) -> list[int] | None:
    """See `independent_modulo_with_rank`; returns only the chosen indices."""
    found = independent_modulo_with_rank(ring, fixed, candidates, need, expected_rank)
    return None if found is None else found[0]


def independent_modulo_with_rank(ring: PolynomialRing, fixed: Sequence[fmpq_mpoly], candidates: Sequence[fmpq_mpoly],
                                 need: int | None = None,
                                 expected_rank: int | None = None) -> tuple[list[int], int] | None:
    """Indices of candidates independent modulo span(fixed), chosen greedily in order (at most
    ``need`` of them), by one rank-profile computation over GF(p).

    Proof, not heuristic: vectors independent mod p are independent over K (a non-zero minor
    mod p is non-zero in K).  When ``expected_rank`` (the exact dimension of the span of
    everything, e.g. a Molien coefficient) is given, the answer is returned only if the
    modular rank reaches it — then fixed ∪ chosen span that space exactly; a prime that
    loses rank is replaced, and after a few the caller falls back to exact elimination (None).
    """
    from flint import nmod_mat

    vectors = list(fixed) + list(candidates)
    if not vectors:
        return [], 0
    columns: dict[tuple[int, ...], int] = {}
    supports = []
    for v in vectors:
        coeffs = ring.coefficients(v)
        supports.append(coeffs)
        for m in coeffs:
            columns.setdefault(m, len(columns))
    for p in _large_primes(ring):
        root = _field_root_mod(ring.field, p)
        if root is None:
            continue
        try:
            flat = [0] * (len(columns) * len(vectors))
            width = len(vectors)
            for j, coeffs in enumerate(supports):
                for m, c in coeffs.items():
                    flat[columns[m] * width + j] = _reduce_mod(c, root, p)
        except ZeroDivisionError:
            continue
        mat = nmod_mat(len(columns), width, flat, p)
        rref, rank = mat.rref()
        pivots = _pivot_columns(rref, rank, width)
        if expected_rank is not None and rank != expected_rank:
            continue
        chosen = [j - len(fixed) for j in pivots if j >= len(fixed)]
        return (chosen[:need] if need is not None else chosen), rank
    return None


def _pivot_columns(rref, rank: int, width: int) -> list[int]:
    pivots, row = [], 0
    for c in range(width):
        if row < rank and int(rref[row, c]) != 0:
            pivots.append(c)
            row += 1
    return pivots


def _large_primes(ring: PolynomialRing, count: int = 4):
    import sympy

    p = 2**62
    for _ in range(count):
        p = int(sympy.prevprime(p))
        yield p


def _field_root_mod(field, p: int) -> int | None:
    if field.degree == 1:
        return 0
    from flint import nmod_poly

    coeffs = []
    for c in field.minpoly.coeffs():
        if int(c.q) % p == 0:
            return None
        coeffs.append(int(c.p) * pow(int(c.q), -1, p) % p)
    roots = nmod_poly(coeffs, p).roots()
    return int(roots[0][0]) if roots else None


def _reduce_mod(c, root: int, p: int) -> int:
    acc, power = 0, 1
    for x in c:
        if x != 0:
            q = int(x.q)
            if q % p == 0:
                raise ZeroDivisionError
            acc += int(x.p) * pow(q, -1, p) * power
        power = power * root % p
    return acc % p


def rational_kernel(a: fmpq_mat) -> fmpq_mat:
    """A basis of the right kernel of a rational matrix, as columns."""
    r, rank = a.rref()
    ncols = a.ncols()
    pivots = []
    row = 0
    for c in range(ncols):
        if row < rank and r[row, c] != 0:
            pivots.append(c)
            row += 1
    free = [c for c in range(ncols) if c not in set(pivots)]
    out = fmpq_mat(ncols, len(free))
    for j, c in enumerate(free):
        out[c, j] = 1
        for i, p in enumerate(pivots):
            out[p, j] = -r[i, c]
    return out
