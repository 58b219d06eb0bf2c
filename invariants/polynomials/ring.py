"""Polynomials over a number field or GF(p): flint inside, sympy on the surface.

A polynomial over K = Q(α) in x0 … x{n-1} is a `flint.fmpq_mpoly` in x0 … x{n-1} and one
more variable ``a`` standing for α, kept reduced modulo the minimal polynomial of α (for QQ
there is no ``a``).  Over GF(p) it is an `flint.nmod_mpoly` (coefficients read back as
`flint.nmod`, printed as integers 0 … p − 1); over GF(p^k) one with the extra variable ``a``
reduced modulo the Conway polynomial, printed as polynomials in ``a``.  Linear substitutions x ↦ g·x, powers and
products are flint operations.
"""
from __future__ import annotations

import functools
import math
from itertools import combinations_with_replacement
from typing import Any, Iterable, Sequence

import sympy
from flint import fmpq, fmpq_mat, fmpq_mpoly, fmpq_mpoly_ctx, fmpq_poly, nmod, nmod_mpoly_ctx

from invariants.errors import InputError, TooLargeError
from invariants.parse import as_expression
from invariants.polynomials.expressions import rational_polynomial

# terms a user's polynomial may expand to (sympy expands it: 250,000 terms take about a minute)
MAX_EXPANDED_TERMS = 200_000


def expanded_terms_bound(expr: sympy.Expr) -> int:
    """An upper bound on the terms of ``expr`` expanded: sums add, products multiply, and a t-term
    base to the power e has at most C(t + e − 1, e) terms.

    Example:
        >>> x = sympy.symbols("x0:8")
        >>> expanded_terms_bound(sum(x) ** 30)   # C(37, 7)
        10295472
    """
    if isinstance(expr, sympy.Add):
        return sum(expanded_terms_bound(a) for a in expr.args)
    if isinstance(expr, sympy.Mul):
        return math.prod(expanded_terms_bound(a) for a in expr.args)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and int(expr.exp) > 1:
        t = expanded_terms_bound(expr.base)
        return math.comb(t + int(expr.exp) - 1, int(expr.exp)) if t > 1 else 1
    return 1


def check_expansion(expr: sympy.Expr) -> None:
    """A `TooLargeError` with the bound and the knob when ``expr`` may expand past MAX_EXPANDED_TERMS."""
    bound = expanded_terms_bound(expr)
    if bound > MAX_EXPANDED_TERMS:
        raise TooLargeError(f"the polynomial may expand to {bound:,} terms, above MAX_EXPANDED_TERMS = "
                            f"{MAX_EXPANDED_TERMS:,} (sympy expands it: 250,000 terms take about a minute); give a "
                            "smaller polynomial, or raise invariants.polynomials.ring.MAX_EXPANDED_TERMS",
                            estimate=bound, option="invariants.polynomials.ring.MAX_EXPANDED_TERMS")
from invariants.fields import NumberField
from invariants.fields.numberfield import Coeffs
from invariants.linalg.matrix import Matrix


def monomials(n: int, d: int) -> list[tuple[int, ...]]:
    """Exponent vectors of the degree-d monomials in n variables, in descending lex order."""
    if n == 0:
        return [()] if d == 0 else []
    out: list[tuple[int, ...]] = []
    if d <= 2 * n:  # short combinations: itertools is fastest
        for combo in combinations_with_replacement(range(n), d):
            e = [0] * n
            for i in combo:
                e[i] += 1
            out.append(tuple(e))
        return out
    e = [d] + [0] * (n - 1)
    while True:  # O(n) per monomial whatever d is (a list of d-element combinations would be O(d))
        out.append(tuple(e))
        i = next((j for j in range(n - 2, -1, -1) if e[j]), None)
        if i is None:
            return out
        rest = sum(e[i + 1:])
        e[i] -= 1
        e[i + 1:] = [rest + 1] + [0] * (n - i - 2)


def multinomial(d: int, e: Sequence[int]) -> int:
    """d! / ∏ e_i! for exponents e summing to d."""
    out = math.factorial(d)
    for k in e:
        out //= math.factorial(k)
    return out


