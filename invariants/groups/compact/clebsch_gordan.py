"""Clebsch–Gordan maps of SO(3), exact, on the engine's real solid harmonics.

The equivariant map V_{l1} ⊗ V_{l2} → V_l is unique up to scale (multiplicity one), so any non-zero
equivariant construction is *the* one.  On harmonic polynomials p, q of degrees l1, l2:

* l1 + l2 + l even: the harmonic part of Δ^k (p q),                k = (l1 + l2 − l) / 2;
* l1 + l2 + l odd:  the harmonic part of Δ^k (r · (∇p × ∇q)),        k = (l1 + l2 − 1 − l) / 2.

Products, gradients and Laplacians commute with rotations, so both are equivariant; the harmonic
part is read off with the Fischer pairing ⟨x^α, x^β⟩ = α! δ_αβ, for which r²-multiples are orthogonal
to harmonics.  Everything is rational (flint polynomials), so the map is exact, and it is found in
milliseconds where the general linear solve (`equivariant_linear_maps`) takes a minute at l = 6.

Conventions are the engine's: ``SO3().irrep(l)`` acts by D(R) with Y(R r) = D(R) Y(r), and the maps
here satisfy C (D_{l1}(R) ⊗ D_{l2}(R)) = D_l(R) C with the tensor product's basis e_i ⊗ e_j at
index i (2 l2 + 1) + j, as in ``irrep(l1) * irrep(l2)``.
"""
from __future__ import annotations

import functools
from math import factorial

from flint import fmpq, fmpq_mat, fmpq_mpoly

from invariants.errors import InputError, check_int
from invariants.fields import QQ
from invariants.groups.compact.harmonics import harmonic_polynomials, laplacian
from invariants.linalg.matrix import Matrix

def fischer(p: fmpq_mpoly, q: fmpq_mpoly) -> fmpq:
    """⟨p, q⟩ = Σ_α α! p_α q_α: rotation invariant, and r²·(anything) ⟂ harmonics."""
    qd = q.to_dict()
    total = fmpq(0)
    for m, c in p.to_dict().items():
        if m in qd:
            total += c * qd[m] * factorial(m[0]) * factorial(m[1]) * factorial(m[2])
    return total


@functools.lru_cache(maxsize=None)
def sphere_norms(l: int) -> tuple[fmpq, ...]:
    """The mean of Y_{l,m}² over the unit sphere, m = −l … l (the harmonics are orthogonal there):
    Fischer norm / (2l+1)!!.  The quadratic form Σ_m a_m² / norms_m is SO(3)-invariant on analysis
    coefficients a_m = mean(f Y_{l,m}).

    Example:
        >>> sphere_norms(1)
        (1/3, 1/3, 1/3)
    """
    double_factorial = 1
    for j in range(1, 2 * l + 2, 2):
        double_factorial *= j
    return tuple(fischer(p, p) / double_factorial for p in harmonic_polynomials(l))


def _triple(p: fmpq_mpoly, q: fmpq_mpoly) -> fmpq_mpoly:
    x = p.context().gens()  # Q[x, y, z], where the harmonic polynomials live
    dp = [p.derivative(i) for i in range(3)]
    dq = [q.derivative(i) for i in range(3)]
    return (x[0] * (dp[1] * dq[2] - dp[2] * dq[1]) + x[1] * (dp[2] * dq[0] - dp[0] * dq[2])
            + x[2] * (dp[0] * dq[1] - dp[1] * dq[0]))


def _check(l1: int, l2: int, l: int) -> None:
    for v in (l1, l2, l):
        check_int(v, "an SO(3) irrep's label l", 0)
    if not abs(l1 - l2) <= l <= l1 + l2:
        raise InputError(f"V_{l1} ⊗ V_{l2} contains V_l only for |l1 − l2| ≤ l ≤ l1 + l2, got l = {l}")


@functools.lru_cache(maxsize=None)
def clebsch_gordan(l1: int, l2: int, l: int) -> Matrix:
    """The exact SO(3)-equivariant map V_{l1} ⊗ V_{l2} → V_l, a (2l+1) × (2l1+1)(2l2+1) rational matrix
    (scaled so that its largest entry is 1).

    Example:
        >>> from invariants import SO3
        >>> from invariants.groups.compact import rational_rotation
        >>> C = clebsch_gordan(1, 1, 1)   # the cross product in e3nn's order (y, z, x)
        >>> D = SO3().irrep(1)(rational_rotation(1, 2, 3, 4))
        >>> C @ D.kron(D) == D @ C
        True
    """
    _check(l1, l2, l)
    odd = (l1 + l2 + l) % 2
    images = _reduced_products(l1, l2, odd)[(l1 + l2 - odd - l) // 2]
    mons = [(a, b, l - a - b) for a in range(l + 1) for b in range(l + 1 - a)]
    index = {m: i for i, m in enumerate(mons)}
    coefficients = fmpq_mat(len(images), len(mons))
    for i, image in enumerate(images):
        for m, c in image.to_dict().items():
            coefficients[i, index[m]] = c
    weighted = fmpq_mat(len(mons), 2 * l + 1)   # Fischer pairing with each Y_{l,m}
    for j, h in enumerate(harmonic_polynomials(l)):
        for m, c in h.to_dict().items():
            weighted[index[m], j] = c * factorial(m[0]) * factorial(m[1]) * factorial(m[2])
    pairs = (coefficients * weighted).transpose()      # (2l+1) × pairs
    # analysis coefficients a = norms · (synthesis coefficients): the inputs' norms divide out
    inputs = [fp * fq for fp in sphere_norms(l1) for fq in sphere_norms(l2)]
    rows = [[pairs[i, j] / inputs[j] for j in range(len(inputs))] for i in range(2 * l + 1)]
    scale = max(abs(c) for row in rows for c in row)
    if scale == 0:
        raise AssertionError(f"the harmonic construction vanished on V_{l1} ⊗ V_{l2} → V_{l}")  # proven non-zero; tested to l = 8
    return Matrix.from_coeffs([[(c / scale,) for c in row] for row in rows], QQ)


@functools.lru_cache(maxsize=64)
def _reduced_products(l1: int, l2: int, odd: int) -> list[list[fmpq_mpoly]]:
    """For each pair (Y_{l1,m1}, Y_{l2,m2}): the product (or the triple product r · ∇p × ∇q when odd)
    and its successive Laplacians; entry k serves l = l1 + l2 − odd − 2k."""
    combine = _triple if odd else (lambda p, q: p * q)
    level = [combine(p, q) for p in harmonic_polynomials(l1) for q in harmonic_polynomials(l2)]
    out = [level]
    for _ in range((l1 + l2 - odd - abs(l1 - l2)) // 2):
        level = [laplacian(p) for p in level]
        out.append(level)
    return out
