"""The compact groups molien knows, with their representations in exact coordinates.

All representation matrices are rational (the Lie algebra is given complexified where the
group is complex: tori, SU(2) on binary forms, U(n), SU(n)); weight coordinates are over
QQ or QQ(i).  Weights are never typed in by hand: they are read off P H P⁻¹.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any, Sequence

from invariants.errors import InputError
from invariants.fields import QQ, quadratic_field
from invariants.linalg.matrix import Matrix
from invariants.groups.compact.group import CompactGroup, ComponentClass, roots_type_a, roots_type_bcd
from invariants.groups.compact.harmonics import rotation_action, so3_irrep_data
from invariants.groups.compact.representation import CompactRepresentation, weights_from_cartan

QQI = quadratic_field(-1)
HALF = Fraction(1, 2)


def _unit(n: int, i: int, j: int) -> list[list[int]]:
    m = [[0] * n for _ in range(n)]
    m[i][j] = 1
    return m


def _mat(rows: Any, field=QQ) -> Matrix:
    return Matrix.from_entries(rows, field)


def _rotation_generator(n: int, i: int, j: int) -> Matrix:
    """E_ji − E_ij: the infinitesimal rotation turning e_i towards e_j."""
    m = [[0] * n for _ in range(n)]
    m[j][i], m[i][j] = 1, -1
    return _mat(m)


def _representation(group: CompactGroup, lie, elements, basis: Matrix, cartan, twisted, name: str,
                    element_map=None) -> CompactRepresentation:
    weights = weights_from_cartan(basis, cartan)
    identity = [(w, Fraction(0)) for w in weights]
    return CompactRepresentation(group, lie, elements, basis, cartan, [identity] + list(twisted), name,
                                 element_map=element_map)


def _defining(n: int, check):
    """The identity map on exact n×n matrices of the group, after ``check``."""
    def element_map(g: Any) -> Matrix:
        m = g if isinstance(g, Matrix) else Matrix.from_entries(g)
        if (m.nrows, m.ncols) != (n, n):
            raise InputError(f"a group element here is a {n}x{n} matrix, got {m.nrows}x{m.ncols}")
        check(m)
        return m
    return element_map


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InputError(message)


def _orthogonal(m: Matrix, special: bool) -> None:
    n = m.nrows
    _require(m.transpose() @ m == Matrix.identity(n, m.field), "the matrix is not orthogonal (g^T g != 1)")
    if special:
        _require(m.q.det() == 1, "the matrix has determinant -1: not in SO(n)")


# -- tori ---------------------------------------------------------------------------------
class Torus(CompactGroup):
    """U(1)^k acting diagonally on C^n with integer weights.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(Torus(1).rep([1, 1, -1, -1]))
        (1 + t^2)/(1 - t^2)^3
    """

    def __init__(self, k: int = 1):
        if k < 1:
            raise InputError("a torus needs rank k >= 1")
        name = "U(1)" if k == 1 else f"U(1)^{k}"
        super().__init__(name, [ComponentClass(Fraction(1), k, ())], ("torus", k), k)
        self.k = k

    def rep(self, weights: Sequence[Any]) -> CompactRepresentation:
        rows = [(w,) if isinstance(w, int) else tuple(w) for w in weights]
        if not rows or any(len(r) != self.k or not all(isinstance(x, int) for x in r) for r in rows):
            raise InputError(f"give one integer weight vector of length {self.k} per coordinate, e.g. "
                             f"{[[1] * self.k, [-1] * self.k]}")
        n = len(rows)
        cartan = [_mat([[rows[i][c] if i == j else 0 for j in range(n)] for i in range(n)]) for c in range(self.k)]
        text = ",".join(str(r[0]) if self.k == 1 else "(" + ",".join(map(str, r)) + ")" for r in rows)
        def element_map(z: Any) -> Matrix:
            zs = [z] if self.k == 1 and not isinstance(z, (list, tuple)) else list(z)
            _require(len(zs) == self.k and all(x != 0 for x in zs), f"a torus element is {self.k} non-zero numbers")
            values = [Fraction(str(x)) for x in zs]
            diag = [QQ.parse(math.prod(x ** e for x, e in zip(values, r))) for r in rows]
            return Matrix.from_coeffs([[diag[i] if i == j else QQ.zero for j in range(n)] for i in range(n)], QQ)

        return _representation(self, cartan, [], Matrix.identity(n), cartan, [], f"weights[{text}]", element_map)


def U1() -> Torus:
    """The circle group U(1)."""
    return Torus(1)


# -- SU(2) on binary forms ---------------------------------------------------------------
class SU2(CompactGroup):
    """SU(2) (equivalently SL(2, C)): spin j acts on binary forms of degree 2j.

    Coordinates are the coefficients a_k of f = Σ_k a_k u^{d−k} v^k.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SU2().binary_forms(4))
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self) -> None:
        super().__init__("SU(2)", [ComponentClass(Fraction(1), 1, ((2,),))], ("SU2",), 3)

    def binary_forms(self, d: int) -> CompactRepresentation:
        if d < 0:
            raise InputError("binary forms need degree d >= 0")
        n = d + 1
        e = [[0] * n for _ in range(n)]   # u ∂/∂v: u^{d-k} v^k ↦ k u^{d-k+1} v^{k-1}
        f = [[0] * n for _ in range(n)]   # v ∂/∂u
        h = [[0] * n for _ in range(n)]
        for k in range(n):
            if k > 0:
                e[k - 1][k] = k
            if k < d:
                f[k + 1][k] = d - k
            h[k][k] = d - 2 * k
        lie = [_mat(e), _mat(f), _mat(h)]
        base = _defining(2, lambda m: _require(m.q.det() == 1, "an element of SL(2) has determinant 1"))

        def element_map(g: Any) -> Matrix:
            return _binary_form_action(base(g), d)

        return _representation(self, lie, [], Matrix.identity(n), [lie[2]], [], f"spin {Fraction(d, 2)}", element_map)

    def spin(self, j: Any) -> CompactRepresentation:
        twice = Fraction(str(j)) * 2
        if twice.denominator != 1 or twice < 0:
            raise InputError(f"spin must be a non-negative half-integer such as 1/2 or 3/2, got {j!r}")
        return self.binary_forms(int(twice))

    def fundamental(self) -> CompactRepresentation:
        return self.binary_forms(1)


