"""Linear forms over a finite field and its extensions: orbits under G × Galois, Dade's primary
invariants, and the orbit products (norms) that are invariants over the group's own field.

A group over K = GF(q) acts on linear forms ℓ (coefficient rows c) by ℓ ↦ ℓ∘g, c ↦ c·g.  Over
an extension L = GF(q^m) the Frobenius σ: x ↦ x^q acts on coefficients too and commutes with G
(the matrices have entries in K), so the orbit O of ℓ under G × Gal(L/K) is stable under both, and
its orbit product N(ℓ) = ∏_{m ∈ O} m is a G-invariant whose coefficients σ fixes: a polynomial
over K.  Dade's construction (Derksen–Kemper, *Computational Invariant Theory*, §3.3) picks
ℓ_1 … ℓ_n such that every choice m_i ∈ O_i is linearly independent over L: a common zero v of the
N(ℓ_i) over the algebraic closure has m_i(v) = 0 for one m_i per orbit, hence v = 0, so the N(ℓ_i)
are an hsop of K[V]^G.  Each ℓ_i only has to avoid finitely many proper subspaces (spanned by
earlier choices, moved by G and σ), whose number grows polynomially in m while |L| = q^m grows
exponentially: a large enough extension has such forms, which is why a too small K is extended.

Arithmetic in L uses Zech logarithms (`FormField`): an element is a code, 0 for zero and
1 + i for γ^i (γ a primitive element), so products are sums of exponents and sums one table
look-up; the tables have |L| entries (`MAX_FORM_FIELD` bounds it).
"""
from __future__ import annotations

import functools
import itertools
import random
from typing import Sequence

import sympy
from flint import fq_default_ctx, nmod

from invariants.errors import ModularError
from invariants.fields.finite import FiniteField
from invariants.polynomials.ring import PolynomialRing

MAX_FORM_FIELD = 1 << 16  # |L| for the Zech tables (two lists of |L| ints)
MAX_POINTS = 6_000  # projective points enumerated (beyond: the base field's, then a seeded sample)
MAX_DADE_TUPLES = 200_000  # choices of one form per orbit Dade's check enumerates
MAX_DADE_WORK = 300_000  # echelon extensions of one backtracking search (then the next extension field)
MAX_EXTENSION = 6  # [L : K] tried for Dade's construction when K itself is too small


