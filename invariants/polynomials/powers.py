"""Matrices of derived representations: symmetric and exterior powers of a group element, and
the matching derivations of a Lie algebra element.

If g acts on V, S^d(g) acts on the monomials of degree d and Λ^d(g) on the e_I (I increasing);
if X is in the Lie algebra, d/dt S^d(exp tX) at t = 0 is a derivation of the monomial basis,
and likewise for Λ^d, ⊗ and the dual.  Group and Lie algebra matrices built here agree, so a
representation built by this algebra carries consistent data.
"""
from __future__ import annotations

import itertools
from typing import Iterable, Sequence

from flint import fmpq_mpoly

from invariants.errors import InputError
from invariants.fields.base import Element, Field
from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing, monomials


def symmetric_power_matrix(g: Matrix, d: int) -> Matrix:
    """S^d(g) on the monomial basis of degree-d polynomials in the basis vectors
    (e_i ↦ Σ_j g_ji e_j), a homomorphism in g: S^d(gh) = S^d(g) S^d(h)."""
    if d < 0:
        raise InputError("symmetric powers need d >= 0")
    n = g.nrows
    ring = PolynomialRing(g.field, n)
    mons = monomials(n, d)
    cols = g.transpose().entries()  # rows of g^T: images of e_i
    images = [ring.linear_form(r) for r in cols]
    table = power_products(ring, images, mons)
    return matrix_of_images(ring, mons, [table[m] for m in mons])


def matrix_of_images(ring: PolynomialRing, mons: Sequence[tuple[int, ...]], images: Sequence[fmpq_mpoly]) -> Matrix:
    """The matrix whose j-th column holds the coefficients of images[j] on the monomials ``mons``."""
    index = {m: i for i, m in enumerate(mons)}
    field = ring.field
    k = field.degree
    q = field.prime_matrix(k * len(mons), k * len(mons))
    for j, image in enumerate(images):
        for target, c in ring.coefficients(image).items():
            i = index[target]
            block = field.mult_matrix(c) if k > 1 else None
            for u in range(k):
                for v in range(k):
                    val = block[u, v] if k > 1 else c[0]
                    if val != 0:
                        q[i * k + u, j * k + v] = val
    return Matrix(field, len(mons), len(mons), q)


def power_products(ring: PolynomialRing, forms: Sequence[fmpq_mpoly], mons: Iterable[tuple[int, ...]]) -> dict:
    """∏ forms[i]^e_i for each exponent vector, sharing partial products."""
    cache: dict[tuple[int, ...], fmpq_mpoly] = {}
    n = ring.n

    def prod_of(e: tuple[int, ...]) -> fmpq_mpoly:
        if e in cache:
            return cache[e]
        i = next((j for j in range(n) if e[j]), None)
        if i is None:
            val = ring.ctx.constant(1)
        else:
            smaller = e[:i] + (e[i] - 1,) + e[i + 1:]
            val = ring.reduce(prod_of(smaller) * forms[i])
        cache[e] = val
        return val

    return {m: prod_of(m) for m in mons}


def exterior_power_matrix(g: Matrix, d: int) -> Matrix:
    """Λ^d g: entries are the d×d minors of g (rows I, columns J increasing)."""
    n = g.nrows
    if d < 0:
        raise InputError(f"exterior power {d} does not exist: use d >= 0")
    if d > n:
        return Matrix.zeros(0, 0, g.field)  # Λ^d V = 0 past the dimension
    subsets = list(itertools.combinations(range(n), d))
    f = g.field
    if d == 2 and f.degree == 1:  # over Q or GF(p): the minors straight from the flint matrix
        flat = g.q.entries()
        rows_ = [flat[i * n:(i + 1) * n] for i in range(n)]
        size = len(subsets)
        q = f.prime_matrix(size, size)
        for r, (i, j) in enumerate(subsets):
            gi, gj = rows_[i], rows_[j]
            for c, (a, b) in enumerate(subsets):
                v = gi[a] * gj[b] - gi[b] * gj[a]
                if v != 0:
                    q[r, c] = v
        return Matrix(f, size, size, q)
    ents = g.entries()
    if d == 2:  # the 2×2 minors in closed form: Λ²V is the common case, elimination costs 10× more
        rows = [[f.add(f.mul(ents[i][a], ents[j][b]), f.neg(f.mul(ents[i][b], ents[j][a]))) for a, b in subsets]
                for i, j in subsets]
    else:
        rows = [[_det([[ents[i][j] for j in J] for i in I], f) for J in subsets] for I in subsets]
    return Matrix.from_coeffs(rows, f)


def _det(a: list[list[Element]], f: Field) -> Element:
    """Determinant over K by Gaussian elimination on coefficient tuples."""
    a = [row[:] for row in a]
    n = len(a)
    det = f.one
    for c in range(n):
        piv = next((r for r in range(c, n) if not f.is_zero(a[r][c])), None)
        if piv is None:
            return f.zero
        if piv != c:
            a[c], a[piv] = a[piv], a[c]
            det = f.neg(det)
        det = f.mul(det, a[c][c])
        inv = f.inv(a[c][c])
        for r in range(c + 1, n):
            if not f.is_zero(a[r][c]):
                factor = f.mul(a[r][c], inv)
                a[r] = [f.add(x, f.neg(f.mul(factor, y))) for x, y in zip(a[r], a[c])]
    return det


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
