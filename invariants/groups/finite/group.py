"""Finite matrix groups given by generators.

The group acts faithfully on the finite orbit of the standard basis; every group-theoretic
question (order, membership, elements, conjugacy classes) is answered on that permutation
action by `permgroup`, and translated back to exact matrices.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from math import comb, factorial, lcm
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
from flint import fmpz_poly

from invariants.errors import InputError, MolienError, NotFiniteError, ShapeError, TooLargeError
from invariants.fields import QQ, parse_field
from invariants.fields.base import Field
from invariants.groups.base import AtomSpec, ClassicalGenerators, ComponentClass, Group
from invariants.groups.compact.group import ProductGroup
from invariants.groups.finite import images as finite_images
from invariants.groups.finite import permutation_reps
from invariants.groups.finite.eigen import eigen_exponents, matrix_order
from invariants.groups.finite.invariants import finite_invariant_basis, modular_invariant_dimension
from invariants.groups.finite.molien import finite_molien_series
from invariants.groups.finite.orbits import OrbitOverflow, VectorOrbit, overflow
from invariants.groups.finite.perm_classes import (DEFAULT_MAX_CLASSES, DEFAULT_MAX_SAMPLES, cycle_type,
                                                   sampled_conjugacy_classes)
from invariants.groups.finite.permgroup import DEFAULT_MAX_ELEMENTS, StabilizerChain, conjugacy_classes, mul, perm_order
from invariants.groups.finite.reflection import ReflectionCertificate, is_real_reflection, reflection_degrees
from invariants.groups.representation import Representation
from invariants.linalg.matrix import Matrix, as_matrices, set_entry
from invariants.polynomials.powers import exterior_power_matrix
from invariants.polynomials.ring import degree as poly_degree
from invariants.progress import progress_bar

DEFAULT_MAX_ORBIT = 200_000
# k generators of degree n are k dense n x n exact matrices; building the group costs about k·n²
# (monomial: the orbit, the chain) to k²·n³ (products of pairs): 4·10^6 is symmetric(160)
MAX_GENERATOR_ENTRIES = 4_000_000


PAIR_CHECK_GENERATORS = 64   # products of pairs checked for infinite order (O(k²) of them)

def check_generator_entries(count: int, degree: int, what: str) -> int:
    """``count``·``degree``² (the entries of ``count`` dense generators of degree ``degree``), or a
    `TooLargeError` naming that estimate and the knob `MAX_GENERATOR_ENTRIES`.

    Example:
        >>> check_generator_entries(99, 100, "symmetric(100)")
        990000
        >>> check_generator_entries(999, 1000, "symmetric(1000)")   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        invariants.errors.TooLargeError: symmetric(1000) has 999 generators of degree 1,000: 999,000,000 matrix entries, ...
    """
    entries = count * degree * degree
    if entries > MAX_GENERATOR_ENTRIES:
        raise TooLargeError(f"{what} has {count:,} generators of degree {degree:,}: {entries:,} matrix entries, above "
                            f"MAX_GENERATOR_ENTRIES = {MAX_GENERATOR_ENTRIES:,} (dense exact generators; building the "
                            "group grows faster still); raise invariants.groups.finite.group.MAX_GENERATOR_ENTRIES "
                            "to build it anyway", estimate=entries,
                            option="invariants.groups.finite.group.MAX_GENERATOR_ENTRIES")
    return entries


# conjugacy classes: up to this order listing the group is faster than sampling classes (and it
# keeps the class order of earlier releases); above it, classes are sampled and certified
ENUMERATE_UP_TO = 10_000
AUTO_MAX_CLASSES = 200  # past this many classes, a group that may be listed is listed instead


def _basis_vector(i: int, n: int, field: Field) -> tuple:
    k = field.degree
    zero, one = field.zero[0], field.one[0]  # the prime field's 0 and 1 (fmpq or nmod)
    v = [zero] * (k * n)
    v[i * k] = one
    return tuple(v)


def _monomial_matrix(field: Field, col: Sequence[tuple[int, Any]]) -> Matrix:
    """The matrix sending e_j to c·e_i for (i, c) = col[j], setting only the non-zero blocks
    (`Matrix.from_coeffs` would visit all n² entries)."""
    k, n = field.degree, len(col)
    q = field.prime_matrix(k * n, k * n)
    for j, (i, c) in enumerate(col):
        set_entry(q, field, i, j, c)
    return Matrix(field, n, n, q)


def _line_key(v: tuple) -> tuple:
    """A key shared by the rational (or GF(p)) multiples of a non-zero vector of prime-field
    coordinates: the vector scaled to a leading 1."""
    lead = next(x for x in v if x != 0)
    return tuple(x / lead for x in v)


def _spanning_subset(points: Sequence[tuple], field: Field, n: int) -> list[tuple]:
    chosen: list[tuple] = []
    for p in points:
        if Matrix.from_columns(chosen + [p], field).rank() > len(chosen):
            chosen.append(p)
            if len(chosen) == n:
                break
    return chosen


@dataclass(frozen=True)
class ConjugacyClass:
    """A conjugacy class of a `MatrixGroup`: a representative, its size and element order."""

    representative: Matrix
    size: int
    order: int


class MatrixGroup(Group):
    """A finite group of invertible matrices over a number field or GF(p), from generators.

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

    is_finite = True

    def __init__(self, generators: Iterable[Any], field: Field | str | None = None, *,
                 tolerance: float | None = None, name: str | None = None, spec: str | None = None,
                 max_orbit: int = DEFAULT_MAX_ORBIT, orbit_seeds: str = "auto", order: int | None = None,
                 _columns: Sequence[Sequence[tuple[int, Any]]] | None = None):
        # ``order``: |G| when it is a theorem (the catalogue's n!, 2^n n!): Schreier–Sims stops once
        # its chain reaches it (`StabilizerChain`).  ``_columns``: the generators' sparse monomial
        # form, from `MatrixGroup.monomial` only.
        gens = list(generators)
        if field is None:
            field = next((g.field for g in gens if isinstance(g, Matrix)), QQ)
        self.field: Field = parse_field(field) if isinstance(field, str) else field
        # monomial generators are built invertible, square and of one size: no determinants to check
        self.generators: tuple[Matrix, ...] = tuple(gens if _columns is not None else as_matrices(gens, self.field, tolerance))
        self.field = self.generators[0].field
        self.degree: int = self.generators[0].nrows
        self.name = name or f"MatrixGroup(<{len(self.generators)} generators of degree {self.degree} over {self.field}>)"
        self._spec = spec
        self.max_orbit = max_orbit
        self._orbit_seeds = orbit_seeds
        self._known_order = order
        self._columns = _columns if _columns is not None and self._roots_of_unity(_columns) else None
        if self._columns is not None:  # monomial with root-of-unity entries: finite, and no dense products needed
            self._build_monomial_orbit()
            return
        check_generator_entries(len(self.generators), self.degree, self.name)
        for idx, g in self._distinct_generators():
            if matrix_order(g) is None:
                raise NotFiniteError(
                    f"generator {idx} has infinite order (it is not diagonalisable with root-of-unity "
                    "eigenvalues), so the group is infinite; molien's finite-group engine needs a finite group "
                    "(a compact group is a spec such as 'SO(3):1,1' or 'U(1):1,-1': `molien catalogue` lists them)")
        self._check_pair_products()
        self._build_orbit()

    @classmethod
    def monomial(cls, columns: Sequence[Sequence[tuple[int, Any]]], field: Field | str = QQ, *,
                 name: str | None = None, order: int | None = None) -> "MatrixGroup":
        """The group generated by monomial matrices given sparsely: generator g sends e_j to
        c·e_i for ``(i, c) = columns[g][j]`` (c an int or a field element).

        When every c is a root of unity the group is finite without checking products of
        generators, and its faithful action is computed on (index, scalar) pairs, not by products
        of dense matrices: this is what builds symmetric(100) and signed_permutations(100) in a
        second.  ``order`` as in the constructor (a theorem, or None).

        Example:
            >>> swap, flip = [(1, 1), (0, 1)], [(0, 1), (1, -1)]
            >>> G = MatrixGroup.monomial([swap, flip], name="W(B2)")
            >>> G.order(), G.generators[1].entries()[1][1]
            (8, (-1,))
        """
        field = parse_field(field) if isinstance(field, str) else field
        if not columns:
            raise InputError("MatrixGroup.monomial needs at least one generator")
        n = len(columns[0])
        check_generator_entries(len(columns), n, name or "a monomial group")
        cols = []
        for g in columns:
            col = [(int(i), c if isinstance(c, tuple) else field.parse(c)) for i, c in g]
            if len(col) != n or sorted(i for i, _ in col) != list(range(n)):
                raise InputError("each monomial generator must send every basis vector e_j to a multiple of a "
                                 "different e_i: give n pairs (i, c) with the i a permutation of 0 … n-1")
            if any(field.is_zero(c) for _, c in col):
                raise InputError("a monomial generator has a zero entry: the matrix would be singular")
            cols.append(col)
        mats = [_monomial_matrix(field, col) for col in cols]
        return cls(mats, field, name=name, order=order, _columns=cols)

    def monomial_matrix(self, column: Sequence[tuple[int, Any]]) -> Matrix:
        """The matrix over this group's field sending e_j to c·e_i for ``(i, c) = column[j]`` (c a
        field element), built sparsely; not checked to lie in the group (``in`` does that).

        Example:
            >>> G = MatrixGroup.monomial([[(1, 1), (0, 1)]])
            >>> G.monomial_matrix([(1, G.field.one), (0, G.field.one)]) in G
            True
        """
        return _monomial_matrix(self.field, column)

    def _roots_of_unity(self, columns: Sequence[Sequence[tuple[int, Any]]]) -> bool:
        """Every entry a root of unity: then the group lies in μ_N ≀ S_n, finite."""
        values = {c for col in columns for _, c in col}
        return all(matrix_order(Matrix.from_coeffs([[c]], self.field)) is not None for c in values)

    def _build_monomial_orbit(self) -> None:
        """The orbit of the basis vectors under monomial generators: the points are c·e_i, and
        g(c·e_j) = (c·c_j)·e_i is read off the columns, without matrix products."""
        f, n, k = self.field, self.degree, self.field.degree
        pairs: list[tuple[int, tuple]] = [(i, f.one) for i in range(n)]
        index = {p: i for i, p in enumerate(pairs)}
        images: list[list[int]] = [[] for _ in self._columns]
        pos = 0
        while pos < len(pairs):
            i, c = pairs[pos]
            for gi, col in enumerate(self._columns):
                r, a = col[i]
                image = (r, f.mul(a, c))
                if image not in index:
                    index[image] = len(pairs)
                    pairs.append(image)
                images[gi].append(index[image])
            if len(pairs) > self.max_orbit:
                self._refuse_large_orbit()
            pos += 1
        zero = f.zero[0]
        points = []
        for i, c in pairs:
            v = [zero] * (k * n)
            v[i * k:(i + 1) * k] = c
            points.append(tuple(v))
        orbit = VectorOrbit.from_permutations(points, images)
        self._pairs = pairs  # point p is c·e_i for (i, c) = pairs[p]: elements are built sparsely from them
        self._basis_points = list(range(n))  # the first n points are e_0 … e_{n-1}
        self._basis_inverse = Matrix.identity(n, f)
        self._points = orbit.points
        self._orbit = orbit
        self.perm_generators = orbit.permutations()

    # -- the faithful permutation action ----------------------------------------
    def _build_orbit(self) -> None:
        """Choose a small faithful permutation action: the union of the smallest orbits of
        candidate vectors (basis vectors, and the image of g − 1 for each generator — the
        roots, for reflections) that together span the space."""
        k, n = self.field.degree, self.degree
        mats = [g.q for g in self.generators]
        candidates = [_basis_vector(i, n, self.field) for i in range(n)]
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
        found: list[VectorOrbit] = []
        if self._orbit_seeds == "auto" and len(candidates) > n:
            sized = []
            own: dict[int, list[tuple]] = {}  # id(orbit points) -> a spanning subset of that orbit
            cap = self.max_orbit
            lines: set[tuple] = set()  # the lines through the points of the orbits found

            def orbit_within(v: tuple, bound: int) -> bool:
                """v's orbit when it has at most ``bound`` points (recorded; False if it has more)."""
                nonlocal cap
                if _line_key(v) in lines:
                    return True  # the same orbit again, or a multiple of one (orbit(c·v) = c·orbit(v)):
                    # all n-1 roots of symmetric(n, 'standard')
                try:
                    found.append(VectorOrbit(mats, [v], bound, overflow))
                except OrbitOverflow:
                    return False
                points = found[-1].points
                lines.update(_line_key(p) for p in points)
                sized.append(points)
                if len(points) < cap:
                    own[id(points)] = _spanning_subset(points, self.field, n)
                    if len(own[id(points)]) == n:
                        cap = len(points)  # a larger orbit can no longer help
                return True

            for v in candidates[n:]:  # generator roots first: often the smallest
                orbit_within(v, cap)
            # the basis vectors under a cap growing from 2n (x4 up to ``cap``): a small orbit is found
            # before the large ones are computed up to the cap and dropped (weyl(A30, orthogonal):
            # 930 roots, basis vectors with orbits of 31 to over 1000 points; 20 s).  Equal sizes are
            # found in one round, in the candidates' order: the seeds chosen below are a single pass's.
            pending, limit = candidates[:n], 2 * n
            while pending:
                bound = min(limit, cap)
                pending = [v for v in pending if not orbit_within(v, bound) and bound < cap]
                limit *= 4
            sized.sort(key=len)
            seeds, spanning = [], []
            for points in sized:
                extra = (own[id(points)] if not spanning and id(points) in own  # computed above
                         else _spanning_subset(spanning + list(points), self.field, n)[len(spanning):])
                if extra:
                    spanning += extra
                    seeds.append(points[0])
                if len(spanning) == n:
                    break
            if len(spanning) < n:  # pragma: no cover - the basis vectors always span
                seeds, spanning = candidates[:n], candidates[:n]
        reuse = [o for o in found if len(seeds) == 1 and o.points[0] == seeds[0]] if self._orbit_seeds == "auto" else []
        orbit = reuse[0] if reuse else VectorOrbit(mats, seeds, self.max_orbit, self._refuse_large_orbit)
        self._basis_points = [orbit.find(v) for v in spanning]
        self._basis_inverse = Matrix.from_columns(spanning, self.field).inverse()
        self._points = orbit.points
        self._orbit = orbit
        self.perm_generators = orbit.permutations()

    def _check_pair_products(self) -> None:
        """A cheap certificate of infiniteness: a product of two generators of infinite order (among
        the first PAIR_CHECK_GENERATORS distinct ones: the orbit that follows decides in any case)."""
        distinct = self._distinct_generators()[:PAIR_CHECK_GENERATORS]
        for i, a in distinct:
            for j, b in distinct:
                if i < j and matrix_order(a @ b) is None:
                    raise NotFiniteError(
                        f"the generators do not generate a finite group: the product of generators {i} and {j} "
                        "has infinite order")

    def _distinct_generators(self) -> list[tuple[int, Matrix]]:
        """(index, generator) of each generator's first occurrence: 100,000 copies of one matrix are one."""
        seen: set = set()
        return [(i, g) for i, g in enumerate(self.generators) if not (g in seen or seen.add(g))]

    def _refuse_large_orbit(self) -> None:
        raise TooLargeError(
            f"the orbit of the basis vectors has more than max_orbit={self.max_orbit} vectors: the group is "
            f"infinite or very large. If you know it is finite, pass max_orbit={10 * self.max_orbit}",
            estimate=self.max_orbit, option="max_orbit")

    @functools.cached_property
    def chain(self) -> StabilizerChain:
        return StabilizerChain(self.perm_generators, len(self._points), known_order=self._known_order)

    # -- basic questions --------------------------------------------------------
    def order(self) -> int:
        """|G|, exactly (Schreier–Sims on the orbit of the basis)."""
        return self.chain.order()

    def __len__(self) -> int:
        return self.order()

    @property
    def characteristic(self) -> int:
        """The characteristic of the field of the matrices (0, or p for GF(p))."""
        return self.field.characteristic

    @property
    def is_modular(self) -> bool:
        """True over GF(p) with p dividing |G|: no Reynolds operator, no Molien series; the
        invariants are computed as kernels (`invariants_of_degree`, `invariant_ring`).

        Example:
            >>> MatrixGroup([[[0, 1], [1, 0]]], field="GF(2)").is_modular
            True
        """
        p = self.characteristic
        return bool(p) and self.order() % p == 0

    # -- value semantics (the Group protocol) ---------------------------------------
    @property
    def spec(self) -> str | dict:
        """A catalogue call (``"weyl(E8)"``) or ``{"field", "generators", "name"}`` for `load_spec`."""
        if self._spec is not None:
            return self._spec
        return {"field": self.field.name, "name": self.name,
                "generators": [[[str(self.field.to_sympy(a)) for a in row] for row in g.entries()]
                               for g in self.generators]}

    def __repr__(self) -> str:
        if self._spec is not None:
            return self._spec
        gens = [[[str(self.field.to_sympy(a)) for a in row] for row in g.entries()] for g in self.generators]
        return f"MatrixGroup({gens!r}, field={self.field.name!r})"

    def _key(self) -> Any:
        return (self.field, self.degree, self.order())

    def _same(self, other: Group) -> bool:
        """The same set of matrices: equal orders and every generator of one in the other."""
        return (isinstance(other, MatrixGroup) and self._key() == other._key()
                and all(g in self for g in other.generators))

    def same_generators(self, other: Group) -> bool:
        return isinstance(other, MatrixGroup) and self.generators == other.generators

    def generator_elements(self) -> list[Matrix]:
        return list(self.generators)

    @property
    def discrete_generators(self) -> int:
        return len(self.generators)

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
        cols = self.field.prime_matrix(k * self.degree, len(points))
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
        if self._columns is not None:  # g e_j is the point perm[j] = c·e_i, and the basis points are the e_j
            return _monomial_matrix(self.field, [self._pairs[perm[j]] for j in range(self.degree)])
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
        # only the base points' images: they name the one group element that could equal mat
        # (sifting needs nothing else), and the matrices are then compared
        chain = self.chain
        try:
            images = self.to_perm_partial(mat, chain.base)
        except InputError:
            return False
        y = [images[b] for b in chain.base]
        element = chain.identity
        for level, trans in enumerate(chain.transversals):
            u = trans.get(y[level])
            if u is None:
                return False
            u_inv = {v: x for x, v in enumerate(u)}
            y = [u_inv[v] for v in y]
            element = mul(u, element)  # h = ... ∘ u_level ∘ ... (u_0 outermost)
        return self.element_from_perm(element) == mat

    def elements(self, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Iterator[Matrix]:
        """Iterate over all elements (refused beyond ``max_elements``)."""
        for row in self.chain.elements(max_elements):
            yield self.element_from_perm(row)

    def conjugacy_classes(self, max_elements: int = DEFAULT_MAX_ELEMENTS,
                          progress: Callable[[int, int], None] | None = None, *, method: str = "auto",
                          max_samples: int = DEFAULT_MAX_SAMPLES, max_classes: int | None = DEFAULT_MAX_CLASSES,
                          seed: int = 0) -> list[ConjugacyClass]:
        """The conjugacy classes, each with a representative, its size and element order.

        ``method``: "enumerate" lists the group (under the ``max_elements`` guard) and takes orbits
        under conjugation; "sample" never lists it: representatives come from random elements and
        their powers, sizes are |G|/|C_G(g)| with centralisers found by backtrack on the stabilizer
        chain, and the classes are certified complete when the sizes sum to |G|
        (`perm_classes.sampled_conjugacy_classes`; refused past ``max_samples`` random elements, or
        at once when the group has more than ``max_classes`` classes — a centraliser each — and
        ``max_elements`` does not allow listing it);
        "auto" (the default) enumerates groups of order at most `ENUMERATE_UP_TO` (faster there)
        and samples above — handing over to enumeration, when ``max_elements`` allows it, once more
        than `AUTO_MAX_CLASSES` classes turn up (many small classes: listing is then faster).  The
        classes are computed once per group.

        Example:
            >>> from invariants.catalogue import weyl
            >>> classes = weyl("E6").conjugacy_classes()          # order 51840: sampled, not listed
            >>> len(classes), sum(c.size for c in classes)
            (25, 51840)
        """
        if "_classes" not in self.__dict__:
            pcs = self._perm_classes(max_elements, progress, method=method, max_samples=max_samples,
                                     max_classes=max_classes, seed=seed)
            self._classes = [ConjugacyClass(self.element_from_perm(c.representative), c.size,
                                            perm_order(c.representative)) for c in pcs]
        return self._classes

    def _perm_classes(self, max_elements: int = DEFAULT_MAX_ELEMENTS,
                      progress: Callable[[int, int], None] | None = None, *, method: str = "auto",
                      max_samples: int = DEFAULT_MAX_SAMPLES, max_classes: int | None = DEFAULT_MAX_CLASSES,
                      seed: int = 0) -> list:
        """`conjugacy_classes` on the permutation action, without the matrices (computed once)."""
        if method not in ("auto", "enumerate", "sample"):
            raise InputError(f"unknown method {method!r}: use 'auto', 'enumerate' or 'sample'")
        if "_pcs" not in self.__dict__:
            order = self.order()
            pcs = None
            if method == "sample" or (method == "auto" and order > ENUMERATE_UP_TO):
                # many classes (a large centre, an abelian group) make sampling slower than listing:
                # when listing is allowed, sampling hands over to it past AUTO_MAX_CLASSES classes
                listable = method == "auto" and order <= max_elements
                update = progress or progress_bar(f"conjugacy classes of {self.name} (sampled)")
                try:
                    pcs = sampled_conjugacy_classes(self.chain, self.perm_generators, key=self._class_key,
                                                    max_samples=max_samples, seed=seed, progress=update,
                                                    max_classes=AUTO_MAX_CLASSES if listable else max_classes)
                except TooLargeError as exc:
                    if not (listable and exc.option == "max_classes"):
                        raise
            if pcs is None:  # max_elements guards the listing
                update = progress or progress_bar(f"conjugacy classes of {self.name}")
                pcs = conjugacy_classes(self.chain, self.perm_generators, max_elements, update)
            self._pcs = pcs
        return self._pcs

    def cycle_type_counts(self, max_elements: int = DEFAULT_MAX_ELEMENTS,
                          progress: Callable[[int, int], None] | None = None, **guards: Any
                          ) -> dict[tuple[tuple[int, int], ...], int] | None:
        """For a group of permutation matrices built by `MatrixGroup.monomial` (every entry 1): how
        many elements have each cycle type on the coordinates ((length, number of cycles) pairs), from the
        conjugacy classes of the permutation action — no matrices; None for any other group.
        ``guards``: ``method``, ``max_samples``, ``max_classes``, ``seed`` as in `conjugacy_classes`.

        Example:
            >>> from invariants.catalogue import cyclic
            >>> cyclic(4, "permutation").cycle_type_counts()
            {((1, 4),): 1, ((4, 1),): 2, ((2, 2),): 1}
        """
        if self._columns is None or any(c != self.field.one for col in self._columns for _, c in col):
            return None
        # entries 1: the orbit of the basis is the basis itself, point j = e_j
        counts: dict[tuple[tuple[int, int], ...], int] = {}
        for c in self._perm_classes(max_elements, progress, **guards):
            key = cycle_type(c.representative)
            counts[key] = counts.get(key, 0) + c.size
        return counts

    def _class_key(self, perm: tuple) -> tuple:
        """A class invariant that the cycle type on the orbit may miss: the characteristic
        polynomial of the element (of its matrix over Q, for a number field)."""
        return tuple(str(c) for c in self.element_from_perm(perm).q.charpoly().coeffs())

    def exponent(self) -> int:
        return lcm(*[c.order for c in self.conjugacy_classes()])

    @property
    def monomial_columns(self) -> tuple | None:
        """For a group built by `MatrixGroup.monomial` with root-of-unity entries: per generator, the
        pairs (i, c) with g e_j = c·e_i (c a field element); None otherwise.

        Example:
            >>> MatrixGroup.monomial([[(1, 1), (0, 1)]]).monomial_columns[0][0]
            (1, (1,))
        """
        return None if self._columns is None else tuple(tuple(col) for col in self._columns)

    @functools.cached_property
    def reflection_certificate(self) -> ReflectionCertificate | None:
        """Why ∏ 1/(1 − t^d_i) is the Molien series, when the group is a real reflection group."""
        return reflection_degrees(self)

    def is_reflection(self, idx: int) -> bool:
        return is_real_reflection(self.generators[idx])

    # -- representations (the Group protocol) ------------------------------------------
    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"v|natural|0|trivial|det|regular", "v (natural), 0 (trivial), det (determinant), regular")

    def atom(self, label: Any) -> Representation:
        text = str(label).strip()
        if text in ("v", "natural"):
            return self.natural()
        if text in ("0", "trivial"):
            return finite_images.one_dimensional(self, "0", lambda g: self.field.one)
        if text == "det":
            return finite_images.one_dimensional(self, "det", _determinant)
        if text == "regular":
            return self.regular()
        raise InputError(f"{self.name} has no representation {label!r}; use {self.atoms.examples}, the algebra "
                         "(+, *, sym, ext, dual) or Representation(group, images)")

    def natural(self) -> Representation:
        """The natural representation of this group on K^n (one value per group: what is computed
        about it, such as its Molien series, is computed once)."""
        return self._natural

    @functools.cached_property
    def _natural(self) -> Representation:
        return finite_images.natural(self)

    def default_representation(self) -> Representation:
        return self.natural()

    def regular(self) -> Representation:
        """G on the functions on G, ρ(s) e_g = e_{sg} (a group convolution's regular field)."""
        if "_regular" not in self.__dict__:
            self._regular = permutation_reps.regular(self)
        return self._regular

    def quotient(self, subgroup: "MatrixGroup") -> Representation:
        """G on the functions on the cosets G/H (H from `subgroup`)."""
        return permutation_reps.quotient(self, subgroup)

    def representation_from_images(self, images: Sequence[Any], *, field: Any = None,
                                   check: bool = True) -> Representation:
        return finite_images.from_images(self, images, field=field, check=check)

    def image_group(self, rep: Representation) -> "MatrixGroup":
        if rep.field == self.field and rep.images == self.generators:
            return self
        return MatrixGroup(rep.images, rep.field, name=f"{rep}({self.name})" if rep.label else f"image of {self.name}")

    def restriction(self, rep: Representation, subgroup: Group) -> Representation:
        if not isinstance(subgroup, MatrixGroup) or any(h not in self for h in subgroup.generators):
            raise InputError(f"restrict needs a subgroup of {self.name} given by its elements (G.subgroup([...]))")
        return finite_images.from_images(subgroup, [rep(h) for h in subgroup.generators], check=False)

    # -- the algorithms for finite groups (the Group protocol) ------------------------------------
    def hilbert_series(self, rep: Representation, chi: Representation | None = None, *,
                       max_elements: int | None = None, max_terms: int | None = None, method: str = "auto",
                       progress: Any = None, max_samples: int | None = None, max_classes: int | None = None):
        """By classes (Chevalley's theorem for a reflection group); ``max_elements`` bounds the
        enumeration, ``max_samples`` and ``max_classes`` the sampling (`conjugacy_classes`)."""
        def given(value: int | None, default: int) -> int:  # None is the default; 0 is a guard of 0
            return default if value is None else value
        return finite_molien_series(rep, chi, max_elements=given(max_elements, DEFAULT_MAX_ELEMENTS), method=method,
                                    progress=progress, max_samples=given(max_samples, DEFAULT_MAX_SAMPLES),
                                    max_classes=given(max_classes, DEFAULT_MAX_CLASSES))

    def invariant_basis(self, rep: Representation, d: int, ring: Any, *, expected: int | None, method: str,
                        max_monomials: int) -> tuple[list, str]:
        return finite_invariant_basis(rep.image_group, d, ring, expected=expected, method=method,
                                      max_monomials=max_monomials)

    def invariant_dimension(self, rep: Representation, d: int, *, max_monomials: int) -> int | None:
        """The Molien coefficient, or — for a group too large to enumerate — a proven modular rank;
        None over GF(p) when p divides |G| (the invariants' own kernel is then the only answer)."""
        if rep.image_group.is_modular:
            return None
        try:
            return rep.molien_series()[d]
        except TooLargeError:
            image = rep.image_group
            if image.characteristic:  # the modular-rank proof below needs characteristic 0
                return None
            if comb(image.degree + d - 1, d) <= max_monomials:
                return modular_invariant_dimension(image, d)
            return None

    def classical_generators(self, rep: Representation, ring: Any) -> ClassicalGenerators | None:
        """The fundamental theorem of symmetric polynomials: when ρ(G) is the full symmetric group
        permuting the coordinates (permutation matrices, order n!), the power sums p_1 … p_n
        generate, minimally in characteristic 0."""
        n = rep.dim
        if n == 0:
            return ClassicalGenerators((), "the zero space: K[0] = K, generated by nothing")
        if rep.field.characteristic:
            return None
        x = ring.gens
        if all(g.permutation() is not None for g in rep.images) and rep.image_group.order() == factorial(n):
            polys = tuple(sum((xi ** k for xi in x), ring.ctx.from_dict({})) for k in range(1, n + 1))
            return ClassicalGenerators(polys, "symmetric polynomials: the power sums p_1 … p_n generate, minimally")
        return _monomial_basic_invariants(self, rep, ring)

    def hsop_proof(self, rep: Representation, ring: Any, polys: Sequence) -> Any:
        """Over GF(p^k), k > 1, where the generic proofs (a quotient mod p) need a prime field: the
        forms over GF(p) of `norm_to_prime_field` (p_i itself, or its Galois norm) vanish wherever
        p_i does, so if they are an hsop over GF(p), V(p) = {0} over the algebraic closure and p is
        an hsop.  None otherwise (or when the norms have common zeros the p_i do not share)."""
        from invariants.polynomials.ideals import HsopProof, norm_to_prime_field
        from invariants.rings.hsop import prove_hsop  # rings import groups: imported when used

        field = ring.field
        if not field.characteristic or field.degree == 1 or len(polys) != ring.n:
            return None
        forms = [norm_to_prime_field(ring, p) for p in polys]
        inner = prove_hsop(forms[0][0], [f for _, f in forms])
        if inner is None:
            return None
        return HsopProof(f"{inner.method} over GF({field.characteristic})",
                         f"forms over GF({field.characteristic}) vanishing wherever the p_i do (the p_i, or their "
                         f"Galois norms) are an hsop ({inner.detail}), so V(p) = {{0}} over {field.name}'s closure")

    def averaging_elements(self, rep: Representation, limit: int) -> list[Matrix] | None:
        image = rep.image_group
        return list(image.elements()) if image.order() <= limit else None

    def nullcone_theorem(self, rep: Representation) -> tuple[int, str]:
        return 0, "a finite group: K[V] is integral over the invariants, so only 0 is unseparated"

    def noether_bound(self) -> int | None:
        """|G|: Noether's bound in characteristic 0, and over GF(p) with p ∤ |G| (Fleischmann, Fogarty);
        None in the modular case, where |G| is not a bound (Symonds' n(|G| − 1) is, `rings.modular`)."""
        return None if self.is_modular else self.order()

    def _classes_by_order(self) -> list[ConjugacyClass]:
        return sorted(self.conjugacy_classes(), key=lambda c: c.order)  # the identity first

    def component_classes(self) -> tuple[ComponentClass, ...]:
        """Conjugacy classes as the component classes of a product (share |class|/|G|, rank 0)."""
        order = self.order()
        return tuple(ComponentClass(Fraction(c.size, order), 0, (), f"class of order {c.order}")
                     for c in self._classes_by_order())

    def class_weights(self, rep: Representation):
        """The certified eigenvalues of ρ on each class representative (as phases)."""
        exponent = self.exponent()
        return tuple(tuple(((), Fraction(e, c.order)) for e in eigen_exponents(rep(c.representative), c.order, exponent))
                     for c in self._classes_by_order())

    def product(self, other: Group) -> Group:
        return ProductGroup((self, other))

    def describe(self, rep: Representation) -> str:
        where = "" if rep.label == "v" else f" on {rep}"
        return f"{self.name}{where}  (order {self.order()}, degree {rep.dim}, field {rep.field})"

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

    def random_elements(self, count: int, seed: int | None = None) -> list[Matrix]:
        return self.sample(count, seed)

    def sample(self, count: int, seed: int | None = None) -> list[Matrix]:
        """Uniformly random elements (via the stabilizer chain, no enumeration)."""
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(count):
            g = self.chain.identity
            for trans in reversed(self.chain.transversals):
                pts = list(trans)
                g = mul(g, trans[pts[rng.integers(len(pts))]])
            out.append(self.element_from_perm(g))
        return out


