"""Exact linear algebra on polynomials over a number field, as sparse coefficient vectors.

`Echelon` keeps a reduced row echelon form of a growing set of polynomials; it answers
"is this in the span?", "which of these are independent modulo that?", and — tracking the
combination that produced each row — "write this as a combination of those".
"""
from __future__ import annotations

from math import gcd, lcm
from typing import Any, Hashable, Sequence

from flint import fmpq, fmpq_mat, fmpq_mpoly

from invariants.linalg.modular import independent_columns
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


def independent_modulo_with_rank(ring: PolynomialRing, fixed: Sequence[fmpq_mpoly], candidates: Sequence[fmpq_mpoly],
                                 need: int | None = None,
                                 expected_rank: int | None = None) -> tuple[list[int], int] | None:
    """Indices of candidates independent modulo span(fixed), greedily in order (at most ``need``),
    and the rank of everything, by one modular rank profile of the coefficient vectors
    (`invariants.linalg.modular.independent_columns`, which says why it is a proof); None when no
    prime reaches ``expected_rank``."""
    vectors = [ring.coefficients(p) for p in list(fixed) + list(candidates)]
    return independent_columns(ring.field, vectors, n_fixed=len(fixed), need=need, expected_rank=expected_rank)


def echelon_basis(ring: PolynomialRing, polys: list[fmpq_mpoly]) -> list[fmpq_mpoly]:
    """The reduced echelon basis of the span (leading coefficient 1, sorted by leading monomial),
    scaled to primitive integer polynomials over QQ."""
    if over_rationals(ring) and polys:
        return _rational_echelon_basis(ring, polys)
    ech = Echelon(ring)
    for p in polys:
        ech.add(p)
    return [primitive(p) if over_rationals(ring) else p for p in ech.basis()]


def _rational_echelon_basis(ring: PolynomialRing, polys: list[fmpq_mpoly]) -> list[fmpq_mpoly]:
    """`echelon_basis` over QQ by one `fmpq_mat` rref (flint's fraction-free elimination in C)
    on the columns of the monomials, largest first: the pivot of a row is then its leading
    monomial, and a reduced echelon form is unique, so the rows are `Echelon`'s (the power sums
    of a 15-element group in another basis of R^5: 3 s of Python field arithmetic before)."""
    terms = [p.to_dict() for p in polys]
    monos = sorted({m for t in terms for m in t}, reverse=True)
    column = {m: j for j, m in enumerate(monos)}
    mat = fmpq_mat(len(polys), len(monos))
    for i, t in enumerate(terms):
        for m, c in t.items():
            mat[i, column[m]] = c
    rref, rank = mat.rref()
    width = len(monos)
    entries = rref.entries()[: rank * width]  # one call, not one per entry
    out = []
    for i in range(rank):
        row = entries[i * width:(i + 1) * width]
        out.append(primitive(ring.ctx.from_dict({monos[j]: c for j, c in enumerate(row) if c != 0})))
    return out  # the pivots increase along the rows: leading monomials decrease


def disjoint_basis(ring: PolynomialRing, polys: list[fmpq_mpoly]) -> list[fmpq_mpoly]:
    """The echelon basis of polynomials with pairwise disjoint supports (orbit sums), without
    elimination: each one's leading monomial is a pivot no other one touches, so scaling to
    leading coefficient 1 (then primitive over QQ) and sorting gives what `echelon_basis` would."""
    f = ring.field
    out = []
    if over_rationals(ring):  # on flint's rationals directly (an orbit sum's coefficients are ±1: nothing to do)
        for p in polys:
            terms = p.to_dict()
            lead = max(terms)
            if terms[lead] != 1 or any(c != 1 and c != -1 for c in terms.values()):
                p = primitive(p / terms[lead])
            out.append((lead, p))
        return [p for _, p in sorted(out, key=lambda t: t[0], reverse=True)]
    for p in polys:
        coeffs = ring.coefficients(p)
        lead = max(coeffs)
        inv = f.inv(coeffs[lead])
        scaled = ring.from_coefficients({m: f.mul(c, inv) for m, c in coeffs.items()})
        out.append((lead, primitive(scaled) if over_rationals(ring) else scaled))
    return [p for _, p in sorted(out, key=lambda t: t[0], reverse=True)]


def over_rationals(ring: PolynomialRing) -> bool:
    """Over QQ a basis is scaled to primitive integer polynomials (over GF(p) the monic ones are kept)."""
    return ring.field.degree == 1 and ring.field.characteristic == 0


def primitive(p: fmpq_mpoly) -> fmpq_mpoly:
    """p scaled to a primitive integer polynomial (coprime integer coefficients, its sign kept)."""
    coeffs = p.coeffs()  # one list from flint, not a dict of terms
    den = lcm(*[int(c.q) for c in coeffs])
    num = gcd(*[int(c.p) for c in coeffs]) if den == 1 else gcd(*[int(c.p) * (den // int(c.q)) for c in coeffs])
    return p * fmpq(den, num)
