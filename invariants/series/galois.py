"""Galois averages of roots of unity: how exact sums over group elements become rational.

A Molien sum (over classes, or over the torus and components of a compact group) is rational
and stable under Gal(Q(ζ_m)/Q), so each term's ζ_m^r may be replaced by its Galois average
Tr(ζ_m^r)/φ(m), the Ramanujan-sum value μ(d)/φ(d) with d = m / gcd(r, m).
"""
from __future__ import annotations

import functools
from fractions import Fraction
from math import gcd

import sympy


@functools.lru_cache(maxsize=100_000)
def ramanujan_average(r: int, m: int) -> Fraction:
    """Tr_{Q(ζ_m)/Q}(ζ_m^r) / φ(m) = μ(d)/φ(d), d = m / gcd(r, m).

    Example:
        >>> ramanujan_average(0, 5), ramanujan_average(1, 5), ramanujan_average(2, 4)
        (Fraction(1, 1), Fraction(-1, 4), Fraction(-1, 1))
    """
    d = m // gcd(r, m)
    return Fraction(int(sympy.mobius(d)), int(sympy.totient(d)))
