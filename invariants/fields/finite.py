"""Prime fields GF(p), used for modular shortcuts (ranks and dimensions).

A modular rank is only a shortcut where it is *proven* to agree with the exact one; the
callers check their own validity conditions (p not dividing |G|, good reduction of the
field); `reduce_rational_matrix` refuses a prime dividing a denominator.
"""
from __future__ import annotations

from flint import fmpq_mat, nmod_mat
import sympy

from invariants.errors import FieldError


class PrimeField:
    """GF(p) for a prime p.

    Example:
        >>> F = PrimeField(101)
        >>> F.rank(fmpq_mat([[1, 2], [2, 4]]))
        1
    """

    def __init__(self, p: int):
        if not sympy.isprime(p):
            raise FieldError(f"GF(p) needs a prime p, got {p}")
        self.p = int(p)

    def __repr__(self) -> str:
        return f"GF({self.p})"

    def reduce_rational_matrix(self, m: fmpq_mat) -> nmod_mat:
        """The image of a rational matrix mod p (error if p divides a denominator)."""
        num, den = m.numer_denom()
        if int(den) % self.p == 0:
            raise FieldError(f"p = {self.p} divides a denominator: bad reduction, choose another prime")
        inv = pow(int(den), -1, self.p)
        rows = [[int(x) * inv % self.p for x in row] for row in num.tolist()]
        return nmod_mat(m.nrows(), m.ncols(), [x for r in rows for x in r], self.p) if rows and rows[0] else nmod_mat(m.nrows(), m.ncols(), self.p)

    def rank(self, m: fmpq_mat) -> int:
        return self.reduce_rational_matrix(m).rank()


def good_primes(avoid: int, start: int = 2**31 - 1):
    """Primes below ``start`` (descending) that do not divide ``avoid``."""
    p = start
    while p > 2:
        p = int(sympy.prevprime(p))
        if avoid % p:
            yield p
