"""The compact groups molien knows, with their representations in exact coordinates.

All representation matrices are rational (the Lie algebra is given complexified where the group
is complex: tori, SU(2) on binary forms, U(n), SU(n)); weight coordinates are over QQ or QQ(i).
Weights are never typed in by hand: they are read off P H P⁻¹.  Each group lists its Lie algebra
in one basis, and every representation of it gives that basis's matrices, so ``SO(3).vector()``
and ``SO3().irrep(1)`` (two coordinate systems for one representation) can be added.

Spec labels (the ``ITEM`` of ``GROUP:ITEM+ITEM``): ``v`` is the defining representation of every
matrix group, ``0`` the trivial one; SO(3) ``0, 1, 2, …``; O(3) ``0e, 1o, …``; U(1)^k integer
weights (``(1,-1)`` for k > 1); SU(2) spins ``1/2, 1, 3/2, …``; U(n)/SU(n) ``n, n*, adj``.
"""
from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction
from typing import Any, Callable, Sequence

from invariants.errors import InputError, TooLargeError, check_int
from invariants.fields import QQ, quadratic_field
from invariants.groups.base import AtomSpec, ClassicalCovariants, ClassicalGenerators, ComponentClass
from invariants.groups.compact.group import HALF, CompactGroup, roots_type_bcd
from invariants.groups.compact.harmonics import rotation_action, so3_irrep_data
from invariants.groups.representation import Representation, WeightData, check_dimension, weights_from_cartan
from invariants.linalg.matrix import Matrix, set_entry
from invariants.polynomials.ring import PolynomialRing, determinant
from invariants.series.hilbert import HilbertSeries

QQI = quadratic_field(-1)


def _mat(rows: Any, field=QQ) -> Matrix:
    return Matrix.from_entries(rows, field)


def _unit(n: int, i: int, j: int) -> Matrix:
    """E_ij over QQ, set directly: parsing n² entries for each of the n(n-1) units of so(n) took a minute at n = 60."""
    q = QQ.prime_matrix(n, n)
    set_entry(q, QQ, i, j, QQ.one)
    return Matrix(QQ, n, n, q)


def _rotation_generator(n: int, i: int, j: int) -> Matrix:
    """E_ji − E_ij: the infinitesimal rotation turning e_i towards e_j."""
    return _unit(n, j, i) - _unit(n, i, j)


def atom(group: CompactGroup, label: str, lie: Sequence[Matrix], elements: Sequence[Matrix], basis: Matrix,
         cartan: Sequence[Matrix], twisted: Sequence[Sequence], element_map: Callable[[Any], Matrix] | None) -> Representation:
    """A basic representation: its Lie algebra and component matrices, weight basis and Cartan
    elements (the weights are read off), and the eigenvalues on the twisted tori of the other classes."""
    weights = weights_from_cartan(basis, cartan)
    identity = tuple((w, Fraction(0)) for w in weights)
    torus = WeightData(basis, tuple(cartan), (identity,) + tuple(tuple(t) for t in twisted))
    if len(torus.class_weights) != len(group.classes):
        raise AssertionError(f"{len(torus.class_weights)} weight lists for {len(group.classes)} classes")  # pragma: no cover
    return Representation.make(group, elements, lie, dim=basis.nrows, field=QQ, text=label, torus=torus,
                               element_map=element_map)


def trivial(group: CompactGroup) -> Representation:
    """The one-dimensional trivial representation ``0``."""
    zero = Matrix.zeros(1, 1)
    rank = group.rank
    return atom(group, "0", [zero] * group.lie_dimension, [Matrix.identity(1)] * group.discrete_generators,
                Matrix.identity(1), [zero] * rank,
                [[((0,) * c.rank, Fraction(0))] for c in group.classes[1:]], lambda g: Matrix.identity(1))


def _defining(n: int, check: Callable[[Matrix], None]) -> Callable[[Any], Matrix]:
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
    _require(m.transpose() @ m == Matrix.identity(m.nrows, m.field), "the matrix is not orthogonal (g^T g != 1)")
    if special:
        _require(m.q.det() == 1, "the matrix has determinant -1: not in SO(n)")


