"""Real solid harmonics with rational coefficients, and SO(3) acting on them exactly.

Y_{l,m} (m = −l … l) is the harmonic projection of Re (x+iy)^m z^{l−m} (m ≥ 0) or
Im (x+iy)^{|m|} z^{l−|m|} (m < 0): rational polynomials, orthogonal on the sphere, and for
l = 1 they are (y, z, x) as in e3nn.  A rotation acts by Y(R r) = D(R) Y(r); the Lie algebra
by the derivative of that.  Complex harmonics Y_{l,|m|} ± i Y_{l,−|m|} are the weight basis.
"""
from __future__ import annotations

import functools
from math import comb

import sympy
from flint import fmpq, fmpq_mat, fmpq_mpoly, fmpq_mpoly_ctx

from invariants.errors import InputError
from invariants.fields import QQ, quadratic_field
from invariants.linalg.matrix import Matrix

X, Y, Z = sympy.symbols("x y z")
_CTX = fmpq_mpoly_ctx.get(("x", "y", "z"), "lex")
QQI = quadratic_field(-1)


def harmonic_projection(p: sympy.Expr, l: int) -> sympy.Expr:
    """The harmonic part of a homogeneous polynomial of degree l on R^3:
    Σ_k (−1)^k r^{2k} Δ^k p / (2^k k! ∏_{j=1..k} (2l − 2j + 1))."""
    r2 = X**2 + Y**2 + Z**2
    out, lap, denom = sympy.Integer(0), sympy.expand(p), sympy.Integer(1)
    k = 0
    while lap != 0:
        out += (-1) ** k * r2**k * lap / denom
        k += 1
        lap = sympy.expand(sum(sympy.diff(lap, v, 2) for v in (X, Y, Z)))
        denom *= 2 * k * (2 * l - 2 * k + 1)
    return sympy.expand(out)


@functools.lru_cache(maxsize=None)
def real_solid_harmonics(l: int) -> tuple[sympy.Expr, ...]:
    """Y_{l,−l} … Y_{l,l} as rational polynomials in x, y, z.

    Example:
        >>> real_solid_harmonics(1)
        (y, z, x)
    """
    return tuple(sympy.Poly.from_dict({m: sympy.Rational(int(c.p), int(c.q)) for m, c in p.to_dict().items()},
                                      X, Y, Z).as_expr() for p in harmonic_polynomials(l))


