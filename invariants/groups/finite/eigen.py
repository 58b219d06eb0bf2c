"""Eigenvalues of finite-order matrices, as exact exponents of roots of unity.

A matrix g of order m has eigenvalues ζ_m^e.  The multiplicity of ζ_m^e is the integer
(1/m) Σ_j ζ_m^(-ej) tr(g^j); it is evaluated in certified complex ball arithmetic under the
field's embedding and accepted only when the ball pins down a unique integer, so the
exponents are exact.  (Molien series do not depend on the embedding: Galois-conjugate
groups have invariant spaces of the same dimensions.)
"""
from __future__ import annotations

import math
from math import lcm

from flint import acb, acb_mat, ctx, fmpz_poly

from invariants.errors import MolienError
from invariants.groups.finite.brauer import brauer_exponents, finite_field_order
from invariants.linalg.matrix import Matrix


def eigen_exponents(g: Matrix, m: int, exponent: int | None = None) -> list[int]:
    """Exponents e (0 ≤ e < m, with multiplicity) such that the eigenvalues of g are ζ_m^e.

    Over GF(p) they are those of the Brauer lift (`brauer`), fixed for a whole group by its
    ``exponent`` (m when not given).
    """
    if g.field.characteristic:
        return brauer_exponents(g, m, exponent or m)
    if g.field.degree == 1:
        exps = _signed_permutation_exponents(g, m)
        if exps is not None:
            return exps
    n = g.nrows
    prec = 96 + 4 * int(math.log2(m + 1)) + 2 * n
    while prec < 1 << 14:
        exps = _try_exponents(g, m, prec)
        if exps is not None:
            return exps
        prec *= 2
    raise MolienError(f"could not certify the eigenvalues of an element of order {m}")  # pragma: no cover


def _signed_permutation_exponents(g: Matrix, m: int) -> list[int] | None:
    """The exponents of a rational signed permutation matrix, read off its cycles (None for any
    other matrix): a cycle of length l whose signs multiply to s has the eigenvalues λ with
    λ^l = s — exactly, and without the m powers of an n x n ball matrix (cyclic(100, permutation)).

    Example:
        >>> _signed_permutation_exponents(Matrix.from_entries([[0, -1], [1, 0]]), 4)   # λ² = -1
        [1, 3]
    """
    n = g.nrows
    image, sign = [-1] * n, [0] * n
    for idx, v in enumerate(g.q.entries()):
        if v != 0:
            i, j = divmod(idx, n)
            if (v != 1 and v != -1) or image[j] >= 0:
                return None
            image[j], sign[j] = i, int(v)
    if sorted(image) != list(range(n)):
        return None
    exps, seen = [], [False] * n
    for start in range(n):
        length, s, x = 0, 1, start
        while not seen[x]:
            seen[x] = True
            s *= sign[x]
            x = image[x]
            length += 1
        for j in range(length):  # λ = exp(2πi·j/l), or exp(2πi·(2j+1)/2l) when s = -1
            num, den = (j, length) if s == 1 else (2 * j + 1, 2 * length)
            if (num * m) % den:
                return None  # m is not a multiple of the order: not this element's m
            exps.extend([num * m // den] if length else [])
    return sorted(exps)


def _try_exponents(g: Matrix, m: int, prec: int) -> list[int] | None:
    old = ctx.prec
    ctx.prec = prec
    try:
        a = g.to_acb(prec)
        n = g.nrows
        traces = []
        power = acb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        for _ in range(m):
            traces.append(sum((power[i, i] for i in range(n)), acb(0)))
            power = power * a
        zeta = acb.exp_pi_i(acb(2) / m)
        exps: list[int] = []
        for e in range(m):
            s = acb(0)
            w = acb(1)
            step = zeta ** (-e) if e else acb(1)
            for j in range(m):
                s += w * traces[j]
                w *= step
            s /= m
            mult = _certified_integer(s)
            if mult is None or mult < 0:
                return None
            exps.extend([e] * mult)
        return exps if len(exps) == n else None
    finally:
        ctx.prec = old


def _certified_integer(z: acb) -> int | None:
    if not z.imag.contains(0) or z.imag.rad() > 0.25:
        return None
    re = z.real
    if re.rad() > 0.25:
        return None
    k = int(round(float(re.mid())))
    return k if re.contains(k) else None


def matrix_order(m: Matrix) -> int | None:
    """The multiplicative order of an invertible matrix, or None if it is infinite.

    Finite order ⇔ the minimal polynomial of the rational regular representation is
    squarefree with cyclotomic factors; the order is the lcm of their indices.  Over GF(p) the
    order is always finite (`brauer.finite_field_order`).
    """
    if m.field.characteristic:
        return finite_field_order(m)
    mp = m.q.minpoly()
    den = mp.denom()
    zp = fmpz_poly([int(c * den) for c in mp.coeffs()])
    order = 1
    for factor, mult in zp.factor()[1]:
        if mult > 1:
            return None
        idx = factor.is_cyclotomic()
        if not idx:
            return None
        order = lcm(order, int(idx))
    return order