def _binary_form_action(g: Matrix, d: int) -> Matrix:
    """f ↦ f((u, v)·g) on the coefficients of f = Σ_k a_k u^{d−k} v^k (so exp(t e) ↦ exp(t E))."""
    from invariants.polynomials.ring import PolynomialRing

    ring = PolynomialRing(g.field, 2)
    u, v = ring.gens
    (p, q), (r, s) = g.entries()
    new_u = ring.linear_form([p, r])  # (u, v)·g = (p u + r v, q u + s v)
    new_v = ring.linear_form([q, s])
    cols = []
    for k in range(d + 1):
        image = ring.reduce(ring.power(new_u, d - k) * ring.power(new_v, k))
        coeffs = ring.coefficients(image)
        cols.append([coeffs.get((d - j, j), g.field.zero) for j in range(d + 1)])
    return Matrix.from_coeffs([[cols[k][j] for k in range(d + 1)] for j in range(d + 1)], g.field)


# -- orthogonal groups ------------------------------------------------------------------
def _standard_orthogonal(n: int):
    """so(n) on R^n: Lie basis, weight basis over QQ(i) (x_{2k} ± i x_{2k+1}) and Cartan."""
    lie = [_rotation_generator(n, i, j) for i, j in itertools.combinations(range(n), 2)]
    m = n // 2
    rows = []
    for k in range(m):
        for s in ("I", "-I"):
            r = ["0"] * n
            r[2 * k], r[2 * k + 1] = "1", s
            rows.append(r)
    if n % 2:
        rows.append(["0"] * (n - 1) + ["1"])
    basis = _mat(rows, QQI)
    cartan = [_rotation_generator(n, 2 * k, 2 * k + 1).change_field(QQI).scale(QQI.parse("-I")) for k in range(m)]
    return lie, basis, cartan


