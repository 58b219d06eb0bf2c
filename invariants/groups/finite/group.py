"""Finite matrix groups given by generators.

The group acts faithfully on the finite orbit of the standard basis; every group-theoretic
question (order, membership, elements, conjugacy classes) is answered on that permutation
action by `permgroup`, and translated back to exact matrices.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from math import lcm
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
from flint import fmpq, fmpq_mat, fmpz_poly

from invariants.errors import InputError, MolienError, NotFiniteError, ShapeError, TooLargeError
from invariants.fields import QQ, NumberField, parse_field
from invariants.linalg.matrix import Matrix, as_matrices
from invariants.groups.finite.permgroup import PermClass, StabilizerChain, conjugacy_classes, perm_order

DEFAULT_MAX_ORBIT = 200_000
DEFAULT_MAX_ELEMENTS = 2_000_000


def matrix_order(m: Matrix) -> int | None:
    """The multiplicative order of an invertible matrix, or None if it is infinite.

    Finite order ⇔ the minimal polynomial of the rational regular representation is
    squarefree with cyclotomic factors; the order is the lcm of their indices.
    """
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


def _basis_vector(i: int, n: int, k: int) -> tuple:
    v = [fmpq(0)] * (k * n)
    v[i * k] = fmpq(1)
    return tuple(v)


def _spanning_subset(points: Sequence[tuple], field: NumberField, n: int) -> list[tuple]:
    chosen: list[tuple] = []
    for p in points:
        if Matrix.from_columns(chosen + [p], field).rank() > len(chosen):
            chosen.append(p)
            if len(chosen) == n:
                break
    return chosen


class _Stop(Exception):
    pass


def _stop() -> None:
    raise _Stop


def vector_key(v: Sequence[fmpq]) -> tuple[int, ...]:
    """A cheap exact hash key (fmpq is canonical, so numerators and denominators identify it)."""
    return tuple([int(x.p) for x in v] + [int(x.q) for x in v])


class VectorOrbit:
    """The orbit of exact vectors (tuples of rationals) under rational matrices, breadth first,
    with the permutation each matrix induces on it.

    ``on_overflow`` is called (and must raise) when the orbit exceeds ``max_size`` points.
    """

    def __init__(self, mats: Sequence[fmpq_mat], start: Sequence[tuple], max_size: int,
                 on_overflow: Callable[[], None]):
        dim = mats[0].nrows()
        self.points: list[tuple] = []
        self.index: dict[tuple, int] = {}
        self._images: list[dict[int, int]] = [dict() for _ in mats]
        for v in start:
            self._add(tuple(v))
        frontier = list(range(len(self.points)))
        while frontier:
            width = len(frontier)
            cols = fmpq_mat(dim, width, [self.points[p][i] for i in range(dim) for p in frontier])
            first_new = len(self.points)
            for gi, gq in enumerate(mats):
                ent = (gq * cols).entries()
                images = self._images[gi]
                for j, p in enumerate(frontier):
                    images[p] = self._add(tuple(ent[j::width]))
            if len(self.points) > max_size:
                on_overflow()
            frontier = list(range(first_new, len(self.points)))

    def _add(self, vec: tuple) -> int:
        key = vector_key(vec)
        pos = self.index.get(key)
        if pos is None:
            pos = len(self.points)
            self.index[key] = pos
            self.points.append(vec)
        return pos

    def find(self, vec: tuple) -> int | None:
        """Position of an exact vector in the orbit, or None."""
        return self.index.get(vector_key(vec))

    def permutations(self) -> list[tuple[int, ...]]:
        return [tuple(img[p] for p in range(len(self.points))) for img in self._images]


@dataclass(frozen=True)
class ConjugacyClass:
    """A conjugacy class of a `MatrixGroup`: a representative, its size and element order."""

    representative: Matrix
    size: int
    order: int


class MatrixGroup:
    """A finite group of invertible matrices over a number field, from generators.

    Entries may be ints, Fractions, sympy numbers or strings (``"(1+sqrt(5))/4"``); a float
    is an error unless ``tolerance`` is given.  Generators of infinite order, and sets
    whose generated group is infinite or larger than the guards, are refused.

    Example:
        >>> G = MatrixGroup([[[0, -1], [1, 0]]], name="C4")
        >>> G.order()
        4
        >>> [[0, 1], [-1, 0]] in G
        True
    """

    def __init__(self, generators: Iterable[Any], field: NumberField | str | None = None, *,
                 tolerance: float | None = None, name: str | None = None,
                 max_orbit: int = DEFAULT_MAX_ORBIT, orbit_seeds: str = "auto"):
        gens = list(generators)
        if field is None:
            field = next((g.field for g in gens if isinstance(g, Matrix)), QQ)
        self.field: NumberField = parse_field(field)
        self.generators: list[Matrix] = as_matrices(gens, self.field, tolerance)
        self.field = self.generators[0].field
        self.degree: int = self.generators[0].nrows
        self.name = name or f"MatrixGroup(<{len(self.generators)} generators of degree {self.degree} over {self.field}>)"
        self.max_orbit = max_orbit
        self._orbit_seeds = orbit_seeds
        for idx, g in enumerate(self.generators):
            if matrix_order(g) is None:
                raise NotFiniteError(
                    f"generator {idx} has infinite order (it is not diagonalisable with root-of-unity "
                    "eigenvalues), so the group is infinite; molien's finite-group engine needs a finite group "
                    "(for compact groups use the continuous-group catalogue)")
        self._check_pair_products()
        self._build_orbit()

    # -- the faithful permutation action ----------------------------------------
    def _build_orbit(self) -> None:
        """Choose a small faithful permutation action: the union of the smallest orbits of
        candidate vectors (basis vectors, and the image of g − 1 for each generator — the
        roots, for reflections) that together span the space."""
        k, n = self.field.degree, self.degree
        mats = [g.q for g in self.generators]
        candidates = [_basis_vector(i, n, k) for i in range(n)]
        if self._orbit_seeds == "auto":
            ident = Matrix.identity(n, self.field)
            for g in self.generators:
                diff = g - ident
                if diff.rank() != 1:
                    continue  # only pseudo-reflections have a root worth trying
                col = diff.column_vector_nonzero()
                if col is not None and col not in candidates:
                    candidates.append(col)
        seeds: list[tuple] = candidates[:n]
        spanning: list[tuple] = candidates[:n]
        if self._orbit_seeds == "auto" and len(candidates) > n:
            sized = []
            cap = self.max_orbit
            for v in candidates[n:] + candidates[:n]:  # generator roots first: often the smallest
                try:
                    points = VectorOrbit(mats, [v], cap, _stop).points
                except _Stop:
                    continue
                sized.append(points)
                if len(points) < cap and len(_spanning_subset(points, self.field, n)) == n:
                    cap = len(points)  # a larger orbit can no longer help
            sized.sort(key=len)
            seeds, spanning = [], []
            for points in sized:
                extra = _spanning_subset(spanning + list(points), self.field, n)[len(spanning):]
                if extra:
                    spanning += extra
                    seeds.append(points[0])
                if len(spanning) == n:
                    break
            if len(spanning) < n:  # pragma: no cover - the basis vectors always span
                seeds, spanning = candidates[:n], candidates[:n]
        orbit = VectorOrbit(mats, seeds, self.max_orbit, self._refuse_large_orbit)
        self._basis_points = [orbit.find(v) for v in spanning]
        self._basis_inverse = Matrix.from_columns(spanning, self.field).inverse()
        self._points = orbit.points
        self._orbit = orbit
        self.perm_generators = orbit.permutations()

    def _check_pair_products(self) -> None:
        """A cheap certificate of infiniteness: a product of two generators of infinite order."""
        for i, a in enumerate(self.generators):
            for j, b in enumerate(self.generators):
                if i < j and matrix_order(a @ b) is None:
                    raise NotFiniteError(
                        f"the generators do not generate a finite group: the product of generators {i} and {j} "
                        "has infinite order")

    def _refuse_large_orbit(self) -> None:
        raise TooLargeError(
            f"the orbit of the basis vectors has more than max_orbit={self.max_orbit} vectors: the group is "
            f"infinite or very large. If you know it is finite, pass max_orbit=<larger number>",
            estimate=self.max_orbit, option="max_orbit")

    @functools.cached_property
    def chain(self) -> StabilizerChain:
        return StabilizerChain(self.perm_generators, len(self._points))

    # -- basic questions --------------------------------------------------------
    def order(self) -> int:
        """|G|, exactly (Schreier–Sims on the orbit of the basis)."""
        return self.chain.order()

    def __len__(self) -> int:
        return self.order()

    def __repr__(self) -> str:
        return self.name

    def _repr_latex_(self) -> str:
        return rf"$\text{{{self.name}}},\ |G| = {self.order()}$"

    def to_perm(self, m: Matrix) -> tuple | None:
        """The permutation of the basis orbit induced by ``m``, or None if m does not preserve it."""
        try:
            images = self.to_perm_partial(m, range(len(self._points)))
        except InputError:
            return None
        return tuple(images[p] for p in range(len(self._points)))

    def to_perm_partial(self, m: Matrix, points: Sequence[int]) -> dict[int, int]:
        """Images under ``m`` of the given orbit points (``m`` need only preserve those)."""
        k = self.field.degree
        cols = fmpq_mat(k * self.degree, len(points))
        for j, p in enumerate(points):
            for i, v in enumerate(self._points[p]):
                if v != 0:
                    cols[i, j] = v
        img = m.q * cols
        ent = img.entries()
        ncols = img.ncols()
        out = {}
        for j, p in enumerate(points):
            pos = self._orbit.find(tuple(ent[j::ncols]))
            if pos is None:
                raise InputError("the matrix does not map the group's orbit to itself: not a group element")
            out[p] = pos
        return out

    def element_from_perm(self, perm: Sequence[int]) -> Matrix:
        """The matrix of a group element from its permutation of the orbit: g = [g b_j] · B^-1
        for the spanning orbit vectors b_j."""
        k, n = self.field.degree, self.degree
        cols = [self._points[perm[b]] for b in self._basis_points]
        return Matrix.from_columns(cols, self.field) @ self._basis_inverse

    def __contains__(self, m: Any) -> bool:
        """Exact membership test."""
        try:
            mat = m if isinstance(m, Matrix) else Matrix.from_entries(m, self.field)
        except InputError:
            return False
        if mat.shape != (self.degree, self.degree):
            return False
        if mat.field != self.field:
            try:
                mat = mat.change_field(self.field)
            except MolienError:
                return False
        perm = self.to_perm(mat)
        return perm is not None and self.chain.contains(perm)

    def elements(self, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Iterator[Matrix]:
        """Iterate over all elements (refused beyond ``max_elements``)."""
        for row in self.chain.elements(max_elements):
            yield self.element_from_perm(row)

    def conjugacy_classes(self, max_elements: int = DEFAULT_MAX_ELEMENTS,
                          progress: Callable[[int, int], None] | None = None) -> list[ConjugacyClass]:
        """The conjugacy classes (enumerates the group, under the ``max_elements`` guard)."""
        if "_classes" not in self.__dict__:
            from invariants.progress import progress_bar

            update = progress or progress_bar(f"conjugacy classes of {self.name}")
            pcs = conjugacy_classes(self.chain, self.perm_generators, max_elements, update)
            self._classes = [ConjugacyClass(self.element_from_perm(c.representative), c.size,
                                            perm_order(c.representative)) for c in pcs]
        return self._classes

    def exponent(self) -> int:
        return lcm(*[c.order for c in self.conjugacy_classes()])

    def is_reflection(self, idx: int) -> bool:
        g = self.generators[idx]
        return (g @ g).is_identity() and (g - Matrix.identity(self.degree, self.field)).rank() == 1

    # -- constructions ----------------------------------------------------------
    def natural(self):
        """The natural representation of this group on K^n."""
        from invariants.groups.finite.representation import Representation

        return Representation(self, self.generators, name="natural")

    def direct_product(self, other: "MatrixGroup") -> "MatrixGroup":
        """G × H acting block-diagonally on V ⊕ W."""
        if self.field != other.field:
            raise ShapeError(f"groups over different fields {self.field} and {other.field}")
        gens = [g.block_diag(Matrix.identity(other.degree, other.field)) for g in self.generators]
        gens += [Matrix.identity(self.degree, self.field).block_diag(h) for h in other.generators]
        return MatrixGroup(gens, self.field, name=f"{self.name} x {other.name}")

    def subgroup(self, generators: Iterable[Any], name: str | None = None) -> "MatrixGroup":
        """The subgroup generated by the given elements (each checked to lie in this group)."""
        mats = as_matrices(generators, self.field)
        for i, m in enumerate(mats):
            if m not in self:
                raise InputError(f"element {i} of the subgroup generators is not in {self.name}")
        return MatrixGroup(mats, self.field, name=name or f"subgroup of {self.name}")

    def sample(self, count: int, seed: int | None = None) -> list[Matrix]:
        """Uniformly random elements (via the stabilizer chain, no enumeration)."""
        rng = np.random.default_rng(seed)
        out = []
        from invariants.groups.finite.permgroup import mul

        for _ in range(count):
            g = self.chain.identity
            for trans in reversed(self.chain.transversals):
                pts = list(trans)
                g = mul(g, trans[pts[rng.integers(len(pts))]])
            out.append(self.element_from_perm(g))
        return out
