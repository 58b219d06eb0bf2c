"""Prime fields GF(p): the ground field of modular images, behind the same `Field` interface.

Elements are 1-tuples of `flint.nmod`; matrices over GF(p) are `nmod_mat`.  Rational values
reduce when p does not divide their denominator, and are refused otherwise.

Example:
    >>> F = PrimeField(101)
    >>> F.parse("1/2")
    (51,)
    >>> from flint import fmpq_mat
    >>> F.reduce_rational_matrix(fmpq_mat([[1, 2], [2, 4]])).rank()
    1
"""
from __future__ import annotations

import fractions
import functools
import numbers
from typing import Any

import sympy
from flint import fmpq, fmpq_mat, nmod, nmod_mat

from invariants.errors import FieldError, FloatEntryError
from invariants.fields.base import Field, Reduction
from invariants.parse import parse_number


class PrimeField(Field):
    """GF(p) for a prime p.

    Example:
        >>> F = PrimeField(7)
        >>> F.inv(F.parse(3))
        (5,)
    """

    degree = 1
    is_real = False  # GF(p) has no ordering: real-reflection-group theorems do not apply

    def __init__(self, p: int):
        if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not sympy.isprime(int(p)):
            raise FieldError(f"GF(p) needs a prime p, got {p!r}")
        self.p = self.characteristic = int(p)
        self.name = f"GF({self.p})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrimeField) and other.p == self.p

    def __hash__(self) -> int:
        return hash(("GF", self.p))

    @property
    def zero(self) -> tuple:
        return (nmod(0, self.p),)

    @property
    def one(self) -> tuple:
        return (nmod(1, self.p),)

    def add(self, a: tuple, b: tuple) -> tuple:
        return (a[0] + b[0],)

    def mul(self, a: tuple, b: tuple) -> tuple:
        return (a[0] * b[0],)

    def inv(self, a: tuple) -> tuple:
        if a[0] == 0:
            raise ZeroDivisionError(f"inverse of zero in {self.name}")
        return (1 / a[0],)

    def from_rational(self, q: Any) -> tuple:
        if not isinstance(q, fmpq):
            q = fmpq(int(q)) if isinstance(q, numbers.Integral) else fmpq(q)  # sympy integers are Integral
        if int(q.q) % self.p == 0:
            raise FieldError(f"{q} has a denominator divisible by {self.p}: it has no value in {self.name}")
        return (nmod(int(q.p), self.p) / nmod(int(q.q), self.p),)

    def parse(self, value: Any, tolerance: float | None = None) -> tuple:
        if isinstance(value, bool) or value is None:
            raise FieldError(f"{value!r} is not a number")
        if isinstance(value, nmod):
            return (nmod(int(value), self.p),)
        if isinstance(value, float):
            raise FloatEntryError(f"the entry {value!r} is a floating-point number; {self.name} needs exact values")
        if isinstance(value, (numbers.Integral, fmpq)):
            return self.from_rational(value)
        if isinstance(value, fractions.Fraction):
            return self.from_rational(fmpq(value.numerator, value.denominator))
        expr = parse_number(value) if isinstance(value, str) else sympy.sympify(value)
        if not expr.is_Rational:
            raise FieldError(f"{value!r} is not a rational number, so it has no value in {self.name}")
        return self.from_rational(fmpq(int(expr.p), int(expr.q)))

    def to_sympy(self, a: tuple) -> sympy.Expr:
        return sympy.Integer(int(a[0]))

    def prime_matrix(self, rows: int, cols: int, entries=None) -> nmod_mat:
        if entries is None:
            return nmod_mat(rows, cols, self.p)
        return nmod_mat(rows, cols, [int(x) for x in entries], self.p)

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
