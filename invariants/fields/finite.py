"""Finite fields: GF(p) (`PrimeField`), the ground field of modular images, and GF(q) for
q = p^k (`FiniteField`), behind the same `Field` interface.

An element of GF(p^k) is the tuple of its k coordinates (`flint.nmod`) in the power basis
1, a, …, a^(k−1), a a root of the Conway polynomial that flint's ``fq_default_ctx(p, k)`` uses as
its modulus (so GF(9) here is GF(3)[a]/(a² + 2a + 2), as in GAP, Magma and Singular); GF(p) is the
case k = 1.  Matrices over either are `nmod_mat` (over GF(p^k), regular representations).
Rational values reduce when p does not divide their denominator, and are refused otherwise.

Example:
    >>> F = PrimeField(101)
    >>> F.parse("1/2")
    (51,)
    >>> from flint import fmpq_mat
    >>> F.reduce_rational_matrix(fmpq_mat([[1, 2], [2, 4]])).rank()
    1
    >>> K = FiniteField(3, 2)
    >>> K.to_sympy(K.mul(K.parse("a"), K.parse("a")))     # a² = −2a − 2 = a + 1
    a + 1
"""
from __future__ import annotations

import fractions
import functools
import numbers
from typing import Any

import sympy
from flint import fmpq, fmpq_mat, fq_default, fq_default_ctx, fq_default_poly_ctx, nmod, nmod_mat

from invariants.errors import FieldError, FloatEntryError
from invariants.fields.base import Field, Reduction, companion_matrix, power_basis_matrix
from invariants.parse import parse_expression, parse_number

GENERATOR = sympy.Symbol("a")  # how the generator of GF(p^k) is written and printed
MAX_DEGREE = 256  # [GF(p^k) : GF(p)] accepted, as for number fields (matrices grow k-fold, products k²-fold)


