"""Matrices over GF(p) and GF(p^k): exact element orders, and eigenvalues lifted to complex roots of unity.

Over a finite field every invertible matrix has finite order.  If its characteristic polynomial
has irreducible factors f of degrees k_f, the semisimple part has order dividing
lcm(p^k_f − 1) and the unipotent part order p^t with p^t ≥ n; the exact order is found from
that multiple by removing prime factors while the power stays the identity.

When p does not divide the order m of g, g is diagonalisable over GF(p^K) (K the order of p mod
m) with eigenvalues m-th roots of unity.  Fixing one element ω of order N (N the exponent of the
group) in GF(p^K) and mapping it to exp(2πi/N) lifts every eigenvalue ω^e to ζ_N^e — the Brauer
lift; ω comes from the Conway generator of GF(p^K), so the lift does not depend on N.  With one
ω for the whole group, Σ_g 1/det(1 − t·lift(g)) / |G| is the Hilbert series of
the invariants in the non-modular case, so the characteristic-zero Molien machinery applies to
the exponents unchanged.  Over GF(p^k) the eigenvalues are those of g as a K-linear map (n of
them, by ranks of g − ω^e in GF(p^K) with k | K), not the nk of its regular representation.

Example:
    >>> from invariants.fields import PrimeField
    >>> from invariants.linalg.matrix import Matrix
    >>> g = Matrix.from_entries([[0, 1], [1, 0]], PrimeField(5))
    >>> finite_field_order(g), brauer_exponents(g, 2, 2)
    (2, [0, 1])
    >>> finite_field_order(Matrix.from_entries([[1, 1], [0, 1]], PrimeField(5)))
    5
"""
from __future__ import annotations

import functools
from math import lcm

import sympy
from flint import fq_default_ctx

from invariants.errors import ModularError, MolienError
from invariants.linalg.matrix import Matrix


def finite_field_order(g: Matrix) -> int:
    """The multiplicative order of an invertible matrix over GF(p) (always finite)."""
    p, n = g.field.characteristic, g.nrows
    multiple = 1
    for factor, _ in g.q.charpoly().factor()[1]:
        multiple = lcm(multiple, p ** factor.degree() - 1)
    unipotent = 1
    while unipotent < n:
        unipotent *= p
    order = multiple * unipotent
    for q in _prime_factors(multiple) | ({p} if unipotent > 1 else set()):
        while order % q == 0 and (g ** (order // q)).is_identity():
            order //= q
    return order


def _prime_factors(n: int) -> set[int]:
    return set(sympy.factorint(n)) if n > 1 else set()


def brauer_exponents(g: Matrix, m: int, exponent: int) -> list[int]:
    """Exponents e (0 ≤ e < m, with multiplicity) such that the Brauer-lifted eigenvalues of g
    (of order m, prime to p) are ζ_m^e, for the lift fixed by the group exponent ``exponent``."""
    p = g.field.characteristic
    if exponent % p == 0 or exponent % m:
        raise ModularError(f"no Brauer lift in characteristic {p} for an element of order {m} in a group of "
                           f"exponent {exponent}: the exponent must be prime to p (the non-modular case) and a "
                           "multiple of the order; in the modular case use invariants_of_degree or invariant_ring")
    field, omega = _root_of_unity(p, exponent, g.field.degree)
    step = omega ** (exponent // m)  # a primitive m-th root: ζ_m ↦ ω^(N/m)
    if g.field.degree > 1:
        return _exponents_by_ranks(g, m, field, step)
    coeffs = [field(int(c)) for c in g.q.charpoly().coeffs()]  # constant term first
    exps: list[int] = []
    root = field.one()
    for e in range(m):
        while len(coeffs) > 1:
            quotient, remainder = _divide_by_linear(coeffs, root, field)
            if not remainder.is_zero():
                break
            coeffs = quotient
            exps.append(e)
        root *= step
    if len(exps) != g.nrows:  # pragma: no cover - g^m = 1 with p ∤ m splits over GF(p^K)
        raise MolienError(f"the characteristic polynomial of an element of order {m} did not split")
    return exps


def _exponents_by_ranks(g: Matrix, m: int, field, step) -> list[int]:
    """Brauer exponents of g over GF(p^k), k > 1: the eigenvalues of g as a K-linear map (n of them;
    the regular representation over GF(p) would give nk, all Frobenius conjugates).  g is
    semisimple (p ∤ m), so the multiplicity of ζ^e is dim ker(g − ζ^e) = n − rank, computed in
    ``field`` ⊇ GF(p^k) with a ↦ the Conway-compatible root (`FiniteField.root_in`)."""
    from invariants.polynomials.ideals import rank_over  # fq_default elimination, shared with the Jacobian test

    n, k = g.nrows, g.field.degree
    a = g.field.root_in(field)
    powers = [field.one()]
    for _ in range(k - 1):
        powers.append(powers[-1] * a)
    rows = [[sum((powers[u] * int(c) for u, c in enumerate(x) if c != 0), field.zero()) for x in row]
            for row in g.entries()]
    exps: list[int] = []
    root = field.one()
    for e in range(m):
        shifted = [[x - root if i == j else x for j, x in enumerate(row)] for i, row in enumerate(rows)]
        exps += [e] * (n - rank_over(shifted, field))
        root *= step
    if len(exps) != n:  # pragma: no cover - g^m = 1 with p ∤ m is diagonalisable over GF(p^K)
        raise MolienError(f"an element of order {m} over {g.field} is not diagonalisable over {field}")
    return exps


def _divide_by_linear(coeffs: list, root, field) -> tuple[list, object]:
    """Synthetic division of Σ c_i x^i (constant first) by (x − root): quotient and remainder."""
    acc = field.zero()
    out = []
    for c in reversed(coeffs):
        acc = acc * root + c
        out.append(acc)
    remainder = out.pop()
    return list(reversed(out)), remainder


@functools.lru_cache(maxsize=None)
def _root_of_unity(p: int, order: int, k: int = 1):
    """GF(p^K) for K the least multiple of k (the ground field GF(p^k) must embed) with
    order | p^K − 1, and γ^((p^K − 1)/order) for γ its Conway generator (the least primitive root
    mod p when K = 1; flint's generator otherwise).  Conway generators are norm-compatible, so
    these roots satisfy ω_m^(m/k) = ω_k for every k | m, and do not depend on K: lifts fixed per
    element order, per group exponent and per ground field agree (as GAP's Brauer characters do).
    A generator that is not primitive (no Conway polynomial known to flint) is replaced by the first
    primitive translate — still one fixed choice per (p, order, K)."""
    K = lcm(k, sympy.n_order(p, order) if order > 1 else 1)
    field = fq_default_ctx(p, K)
    size = p ** K - 1
    primes = _prime_factors(size)
    conway = field(int(sympy.primitive_root(p))) if K == 1 else field.gen()
    candidates = [conway] + [field.gen() + c for c in range(1, p)]
    for gamma in candidates:
        if not gamma.is_zero() and all(not (gamma ** (size // q)).is_one() for q in primes):
            return field, gamma ** (size // order)
    raise MolienError(f"no primitive element found in GF({p}^{K})")  # pragma: no cover
