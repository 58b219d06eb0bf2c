"""Ready-made actions: SL2 on binary forms, GL_n on its natural module, tori with weights, and
the matrix of a group element on forms of degree k.

Example:
    >>> sl2_binary_forms(1).matrix
    Matrix([
    [a, b],
    [c, d]])
    >>> torus([[1], [-1]]).matrix
    Matrix([
    [z0,  0],
    [ 0, w0]])
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy

from invariants.errors import InputError
from invariants.groups.reductive.action import LinearlyReductiveAction
from invariants.polynomials.ring import monomials

_a, _b, _c, _d = sympy.symbols("a b c d")


def symmetric_power_matrix(g: Any, k: int) -> sympy.Matrix:
    """The matrix of g on forms of degree k in n variables, f(x) ↦ f(gᵀ·x), in the basis of
    monomials of degree k in descending lex order (column e: the coefficients of ∏_i (gᵀx)_i^{e_i}).

    Example:
        >>> symmetric_power_matrix([[1, 1], [0, 1]], 2)
        Matrix([
        [1, 1, 1],
        [0, 1, 2],
        [0, 0, 1]])
    """
    g = sympy.Matrix(g)
    n = g.rows
    x = sympy.symbols(f"_u0:{n}")
    images = [sum((g[j, i] * x[j] for j in range(n)), sympy.Integer(0)) for i in range(n)]
    basis = monomials(n, k)
    cols = []
    for e in basis:
        image = sympy.Poly(sympy.Mul(*(f ** p for f, p in zip(images, e))), *x)
        cols.append([image.coeff_monomial(sympy.Mul(*(v ** p for v, p in zip(x, m)))) for m in basis])
    return sympy.Matrix(cols).T


def binary_form_matrix(k: int) -> sympy.Matrix:
    """g = [[a, b], [c, d]] on the coefficients of f = Σ_j f_j u^{k−j} v^j by g·f = f(a u + c v, b u + d v)."""
    return symmetric_power_matrix([[_a, _b], [_c, _d]], k)


def sl2_binary_forms(k: int, names: str = "a b c d") -> LinearlyReductiveAction:
    """SL2 (ideal a d − b c − 1, the four ``names`` standing for a, b, c, d) on binary forms of
    degree k, coordinates x0..xk.

    Example:
        >>> sl2_binary_forms(2).n, sl2_binary_forms(1, names="e f g h").matrix.tolist()
        (3, [[e, f], [g, h]])
    """
    if not isinstance(k, int) or k < 1:
        raise InputError(f"the degree of the binary forms must be an integer ≥ 1, not {k!r}")
    new = sympy.symbols(names)
    if len(new) != 4:
        raise InputError(f"give four names for the entries of g = [[a, b], [c, d]], not {names!r}")
    rename = dict(zip((_a, _b, _c, _d), new))
    return LinearlyReductiveAction([(_a * _d - _b * _c - 1).xreplace(rename)], binary_form_matrix(k).xreplace(rename), new)


def gl_natural(n: int, dual: bool = False) -> LinearlyReductiveAction:
    """GL_n (variables g_ij and u, ideal det·u − 1) on K^n, or on K^n ⊕ (K^n)* when ``dual``
    (g ⊕ g^{−T}, with g^{−1} = u·adj(g)).

    Example:
        >>> gl_natural(1, dual=True).matrix
        Matrix([
        [g00, 0],
        [  0, u]])
    """
    g = sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"g{i}{j}"))
    u = sympy.Symbol("u")
    M = sympy.diag(g, (u * g.adjugate()).T.applyfunc(sympy.expand)) if dual else g
    return LinearlyReductiveAction([sympy.expand(g.det() * u - 1)], M, list(g) + [u])


def torus(weights: Sequence[Sequence[int]]) -> LinearlyReductiveAction:
    """The torus (C*)^k (variables z_i, w_i with z_i w_i = 1) acting diagonally, coordinate j by the
    character with weight vector ``weights[j]``.

    Example:
        >>> torus([[1], [1], [-2]]).matrix.diagonal().tolist()
        [[z0, z0, w0**2]]
    """
    rows = [tuple(w) for w in weights]
    if not rows or len({len(r) for r in rows}) != 1 or not all(isinstance(x, int) for r in rows for x in r):
        raise InputError("give one integer weight vector per coordinate, all of one length, e.g. [[1], [-1]]")
    k = len(rows[0])
    z = sympy.symbols(f"z0:{k}")
    w = sympy.symbols(f"w0:{k}")
    diag = [sympy.Mul(*((z[i] if e > 0 else w[i]) ** abs(e) for i, e in enumerate(r))) for r in rows]
    return LinearlyReductiveAction([z[i] * w[i] - 1 for i in range(k)], sympy.diag(*diag), list(z) + list(w))