class FiniteField(Field):
    """GF(q) for q = p^k: coordinates in the power basis of a root ``a`` of the Conway polynomial.

    Entries are written as polynomials in ``a`` with integer (or p-integral rational)
    coefficients: ``"a"``, ``"a+1"``, ``"2*a"``, ``"a^2"`` (reduced modulo the modulus).

    Example:
        >>> K = FiniteField(2, 2)
        >>> K.name, K.size
        ('GF(4)', 4)
        >>> x = K.parse("a+1")
        >>> K.to_sympy(K.inv(x)), K.to_sympy(K.power(x, 3))
        (a, 1)
    """

    is_real = False  # a finite field has no ordering: real-reflection-group theorems do not apply

    def __init__(self, p: int, k: int = 1):
        for value, what in ((p, "a prime p"), (k, "an exponent k >= 1")):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise FieldError(f"GF(p^k) needs {what}, got {value!r}")
        if int(p) >= 2**64:   # flint's nmod arithmetic holds a residue in one machine word
            raise FieldError(f"GF(p^k) needs a prime p < 2^64 (molien's finite fields compute in machine words), "
                             f"got a {len(str(int(p)))}-digit p: reduce modulo a smaller prime")
        if not sympy.isprime(int(p)):
            raise FieldError(f"GF(p^k) needs a prime p, got {p!r}: GF(q) exists only for q a prime power")
        if not 1 <= k <= MAX_DEGREE:
            raise FieldError(f"GF(p^k) needs an exponent 1 <= k <= {MAX_DEGREE}, got {k!r}: a matrix over GF(p^k) "
                             "is stored as one k times larger over GF(p)")
        self.p = self.characteristic = int(p)
        self.degree = int(k)
        self.size = self.p ** self.degree
        self.name = f"GF({self.size})"
        if self.degree > 1:
            self.context = fq_default_ctx(self.p, self.degree)
            # ints, constant term first: what PolynomialRing reduces its variable a modulo
            self.minpoly = _IntPoly([int(c) for c in self.context.modulus().coeffs()])
            self.companion = companion_matrix(self.minpoly.coeffs(), nmod_mat(self.degree, self.degree, self.p))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FiniteField) and (other.p, other.degree) == (self.p, self.degree)

    def __hash__(self) -> int:
        return hash(("GF", self.p, self.degree))

    @property
    def zero(self) -> tuple:
        return (nmod(0, self.p),) * self.degree

    @property
    def one(self) -> tuple:
        return (nmod(1, self.p),) + (nmod(0, self.p),) * (self.degree - 1)

    @property
    def generator(self) -> tuple:
        """The element a (the class of x in GF(p)[x]/(Conway polynomial)): coordinates (0, 1, 0, …),
        built directly since callers ask for it in inner loops."""
        if self.degree == 1:
            return self.parse(GENERATOR)
        return (nmod(0, self.p), nmod(1, self.p)) + (nmod(0, self.p),) * (self.degree - 2)

    def add(self, a: tuple, b: tuple) -> tuple:
        return tuple(x + y for x, y in zip(a, b))

    def _fq(self, a: tuple) -> fq_default:
        return self.context([int(x) for x in a])

    def _coords(self, z: fq_default) -> tuple:
        return tuple(nmod(int(c), self.p) for c in z.to_list())

    def mul(self, a: tuple, b: tuple) -> tuple:
        return self._coords(self._fq(a) * self._fq(b))

    def inv(self, a: tuple) -> tuple:
        if self.is_zero(a):
            raise ZeroDivisionError(f"inverse of zero in {self.name}")
        return self._coords(self._fq(a).inverse())

    def from_rational(self, q: Any) -> tuple:
        if not isinstance(q, fmpq):
            q = fmpq(int(q)) if isinstance(q, numbers.Integral) else fmpq(q)  # sympy integers are Integral
        if int(q.q) % self.p == 0:
            raise FieldError(f"{q} has a denominator divisible by {self.p}: it has no value in {self.name}")
        return (nmod(int(q.p), self.p) / nmod(int(q.q), self.p),) + self.zero[1:]

    def parse(self, value: Any, tolerance: float | None = None) -> tuple:
        if isinstance(value, bool) or value is None:
            raise FieldError(f"{value!r} is not a number")
        if isinstance(value, nmod):
            return (nmod(int(value), self.p),) + self.zero[1:]
        if isinstance(value, float):
            raise FloatEntryError(f"the entry {value!r} is a floating-point number; {self.name} needs exact values")
        if isinstance(value, (numbers.Integral, fmpq)):
            return self.from_rational(value)
        if isinstance(value, fractions.Fraction):
            return self.from_rational(fmpq(value.numerator, value.denominator))
        if self.degree > 1 and isinstance(value, fq_default):
            if len(value.to_list()) != self.degree:
                raise FieldError(f"{value} is an element of another finite field than {self.name}")
            return self._coords(value)
        if isinstance(value, tuple) and len(value) == self.degree and all(isinstance(x, nmod) for x in value):
            return value
        if isinstance(value, str):
            expr = self._read(value)
        else:
            try:
                expr = sympy.sympify(value)
            except (sympy.SympifyError, TypeError):
                raise FieldError(f"cannot read {value!r:.60} as an element of {self.name}") from None
        return self._from_sympy(expr, value)

    def _read(self, text: str) -> sympy.Expr:
        if self.degree == 1:
            return parse_number(text)
        try:
            return parse_expression(text, [str(GENERATOR)])
        except FieldError as exc:
            raise FieldError(f"{text!r} is not an element of {self.name}: write it as a polynomial in the "
                             f"generator a with integer coefficients, e.g. 'a+1' or '2*a' ({exc})") from None

    def _from_sympy(self, expr: sympy.Expr, value: Any) -> tuple:
        if expr.has(sympy.Float):
            raise FloatEntryError(f"the entry {value!r} is a floating-point number; {self.name} needs exact values")
        if expr.is_Rational:
            return self.from_rational(fmpq(int(expr.p), int(expr.q)))
        if self.degree == 1:
            raise FieldError(f"{value!r} is not a rational number, so it has no value in {self.name}")
        names = {str(s) for s in expr.free_symbols}
        poly = sympy.Poly(expr, GENERATOR) if names <= {str(GENERATOR)} and expr.is_polynomial(GENERATOR) else None
        if poly is None or not all(c.is_Rational for c in poly.all_coeffs()):
            raise FieldError(f"{value!r} is not an element of {self.name}: write it as a polynomial in the "
                             f"generator a with integer coefficients, e.g. 'a+1' or '2*a'")
        out, power, a = self.zero, self.one, self._coords(self.context.gen())
        for c in reversed(poly.all_coeffs()):  # constant term first
            if c != 0:
                out = self.add(out, self.mul(self.from_rational(fmpq(int(c.p), int(c.q))), power))
            power = self.mul(power, a)
        return out

    def to_sympy(self, a: tuple) -> sympy.Expr:
        return sympy.Add(*[int(c) * GENERATOR ** i for i, c in enumerate(a) if c != 0])

    def prime_matrix(self, rows: int, cols: int, entries=None) -> nmod_mat:
        if entries is None:
            return nmod_mat(rows, cols, self.p)
        return nmod_mat(rows, cols, [int(x) for x in entries], self.p)

    def mult_matrix(self, a: tuple) -> nmod_mat:
        return power_basis_matrix(a, nmod_mat(self.degree, self.degree, self.p), self.companion)

    def reduction(self, p: int) -> Reduction | None:
        """None: for k > 1 there is no ring map GF(p^k) → GF(p) (modular-image arguments work
        over a prime field only; GF(p^k) is handled exactly by its own linear algebra)."""
        return None

    def root_in(self, context: fq_default_ctx) -> fq_default:
        """The image of a in GF(p^L) (``context``, k | L): γ^((p^L − 1)/(p^k − 1)) for γ the
        generator of GF(p^L) when that is a root of our modulus — true for Conway polynomials, which
        are compatible — else the first root of the modulus there (one fixed embedding).

        Example:
            >>> K, L = FiniteField(2, 2), fq_default_ctx(2, 4)
            >>> r = K.root_in(L)
            >>> r ** 2 + r + 1 == 0                 # a root of x² + x + 1, the modulus of GF(4)
            True
        """
        L = context.degree()
        if L % self.degree:
            raise FieldError(f"{self.name} does not embed in GF({self.p}^{L}): {self.degree} does not divide {L}")
        ring = fq_default_poly_ctx(context)
        modulus = ring([context(c) for c in self.minpoly.coeffs()])
        candidate = context.gen() ** ((self.p ** L - 1) // (self.size - 1))
        if modulus(candidate).is_zero():
            return candidate
        return min((r for r, _ in modulus.roots()), key=lambda r: r.to_list())  # pragma: no cover - non-Conway


class _IntPoly:
    """A modulus as integer coefficients, constant term first, with the ``coeffs()`` of a flint
    polynomial (what `PolynomialRing` reads from a field's ``minpoly``)."""

    def __init__(self, coeffs: list[int]):
        self._coeffs = coeffs

    def coeffs(self) -> list[int]:
        return list(self._coeffs)

    def degree(self) -> int:
        return len(self._coeffs) - 1


class PrimeField(FiniteField):
    """GF(p) for a prime p.

    Example:
        >>> F = PrimeField(7)
        >>> F.inv(F.parse(3))
        (5,)
    """

    def __init__(self, p: int):
        if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not (int(p) >= 2**64 or sympy.isprime(int(p))):
            raise FieldError(f"GF(p) needs a prime p, got {p!r}")
        super().__init__(p, 1)   # which refuses p >= 2^64

    def mul(self, a: tuple, b: tuple) -> tuple:
        return (a[0] * b[0],)

    def inv(self, a: tuple) -> tuple:
        if a[0] == 0:
            raise ZeroDivisionError(f"inverse of zero in {self.name}")
        return (1 / a[0],)

    def to_sympy(self, a: tuple) -> sympy.Expr:
        return sympy.Integer(int(a[0]))

    def mult_matrix(self, a: tuple) -> nmod_mat:
        return nmod_mat(1, 1, [int(a[0])], self.p)

    def reduction(self, p: int) -> Reduction | None:
        return Reduction(self, p, 0) if p == self.p else None

    def reduce_rational_matrix(self, m: fmpq_mat) -> nmod_mat:
        """The image of a rational matrix in GF(p) (FieldError when p divides a denominator)."""
        num, den = m.numer_denom()
        if int(den) % self.p == 0:
            raise FieldError(f"p = {self.p} divides a denominator: bad reduction, choose another prime")
        inv = pow(int(den), -1, self.p)
        return nmod_mat(m.nrows(), m.ncols(), [int(x) * inv % self.p for x in num.entries()], self.p)


@functools.lru_cache(maxsize=None)
def prime_field(p: int) -> PrimeField:
    return PrimeField(p)


@functools.lru_cache(maxsize=None)
def finite_field(q: int, k: int | None = None) -> FiniteField:
    """GF(q) for a prime power q, or GF(p^k) when k is given: `PrimeField` when it is prime.

    Example:
        >>> finite_field(9), finite_field(7), finite_field(2, 3)
        (GF(9), GF(7), GF(8))
    """
    if k is not None:  # checked before p^k is formed (a huge k is refused, not computed)
        return prime_field(q) if k == 1 else FiniteField(q, k)
    valid = isinstance(q, numbers.Integral) and not isinstance(q, bool) and q > 1
    if valid and int(q) >= 2**64 and sympy.perfect_power(int(q)) is False:
        return FiniteField(int(q))      # refused there, before a primality test of a long number
    if valid and sympy.isprime(int(q)):
        return prime_field(int(q))
    power = sympy.perfect_power(int(q)) if valid else False  # (p, k) with k maximal: no factoring of q
    if not power or not sympy.isprime(power[0]):
        raise FieldError(f"GF(q) needs a prime power q, got {q!r}: e.g. 'GF(7)', 'GF(9)' or 'GF(2^3)'")
    return FiniteField(int(power[0]), int(power[1]))
