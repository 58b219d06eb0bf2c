"""The choice of primes, in one place.

Three sizes are used, for three reasons:

* ``WORD`` (below 2^31): modular images whose products are summed in float64 BLAS
  (`invariants.linalg.modular.mulmod` cuts them into 11-bit limbs);
* ``LARGE`` (below 2^62): rank profiles in flint's ``nmod_mat`` (one word per entry; a larger p
  makes an unlucky rank drop rarer);
* CRT moduli for exact integer counts (`crt_primes`), also below 2^62 so that a sum of two
  residues fits an int64.

Primes are taken in descending order, so every run chooses the same ones.

Example:
    >>> next(primes_below(100, avoid=97))
    89
    >>> from invariants.fields import cyclotomic_field
    >>> r = next(reductions(cyclotomic_field(5), below=100))
    >>> r.p % 5
    1
"""
from __future__ import annotations

from math import prod
from typing import Iterator

import sympy

from invariants.fields.base import Field, Reduction

WORD = 2**31 - 1
LARGE = 2**62


def primes_below(bound: int, *, avoid: int = 1) -> Iterator[int]:
    """Primes p < bound, descending, that do not divide ``avoid``."""
    p = int(bound)
    while p > 2:
        p = int(sympy.prevprime(p))
        if avoid % p:
            yield p


def reductions(field: Field, *, below: int = WORD, avoid: int = 1, above: int = 2) -> Iterator[Reduction]:
    """Reductions of ``field`` modulo primes in [above, below), descending, skipping primes that
    divide ``avoid`` or where the field has no reduction.  GF(p) has one: the identity (exact,
    so every modular argument holds for it), when p is in range; GF(p^k) for k > 1 has none."""
    if field.characteristic:
        p = field.characteristic
        red = field.reduction(p) if above <= p < below and avoid % p else None
        if red is not None:  # GF(p^k), k > 1, has none: no ring map onto GF(p)
            yield red
        return
    for p in primes_below(below, avoid=avoid):
        if p < above:
            return
        red = field.reduction(p)
        if red is not None:
            yield red


def crt_primes(bound: int, *, below: int = LARGE) -> list[int]:
    """Primes below ``below`` whose product exceeds ``bound`` (moduli for a CRT lift).

    Example:
        >>> len(crt_primes(2**100))
        2
    """
    out: list[int] = []
    for p in primes_below(below):
        if prod(out) > bound:
            break
        out.append(p)
    return out


def crt(residues: list[int], primes: list[int]) -> int:
    """The non-negative integer below ∏ primes with these residues.

    Example:
        >>> crt([2, 3], [5, 7])
        17
    """
    modulus = prod(primes)
    value = 0
    for r, q in zip(residues, primes):
        rest = modulus // q
        value += r * rest * pow(rest, -1, q)
    return value % modulus