@functools.lru_cache(maxsize=None)
def harmonic_polynomials(l: int) -> tuple[fmpq_mpoly, ...]:
    """The same Y_{l,m} as flint polynomials (built there: sympy takes seconds at l = 10)."""
    if isinstance(l, bool) or not isinstance(l, int) or l < 0:
        raise InputError(f"SO(3) irreps are labelled by l = 0, 1, 2, …, got {l!r}")
    x, y, z = _CTX.gens()
    r2 = x * x + y * y + z * z
    out = {}
    for m in range(l + 1):
        re = sum((((-1) ** (k // 2) * comb(m, k)) * x ** (m - k) * y**k for k in range(0, m + 1, 2)), _CTX.from_dict({}))
        im = sum((((-1) ** (k // 2) * comb(m, k)) * x ** (m - k) * y**k for k in range(1, m + 1, 2)), _CTX.from_dict({}))
        out[m] = _harmonic_part(re * z ** (l - m), l, r2)
        if m:
            out[-m] = _harmonic_part(im * z ** (l - m), l, r2)
    for p in out.values():
        if laplacian(p) != 0:
            raise AssertionError("a solid harmonic is not harmonic")
    return tuple(out[m] for m in range(-l, l + 1))


def laplacian(p: fmpq_mpoly) -> fmpq_mpoly:
    return sum((p.derivative(i).derivative(i) for i in range(3)), _CTX.from_dict({}))


def _harmonic_part(p: fmpq_mpoly, l: int, r2: fmpq_mpoly) -> fmpq_mpoly:
    """harmonic_projection on flint polynomials."""
    out, lap, denom, power, k = _CTX.from_dict({}), p, 1, _CTX.from_dict({(0, 0, 0): 1}), 0
    while lap != 0:
        out += power * lap * fmpq((-1) ** k, denom)
        k += 1
        lap = laplacian(lap)
        power *= r2
        denom *= 2 * k * (2 * l - 2 * k + 1)
    return out


def _coefficient_matrix(polys, l: int) -> fmpq_mat:
    mons = [(a, b, l - a - b) for a in range(l + 1) for b in range(l + 1 - a)]
    rows = []
    for p in polys:
        poly = sympy.Poly(p, X, Y, Z)
        coeffs = dict(poly.terms())
        rows.append([fmpq(int(sympy.Rational(coeffs.get(m, 0)).p), int(sympy.Rational(coeffs.get(m, 0)).q)) for m in mons])
    return fmpq_mat(rows).transpose()  # monomials × polynomials


def coordinates(targets, l: int) -> Matrix:
    """The matrix D with targets_j = Σ_k D_jk Y_{l,k} (targets must be harmonic of degree l)."""
    basis = _coefficient_matrix(real_solid_harmonics(l), l)
    values = _coefficient_matrix(targets, l)
    bt = basis.transpose()
    sol = (bt * basis).inv() * (bt * values)
    if basis * sol != values:
        raise InputError("the polynomials are not harmonic of degree l: they are not in the span of the Y_{l,m}")
    n = 2 * l + 1
    return Matrix.from_coeffs([[(sol[k, j],) for k in range(n)] for j in range(len(targets))], QQ)


def rotation_action(rotation: Matrix, l: int) -> Matrix:
    """D^l(R) for an exact rotation matrix R (rational entries), from Y(R r) = D(R) Y(r)."""
    ents = [[QQ.to_sympy(c) for c in row] for row in rotation.entries()]
    image = [sum(ents[i][j] * v for j, v in enumerate((X, Y, Z))) for i in range(3)]
    subs = {X: image[0], Y: image[1], Z: image[2]}
    return coordinates([sympy.expand(p.xreplace(subs)) for p in real_solid_harmonics(l)], l)


@functools.lru_cache(maxsize=None)
def so3_irrep_data(l: int) -> tuple[list[Matrix], Matrix, list[Matrix]]:
    """(Lie algebra on the Y_{l,m} in SO(3)'s basis E_ji − E_ij, (i, j) = (0, 1), (0, 2), (1, 2) —
    i.e. L_z, −L_y, L_x, as for the vector representation — weight basis over QQ(i), Cartan −i L_z)."""
    harmonics = real_solid_harmonics(l)
    fields = [  # r ↦ X r for X = E_ji − E_ij: (0, 1) about z, (0, 2) about −y, (1, 2) about x
        (-Y, X, 0), (-Z, 0, X), (0, -Z, Y)]
    lie = []
    for v in fields:
        images = [sympy.expand(sum(c * sympy.diff(p, s) for c, s in zip(v, (X, Y, Z)))) for p in harmonics]
        lie.append(coordinates(images, l))
    n = 2 * l + 1
    rows = []
    for m in range(-l, l + 1):
        row = ["0"] * n
        row[l + abs(m)] = "1"
        if m:
            row[l - abs(m)] = "I" if m > 0 else "-I"
        rows.append(row)
    basis = Matrix.from_entries(rows, QQI)
    cartan = [lie[0].change_field(QQI).scale(QQI.parse("-I"))]
    return lie, basis, cartan


def rational_rotation(a: int, b: int, c: int, d: int) -> Matrix:
    """The rotation of the quaternion a + bi + cj + dk (not all zero), with rational entries.

    Example:
        >>> rational_rotation(1, 0, 0, 1).entries()[0][1]
        (-1,)
    """
    n = a * a + b * b + c * c + d * d
    if n == 0:
        raise InputError("the quaternion must be non-zero")
    rows = [[a*a + b*b - c*c - d*d, 2*(b*c - a*d), 2*(b*d + a*c)],
            [2*(b*c + a*d), a*a - b*b + c*c - d*d, 2*(c*d - a*b)],
            [2*(b*d - a*c), 2*(c*d + a*b), a*a - b*b - c*c + d*d]]
    return Matrix.from_entries([[sympy.Rational(x, n) for x in r] for r in rows], QQ)