class SO(CompactGroup):
    """SO(n) on R^n (``vector()``), k vectors (``vectors(k)``) and tensors built from them.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SO(3).vectors(3))
        (1 + t^3)/(1 - t^2)^6
    """

    def __init__(self, n: int):
        if n < 2:
            raise InputError("SO(n) needs n >= 2")
        self.n = n
        m = n // 2
        roots = roots_type_bcd(m, "B" if n % 2 else "D")
        super().__init__(f"SO({n})", self._classes(m, roots), (type(self).__name__, n), n * (n - 1) // 2)

    def _classes(self, m: int, roots) -> list[ComponentClass]:
        return [ComponentClass(Fraction(1), m, roots)]

    def _twisted_standard(self) -> list:
        return []

    def _elements_standard(self) -> list[Matrix]:
        return []

    def vector(self) -> CompactRepresentation:
        lie, basis, cartan = _standard_orthogonal(self.n)
        special = type(self) in (SO, SO3)
        return _representation(self, lie, self._elements_standard(), basis, cartan, self._twisted_standard(), "vector",
                               _defining(self.n, lambda m: _orthogonal(m, special)))

    def vectors(self, k: int) -> CompactRepresentation:
        return k * self.vector()


class O(SO):
    """O(n) = SO(n) ⋊ {1, r}: the reflection component enters the Molien–Weyl sum through its
    twisted torus (type C_{m−1} for n = 2m, −1·SO(n) for n odd).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(O(4).vectors(2))
        1/(1 - t^2)^3
    """

    def __init__(self, n: int):
        super().__init__(n)
        self.name = f"O({n})"

    def _classes(self, m: int, roots) -> list[ComponentClass]:
        if self.n % 2:
            minus = ComponentClass(HALF, m, roots, "−1·SO(n)")
        else:
            minus = ComponentClass(HALF, m - 1, roots_type_bcd(m - 1, "C"), "reflections")
        return [ComponentClass(HALF, m, roots), minus]

    def _twisted_standard(self) -> list:
        m = self.n // 2
        if self.n % 2:  # −g: every eigenvalue of g negated
            weights = []
            for k in range(m):
                for s in (1, -1):
                    weights.append((tuple(s if i == k else 0 for i in range(m)), HALF))
            return [weights + [((0,) * m, HALF)]]
        weights = []
        for k in range(m - 1):
            for s in (1, -1):
                weights.append((tuple(s if i == k else 0 for i in range(m - 1)), Fraction(0)))
        return [weights + [((0,) * (m - 1), Fraction(0)), ((0,) * (m - 1), HALF)]]

    def _elements_standard(self) -> list[Matrix]:
        n = self.n
        return [_mat([[(-1 if (i == n - 1 or n % 2) else 1) if i == j else 0 for j in range(n)] for i in range(n)])]


def SO2() -> SO:
    return SO(2)


def O2() -> O:
    return O(2)


class SO3(SO):
    """SO(3) with its real irreducibles ``irrep(l)`` on real solid harmonics of degree l
    (ordered m = −l … l like e3nn; rational, orthogonal, not normalised).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SO3().irrep(2))
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self) -> None:
        super().__init__(3)

    def irrep(self, l: int) -> CompactRepresentation:
        lie, basis, cartan = so3_irrep_data(l)
        base = _defining(3, lambda m: _orthogonal(m, True))
        return _representation(self, lie, [], basis, cartan, [], str(l), lambda g: rotation_action(base(g), l))


class O3(O):
    """O(3) = SO(3) × {±1} with e3nn's irreps ``"1o"`` (vectors), ``"1e"`` (pseudovectors), …:
    −1 acts on ``"lp"`` by the parity p.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(O3().irrep("1o") + O3().irrep("1e"))
        1/((1 - t^2)^2(1 - t^4))
    """

    def __init__(self) -> None:
        super().__init__(3)

    def irrep(self, label: Any) -> CompactRepresentation:
        text = str(label)
        if len(text) < 2 or text[-1] not in "eo" or not text[:-1].isdigit():
            raise InputError(f"O(3) irreps are labelled like '0e', '1o', '2e' (degree and parity e/o), got {label!r}")
        l, parity = int(text[:-1]), (1 if text[-1] == "e" else -1)
        lie, basis, cartan = so3_irrep_data(l)
        n = 2 * l + 1
        minus = _mat([[parity if i == j else 0 for j in range(n)] for i in range(n)])
        twisted = [[((m,), Fraction(0) if parity == 1 else HALF) for m in range(-l, l + 1)]]
        base = _defining(3, lambda m: _orthogonal(m, False))

        def element_map(g: Any) -> Matrix:
            m = base(g)
            if m.q.det() == 1:
                return rotation_action(m, l)
            return rotation_action(-m, l).scale(QQ.parse(parity))  # g = −R: −1 acts by the parity

        return _representation(self, lie, [minus], basis, cartan, twisted, text, element_map)


# -- unitary groups -------------------------------------------------------------------------
class U(CompactGroup):
    """U(n) (``unitary=True``) or SU(n) on C^n, its dual and adjoint; Lie algebra gl_n / sl_n.

    Example:
        >>> from invariants import molien_series
        >>> G = SU(3)
        >>> molien_series(G.adjoint())
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self, n: int, special: bool = False):
        if n < 1 or (special and n < 2):
            raise InputError("U(n) needs n >= 1 and SU(n) needs n >= 2")
        self.n, self.special = n, special
        rank = n - 1 if special else n
        roots = tuple(self._torus_weight(i, j) for i, j in itertools.combinations(range(n), 2))
        super().__init__(f"{'SU' if special else 'U'}({n})", [ComponentClass(Fraction(1), rank, roots)],
                         ("SU" if special else "U", n), n * n - (1 if special else 0))

    def _coordinate(self, i: int) -> tuple[int, ...]:
        """The torus weight of e_i (for SU(n), e_n = −(e_1 + … + e_{n−1}))."""
        if not self.special:
            return tuple(1 if k == i else 0 for k in range(self.n))
        if i == self.n - 1:
            return (-1,) * (self.n - 1)
        return tuple(1 if k == i else 0 for k in range(self.n - 1))

    def _torus_weight(self, i: int, j: int) -> tuple[int, ...]:
        return tuple(a - b for a, b in zip(self._coordinate(i), self._coordinate(j)))

    def _lie(self) -> list[Matrix]:
        n = self.n
        off = [_mat(_unit(n, i, j)) for i in range(n) for j in range(n) if i != j]
        if self.special:
            diag = [_mat(_unit(n, k, k)) - _mat(_unit(n, k + 1, k + 1)) for k in range(n - 1)]
        else:
            diag = [_mat(_unit(n, k, k)) for k in range(n)]
        return off + diag

    def _cartan(self) -> list[Matrix]:
        n = self.n
        if self.special:
            return [_mat(_unit(n, k, k)) - _mat(_unit(n, n - 1, n - 1)) for k in range(n - 1)]
        return [_mat(_unit(n, k, k)) for k in range(n)]

    def _check(self, m: Matrix) -> None:
        det = m.q.det()
        _require(det != 0, "the matrix is singular")
        if self.special:
            _require(det == 1, f"an element of SU({self.n}) (here SL({self.n})) has determinant 1")

    def fundamental(self) -> CompactRepresentation:
        return _representation(self, self._lie(), [], Matrix.identity(self.n), self._cartan(), [], str(self.n),
                               _defining(self.n, self._check))

    def antifundamental(self) -> CompactRepresentation:
        rep = self.fundamental().dual()
        rep.name = f"{self.n}*"
        return rep

    def adjoint(self) -> CompactRepresentation:
        """The Lie algebra (sl_n for SU(n), gl_n for U(n)) under X ↦ [g, X]."""
        basis = self._lie()
        flat = [sum(b.entries(), []) for b in basis]  # coordinates of each basis matrix
        coords = Matrix.from_coeffs([list(col) for col in zip(*flat)], QQ)  # n² × dim
        dim = len(basis)

        def ad(x: Matrix) -> Matrix:
            images = [sum((x @ b - b @ x).entries(), []) for b in basis]
            return _solve_columns(coords, images, dim)

        lie = [ad(x) for x in basis]
        cartan = [ad(h) for h in self._cartan()]
        base = _defining(self.n, self._check)

        def element_map(g: Any) -> Matrix:
            m = base(g)
            inv = m.inverse()
            return _solve_columns(coords, [sum((m @ b @ inv).entries(), []) for b in basis], dim)

        return _representation(self, lie, [], Matrix.identity(dim), cartan, [], "adjoint", element_map)