def _determinant(g: Matrix):
    """det g as a field element (Λ^n g)."""
    return exterior_power_matrix(g, g.nrows).entries()[0][0]


def _monomial_basic_invariants(group: MatrixGroup, rep: Representation, ring: Any) -> ClassicalGenerators | None:
    """The basic invariants of a product of G(m, p, k) in their own coordinates (the monomial
    reflection certificate, `reflection._monomial_reflection_degrees`): per block B, the power sums
    Σ_{j∈B} x_j^{mi} for i < k and (∏_{j∈B} x_j)^{m/p}, and x_a for each fixed coordinate.  The
    certificate proves G = ∏ G(m, p, k), so these are invariant, and Shephard–Todd's basic
    invariants (e_i of the x_j^m for i < k generate what the power sums do, in characteristic 0);
    None for any other representation or group."""
    if rep.field != group.field or tuple(rep.images) != group.generators:
        return None  # only the group's own coordinates, where the certificate was made
    cert = group.reflection_certificate
    if cert is None or not cert.monomial_types:
        return None
    x = ring.gens
    polys = []
    for (m, p), coords in zip(cert.monomial_types, cert.components):
        k = len(coords)
        polys += [sum((x[j] ** (m * i) for j in coords), ring.ctx.from_dict({})) for i in range(1, k)]
        last = ring.ctx.constant(1)
        for j in coords:
            last *= x[j] ** (m // p)
        polys.append(last)
    covered = {j for coords in cert.components for j in coords}
    polys += [x[j] for j in range(group.degree) if j not in covered]
    return ClassicalGenerators(tuple(sorted(polys, key=poly_degree)),
                               f"Shephard–Todd: {cert.monomial_names} has the basic invariants p_i(x^m), i < k, and "
                               "(x_1⋯x_k)^(m/p) on each block, which generate, minimally")