def _int_label(label: Any, what: str) -> int:
    text = str(label).strip()
    if not re.fullmatch(r"[0-9]{1,6}", text):
        raise InputError(f"{what} are labelled by integers 0, 1, 2, … (at most 6 digits), got {label!r}")
    return int(text)


# -- tori ---------------------------------------------------------------------------------------
class Torus(CompactGroup):
    """U(1)^k acting diagonally on C^n with integer weights.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(Torus(1).rep([1, 1, -1, -1]))
        (1 + t^2)/(1 - t^2)^3
    """

    def __init__(self, k: int = 1):
        check_int(k, "a torus's rank k", 1)
        name = "U(1)" if k == 1 else f"U(1)^{k}"
        super().__init__(name, [ComponentClass(Fraction(1), k, ())], ("torus", k), k)
        self.k = k

    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"-?[0-9]+" if self.k == 1 else r"\(-?[0-9]+(?:,-?[0-9]+)*\)",
                        "integer weights, e.g. 1, -2" if self.k == 1 else f"weight vectors of length {self.k}, e.g. "
                        + "(" + ",".join(["1"] * self.k) + ")")

    def atom(self, label: Any) -> Representation:
        if isinstance(label, str):
            text = label.replace(" ", "")
            if not re.fullmatch(self.atoms.pattern, text):
                raise InputError(f"{self.name} weights are {self.atoms.examples}, got {label!r}")
            label = [int(x) for x in text.strip("()").split(",")]
        return self.rep([label if self.k > 1 else (label[0] if isinstance(label, list) else label)])

    def rep(self, weights: Sequence[Any]) -> Representation:
        """C^n with the given integer weights (one per coordinate)."""
        rows = [(w,) if isinstance(w, int) and not isinstance(w, bool) else tuple(w) for w in weights]
        if not rows or any(len(r) != self.k or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
                           for r in rows):
            raise InputError(f"give one integer weight vector of length {self.k} per coordinate, e.g. "
                             f"{[[1] * self.k, [-1] * self.k]}")
        largest = max(abs(x) for r in rows for x in r)
        if largest > MAX_WEIGHT:
            raise TooLargeError(f"a torus weight {largest:,} is above MAX_WEIGHT = {MAX_WEIGHT:,} (Molien–Weyl works with "
                                "polynomials of that degree); raise invariants.groups.compact.catalogue.MAX_WEIGHT "
                                "to try", estimate=largest, option="invariants.groups.compact.catalogue.MAX_WEIGHT")
        reps = []
        for r in rows:
            h = [_mat([[r[c]]]) for c in range(self.k)]
            text = str(r[0]) if self.k == 1 else "(" + ",".join(map(str, r)) + ")"

            def element_map(z: Any, r=r) -> Matrix:
                zs = [z] if self.k == 1 and not isinstance(z, (list, tuple)) else list(z)
                _require(len(zs) == self.k and all(x != 0 for x in zs), f"a torus element is {self.k} non-zero numbers")
                values = [Fraction(str(x)) for x in zs]
                return Matrix.from_coeffs([[QQ.parse(math.prod(x ** e for x, e in zip(values, r)))]], QQ)

            reps.append(atom(self, text, h, [], Matrix.identity(1), h, [], element_map))
        out = reps[0]
        for r in reps[1:]:
            out = out + r
        return out


def U1() -> Torus:
    """The circle group U(1)."""
    return Torus(1)