def degree(p: fmpq_mpoly) -> int:
    """The degree of a homogeneous polynomial in the ring's x variables (the field's ``a`` excluded)."""
    names = p.context().names()
    for mono in p.monoms():
        return int(sum(mono[:-1]) if names[-1] == "a" else sum(mono))
    return 0


def default_symbols(n: int) -> list[sympy.Symbol]:
    return list(_default_symbols(n))


@functools.lru_cache(maxsize=64)
def _default_symbols(n: int) -> tuple[sympy.Symbol, ...]:
    # sympy.symbols parses its range string each call: 1.5 ms, and a ring is built per stage
    return tuple(sympy.Symbol(f"x{i}") for i in range(n))


class PolynomialRing:
    """K[x0, …, x{n-1}] with flint arithmetic.

    Example:
        >>> from invariants.fields import quadratic_field
        >>> R = PolynomialRing(quadratic_field(5), 2)
        >>> p = R.linear_form([R.field.parse("sqrt(5)"), R.field.one]) ** 2
        >>> R.to_sympy(R.reduce(p))
        5*x0**2 + 2*sqrt(5)*x0*x1 + x1**2
    """

    def __init__(self, field: NumberField, n: int, symbols: Sequence[sympy.Symbol] | None = None):
        self.field = field
        self.n = n
        self.symbols = list(symbols) if symbols is not None else default_symbols(n)
        if len(self.symbols) != n:
            raise InputError(f"{len(self.symbols)} symbols given for {n} variables: give exactly {n}")
        names = tuple([f"x{i}" for i in range(n)] + (["a"] if field.degree > 1 else []))
        if field.characteristic:
            self.ctx = nmod_mpoly_ctx.get(names, ordering="lex", modulus=field.characteristic)
        else:
            self.ctx = fmpq_mpoly_ctx.get(names, "lex")
        self.gens = list(self.ctx.gens())[:n]
        if field.degree > 1:
            a = self.ctx.gens()[n]
            self._alpha = a
            self._minpoly = sum((a ** i * c for i, c in enumerate(field.minpoly.coeffs())), self.ctx.from_dict({}))
        else:
            self._alpha = None

    def element(self, c: Coeffs) -> fmpq_mpoly:
        """A field element as a constant polynomial."""
        out = self.ctx.from_dict({})
        for i, x in enumerate(c):
            if x != 0:
                out += (self._alpha ** i if i else self.ctx.constant(1)) * x
        return out

    def reduce(self, p: fmpq_mpoly) -> fmpq_mpoly:
        if self._alpha is None:
            return p
        return p % self._minpoly

    def power(self, p: fmpq_mpoly, e: int) -> fmpq_mpoly:
        """p**e, reduced along the way (over a number field the unreduced power is huge)."""
        if self._alpha is None:
            return p ** e
        result, base = self.ctx.constant(1), p
        while e:
            if e & 1:
                result = self.reduce(result * base)
            e >>= 1
            if e:
                base = self.reduce(base * base)
        return result

    def power_sum(self, forms: Iterable[Sequence[Coeffs]], d: int) -> fmpq_mpoly:
        """Σ ℓ^d over the linear forms ℓ (coefficient lists), reduced.

        Over a number field by the multinomial theorem on field elements (flint polynomials mod
        the minimal polynomial): d products per variable and one per monomial, where powering
        a polynomial in x and α multiplies whole polynomials (the orbit sums of dihedral(200)
        in degree 200: 235 s -> under a second).

        Example:
            >>> from invariants.fields import quadratic_field
            >>> R = PolynomialRing(quadratic_field(2), 2)
            >>> r = R.field.parse("sqrt(2)")
            >>> R.to_sympy(R.power_sum([[r, R.field.one], [R.field.one, R.field.zero]], 2))
            3*x0**2 + 2*sqrt(2)*x0*x1 + x1**2
        """
        if self._alpha is None or self.field.characteristic:
            total = self.ctx.from_dict({})
            for coeffs in forms:
                total += self.power(self.linear_form(coeffs), d)
            return self.reduce(total)
        modulus = self.field.minpoly
        sums: dict[tuple[int, ...], fmpq_poly] = {}
        for coeffs in forms:
            values = [fmpq_poly(list(c)) for c in coeffs]
            support = [i for i, v in enumerate(values) if v != 0]
            powers = {}
            for i in support:
                row = [fmpq_poly([1])]
                for _ in range(d):
                    row.append(row[-1] * values[i] % modulus)
                powers[i] = row
            for e in monomials(len(support), d):
                term = powers[support[0]][e[0]] if support else fmpq_poly([1])
                for i, k in zip(support[1:], e[1:]):
                    term = term * powers[i][k] % modulus
                full = [0] * self.n
                for i, k in zip(support, e):
                    full[i] = k
                key = tuple(full)
                sums[key] = sums[key] + multinomial(d, e) * term if key in sums else multinomial(d, e) * term
        return self.ctx.from_dict({key + (j,): c for key, v in sums.items() for j, c in enumerate(v.coeffs()) if c != 0})

    def linear_form(self, coeffs: Sequence[Coeffs]) -> fmpq_mpoly:
        out = self.ctx.from_dict({})
        for xi, c in zip(self.gens, coeffs):
            if not self.field.is_zero(c):
                out += self.element(c) * xi
        return out

    def monomial(self, e: Sequence[int]) -> fmpq_mpoly:
        return self.ctx.from_dict({tuple(e) + ((0,) if self._alpha is not None else ()): 1})

    def coefficients(self, p: fmpq_mpoly) -> dict[tuple[int, ...], Coeffs]:
        """Monomial exponent → field element (power-basis coefficients)."""
        k = self.field.degree
        q = self.field.characteristic
        if k == 1:
            if q:  # nmod_mpoly lists its coefficients as ints
                return {m: (nmod(c, q),) for m, c in p.to_dict().items()}
            return {m: (c,) for m, c in p.to_dict().items()}
        if p.degrees()[self.n] >= k:  # a product not yet reduced modulo the minimal polynomial of a
            p = self.reduce(p)
        out: dict[tuple[int, ...], list] = {}
        for mono, c in p.to_dict().items():
            key = tuple(mono[: self.n])
            slot = out.setdefault(key, list(self.field.zero))
            slot[mono[self.n]] += nmod(c, q) if q else c
        return {m: tuple(v) for m, v in out.items() if any(x != 0 for x in v)}

    def from_coefficients(self, coeffs: dict[tuple[int, ...], Coeffs]) -> fmpq_mpoly:
        d = {}
        for mono, c in coeffs.items():
            for i, x in enumerate(c):
                if x != 0:
                    d[tuple(mono) + ((i,) if self._alpha is not None else ())] = int(x) if isinstance(x, nmod) else x
        return self.ctx.from_dict(d)

    def to_plain(self, p: fmpq_mpoly) -> tuple[tuple[tuple[int, ...], int, int], ...]:
        """p as plain data — (exponents, numerator, denominator) per term — which pickles where
        flint polynomials do not (a cluster's task returns this); `from_plain` reads it back.

        Example:
            >>> from invariants.fields import QQ
            >>> R = PolynomialRing(QQ, 2)
            >>> p = R.gens[0] ** 2 / 3 - R.gens[1]
            >>> sorted(R.to_plain(p)), R.from_plain(R.to_plain(p)) == p
            ([((0, 1), -1, 1), ((2, 0), 1, 3)], True)
        """
        if self.field.characteristic:
            return tuple((tuple(e), int(c), 1) for e, c in p.to_dict().items())
        return tuple((tuple(e), int(c.p), int(c.q)) for e, c in p.to_dict().items())

    def from_plain(self, data: Sequence[tuple[tuple[int, ...], int, int]]) -> fmpq_mpoly:
        if self.field.characteristic:
            return self.ctx.from_dict({e: num for e, num, _ in data})
        return self.ctx.from_dict({e: fmpq(num, den) for e, num, den in data})

    def homogeneous_parts(self, p: fmpq_mpoly) -> dict[int, fmpq_mpoly]:
        """Degree → the homogeneous component of p of that degree (increasing degrees)."""
        parts: dict[int, dict] = {}
        for mono, c in self.coefficients(p).items():
            parts.setdefault(sum(mono), {})[mono] = c
        return {d: self.from_coefficients(cs) for d, cs in sorted(parts.items())}

    def substitute(self, p: fmpq_mpoly, g: Matrix) -> fmpq_mpoly:
        """p(g·x): the polynomial composed with the linear map x ↦ g x."""
        rows = g.entries()
        images = [self.linear_form(row) for row in rows]
        if self._alpha is not None:
            images.append(self._alpha)
        return self.reduce(p.compose(*images, ctx=self.ctx))

    def evaluate(self, p: fmpq_mpoly, point: Sequence[Any]) -> Coeffs:
        """p at a point with rational coordinates (over GF(p^k): any elements), as a field element."""
        if self._alpha is None and not self.field.characteristic:  # QQ: flint evaluates, 6x a composition
            return (p(*[v if isinstance(v, fmpq) else fmpq(v) for v in point]),)
        values = [self.element(self.field.parse(v)) if self.field.characteristic else  # GF(p^k): v may involve a
                  self.ctx.constant(fmpq(v) if not isinstance(v, fmpq) else v) for v in point]
        if self._alpha is not None:
            values.append(self._alpha)
        value = self.coefficients(self.reduce(p.compose(*values, ctx=self.ctx)))
        return value.get((0,) * self.n, self.field.zero)

    def is_rational(self, p: fmpq_mpoly) -> bool:
        """True when every coefficient lies in QQ."""
        return all(all(x == 0 for x in c[1:]) for c in self.coefficients(p).values())

    def to_sympy(self, p: fmpq_mpoly) -> sympy.Expr:
        if self._alpha is None and not self.field.characteristic:  # over QQ: the canonical form directly
            return rational_polynomial(p.to_dict(), self.symbols)
        terms = []
        for mono, c in self.coefficients(p).items():
            coeff = self.field.to_sympy_pretty(c)
            # only the variables present: a term of S_150's p_1^2 would otherwise build 151 powers
            terms.append(coeff * sympy.Mul(*[s if e == 1 else s ** e for s, e in zip(self.symbols, mono) if e]))
        return sympy.Add(*terms)

    def from_sympy(self, expr: Any) -> fmpq_mpoly:
        """Parse a sympy expression (or string) polynomial in this ring's symbols."""
        try:
            names = [str(s) for s in self.symbols] + (["a"] if self.field.characteristic and self.field.degree > 1 else [])
            expr = as_expression(expr, names)
            check_expansion(expr)
            poly = sympy.Poly(expr, *self.symbols)  # over GF(p^k), coefficients in a
        except sympy.PolynomialError as exc:
            raise InputError(f"not a polynomial in {self.symbols}: {exc}") from None
        coeffs = {}
        for mono, c in poly.terms():
            coeffs[mono] = self.field.parse(c)
        return self.from_coefficients(coeffs)


def determinant(columns: Sequence[Sequence[fmpq_mpoly]], ring: PolynomialRing) -> fmpq_mpoly:
    """The determinant of the square matrix with these columns of polynomials (Laplace expansion).

    Example:
        >>> from invariants.fields import QQ
        >>> R = PolynomialRing(QQ, 4)
        >>> a, b, c, d = R.gens
        >>> R.to_sympy(determinant([[a, c], [b, d]], R))
        x0*x3 - x1*x2
    """
    n = len(columns)
    if n == 1:
        return columns[0][0]
    out = ring.ctx.from_dict({})
    for i in range(n):
        minor = [[c[r] for r in range(n) if r != i] for c in columns[1:]]
        term = columns[0][i] * determinant(minor, ring)
        out = out + term if i % 2 == 0 else out - term
    return out
