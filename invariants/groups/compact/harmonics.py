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

from invariants.errors import InputError, TooLargeError, check_int
from invariants.fields import QQ, quadratic_field
from invariants.linalg import dense
from invariants.linalg.matrix import Matrix

X, Y, Z = sympy.symbols("x y z")
# the largest l built: the Y_{l,m} have (2l + 1)(l + 1)(l + 2)/2 coefficients and the Lie algebra an
# exact solve against them, about 2 l^4 operations (l = 100: 10 s, l = 128: about 30 s)
MAX_HARMONIC_DEGREE = 128
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
    check_int(l, "an SO(3) irrep's label l", 0)
    if l > MAX_HARMONIC_DEGREE:
        raise TooLargeError(f"the SO(3) irrep l = {l:,} (dimension {2 * l + 1:,}) is built from {(2 * l + 1) * (l + 1) * (l + 2) // 2:,} "
                            f"exact coefficients of its solid harmonics, about 2 l^4 = {2 * l**4:.1e} operations, above "
                            f"MAX_HARMONIC_DEGREE = {MAX_HARMONIC_DEGREE} (l = 100 takes 10 s); raise "
                            "invariants.groups.compact.harmonics.MAX_HARMONIC_DEGREE to build it anyway",
                            estimate=l, option="invariants.groups.compact.harmonics.MAX_HARMONIC_DEGREE")
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
    """Monomials of degree l × polynomials (flint or sympy)."""
    mons = [(a, b, l - a - b) for a in range(l + 1) for b in range(l + 1 - a)]
    columns = []
    for p in polys:
        if isinstance(p, fmpq_mpoly):
            coeffs = p.to_dict()
        else:
            coeffs = {m: fmpq(int(sympy.Rational(c).p), int(sympy.Rational(c).q))
                      for m, c in sympy.Poly(p, X, Y, Z).terms()}
        columns.append([coeffs.get(m, fmpq(0)) for m in mons])
    return fmpq_mat(columns).transpose()


@functools.lru_cache(maxsize=None)
def _harmonic_frame(l: int) -> tuple[fmpq_mat, list[int], fmpq_mat]:
    """The Y_{l,m}'s coefficient matrix, 2l + 1 monomials at which it is invertible, and that inverse."""
    basis = _coefficient_matrix(harmonic_polynomials(l), l)
    rows = dense.pivot_columns(basis.transpose())
    square = fmpq_mat([[basis[r, k] for k in range(basis.ncols())] for r in rows])
    return basis, rows, square.inv()


def coordinates(targets, l: int) -> Matrix:
    """The matrix D with targets_j = Σ_k D_jk Y_{l,k} (targets must be harmonic of degree l)."""
    basis, rows, inverse = _harmonic_frame(l)
    values = _coefficient_matrix(targets, l)
    sol = inverse * fmpq_mat([[values[r, j] for j in range(values.ncols())] for r in rows])
    if basis * sol != values:   # solved on 2l + 1 monomials, checked on all of them
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
    harmonics = harmonic_polynomials(l)   # in flint: sympy's diff and expand took 25 s at l = 30
    x, y, z = _CTX.gens()
    zero = _CTX.from_dict({})
    fields = [  # r ↦ X r for X = E_ji − E_ij: (0, 1) about z, (0, 2) about −y, (1, 2) about x
        (-y, x, zero), (-z, zero, x), (zero, -z, y)]
    lie = []
    for v in fields:
        images = [sum((c * p.derivative(i) for i, c in enumerate(v)), zero) for p in harmonics]
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