# -- SU(2) on binary forms ---------------------------------------------------------------------------
class SU2(CompactGroup):
    """SU(2) (equivalently SL(2, C)): spin j acts on binary forms of degree 2j.

    Coordinates are the coefficients a_k of f = Σ_k a_k u^{d−k} v^k.  Lie basis (e, f, h).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SU2().binary_forms(4))
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self) -> None:
        super().__init__("SU(2)", [ComponentClass(Fraction(1), 1, ((2,),))], ("SU2",), 3)

    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"[0-9]+(?:/2)?", "spins 0, 1/2, 1, 3/2, …")

    def atom(self, label: Any) -> Representation:
        return self.spin(label)

    def binary_forms(self, d: int) -> Representation:
        check_int(d, "the degree d of binary forms", 0)
        n = check_dimension(d + 1, f"SU(2) on binary forms of degree {d:,}", matrices=3)
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
        label = str(Fraction(d, 2))
        return atom(self, label, lie, [], Matrix.identity(n), [lie[2]], [],
                    lambda g: _binary_form_action(base(g), d))

    def spin(self, j: Any) -> Representation:
        text = str(j).strip()
        if not re.fullmatch(r"[0-9]{1,6}(?:/2)?", text):
            raise InputError(f"SU(2) spins are non-negative half-integers such as 1/2, 1 or 3/2, got {j!r}")
        return self.binary_forms(int(Fraction(text) * 2))

    def fundamental(self) -> Representation:
        return self.binary_forms(1)


def _binary_form_action(g: Matrix, d: int) -> Matrix:
    """f ↦ f((u, v)·g) on the coefficients of f = Σ_k a_k u^{d−k} v^k (so exp(t e) ↦ exp(t E))."""
    ring = PolynomialRing(g.field, 2)
    (p, q), (r, s) = g.entries()
    new_u = ring.linear_form([p, r])  # (u, v)·g = (p u + r v, q u + s v)
    new_v = ring.linear_form([q, s])
    cols = []
    for k in range(d + 1):
        image = ring.reduce(ring.power(new_u, d - k) * ring.power(new_v, k))
        coeffs = ring.coefficients(image)
        cols.append([coeffs.get((d - j, j), g.field.zero) for j in range(d + 1)])
    return Matrix.from_coeffs([[cols[k][j] for k in range(d + 1)] for j in range(d + 1)], g.field)


# -- orthogonal groups -----------------------------------------------------------------------------
def _standard_orthogonal(n: int):
    """so(n) on R^n: the Lie basis (E_ji − E_ij for i < j), a weight basis over QQ(i)
    (x_{2k} ± i x_{2k+1}) and the Cartan elements −i·(E_{2k+1,2k} − E_{2k,2k+1})."""
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


MAX_WEIGHT = 10_000  # |weight| of a torus representation: residues work with polynomials of this degree

class MatrixLieGroup(CompactGroup):
    """A group of matrices: ``v`` is its defining representation (`vector`), ``0`` the trivial one."""

    def atom(self, label: Any) -> Representation:
        text = str(label).strip()
        if text in ("v", "vector"):
            return self.vector()
        if text == "0":
            return trivial(self)
        return super().atom(label)

    def vector(self) -> Representation:
        raise NotImplementedError  # pragma: no cover - every subclass has one

    def vectors(self, k: int) -> Representation:
        """k copies of the defining representation."""
        return k * self.vector()

    def _check_size(self, label: str) -> None:
        """Refuse before building a Lie algebra basis too large (SO(1000): 499,500 matrices of 10^6 entries)."""
        check_dimension(self.n, f"{self.name}:{label}", self.lie_dimension + self.discrete_generators)


class SO(MatrixLieGroup):
    """SO(n) on R^n (``vector()``), k vectors (``vectors(k)``) and tensors built from them.
    ``SO(3)`` is `SO3`, with its irreducibles.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SO(3).vectors(3))
        (1 + t^3)/(1 - t^2)^6
    """

    special = True

    def __new__(cls, n: int = 3):
        if cls is SO and n == 3:
            return super().__new__(SO3)
        if cls is O and n == 3:
            return super().__new__(O3)
        return super().__new__(cls)

    def __init__(self, n: int):
        check_int(n, f"{'SO' if self.special else 'O'}(n): n", 2)
        self.n = n
        m = n // 2
        roots = roots_type_bcd(m, "B" if n % 2 else "D")
        name = f"{'SO' if self.special else 'O'}({n})"
        super().__init__(name, self._classes(m, roots), ("SO" if self.special else "O", n), n * (n - 1) // 2)

    def _classes(self, m: int, roots) -> list[ComponentClass]:
        return [ComponentClass(Fraction(1), m, roots)]

    def _twisted_standard(self) -> list:
        return []

    def _elements_standard(self) -> list[Matrix]:
        return []

    @property
    def atoms(self) -> AtomSpec:
        if self.n == 2:
            return AtomSpec(r"v|vector|[0-9]+", "v (the vector), 0 (trivial), k = 1, 2, … (the plane turned k times)")
        return AtomSpec(r"v|vector|0", "v (the vector), 0 (trivial)")

    def atom(self, label: Any) -> Representation:
        text = str(label).strip()
        if self.n == 2 and re.fullmatch(r"[0-9]{1,6}", text) and text != "0":
            return self.frequency(int(text))
        return super().atom(label)

    def frequency(self, k: int) -> Representation:
        """SO(2) or O(2) on R² turned k times as fast (spec label ``k``): g ↦ g^k on rotations and
        (g s)^k s on reflections (s = diag(1, −1)); the real irreducibles of frequency k ≥ 1, the
        fields of steerable CNNs (1 is the vector).

        Example:
            >>> from invariants import molien_series
            >>> molien_series(SO(2).frequency(1) + SO(2).frequency(2))
            (1 + t^3)/((1 - t^2)^2(1 - t^3))
        """
        if self.n != 2:
            raise InputError(f"frequency(k) is a representation of SO(2) and O(2), not of {self.name}")
        k = _int_label(k, "frequencies of SO(2) and O(2)")
        if k == 0:
            return trivial(self)
        lie, basis, cartan = _standard_orthogonal(2)
        lie = [m.scale(QQ.from_rational(k)) for m in lie]
        cartan = [c.scale(QQI.from_rational(k)) for c in cartan]
        base = _defining(2, lambda m: _orthogonal(m, self.special))
        mirror = _mat([[1, 0], [0, -1]])

        def element_map(g: Any) -> Matrix:
            m = base(g)
            return m ** k if m.q.det() == 1 else ((m @ mirror) ** k) @ mirror

        return atom(self, str(k), lie, self._elements_standard(), basis, cartan, self._twisted_standard(),
                    element_map)

    def classical_generators(self, rep: Representation, ring: Any) -> ClassicalGenerators | None:
        """The first fundamental theorem (Weyl, *The Classical Groups*, II.A.9): on k vectors (and
        scalars), O(n)'s invariants are generated by the inner products, SO(n)'s by the inner
        products and the n × n determinants; both sets are minimal.  Vectors are summands ``v`` (or
        SO(3)'s ``1``, O(3)'s ``1o``: the coordinates (y, z, x), an even permutation of (x, y, z))."""
        found = self._vectors_and_scalars(rep, ring)
        if found is None:
            return None
        vectors, scalars = found
        zero = ring.ctx.from_dict({})
        polys = list(scalars) + [sum((u * v for u, v in zip(vectors[a], vectors[b])), zero)
                                 for a, b in itertools.combinations_with_replacement(range(len(vectors)), 2)]
        determinants = self.special and len(vectors) >= self.n
        if determinants:
            polys += [determinant([vectors[i] for i in subset], ring)
                      for subset in itertools.combinations(range(len(vectors)), self.n)]
        theorem = (f"first fundamental theorem for {'SO' if self.special else 'O'}(n): the inner products"
                   + (" and the n × n determinants" if determinants else "") + " generate, minimally")
        return ClassicalGenerators(tuple(polys), theorem)

    def classical_series(self, rep: Representation) -> HilbertSeries | None:
        """k vectors and s scalars: the inner products are algebraically independent while k ≤ n
        (their relations are the (n+1)-minors of the Gram matrix: Weyl's second fundamental
        theorem), so K[V]^{O(n)} = K[⟨x_a, x_b⟩, scalars] is free; for SO(n) the same while k < n,
        and at k = n the one determinant d adds d · K[V]^{O(n)} (d² is the Gram determinant).

        Example:
            >>> SO(30).vectors(2).molien_series()
            1/(1 - t^2)^3
        """
        kinds = self._summand_kinds(rep)
        if kinds is None:
            return None
        k = sum(kind == "vector" for kind, _, _ in kinds)
        n, free = self.n, [1] * (len(kinds) - k) + [2] * (k * (k + 1) // 2)
        if k < n or (k == n and not self.special):
            return HilbertSeries.from_degrees(free)
        if k == n:
            return HilbertSeries.from_degrees(free, [1] + [0] * (n - 1) + [1])
        return None

    def _summand_kinds(self, rep: Representation) -> list[tuple[str, int, str]] | None:
        """("vector" or "scalar", first coordinate, label) for each summand, or None when ``rep``
        has another summand."""
        kinds = []
        for start, stop, node in rep.summands():
            label = node[2] if node[0] == "atom" else None
            if label in ("0", "0e") and stop - start == 1:
                kinds.append(("scalar", start, label))
            elif self._is_vector(label):
                kinds.append(("vector", start, label))
            else:
                return None
        return kinds

    def _vectors_and_scalars(self, rep: Representation, ring: Any) -> tuple[list, list] | None:
        """The coordinates of each vector summand (in the standard order x, y, z, …) and the
        trivial summands, or None when ``rep`` has another summand."""
        kinds = self._summand_kinds(rep)
        if kinds is None:
            return None
        vectors = [[ring.gens[start + i] for i in self._standard_order(label)]
                   for kind, start, label in kinds if kind == "vector"]
        return vectors, [ring.gens[start] for kind, start, _ in kinds if kind == "scalar"]

    def _is_vector(self, label: str | None) -> bool:
        """Whether an atom is the defining representation: v, SO(3)'s 1 and O(3)'s 1o, and the
        frequency 1 of SO(2) and O(2) (the same matrices as v)."""
        return label == "v" or (self.n == 3 and label in ("1", "1o")) or (self.n == 2 and label == "1")

    def _standard_order(self, label: str) -> tuple[int, ...]:
        # SO(3)'s 1 and O(3)'s 1o are written (y, z, x): an even permutation of (x, y, z)
        return (2, 0, 1) if self.n == 3 and label != "v" else tuple(range(self.n))

    def classical_covariants(self, V: Representation, W: Representation, ring: Any) -> ClassicalCovariants | None:
        """Equivariant maps from k vectors (and scalars) to the vector, by the first fundamental
        theorem applied to V ⊕ W*: an invariant linear in the new vector y is a sum of products of
        invariants of V with one factor ⟨y, x_i⟩ or, for SO(n), det(y, x_{i_1}, …, x_{i_{n−1}}).  So
        the x_i and, for SO(n), the generalised cross products of n − 1 of them generate; both
        families are minimal (nothing of lower degree, and no even invariant times x_i is odd
        under a reflection as the cross products are)."""
        if V.group != W.group or W.dim != self.n:
            return None
        (summand,) = W.summands() if len(W.summands()) == 1 else (None,)
        label = summand[2][2] if summand is not None and summand[2][0] == "atom" else None
        if not self._is_vector(label):
            return None
        found = self._vectors_and_scalars(V, ring)
        if found is None:
            return None
        vectors = found[0]
        order = self._standard_order(label)
        back = [order.index(j) for j in range(self.n)]  # the standard axis of W's coordinate j
        maps, degrees = [tuple(x[back[j]] for j in range(self.n)) for x in vectors], [1] * len(vectors)
        if self.special and len(vectors) >= self.n - 1:
            units = [[ring.ctx.constant(int(i == a)) for i in range(self.n)] for a in range(self.n)]
            for subset in itertools.combinations(range(len(vectors)), self.n - 1):
                columns = [vectors[i] for i in subset]
                cross = [determinant([units[a], *columns], ring) for a in range(self.n)]
                maps.append(tuple(cross[back[j]] for j in range(self.n)))
                degrees.append(self.n - 1)
        theorem = (f"first fundamental theorem for {'SO' if self.special else 'O'}(n) on V ⊕ W: the vectors"
                   + (" and their generalised cross products" if self.special else "") + " generate, minimally")
        return ClassicalCovariants(tuple(maps), tuple(degrees), theorem)

    def vector(self) -> Representation:
        self._check_size("v")
        lie, basis, cartan = _standard_orthogonal(self.n)
        return atom(self, "v", lie, self._elements_standard(), basis, cartan, self._twisted_standard(),
                    _defining(self.n, lambda m: _orthogonal(m, self.special)))


class O(SO):
    """O(n) = SO(n) ⋊ {1, r}: the reflection component enters the Molien–Weyl sum through its
    twisted torus (type C_{m−1} for n = 2m, −1·SO(n) for n odd).  ``O(3)`` is `O3`.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(O(4).vectors(2))
        1/(1 - t^2)^3
    """

    special = False

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

    @property
    def atoms(self) -> AtomSpec:
        if self.n == 2:
            return AtomSpec(r"v|vector|det|[0-9]+", "v (the vector), 0 (trivial), det, k = 1, 2, … (frequency k)")
        return AtomSpec(r"v|vector|0|det", "v (the vector), 0 (trivial), det (the determinant)")

    def atom(self, label: Any) -> Representation:
        if str(label).strip() == "det":
            return self.vector().ext(self.n)
        return super().atom(label)


def SO2() -> SO:
    return SO(2)


def O2() -> O:
    return O(2)


class SO3(SO):
    """SO(3) with its real irreducibles ``irrep(l)`` on real solid harmonics of degree l (ordered
    m = −l … l like e3nn; rational, orthogonal, not normalised; ``irrep(1)`` is (y, z, x)).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SO3().irrep(2))
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self, n: int = 3) -> None:
        if n != 3:
            raise InputError("SO3() is SO(3)")
        super().__init__(3)

    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"[0-9]+|v|vector", "irreps 0, 1, 2, … (l = 1 in e3nn's order y, z, x) or v (x, y, z)")

    def atom(self, label: Any) -> Representation:
        if str(label).strip() in ("v", "vector"):
            return self.vector()
        return self.irrep(_int_label(label, "SO(3) irreps"))

    def irrep(self, l: int) -> Representation:
        if isinstance(l, str):
            return self.atom(l)
        check_int(l, "an SO(3) irrep's label l", 0)
        lie, basis, cartan = so3_irrep_data(l)
        base = _defining(3, lambda m: _orthogonal(m, True))
        return atom(self, str(l), lie, [], basis, cartan, [], lambda g: rotation_action(base(g), l))


