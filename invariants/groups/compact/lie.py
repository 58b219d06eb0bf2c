"""Lie algebra elements on derived representations: the derivatives of S^d, Λ^d, ⊗ and duals.

If X is in the Lie algebra acting on V, then on S^d V it acts as d/dt S^d(exp tX) at t = 0:
a derivation of the monomial basis.  These match `symmetric_power_matrix`,
`exterior_power_matrix`, `Matrix.kron` and the contragredient g ↦ g^{-T}, so a representation
built by the algebra carries group and Lie algebra matrices that agree.
"""
from __future__ import annotations

import itertools

from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing, matrix_of_images, monomials


def symmetric_power_derivation(x: Matrix, d: int) -> Matrix:
    """The action of a Lie algebra element X on S^d V: e^a ↦ Σ_i a_i (X e_i) e^{a − e_i}.

    Example:
        >>> from invariants.linalg.matrix import Matrix
        >>> symmetric_power_derivation(Matrix.from_entries([[0, 1], [0, 0]]), 2).entries()[0][1]
        (1,)
    """
    n = x.nrows
    ring = PolynomialRing(x.field, n)
    mons = monomials(n, d)
    columns = [ring.linear_form(c) for c in x.transpose().entries()]  # X e_i
    images = []
    for a in mons:
        image = ring.ctx.from_dict({})
        for i, ai in enumerate(a):
            if ai:
                rest = a[:i] + (ai - 1,) + a[i + 1:]
                image += ring.reduce(columns[i] * ring.monomial(rest)) * ai
        images.append(image)
    return matrix_of_images(ring, mons, images)


def exterior_power_derivation(x: Matrix, d: int) -> Matrix:
    """The action of X on Λ^d V (basis e_I, I increasing): e_I ↦ Σ_{i∈I} e_{I, i replaced by X e_i}."""
    n = x.nrows
    f = x.field
    subsets = list(itertools.combinations(range(n), d))
    index = {s: j for j, s in enumerate(subsets)}
    ents = x.entries()
    rows = [[f.zero] * len(subsets) for _ in subsets]
    for col, subset in enumerate(subsets):
        for pos, i in enumerate(subset):
            for k in range(n):
                if f.is_zero(ents[k][i]) or (k in subset and k != i):
                    continue
                target = tuple(sorted(subset[:pos] + (k,) + subset[pos + 1:]))
                sign = (-1) ** (pos + target.index(k))
                value = ents[k][i] if sign > 0 else f.neg(ents[k][i])
                row = index[target]
                rows[row][col] = f.add(rows[row][col], value)
    return Matrix.from_coeffs(rows, f)


def tensor_derivation(x: Matrix, y: Matrix) -> Matrix:
    """X ⊗ 1 + 1 ⊗ Y: the action on V ⊗ W (basis e_i ⊗ f_j, i major)."""
    return x.kron(Matrix.identity(y.nrows, y.field)) + Matrix.identity(x.nrows, x.field).kron(y)


def dual_derivation(x: Matrix) -> Matrix:
    """−X^T: the action on V* matching g ↦ g^{-T}."""
    return -x.transpose()
