"""The interface every ground field implements, and modular images of its elements.

An element of a field K of degree k over its prime field F (QQ or GF(p)) is the tuple of its k
coordinates in a fixed basis of K over F (the power basis 1, α, …, α^(k−1) of a number field;
a 1-tuple for QQ and GF(p)).  Matrices over K become matrices over F through the regular
representation (`Field.mult_matrix`), so all elimination happens over a prime field, once
(`invariants.linalg.dense`).  Algorithms are written against this interface, never against a
particular field.

A `Reduction` is a ring map from the p-integral elements of K onto GF(p) (for a number field,
α ↦ a root of its minimal polynomial mod p).  Reductions are linear, so vectors that are
independent after reduction are independent over K: modular ranks prove lower bounds, and a
modular rank that reaches a known dimension proves spanning.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Sequence

import sympy

Element = tuple  # coordinates over the prime field


class Field(ABC):
    """A ground field: arithmetic on coordinate tuples, parsing, printing, modular images.

    Example:
        >>> from invariants.fields import QQ, PrimeField
        >>> QQ.characteristic, PrimeField(7).characteristic
        (0, 7)
        >>> F = PrimeField(7)
        >>> F.mul(F.parse(3), F.parse(5)) == F.parse(1)
        True
    """

    name: str
    characteristic: int
    degree: int

    # -- identity ------------------------------------------------------------------------
    def __repr__(self) -> str:
        return self.name

    @property
    @abstractmethod
    def zero(self) -> Element: ...

    @property
    @abstractmethod
    def one(self) -> Element: ...

    # -- arithmetic ----------------------------------------------------------------------
    @abstractmethod
    def add(self, a: Element, b: Element) -> Element: ...

    @abstractmethod
    def mul(self, a: Element, b: Element) -> Element: ...

    @abstractmethod
    def inv(self, a: Element) -> Element: ...

    def neg(self, a: Element) -> Element:
        return tuple(-x for x in a)

    def sub(self, a: Element, b: Element) -> Element:
        return self.add(a, self.neg(b))

    def is_zero(self, a: Element) -> bool:
        return all(x == 0 for x in a)

    def power(self, a: Element, e: int) -> Element:
        out, base = self.one, a
        while e:
            if e & 1:
                out = self.mul(out, base)
            e >>= 1
            if e:
                base = self.mul(base, base)
        return out

    @abstractmethod
    def from_rational(self, q: Any) -> Element:
        """The image of an integer or rational number (an error in GF(p) when p divides a denominator)."""

    # -- conversions ---------------------------------------------------------------------
    @abstractmethod
    def parse(self, value: Any, tolerance: float | None = None) -> Element:
        """A user value (int, Fraction, sympy number, string) as an element; floats are refused
        unless ``tolerance`` is given."""

    @abstractmethod
    def to_sympy(self, a: Element) -> sympy.Expr: ...

    def to_sympy_pretty(self, a: Element) -> sympy.Expr:
        return self.to_sympy(a)

    # -- the prime field ------------------------------------------------------------------
    @abstractmethod
    def prime_matrix(self, rows: int, cols: int, entries: Sequence[Any] | None = None):
        """A flint matrix over the prime field (``fmpq_mat`` or ``nmod_mat``)."""

    @abstractmethod
    def mult_matrix(self, a: Element):
        """The k×k prime-field matrix of x ↦ a·x in the field's basis (the regular representation)."""

    # -- modular images --------------------------------------------------------------------
    @abstractmethod
    def reduction(self, p: int) -> "Reduction | None":
        """The reduction modulo the prime p, or None when this field has none there (no root of
        the minimal polynomial mod p, or a p-adic denominator in it)."""


@dataclass(frozen=True)
class Reduction:
    """The ring map K → GF(p) sending the field's generator to ``root``.

    Example:
        >>> from invariants.fields import quadratic_field
        >>> K = quadratic_field(-1)
        >>> r = K.reduction(13)             # 5² = 25 = −1 mod 13
        >>> r.root in (5, 8), r.element(K.parse("2 + I")) in (7, 10)
        (True, True)
    """

    field: Field
    p: int
    root: int

    def element(self, a: Element) -> int:
        """The image of an element; ZeroDivisionError when p divides a denominator (bad reduction)."""
        acc, power = 0, 1
        p = self.p
        for x in a:
            if x != 0:
                num, den = _numerator_denominator(x)
                if den % p == 0:
                    raise ZeroDivisionError(f"{p} divides a denominator: bad reduction")
                acc += num * pow(den, -1, p) * power
            power = power * self.root % p
        return acc % p

    def elements(self, values: Sequence[Element]) -> list[int]:
        return [self.element(a) for a in values]


def companion_matrix(minpoly: Sequence[Any], zero: Any) -> Any:
    """The matrix of x ↦ α·x on the power basis 1, α, …, α^(k−1), for α a root of the monic
    ``minpoly`` (coefficients, constant term first), filled into ``zero`` (a k×k flint matrix over
    the prime field: fmpq_mat or nmod_mat)."""
    k = len(minpoly) - 1
    for i in range(1, k):
        zero[i, i - 1] = 1
    for i in range(k):
        zero[i, k - 1] = -minpoly[i]
    return zero


def power_basis_matrix(a: Element, zero: Any, companion: Any) -> Any:
    """The matrix of x ↦ a·x on the power basis: Σ a_i C^i for C the companion matrix (what
    `Field.mult_matrix` is for every field of degree k > 1), accumulated into ``zero``.

    Example:
        >>> from flint import fmpq_mat
        >>> C = companion_matrix([2, 0, 1], fmpq_mat(2, 2))          # α² = −2
        >>> power_basis_matrix((3, 1), fmpq_mat(2, 2), C)            # 3 + α
        [3, -2]
        [1,  3]
    """
    # column j is a·α^j: each column is the previous one times α (C times a vector: a shift and one
    # multiple of C's last column), O(k²) in all, where Σ a_i C^i took k products of k x k matrices
    # (18 ms at k = 40, the field of dihedral(300); minutes at k = 200, cyclic(1000)'s)
    k = companion.nrows()
    last = [companion[i, k - 1] for i in range(k)]
    col = list(a) + [companion[0, 0] * 0] * (k - len(a))
    out = zero
    for j in range(k):
        for i, c in enumerate(col):
            if c != 0:
                out[i, j] = out[i, j] + c
        top = col[k - 1]
        col = [(col[i - 1] if i else col[0] * 0) + (last[i] * top if top != 0 else 0) for i in range(k)]
    return out


def _numerator_denominator(x: Any) -> tuple[int, int]:
    if hasattr(x, "p") and hasattr(x, "q"):  # fmpq
        return int(x.p), int(x.q)
    return int(x), 1  # nmod, int