class O3(O):
    """O(3) = SO(3) × {±1} with e3nn's irreps ``"1o"`` (vectors), ``"1e"`` (pseudovectors), …:
    −1 acts on ``"lp"`` by the parity p.  Like e3nn's, ``"1o"`` and ``"1e"`` list their coordinates
    in the order y, z, x (real spherical harmonics m = −1, 0, 1); for data in x, y, z write ``"v"``
    (a vector) and ``"v*det"`` (a pseudovector such as a cross product).

    Example:
        >>> from invariants import molien_series
        >>> molien_series(O3().irrep("1o") + O3().irrep("1e"))
        1/((1 - t^2)^2(1 - t^4))
    """

    def __init__(self, n: int = 3) -> None:
        if n != 3:
            raise InputError("O3() is O(3)")
        super().__init__(3)

    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"[0-9]+[eo]|v|vector|det|0", "irreps 0e, 1o, 1e, 2e, … (degree and parity), v or 0")

    def atom(self, label: Any) -> Representation:
        if str(label).strip() in ("v", "vector", "det", "0"):
            return super().atom(label)
        return self.irrep(label)

    def irrep(self, label: Any) -> Representation:
        text = str(label).strip()
        if not re.fullmatch(r"[0-9]{1,6}[eo]", text):
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

        return atom(self, text, lie, [minus], basis, cartan, twisted, element_map)


