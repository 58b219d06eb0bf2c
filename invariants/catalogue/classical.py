"""Cyclic, dihedral, symmetric, alternating, hyperoctahedral and imprimitive reflection groups.

Also the exact field helpers the other catalogue modules share: entries are built as
power-basis coefficient vectors directly (no symbolic parsing), in Q(ζ_L) for roots of unity
and in Q(cos 2π/M) for the real rotations.
"""
from __future__ import annotations

import functools
from fractions import Fraction
from math import factorial, gcd
from typing import Any, Callable, Sequence

import sympy
from flint import fmpq, fmpq_poly, fmpz_poly

from invariants.errors import InputError, TooLargeError, check_int
from invariants.fields import QQ, NumberField, cyclotomic_field, quadratic_field, real_cyclotomic_field
from invariants.fields.numberfield import euler_phi
from invariants.groups.finite.group import MatrixGroup, check_generator_entries
from invariants.groups.representation import check_dimension
from invariants.linalg.matrix import Matrix
from invariants.catalogue.calls import catalogued

Elt = tuple  # power-basis coefficients of a field element (tuple of fmpq)


# -- shared helpers -------------------------------------------------------------------

def check_form(form: str, allowed: Sequence[str], func: str) -> str:
    """Normalise a ``form=`` argument, refusing unknown values with the list of allowed ones."""
    f = str(form).strip().strip("'\"").lower()
    if f not in allowed:
        raise InputError(f"{func}: unknown form {form!r}; use one of {', '.join(repr(a) for a in allowed)}")
    return f


def elt(field: NumberField, x: Any) -> Elt:
    """A field element from an int/Fraction/fmpq or an existing coefficient tuple."""
    if isinstance(x, tuple):
        return x
    if isinstance(x, Fraction):
        return field.from_rational(fmpq(x.numerator, x.denominator))
    return field.from_rational(x)


def poly_elt(field: NumberField, p: fmpq_poly) -> Elt:
    """The element p(α) of Q(α) = field, reduced modulo the minimal polynomial."""
    r = p % field.minpoly
    return tuple(fmpq(r[i]) for i in range(field.degree))


def matrix(rows: Sequence[Sequence[Any]], field: NumberField = QQ) -> Matrix:
    """An exact `Matrix` from rows of ints, Fractions or coefficient tuples."""
    return Matrix.from_coeffs([[elt(field, x) for x in row] for row in rows], field)


def permutation_group(perms: Sequence[Sequence[int]], name: str, order: int | None = None,
                      field: NumberField = QQ) -> MatrixGroup:
    """The group of the permutation matrices sending e_j to e_{p[j]}, for p in ``perms``, built
    sparsely (`MatrixGroup.monomial`); ``order``: |G| when it is a theorem.

    Example:
        >>> permutation_group([[1, 2, 0]], "C3", order=3).order()
        3
    """
    check_dimension(len(perms[0]), f"{name} on permutation matrices")
    return MatrixGroup.monomial([[(i, 1) for i in p] for p in perms], field, name=name, order=order)


def permutation_matrix(images: Sequence[int], field: NumberField = QQ) -> Matrix:
    """The matrix sending e_i to e_{images[i]}."""
    check_dimension(len(images), "a permutation representation")
    n = len(images)
    return matrix([[1 if images[j] == i else 0 for j in range(n)] for i in range(n)], field)