def SU(n: int) -> U:
    return U(n, special=True)


def _solve_columns(coords: Matrix, images: list, dim: int) -> Matrix:
    """The matrix A with coords · A[:, j] = images[j] (coords has independent columns)."""
    from flint import fmpq_mat

    c = coords.q
    ct = c.transpose()
    gram_inv = (ct * c).inv()
    cols = []
    for img in images:
        v = fmpq_mat(len(img), 1, [x[0] for x in img])
        sol = gram_inv * (ct * v)
        if c * sol != v:
            raise AssertionError("the commutator left the Lie algebra")  # pragma: no cover
        cols.append([sol[i, 0] for i in range(dim)])
    return Matrix.from_coeffs([[(cols[j][i],) for j in range(dim)] for i in range(dim)], QQ)


# -- the Lorentz group -------------------------------------------------------------------
class Lorentz(CompactGroup):
    """SO⁺(1,3) on four-vectors (t, x, y, z), metric diag(1, −1, −1, −1).

    Its invariants are those of the complexification SO(4, C); the Hilbert series is the
    Molien–Weyl integral over the compact form SO(4) (roots of type D_2).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(Lorentz().vectors(2))
        1/(1 - t^2)^3
    """

    def __init__(self) -> None:
        super().__init__("SO+(1,3)", [ComponentClass(Fraction(1), 2, roots_type_bcd(2, "D"))], ("Lorentz",), 6)

    def vector(self) -> CompactRepresentation:
        rotations = [_rotation_generator(4, i, j) for i, j in ((2, 3), (3, 1), (1, 2))]
        boosts = [_mat([[1 if {a, b} == {0, i} else 0 for b in range(4)] for a in range(4)]) for i in (1, 2, 3)]
        basis = _mat([["0", "1", "I", "0"], ["0", "1", "-I", "0"], ["1", "0", "0", "1"], ["1", "0", "0", "-1"]], QQI)
        cartan = [rotations[2].change_field(QQI).scale(QQI.parse("-I")), boosts[2].change_field(QQI)]
        eta = _mat([[1 if i == j == 0 else (-1 if i == j else 0) for j in range(4)] for i in range(4)])

        def check(m: Matrix) -> None:
            _require(m.transpose() @ eta @ m == eta, "the matrix does not preserve the metric diag(1, -1, -1, -1)")
            _require(m.q.det() == 1, "the matrix has determinant -1: not in SO+(1,3)")

        return _representation(self, rotations + boosts, [], basis, cartan, [], "four-vector", _defining(4, check))

    def vectors(self, k: int) -> CompactRepresentation:
        return k * self.vector()