# -- unitary groups ------------------------------------------------------------------------------------
class U(MatrixLieGroup):
    """U(n) (or SU(n) with ``special=True``) on C^n, its dual and adjoint; Lie algebra gl_n / sl_n.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(SU(3).adjoint())
        1/((1 - t^2)(1 - t^3))
    """

    def __init__(self, n: int, special: bool = False):
        check_int(n, f"{'SU' if special else 'U'}(n): n", 2 if special else 1)
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
        off = [_unit(n, i, j) for i in range(n) for j in range(n) if i != j]
        if self.special:
            diag = [_unit(n, k, k) - _unit(n, k + 1, k + 1) for k in range(n - 1)]
        else:
            diag = [_unit(n, k, k) for k in range(n)]
        return off + diag

    def _cartan(self) -> list[Matrix]:
        n = self.n
        if self.special:
            return [_unit(n, k, k) - _unit(n, n - 1, n - 1) for k in range(n - 1)]
        return [_unit(n, k, k) for k in range(n)]

    def classical_series(self, rep: Representation) -> HilbertSeries | None:
        """k copies of C^n, l of its dual and s trivial lines: GL(n)'s invariants are generated by the
        pairings ⟨x_a, y_b⟩ (first fundamental theorem), algebraically independent while
        min(k, l) ≤ n (their relations are (n+1)-minors: the second), so K[V]^{U(n)} is free on
        k·l quadrics and the lines.  SU(n) adds the n × n determinants of the x's and of the y's:
        none while k, l < n; with l = 0 and k = n the single one of degree n.

        Example:
            >>> U(40).atom("40").molien_series(), SU(12).vectors(12).molien_series()
            (1, 1/(1 - t^12))
        """
        counts = {"x": 0, "y": 0, "1": 0}
        fundamental, dual = ("atom", self.n, str(self.n)), ("dual", self.n, ("atom", self.n, str(self.n)))
        for start, stop, node in rep.summands():
            kind = "x" if node == fundamental else "y" if node == dual else "1" if node[0] == "atom" and \
                node[2] == "0" and stop - start == 1 else None
            if kind is None:
                return None
            counts[kind] += 1
        k, l, n = counts["x"], counts["y"], self.n
        free = [1] * counts["1"] + [2] * (k * l)
        if self.special and max(k, l) >= n:
            return HilbertSeries.from_degrees(free + [n]) if {k, l} == {0, n} else None
        return HilbertSeries.from_degrees(free) if min(k, l) <= n else None

    def _check(self, m: Matrix) -> None:
        det = m.q.det()
        _require(det != 0, "the matrix is singular")
        if self.special:
            _require(det == 1, f"an element of SU({self.n}) (here SL({self.n})) has determinant 1")

    @property
    def atoms(self) -> AtomSpec:
        n = self.n
        return AtomSpec(rf"{n}\*?|{n * n - int(self.special)}|adj|adjoint|v|0",
                        f"{n} (fundamental), {n}* (its dual), adj or {n * n - int(self.special)} (adjoint), 0")

    def atom(self, label: Any) -> Representation:
        text = str(label).strip()
        if text == str(self.n):
            return self.fundamental()
        if text == f"{self.n}*":
            return self.antifundamental()
        if text in ("adj", "adjoint", str(self.n * self.n - (1 if self.special else 0))):
            return self.adjoint()
        return super().atom(label)

    def vector(self) -> Representation:
        return self.fundamental()

    def fundamental(self) -> Representation:
        self._check_size(str(self.n))
        return atom(self, str(self.n), self._lie(), [], Matrix.identity(self.n), self._cartan(), [],
                    _defining(self.n, self._check))

    def antifundamental(self) -> Representation:
        rep = self.fundamental().dual()
        rep._text = f"{self.n}*"
        return rep

    def adjoint(self) -> Representation:
        """The Lie algebra (sl_n for SU(n), gl_n for U(n)) under X ↦ [g, X]."""
        basis = self._lie()
        flat = [sum(b.entries(), []) for b in basis]  # coordinates of each basis matrix
        coords = Matrix.from_coeffs([list(col) for col in zip(*flat)], QQ)  # n² × dim
        dim = len(basis)

        def ad(x: Matrix) -> Matrix:
            return _solve_columns(coords, [sum((x @ b - b @ x).entries(), []) for b in basis], dim)

        base = _defining(self.n, self._check)

        def element_map(g: Any) -> Matrix:
            m = base(g)
            inv = m.inverse()
            return _solve_columns(coords, [sum((m @ b @ inv).entries(), []) for b in basis], dim)

        return atom(self, "adj", [ad(x) for x in basis], [], Matrix.identity(dim), [ad(h) for h in self._cartan()],
                    [], element_map)


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