def zeta(L: int) -> tuple[NumberField, Callable[[int], Elt]]:
    """The field Q(ζ_L) (as catalogued) and the map k ↦ ζ_L^k, ζ_L = exp(2πi/L)."""
    K = cyclotomic_field(L)
    L0 = L if L % 4 != 2 else L // 2  # cyclotomic_field(2m) is Q(ζ_m) for odd m

    def power(k: int) -> Elt:
        k %= L
        if L0 == 1:
            return K.from_rational((-1) ** k)
        e, sign = (k, 1) if L0 == L else (k * (L0 + 1) // 2, (-1) ** k)  # ζ_{2m} = -ζ_m^{(m+1)/2}
        return poly_elt(K, fmpq_poly([0] * e + [sign]))

    return K, power


class CosField:
    """Q(cos 2π/M) with exact values cos(2πt) for every t in (1/M)Z (and (1/2M)Z when M is odd)."""

    def __init__(self, M: int):
        self.M = M
        special: dict[int, tuple[NumberField, Any]] = {
            1: (QQ, 1), 3: (QQ, Fraction(-1, 2)), 4: (QQ, 0),
            5: (quadratic_field(5), (fmpq(-1, 4), fmpq(1, 4))),
            8: (quadratic_field(2), (fmpq(0), fmpq(1, 2))),
            12: (quadratic_field(3), (fmpq(0), fmpq(1, 2))),
        }
        if M in special:
            self.field, c = special[M]
            self.c = elt(self.field, c)
        else:
            self.field = real_cyclotomic_field(M)
            self.c = poly_elt(self.field, fmpq_poly([0, 1]))

    def _cheb(self, k: int) -> Elt:
        t = fmpz_poly.chebyshev_t(k % self.M)
        out = self.field.zero
        for coeff in reversed(t.coeffs()):  # Horner in the field
            out = self.field.add(self.field.mul(out, self.c), self.field.from_rational(int(coeff)))
        return out

    def cos(self, t: Fraction) -> Elt:
        """cos(2πt)."""
        t = Fraction(t) % 1
        if (t * self.M).denominator == 1:
            return self._cheb(int(t * self.M))
        if self.M % 2 == 1 and (2 * t * self.M).denominator == 1:  # cos(x) = -cos(x - π)
            return self.field.neg(self._cheb(int(t * self.M - Fraction(self.M, 2)) % self.M))
        raise ValueError(f"cos(2π·{t}) is not in Q(cos 2π/{self.M})")  # pragma: no cover

    def sin(self, t: Fraction) -> Elt:
        """sin(2πt) = cos(2π(t - 1/4))."""
        return self.cos(Fraction(t) - Fraction(1, 4))


@functools.lru_cache(maxsize=None)
def cos_field(n: int) -> CosField:
    """The real cyclotomic field Q(cos 2π/n) = Q(ζ_n) ∩ R (Q(cos 2π/2m) = Q(cos 2π/m) for odd m)."""
    return CosField(n // 2 if n % 4 == 2 else n)


# [Q(cos 2π/n, sin 2π/n) : Q] accepted for the rotation forms: a 2x2 matrix over a field of degree k
# is a 2k x 2k rational matrix.  k = 80 (cyclic(600), dihedral(600)): 3 s and 30 s; k = 200
# (cyclic(1000)): minutes to build (the order and determinant of one 400 x 400 matrix)
MAX_ROTATION_FIELD_DEGREE = 100


def _rotation_field(n: int, func: str) -> CosField:
    # Q(cos 2π/n, sin 2π/n) = Q(ζ_N)^+ with N = lcm(4, n), since sin(2π/n) = cos(2π/n - π/2)
    big_n = n * 4 // gcd(n, 4)
    phi, exact = euler_phi(big_n, 2 * MAX_ROTATION_FIELD_DEGREE)
    degree = max(1, phi // 2)
    if degree > MAX_ROTATION_FIELD_DEGREE:
        raise TooLargeError(f"{func}({n}) in the rotation form is over Q(cos 2π/{big_n}) of degree "
                            f"{'' if exact else 'at least '}{degree:,}, above "
                            f"MAX_ROTATION_FIELD_DEGREE = {MAX_ROTATION_FIELD_DEGREE} (its 2x2 matrices are "
                            f"{2 * degree}x{2 * degree} rational matrices: degree 200, cyclic(1000), takes minutes); "
                            f"{func}({n}, permutation) is built from its structure (another representation: "
                            f"on Q^{n}, permuting the vertices of the {n}-gon); or raise "
                            "invariants.catalogue.classical.MAX_ROTATION_FIELD_DEGREE to build it anyway",
                            estimate=degree, option="invariants.catalogue.classical.MAX_ROTATION_FIELD_DEGREE")
    return cos_field(big_n)


def _rotation(n: int, k: int, F: CosField) -> Matrix:
    c, s = F.cos(Fraction(k, n)), F.sin(Fraction(k, n))
    return matrix([[c, F.field.neg(s)], [s, c]], F.field)


# -- cyclic and dihedral ---------------------------------------------------------------

@catalogued
def cyclic(n: int, form: str = "rotation", weights: Sequence[int] | None = None) -> MatrixGroup:
    """The cyclic group C_n of order n, in one of four forms.

    ``"rotation"``: rotation by 2π/n of R² in an orthonormal basis, over Q(cos 2π/N, sin 2π/N)
    = Q(ζ_N)^+ with N = lcm(4, n) (QQ for n = 1, 2, 4; QQ(sqrt(3)) for 3, 6, 12; QQ(sqrt(2)) for 8);
    ``"companion"``: the same rotation in the basis (e1, R e1), [[0, -1], [1, 2cos(2π/n)]] over the
    smaller field Q(cos 2π/n) (±identity for n <= 2); ``"diagonal"``: diag(ζ_n^w for w in weights) over QQ(zeta_n)
    (order n/gcd(n, weights)); ``"permutation"``: the cyclic shift of Q^n.

    Example:
        >>> G = cyclic(6)
        >>> G.order(), G.field
        (6, QQ(sqrt(3)))
        >>> cyclic(5, "diagonal", weights=(1, 2)).generators[0].shape
        (2, 2)
    """
    n = check_int(n, "cyclic: n", 1, strings=True)
    form = check_form(form, ("rotation", "companion", "diagonal", "permutation"), "cyclic")
    if weights is not None and form != "diagonal":
        raise InputError("cyclic: weights=... only applies to form='diagonal'")
    name = f"C{n}"
    if form == "rotation":
        return MatrixGroup([_rotation(n, 1, _rotation_field(n, "cyclic"))], name=name)
    if form == "companion":
        if n <= 2:  # R = ±1: (e1, R e1) is not a basis, and R is already rational
            return MatrixGroup([matrix([[(-1) ** (n - 1), 0], [0, (-1) ** (n - 1)]])], name=name)
        F = cos_field(n)
        two_c = F.field.add(F.cos(Fraction(1, n)), F.cos(Fraction(1, n)))
        return MatrixGroup([matrix([[0, -1], [1, two_c]], F.field)], name=name)
    if form == "permutation":
        return permutation_group([[(i + 1) % n for i in range(n)]], name, order=n)
    ws = list(weights) if weights is not None else [1]
    if not ws:
        raise InputError("cyclic: weights must be a non-empty sequence of integers")
    for w in ws:
        check_int(w, "cyclic: a weight", None)
    K, z = zeta(n)
    diag = [[z(w) if i == j else 0 for j in range(len(ws))] for i, w in enumerate(ws)]
    label = "" if list(ws) == [1] else f" (weights {', '.join(map(str, ws))})"
    return MatrixGroup([matrix(diag, K)], name=name + label)


@catalogued
def dihedral(n: int, form: str = "rotation") -> MatrixGroup:
    """The dihedral group D_n of order 2n: symmetries of the regular n-gon.

    ``"rotation"``: generated by the rotation by 2π/n and the reflection diag(1, -1) of R², in an
    orthonormal basis over the same field as ``cyclic(n)``; ``"permutation"``: on Q^n permuting
    the vertices of the n-gon (n >= 3), by the n-cycle and the reflection i ↦ -i mod n.

    Example:
        >>> dihedral(5).order(), dihedral(6, "permutation").order()
        (10, 12)
    """
    n = check_int(n, "dihedral: n", 1, strings=True)
    form = check_form(form, ("rotation", "permutation"), "dihedral")
    if form == "rotation":
        F = _rotation_field(n, "dihedral")
        return MatrixGroup([_rotation(n, 1, F), matrix([[1, 0], [0, -1]], F.field)], name=f"D{n}")
    if n < 3:
        raise InputError("dihedral: the permutation form needs n >= 3 (it is not faithful for n = 1, 2); "
                         "use form='rotation'")
    return permutation_group([[(i + 1) % n for i in range(n)], [(-i) % n for i in range(n)]], f"D{n}", order=2 * n)


# -- symmetric and alternating ---------------------------------------------------------

def _hyperplane_matrix(images: Sequence[int]) -> Matrix:
    """A permutation on the sum-zero hyperplane, in the basis α_i = e_i - e_{i+1}."""
    n = len(images)
    cols = []
    for j in range(n - 1):
        a, b = images[j], images[j + 1]  # σ(α_j) = e_a - e_b = ±(α_min + … + α_{max-1})
        sign = 1 if a < b else -1
        lo, hi = min(a, b), max(a, b)
        cols.append([sign if lo <= i < hi else 0 for i in range(n - 1)])
    return matrix([list(r) for r in zip(*cols)])


MAX_STANDARD_WORK = 3_000_000  # symmetric(15, "standard"): 2.3·10^6 (seconds); symmetric(20, "standard"): 1.3·10^7 (a minute)


def _check_standard_work(count: int, n: int, func: str) -> None:
    """The standard form is not monomial: its faithful action is the orbit of the n(n-1) roots
    e_a - e_b, found by ``count`` dense (n-1)x(n-1) products per root, and its Molien series is
    certified by testing pairs of its n(n-1)/2 reflections on vectors of length n-1
    (`reflection.reflection_degrees`).  Refused past `MAX_STANDARD_WORK` (estimate: the sum)."""
    check_generator_entries(count, n - 1, f"{func}({n}, 'standard')")
    reflections = n * (n - 1) // 2
    work = count * (n - 1) ** 2 * n * (n - 1) + reflections ** 2 * (n - 1) ** 2
    if work > MAX_STANDARD_WORK:
        raise TooLargeError(f"{func}({n}, 'standard') needs about {work:,} operations to find its action on the "
                            f"{n * (n - 1):,} roots and to certify its degrees from its {reflections:,} reflections, above "
                            f"MAX_STANDARD_WORK = {MAX_STANDARD_WORK:,}; the permutation form {func}({n}) is built from "
                            "its structure (its Molien series is the standard form's times 1/(1 - t)); or raise "
                            "invariants.catalogue.classical.MAX_STANDARD_WORK to build it anyway",
                            estimate=work, option="invariants.catalogue.classical.MAX_STANDARD_WORK")


def _perm_group(perms: list[list[int]], n: int, form: str, name: str, func: str, order: int) -> MatrixGroup:
    form = check_form(form, ("permutation", "standard"), func)
    if form == "standard":
        if n < 2:
            raise InputError(f"{func}: the standard representation needs n >= 2 (it has dimension n - 1)")
        _check_standard_work(len(perms), n, func)
        return MatrixGroup([_hyperplane_matrix(p) for p in perms], name=name, order=order)
    check_generator_entries(len(perms), n, f"{func}({n})")
    return permutation_group(perms, name, order=order)


@catalogued
def symmetric(n: int, form: str = "permutation") -> MatrixGroup:
    """The symmetric group S_n (order n!), generated by the adjacent transpositions (i, i+1).

    ``"permutation"``: permutation matrices on Q^n; ``"standard"``: the (n-1)-dimensional
    irreducible representation on the sum-zero hyperplane in the basis e_i - e_{i+1} (this is
    W(A_{n-1}) in the root basis), rational.

    Example:
        >>> symmetric(4).order(), symmetric(4, "standard").degree
        (24, 3)
    """
    n = check_int(n, "symmetric: n", 1, strings=True)
    check_dimension(n, f"symmetric({n})")
    perms = [[i + 1 if k == i else i if k == i + 1 else k for k in range(n)] for i in range(n - 1)] or [[0]]
    return _perm_group(perms, n, form, f"S{n}", "symmetric", factorial(n))


@catalogued
def alternating(n: int, form: str = "permutation") -> MatrixGroup:
    """The alternating group A_n (order n!/2 for n >= 2), generated by the 3-cycles (i, i+1, i+2).

    Forms as in `symmetric`: permutation matrices on Q^n, or ``"standard"`` on the sum-zero
    hyperplane in the basis e_i - e_{i+1}.

    Example:
        >>> alternating(5).order()
        60
    """
    n = check_int(n, "alternating: n", 1, strings=True)
    check_dimension(n, f"alternating({n})")
    perms = []
    for i in range(n - 2):
        p = list(range(n))
        p[i], p[i + 1], p[i + 2] = i + 1, i + 2, i
        perms.append(p)
    return _perm_group(perms or [list(range(n))], n, form, f"A{n}", "alternating", max(factorial(n) // 2, 1))


# -- hyperoctahedral and imprimitive reflection groups ---------------------------------

def _transposition(n: int, i: int) -> list[int]:
    return [i + 1 if k == i else i if k == i + 1 else k for k in range(n)]


@catalogued
def signed_permutations(n: int) -> MatrixGroup:
    """The hyperoctahedral group W(B_n) of all signed permutation matrices (order 2^n n!).

    Generated by its simple reflections in Bourbaki order: the transpositions (i, i+1) and the
    sign change of the last coordinate, on Q^n in the orthonormal basis.

    Example:
        >>> signed_permutations(3).order()
        48
    """
    n = check_int(n, "signed_permutations: n", 1, strings=True)
    check_dimension(n, f"signed_permutations({n})")
    check_generator_entries(n, n, f"signed_permutations({n})")
    gens = [[(i, 1) for i in _transposition(n, k)] for k in range(n - 1)]
    gens.append([(i, -1 if i == n - 1 else 1) for i in range(n)])
    return MatrixGroup.monomial(gens, name=f"W(B{n})", order=2 ** n * factorial(n))


@catalogued
def even_signed_permutations(n: int) -> MatrixGroup:
    """W(D_n): signed permutation matrices with an even number of sign changes (order 2^(n-1) n!).

    Generated by its simple reflections in Bourbaki order: the transpositions (i, i+1) and the
    reflection in e_{n-1} + e_n, on Q^n in the orthonormal basis (n >= 2).

    Example:
        >>> even_signed_permutations(4).order()
        192
    """
    n = check_int(n, "even_signed_permutations: n", 2, strings=True)
    check_dimension(n, f"even_signed_permutations({n})")
    check_generator_entries(n, n, f"even_signed_permutations({n})")
    gens = [[(i, 1) for i in _transposition(n, k)] for k in range(n - 1)]
    last = [(i, 1) for i in range(n)]
    last[n - 2], last[n - 1] = (n - 1, -1), (n - 2, -1)  # e_{n-1} ↔ -e_n: the reflection in e_{n-1} + e_n
    gens.append(last)
    return MatrixGroup.monomial(gens, name=f"W(D{n})", order=2 ** (n - 1) * factorial(n))


@catalogued
def complex_reflection(m: int, p: int, n: int) -> MatrixGroup:
    """The imprimitive complex reflection group G(m, p, n), of order m^n n!/p, over QQ(zeta_m).

    Monomial n×n matrices whose nonzero entries are m-th roots of unity with product an
    (m/p)-th root of unity. Generators: diag(ζ^p, 1, …) (if p < m), the twisted transposition
    e1 ↦ ζ e2, e2 ↦ ζ^-1 e1 (if p > 1), and the transpositions (i, i+1).

    Example:
        >>> complex_reflection(3, 3, 5).order()
        9720
    """
    m = check_int(m, "complex_reflection: m", 1, strings=True)
    p = check_int(p, "complex_reflection: p", 1, strings=True)
    n = check_int(n, "complex_reflection: n", 1, strings=True)
    check_dimension(n, f"complex_reflection({m}, {p}, {n})")
    if m % p:
        raise InputError(f"complex_reflection: p must divide m, got m={m}, p={p}")
    check_generator_entries(n + 1, n, f"complex_reflection({m}, {p}, {n})")  # at most n + 1 generators
    K, z = zeta(m)
    ident = [(i, 1) for i in range(n)]
    gens = []
    if p < m:
        gens.append([(0, z(p))] + ident[1:])
    if p > 1 and n > 1:
        gens.append([(1, z(1)), (0, z(-1))] + ident[2:])  # e1 ↦ ζ e2, e2 ↦ ζ^-1 e1
    gens += [[(i, 1) for i in _transposition(n, k)] for k in range(n - 1)]
    return MatrixGroup.monomial(gens or [ident], K, name=f"G({m},{p},{n})", order=m ** n * factorial(n) // p)