class FormField:
    """L = GF(p^(k·m)) ⊇ K = GF(p^k) (the group's field) by Zech logarithms, with K's embedding
    and the Frobenius x ↦ x^q of L over K.

    Example:
        >>> from invariants.fields import parse_field
        >>> L = FormField(parse_field("GF(2)"), 2)          # GF(4) over GF(2)
        >>> w = L.embed(L.base.one)
        >>> w, L.add(w, w), L.frobenius(L.frobenius(L.primitive)) == L.primitive
        (1, 0, True)
    """

    def __init__(self, base: FiniteField, m: int = 1):
        self.base, self.m, self.p = base, m, base.characteristic
        self.degree = base.degree * m
        self.size = self.p ** self.degree
        if self.size > MAX_FORM_FIELD:
            raise ModularError(f"{base.name}" + (f" extended by degree {m}" if m > 1 else "") + f" has {self.size} "
                               f"elements, above the {MAX_FORM_FIELD} of the tables for orbits of linear forms: "
                               "neither Dade's construction nor orbit products are computed over it")
        self.field = base if m == 1 else FiniteField(self.p, self.degree)
        self.order = self.size - 1  # of the multiplicative group
        coords = self._powers()
        self.coordinates = [(0,) * self.degree] + coords  # code -> power-basis coordinates
        self.code = {c: i for i, c in enumerate(self.coordinates)}
        # Zech: 1 + γ^i = γ^(zech[i] - 1), zech[i] = 0 when γ^i = −1
        self.zech = [self.code[((c[0] + 1) % self.p,) + c[1:]] for c in coords]
        self.minus_one = self.code[((self.p - 1),) + (0,) * (self.degree - 1)]
        self.primitive = 2  # γ

    def _powers(self) -> list[tuple[int, ...]]:
        """Coordinates of γ^0 … γ^(|L|−2) for a primitive element γ (the Conway generator when it is one)."""
        if self.degree == 1:
            g = int(sympy.primitive_root(self.p))
            out, x = [], 1
            for _ in range(self.p - 1):
                out.append((x,))
                x = x * g % self.p
            return out
        ctx = self.field.context
        gamma = ctx.gen()
        factors = _prime_factors(self.size - 1)
        while any((gamma ** ((self.size - 1) // r)).is_one() for r in factors):  # pragma: no cover - Conway
            gamma = ctx.random_element()
        out, x = [], ctx.one()
        for _ in range(self.size - 1):
            out.append(tuple(int(c) for c in _padded(x, self.degree)))
            x = x * gamma
        return out

    # -- arithmetic on codes ---------------------------------------------------------------------
    def mul(self, x: int, y: int) -> int:
        return 0 if not x or not y else (x + y - 2) % self.order + 1

    def add(self, x: int, y: int) -> int:
        if not x:
            return y
        if not y:
            return x
        z = self.zech[(y - x) % self.order]  # γ^i + γ^j = γ^i (1 + γ^(j−i))
        return 0 if not z else (x + z - 2) % self.order + 1

    def neg(self, x: int) -> int:
        return self.mul(x, self.minus_one)

    def inv(self, x: int) -> int:
        return (1 - x) % self.order + 1

    def frobenius(self, x: int) -> int:
        """x^q, q = |K|: the generator of Gal(L/K)."""
        return 0 if not x else (x - 1) * self.base.size % self.order + 1

    def element(self, x: int) -> tuple:
        """The code as an element of ``self.field`` (power-basis coordinates)."""
        return tuple(nmod(c, self.p) for c in self.coordinates[x])

    @functools.cached_property
    def _embedding(self) -> list[int]:
        """Codes of the images of K's elements, indexed by K's coordinates in base p."""
        k = self.base.degree
        if k == 1:
            return [self.code[(c,) + (0,) * (self.degree - 1)] for c in range(self.p)]
        ctx: fq_default_ctx = self.field.context
        root = self.base.root_in(ctx) if self.m > 1 else ctx.gen()
        out = []
        for digits in itertools.product(range(self.p), repeat=k):
            value = sum((ctx(d) * root ** t for t, d in enumerate(reversed(digits))), ctx.zero())
            out.append(self.code[tuple(int(c) for c in _padded(value, self.degree))])
        return out

    def embed(self, a: tuple) -> int:
        """The code of K's element a (power-basis coordinates) in L."""
        index = 0
        for c in reversed(a):
            index = index * self.p + int(c)
        return self._embedding[index]

    @functools.cached_property
    def _descent(self) -> dict[int, tuple]:
        """L-codes of K's elements → K's coordinates (the inverse of `embed`)."""
        digits = itertools.product(range(self.p), repeat=self.base.degree)  # most significant first
        return {code: tuple(nmod(d, self.p) for d in reversed(ds)) for ds, code in zip(digits, self._embedding)}

    def descend(self, x: int) -> tuple:
        """The element of K whose image is x; a `ModularError` if x lies outside K."""
        try:
            return self._descent[x]
        except KeyError:  # pragma: no cover - orbit products are Frobenius-stable
            raise ModularError(f"an orbit product has a coefficient outside {self.base.name}") from None


def _padded(x, k: int) -> list:
    coeffs = list(x.to_list())
    return coeffs + [0] * (k - len(coeffs))


def _prime_factors(n: int) -> list[int]:
    out, d = [], 2
    while d * d <= n:
        if n % d == 0:
            out.append(d)
            while n % d == 0:
                n //= d
        d += 1
    return out + ([n] if n > 1 else [])


def form_images(L: FormField, rep) -> list[list[list[int]]]:
    """The group's generator matrices with entries as L-codes."""
    return [[[L.embed(x) for x in row] for row in g.entries()] for g in rep.images]


def orbit_of_form(L: FormField, images: Sequence[Sequence[Sequence[int]]],
                  form: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The orbit of the linear form with coefficient row ``form`` (L-codes) under c ↦ c·g for the
    generator matrices ``images`` and, over a proper extension, the Frobenius of L over K.

    Example:
        >>> from invariants.fields import parse_field
        >>> L = FormField(parse_field("GF(2)"), 2)          # swap over GF(2), forms over GF(4)
        >>> one, w = L.embed(L.base.one), L.primitive      # 1 and a primitive element of GF(4)
        >>> len(orbit_of_form(L, [[[0, one], [one, 0]]], (one, w)))   # x + w y, y + w x, and conjugates
        4
    """
    n = len(form)
    seen, todo = [form], [form]
    known = {form}
    while todo:
        c = todo.pop()
        images_of_c = [tuple(functools.reduce(L.add, (L.mul(c[i], g[i][j]) for i in range(n)), 0) for j in range(n))
                       for g in images]
        if L.m > 1:
            images_of_c.append(tuple(L.frobenius(x) for x in c))
        for image in images_of_c:
            if image not in known:
                known.add(image)
                seen.append(image)
                todo.append(image)
    return seen


def _reduce_against(L: FormField, echelon: list, v: tuple[int, ...]) -> tuple[int, ...]:
    """v minus its component in the span of ``echelon`` (rows with a pivot entry 1)."""
    for pivot, row in echelon:
        c = v[pivot]
        if c:
            minus = L.neg(c)
            v = tuple(L.add(a, L.mul(minus, b)) for a, b in zip(v, row))
    return v


def _extended(L: FormField, echelon: list, v: tuple[int, ...]) -> list | None:
    """``echelon`` with v added, or None when v lies in its span."""
    r = _reduce_against(L, echelon, v)
    pivot = next((i for i, x in enumerate(r) if x), None)
    if pivot is None:
        return None
    inv = L.inv(r[pivot])
    return echelon + [(pivot, tuple(L.mul(x, inv) for x in r))]


def _grown(L: FormField, tuples: list, orbit: Sequence[tuple[int, ...]],
           work: list[int]) -> list | None:
    """Every echelon form in ``tuples`` extended by every form of ``orbit``; None as soon as one
    form lies in the span of one choice (most orbits fail early, so this stops early).  Each
    extension spends one unit of ``work``; `_OutOfWork` when none is left."""
    out = []
    for t in tuples:
        for f in orbit:
            work[0] -= 1
            if work[0] < 0:
                raise _OutOfWork
            e = _extended(L, t, f)
            if e is None:
                return None
            out.append(e)
    return out


class _OutOfWork(Exception):
    """The backtracking search of `dade_forms` spent `MAX_DADE_WORK`."""


def _points(L: FormField, n: int, seed: int):
    """Projective points of L^n (first non-zero coordinate 1) as forms: all of them when few, else
    those over K, then a seeded sample."""
    count = (L.size ** n - 1) // L.order
    if count <= MAX_POINTS:
        for lead in range(n):
            for rest in itertools.product(range(L.size), repeat=n - lead - 1):
                yield (0,) * lead + (1,) + rest
        return
    base = [L.embed(a) for a in _elements(L.base)]
    if (len(base) ** n - 1) // max(len(base) - 1, 1) <= MAX_POINTS // 2:
        for lead in range(n):
            for rest in itertools.product(base, repeat=n - lead - 1):
                yield (0,) * lead + (1,) + rest
    rng = random.Random(seed)
    for _ in range(MAX_POINTS // 2):
        v = tuple(rng.randrange(L.size) for _ in range(n))
        lead = next((x for x in v if x), None)
        if lead is not None:  # scaled to a leading 1: one form per projective point
            yield tuple(L.mul(x, L.inv(lead)) for x in v)


def _elements(K: FiniteField) -> list[tuple]:
    return [tuple(nmod(d, K.characteristic) for d in digits)
            for digits in itertools.product(range(K.characteristic), repeat=K.degree)]


def dade_forms(rep, m: int = 1, seed: int = 0) -> tuple[FormField, list[list[tuple[int, ...]]]]:
    """Orbits O_1 … O_n (under G × Gal(L/K), L the degree-m extension of the group's field K) of
    linear forms over L such that every choice of one form per orbit is linearly independent
    (Dade's condition, checked over all choices), small orbits first; a `ModularError` when L has none.

    Example:
        >>> from invariants import MatrixGroup
        >>> L, orbits = dade_forms(MatrixGroup([[[1, 1], [0, 1]]], field="GF(3)").natural())
        >>> L.field.name, [len(o) for o in orbits]
        ('GF(3)', [1, 3])
    """
    L = FormField(rep.field, m)
    n, images = rep.dim, form_images(L, rep)
    orbits, covered = [], set()
    for point in _points(L, n, seed):
        if point not in covered:
            orbit = orbit_of_form(L, images, point)
            covered.update(orbit)
            orbits.append(orbit)
    orbits.sort(key=len)
    work = [MAX_DADE_WORK]  # the backtracking search can explore exponentially many branches

    def search(chosen: list, tuples: list) -> list | None:
        if len(chosen) == n:
            return chosen
        for orbit in orbits:
            if len(tuples) * len(orbit) > MAX_DADE_TUPLES:
                return None
            grown = _grown(L, tuples, orbit, work)
            if grown is not None:
                found = search(chosen + [orbit], grown)
                if found is not None:
                    return found
        return None

    try:
        found, verdict = search([], [[]]), "is too small for"
    except _OutOfWork:
        found, verdict = None, f"gave up after {MAX_DADE_WORK} search steps (MAX_DADE_WORK) in"
    if found is None:
        raise ModularError(
            f"{L.field.name} {verdict} Dade's construction of primary invariants for {rep}"
            + (f" (extending {rep.field.name} by degree {m})" if m > 1 else "")
            + f": no {n} linear forms over it found whose orbits have every choice of one form each linearly "
            "independent; a larger field extension is needed (dade_primaries tries extensions of degree up to "
            f"{MAX_EXTENSION})")
    return L, found


def orbit_product(ring, L: FormField, orbit: Sequence[tuple[int, ...]]):
    """∏ of the forms of a G × Gal(L/K)-orbit, computed over L and read back over K = ring.field.

    Example:
        >>> from invariants.polynomials.ring import PolynomialRing
        >>> from invariants.fields import parse_field
        >>> R = PolynomialRing(parse_field("GF(2)"), 1)
        >>> L = FormField(R.field, 2)
        >>> R.to_sympy(orbit_product(R, L, [(L.primitive,), (L.frobenius(L.primitive),)]))   # w·w² = 1
        x0**2
    """
    big = ring if L.m == 1 else PolynomialRing(L.field, ring.n)
    out = big.ctx.constant(1)
    for c in orbit:
        out = big.reduce(out * big.linear_form([L.element(x) for x in c]))
    if big is ring:
        return out
    return ring.from_coefficients({mono: L.descend(L.code[tuple(int(x) for x in value)])
                                   for mono, value in big.coefficients(out).items()})


def dade_orbits(rep, seed: int = 0) -> tuple[FormField, list[list[tuple[int, ...]]]]:
    """Dade's forms over the group's field K, else over its extensions of degree 2, 3, …
    (`MAX_EXTENSION`), the first that has them: ``(L, orbits)``."""
    last = None
    for m in range(1, MAX_EXTENSION + 1):
        if rep.field.size ** m > MAX_FORM_FIELD:
            break
        try:
            return dade_forms(rep, m, seed)
        except ModularError as exc:
            last = exc
    raise ModularError(f"Dade's construction found no primary invariants for {rep} over {rep.field.name} or its "
                       f"extensions of degree <= {MAX_EXTENSION} (|L| <= {MAX_FORM_FIELD}): {last}; the minimal "
                       "generators (invariant_ring(G).generators, complete by Symonds' bound) and "
                       "invariants_of_degree(G, d) still apply")