# -- the Lorentz group -----------------------------------------------------------------------------
class Lorentz(MatrixLieGroup):
    """SO⁺(1,3) on four-vectors (t, x, y, z), metric diag(1, −1, −1, −1); with ``full=True`` the
    whole Lorentz group O(1,3) (parity and time reversal too).

    Not compact: polynomial invariants are those of the Zariski closure — SO(4, C) for SO⁺(1,3),
    O(4, C) for O(1,3), with parity P = diag(1, −1, −1, −1) in the component of determinant −1 —
    whose compact form SO(4) (roots D_2) or O(4) gives the Hilbert series by the Molien–Weyl
    integral.

    Example:
        >>> from invariants import molien_series
        >>> molien_series(Lorentz().vectors(2)), molien_series(Lorentz(full=True).vectors(4))
        (1/(1 - t^2)^3, 1/(1 - t^2)^10)
    """

    compact = False

    def __init__(self, full: bool = False) -> None:
        self.full = bool(full)
        identity = ComponentClass(HALF if self.full else Fraction(1), 2, roots_type_bcd(2, "D"))
        classes = [identity] + ([ComponentClass(HALF, 1, roots_type_bcd(1, "C"), "det = -1")] if self.full else [])
        name = "O(1,3)" if self.full else "SO+(1,3)"
        super().__init__(name, classes, ("Lorentz", self.full), 6)

    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"v|vector|0", "v (the four-vector), 0 (trivial)")

    def vector(self) -> Representation:
        rotations = [_rotation_generator(4, i, j) for i, j in ((2, 3), (3, 1), (1, 2))]
        boosts = [_mat([[1 if {a, b} == {0, i} else 0 for b in range(4)] for a in range(4)]) for i in (1, 2, 3)]
        basis = _mat([["0", "1", "I", "0"], ["0", "1", "-I", "0"], ["1", "0", "0", "1"], ["1", "0", "0", "-1"]], QQI)
        cartan = [rotations[2].change_field(QQI).scale(QQI.parse("-I")), boosts[2].change_field(QQI)]
        eta = _mat([[1 if i == j == 0 else (-1 if i == j else 0) for j in range(4)] for i in range(4)])
        # the component of det −1 of O(4, C): an element of its twisted torus has eigenvalues z, 1/z, 1, −1
        twisted = [[((1,), Fraction(0)), ((-1,), Fraction(0)), ((0,), Fraction(0)), ((0,), HALF)]] if self.full else []
        parity = [_mat([[1 if i == j == 0 else (-1 if i == j else 0) for j in range(4)] for i in range(4)])]

        def check(m: Matrix) -> None:
            _require(m.transpose() @ eta @ m == eta, "the matrix does not preserve the metric diag(1, -1, -1, -1)")
            if not self.full:
                _require(m.q.det() == 1 and m[0, 0][0] > 0, "the matrix is not in SO+(1,3) (det 1, time-preserving)")

        return atom(self, "v", rotations + boosts, parity if self.full else [], basis, cartan, twisted, _defining(4, check))
