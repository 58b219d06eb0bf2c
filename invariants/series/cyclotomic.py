"""Exact cyclotomic numbers, the values of characters: Σ c_r ζ_n^r with rational c_r.

The sum is kept as written (exponents mod n, not reduced modulo Φ_n): sums, products and the
Galois-averaged trace need no reduction, and only equality tests reduce modulo Φ_n.  Values are
read from sympy expressions or GAP-style strings (``"E(5)^2 + E(5)^3"``, ``ER(5)``, ``EI(3)``);
square roots of rationals become Gauss sums.
"""
from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from typing import Any

import sympy
from flint import fmpq, fmpq_poly, fmpz_poly

from invariants.errors import FloatEntryError, InputError
from invariants.series.galois import ramanujan_average


class Cyclotomic:
    """An element Σ c_r ζ_n^r of Q(ζ_n), ζ_n = exp(2πi/n).

    Example:
        >>> x = cyclotomic("E(5) + E(5)^4")
        >>> x * x + x == 1, x
        (True, E(5)+E(5)^4)
    """

    __slots__ = ("n", "terms")
    __hash__ = None  # equal values may be written over different n

    def __init__(self, n: int, terms: dict[int, Fraction]):
        self.n = n
        self.terms = {r % n: c for r, c in terms.items() if c}

    @classmethod
    def rational(cls, q: Any) -> "Cyclotomic":
        return cls(1, {0: Fraction(q)})

    @classmethod
    def root(cls, n: int, k: int = 1) -> "Cyclotomic":
        """ζ_n^k."""
        return cls(n, {k % n: Fraction(1)})

    def lift(self, n: int) -> "Cyclotomic":
        """The same number written over ζ_n (n a multiple of self.n)."""
        f = n // self.n
        return Cyclotomic(n, {r * f: c for r, c in self.terms.items()})

    def __add__(self, other: Any) -> "Cyclotomic":
        other = cyclotomic(other)
        n = lcm(self.n, other.n)
        a, b = self.lift(n).terms, other.lift(n).terms
        return Cyclotomic(n, {r: a.get(r, 0) + b.get(r, 0) for r in a.keys() | b.keys()})

    __radd__ = __add__

    def __neg__(self) -> "Cyclotomic":
        return Cyclotomic(self.n, {r: -c for r, c in self.terms.items()})

    def __sub__(self, other: Any) -> "Cyclotomic":
        return self + (-cyclotomic(other))

    def __rsub__(self, other: Any) -> "Cyclotomic":
        return cyclotomic(other) - self

    def __mul__(self, other: Any) -> "Cyclotomic":
        other = cyclotomic(other)
        n = lcm(self.n, other.n)
        out: dict[int, Fraction] = {}
        for r, c in self.lift(n).terms.items():
            for s, e in other.lift(n).terms.items():
                out[(r + s) % n] = out.get((r + s) % n, 0) + c * e
        return Cyclotomic(n, out)

    __rmul__ = __mul__

    def __pow__(self, k: int) -> "Cyclotomic":
        if k < 0:
            return self.inverse() ** (-k)
        out = Cyclotomic.rational(1)
        for _ in range(k):
            out = out * self
        return out

    def _poly(self) -> fmpq_poly:
        coeffs = [fmpq(0)] * self.n
        for r, c in self.terms.items():
            coeffs[r] = fmpq(c.numerator, c.denominator)
        return fmpq_poly(coeffs) % fmpq_poly(fmpz_poly.cyclotomic(self.n))

    def reduced(self) -> "Cyclotomic":
        """The same number with its sum reduced modulo Φ_n, over a smaller n where that is plain.

        Example:
            >>> cyclotomic("1 + E(3) + E(3)^2").reduced(), cyclotomic("E(8) + E(8)^7").reduced()
            (0, E(8)-E(8)^3)
        """
        coeffs = self._poly().coeffs()
        out = Cyclotomic(self.n, {r: Fraction(int(c.p), int(c.q)) for r, c in enumerate(coeffs)})
        for p in sympy.primefactors(out.n):
            # Φ_n(x) = Φ_{n/p}(x^p) when p² | n, so a reduced sum in x^p stays reduced over n/p
            while out.n % (p * p) == 0 and all(r % p == 0 for r in out.terms):
                out = Cyclotomic(out.n // p, {r // p: c for r, c in out.terms.items()})
        return out if set(out.terms) - {0} else Cyclotomic.rational(out.terms.get(0, 0))

    def is_zero(self) -> bool:
        return not self.terms or self._poly() == 0

    def __eq__(self, other: object) -> bool:
        try:
            return (self - cyclotomic(other)).is_zero()
        except InputError:
            return NotImplemented

    def inverse(self) -> "Cyclotomic":
        if self.is_zero():
            raise InputError("division by zero in a cyclotomic number")
        _, u, _ = self._poly().xgcd(fmpq_poly(fmpz_poly.cyclotomic(self.n)))
        return Cyclotomic(self.n, {r: Fraction(int(c.p), int(c.q)) for r, c in enumerate(u.coeffs())})

    def conjugate(self) -> "Cyclotomic":
        """The complex conjugate (ζ ↦ ζ^-1)."""
        return Cyclotomic(self.n, {-r: c for r, c in self.terms.items()})

    def trace_average(self) -> Fraction:
        """Tr_{Q(ζ_n)/Q}(x) / φ(n): the rational number every Galois conjugate averages to."""
        return sum((c * ramanujan_average(r, self.n) for r, c in self.terms.items()), Fraction(0))

    def as_rational(self) -> Fraction | None:
        """The value as a rational number, or None when it is irrational."""
        q = self.trace_average()
        return q if (self - q).is_zero() else None

    def __complex__(self) -> complex:
        import cmath
        return sum((float(c) * cmath.exp(2j * cmath.pi * r / self.n) for r, c in self.terms.items()), 0j)

    def to_sympy(self) -> sympy.Expr:
        return sympy.Add(*[sympy.Rational(c.numerator, c.denominator) * sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(r, self.n))
                           for r, c in sorted(self.terms.items())])

    def __repr__(self) -> str:
        if not self.terms:
            return "0"
        parts = []
        for r, c in sorted(self.terms.items()):
            g = gcd(r, self.n)
            root = "" if r == 0 else f"E({self.n // g})" + (f"^{r // g}" if r // g != 1 else "")
            if not root:
                parts.append(str(c))
            elif c in (1, -1):
                parts.append(("-" if c < 0 else "") + root)
            else:
                parts.append(f"{c}*{root}" if c.denominator == 1 else f"({c})*{root}")
        return "+".join(parts).replace("+-", "-")


class _E(sympy.Function):
    """GAP's E(n) = exp(2πi/n), kept unevaluated while a string is parsed."""


_GAP_NAMES = {"E": _E, "ER": sympy.sqrt, "EI": lambda n: sympy.sqrt(-sympy.Integer(n)), "i": sympy.I}


def cyclotomic(value: Any) -> Cyclotomic:
    """An exact cyclotomic number from an int, Fraction, sympy expression or GAP-style string.

    Example:
        >>> cyclotomic("E(8) + E(8)^7") == cyclotomic(sympy.sqrt(2))
        True
    """
    if isinstance(value, Cyclotomic):
        return value
    if isinstance(value, bool):
        raise InputError(f"{value!r} is not a number: give an int, a fraction, a sympy expression or a string like 'E(5)+E(5)^4'")
    if isinstance(value, (int, Fraction)):
        return Cyclotomic.rational(value)
    if isinstance(value, (float, complex)):
        raise FloatEntryError(f"{value!r} is a floating-point number: give the exact value, e.g. 'E(5)+E(5)^4' or sympy.sqrt(5)")
    if isinstance(value, str):
        if any(ch == "." for ch in value):
            raise FloatEntryError(f"{value!r} contains a decimal point: give the exact value, e.g. '(-1+ER(5))/2'")
        try:
            value = sympy.sympify(value, locals=_GAP_NAMES)
        except (sympy.SympifyError, SyntaxError, TypeError) as exc:
            raise InputError(f"cannot read {value!r} as a cyclotomic number: write it like 'E(7)+E(7)^2+E(7)^4'") from exc
    if isinstance(value, sympy.Basic):
        return _from_sympy(value)
    raise InputError(f"cannot read {value!r} as a cyclotomic number: give an int, a fraction, a sympy expression or a GAP string")


def _from_sympy(e: sympy.Basic) -> Cyclotomic:
    if isinstance(e, sympy.Float) or (e.is_number and e.atoms(sympy.Float)):
        raise FloatEntryError(f"{e} contains a floating-point number: give the exact value")
    if isinstance(e, sympy.Rational):
        return Cyclotomic.rational(Fraction(int(e.p), int(e.q)))
    if e is sympy.I:
        return Cyclotomic.root(4)
    if isinstance(e, _E) and e.args[0].is_Integer and e.args[0] > 0:
        return Cyclotomic.root(int(e.args[0]))
    if isinstance(e, sympy.Add):
        return sum((_from_sympy(a) for a in e.args), Cyclotomic.rational(0))
    if isinstance(e, sympy.Mul):
        out = Cyclotomic.rational(1)
        for a in e.args:
            out = out * _from_sympy(a)
        return out
    if isinstance(e, sympy.exp):
        return _root_of_turns(e.args[0] / (2 * sympy.pi * sympy.I), e)
    if isinstance(e, (sympy.cos, sympy.sin)):
        z = _root_of_turns(e.args[0] / (2 * sympy.pi), e)
        zbar = z.inverse()
        return (z + zbar) * Fraction(1, 2) if isinstance(e, sympy.cos) else (z - zbar) * Cyclotomic.root(4, 3) * Fraction(1, 2)
    if isinstance(e, sympy.Pow):
        base, ex = e.args
        if ex.is_Integer:
            return _from_sympy(base) ** int(ex)
        if base == -1 and ex.is_Rational:
            return _root_of_turns(ex / 2, e)
        if base.is_Rational and ex.is_Rational and ex.q == 2:
            return _sqrt(Fraction(int(base.p), int(base.q))) ** int(ex.p)
    raise InputError(f"{e} is not recognisably a cyclotomic number: write it with rationals, I, sqrt of rationals, "
                     "exp(2*pi*I*k/n) or GAP's E(n)")


def _root_of_turns(turns: sympy.Expr, e: sympy.Basic) -> Cyclotomic:
    turns = sympy.nsimplify(turns) if not turns.is_Rational else turns
    if not turns.is_Rational:
        raise InputError(f"{e} is not a root of unity of finite order: its argument must be a rational multiple of pi")
    return Cyclotomic.root(int(turns.q), int(turns.p))


def _sqrt(q: Fraction) -> Cyclotomic:
    """√q by Gauss sums: √p* = Σ_a (a|p) ζ_p^a with p* = (−1)^((p−1)/2) p."""
    num = q.numerator * q.denominator
    out = Cyclotomic.rational(Fraction(1, q.denominator))
    if num < 0:
        out, num = out * Cyclotomic.root(4), -num
    for p, k in sympy.factorint(num).items():
        out = out * p ** (k // 2)
        if k % 2 == 0:
            continue
        if p == 2:
            out = out * (Cyclotomic.root(8) + Cyclotomic.root(8, 7))
            continue
        gauss = Cyclotomic(p, {a: Fraction(int(sympy.legendre_symbol(a, p))) for a in range(1, p)})
        out = out * (gauss if p % 4 == 1 else gauss * Cyclotomic.root(4, 3))
    return out
