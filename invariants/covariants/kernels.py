"""Exact bases of equivariant convolution kernels on a stencil of lattice points.

A convolution ``out(x) = Σ_p K(p) in(x + p)`` between fields of types ρ_in and ρ_out over a space
on which G acts by ``space`` commutes with G exactly when ``K(g p) = ρ_out(g) K(p) ρ_in(g)⁻¹`` for
all g and stencil points p: K is an element of Hom_G(P ⊗ ρ_in, ρ_out), P the permutation
representation on the stencil.  By Frobenius reciprocity each orbit G·p contributes
Hom_{G_p}(ρ_in, ρ_out) (G_p the stabiliser of p): we solve that small system exactly and carry the
solution around the orbit.  The lattice, the group and both field types are arbitrary (the plane's
grid under D4, a cubic grid under the octahedral group, an internal symmetry acting on channels
only), as long as ``space`` maps the stencil to itself.

Example:
    >>> from invariants import dihedral
    >>> G = dihedral(4)
    >>> basis = kernel_basis(G.natural(), G.regular(), G.regular(), stencil(1, 2))
    >>> len(basis)  # 9 points x 8 = a G-CNN's 3x3 filter per channel pair
    72
    >>> basis.check()
    True
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any, Sequence

from invariants.errors import InputError, ShapeError, TooLargeError
from invariants.groups.finite.permutation_reps import is_permutation_representation
from invariants.groups.base import common_field
from invariants.groups.representation import Representation, as_representation
from invariants.linalg.matrix import Matrix

Point = tuple[int, ...]
MAX_GROUP_ORDER = 100_000  # the orbits are found by listing the group's elements


def stencil(radius: int, dimension: int = 2) -> tuple[Point, ...]:
    """The lattice points of the cube [−radius, radius]^dimension, in row-major order of the
    coordinates (x_1 slowest)."""
    if radius < 0 or dimension < 1:
        raise ShapeError(f"a stencil needs radius >= 0 and dimension >= 1, got {radius}, {dimension}")
    return tuple(itertools.product(range(-radius, radius + 1), repeat=dimension))


@dataclass(frozen=True)
class KernelBasis:
    """Basis kernels: ``elements[b][i]`` is K_b at ``points[i]``, an exact d_out × d_in matrix.

    ``orbits`` lists, per orbit of points, (representative, stabiliser order, number of basis
    kernels it carries)."""

    space: Representation
    rho_in: Representation
    rho_out: Representation
    points: tuple[Point, ...]
    elements: tuple[tuple[Matrix, ...], ...]
    orbits: tuple[tuple[Point, int, int], ...]

    def __len__(self) -> int:
        return len(self.elements)

    @property
    def field(self) -> Any:
        """The field of the kernels' entries (the largest of the three representations')."""
        return kernel_field(self.space, self.rho_in, self.rho_out)

    def check(self) -> bool:
        """Exactly K(s p) = ρ_out(s) K(p) ρ_in(s)⁻¹ for every generator s, every point, every kernel."""
        index = {p: i for i, p in enumerate(self.points)}
        f = self.field
        for s, a, b in zip(self.space.images, self.rho_in.images, self.rho_out.images):
            a_inv, b = a.change_field(f).inverse(), b.change_field(f)
            for kernel in self.elements:
                for p, k in zip(self.points, kernel):
                    if kernel[index[_act(s, p)]] != b @ k @ a_inv:
                        return False
        return True

    def to_lists(self) -> list[list[list[list[Any]]]]:
        """Entries as sympy numbers: ``[b][point][row][column]``."""
        f = self.field
        return [[[[f.to_sympy(x) for x in row] for row in k.entries()] for k in kernel] for kernel in self.elements]


def kernel_basis(space: Any, rho_in: Any, rho_out: Any, points: Sequence[Point], *,
                 max_group_order: int = MAX_GROUP_ORDER) -> KernelBasis:
    """An exact basis of the kernels K on ``points`` with K(g p) = ρ_out(g) K(p) ρ_in(g)⁻¹.

    ``space`` is the group's action on the lattice (integer matrices that permute ``points``);
    ``rho_in`` and ``rho_out`` are representations of the same group (the field types).

    Example:
        >>> from invariants import dihedral
        >>> G = dihedral(4)
        >>> len(kernel_basis(G.natural(), G.atom("0"), G.atom("0"), stencil(2)))  # D4-symmetric 5x5 filters
        6
    """
    space, rho_in, rho_out = (as_representation(r) for r in (space, rho_in, rho_out))
    group = space.group
    check_one_group(space, rho_in, rho_out)
    field = kernel_field(space, rho_in, rho_out)
    points = tuple(tuple(int(c) for c in p) for p in points)
    if any(len(p) != space.dim for p in points):
        raise ShapeError(f"stencil points need {space.dim} coordinates, the dimension of the space")
    _check_lattice_action(space, points)
    listed_elements(group, max_group_order, "max_group_order")  # refuses a group too large to list, with the knob
    moves = list(zip(*(element_images(r, field, max_group_order) for r in (space, rho_in, rho_out))))
    index = {p: i for i, p in enumerate(points)}
    zero = Matrix.zeros(rho_out.dim, rho_in.dim, field)
    kernels: list[tuple[Matrix, ...]] = []
    orbits = []
    seen: set[Point] = set()
    for p in points:
        if p in seen:
            continue
        carry: dict[Point, tuple[Matrix, Matrix]] = {}
        stabiliser = []
        for g, (s, a, b) in zip(group_elements(group, max_group_order), moves):
            q = _act(s, p)
            if q not in index:
                raise InputError(f"the space maps stencil point {p} to {q}, outside the stencil; use a stencil "
                                 "that is a union of orbits (a cube or a ball around the origin)")
            if q == p:
                stabiliser.append((g, a, b))
            carry.setdefault(q, (a.inverse(), b))
        seen.update(carry)
        homs = _intertwiners([(a, b) for _, a, b in _generating(stabiliser)], rho_in.dim, rho_out.dim, field)
        stabiliser_order = len(stabiliser)
        for x in homs:
            kernel = [zero] * len(points)
            for q, (a_inv, b) in carry.items():
                kernel[index[q]] = b @ x @ a_inv
            kernels.append(tuple(kernel))
        orbits.append((p, stabiliser_order, len(homs)))
    return KernelBasis(space, rho_in, rho_out, points, tuple(kernels), tuple(orbits))


def listed_elements(group: Any, max_order: int = MAX_GROUP_ORDER, knob: str = "max_order") -> list[Matrix]:
    """Every element of a finite group, in a fixed order; a continuous group or one past
    ``max_order`` is refused with what to do instead (``knob``: the caller's name for the bound)."""
    order = group.order()
    if not isinstance(order, int):
        raise InputError(f"{group.name} is a continuous group: its kernels are not found by listing elements; use "
                         "a steerable (harmonic) basis")
    if order > max_order:
        raise TooLargeError(f"listing the elements of {group.name} (order {order}) is refused past {knob}="
                            f"{max_order}; pass {knob}={order} to allow it", estimate=order, option=knob)
    return list(group.elements())


_IMAGES: dict[tuple, tuple[Matrix, ...]] = {}


def element_images(rep: Representation, field: Any = None, max_order: int = MAX_GROUP_ORDER) -> tuple[Matrix, ...]:
    """ρ(g) over ``field`` (default ρ's) for every element, in `listed_elements` order of ρ's group.
    Kept for the next layer, keyed by the group's generators (equal groups with other generators
    list their elements in another order), ρ's images and the field."""
    field = field or rep.field
    key = (_generators(rep.group), rep.images, rep.field.name, field.name)
    if key not in _IMAGES:
        if len(_IMAGES) > 256:
            _IMAGES.clear()
        _IMAGES[key] = tuple(rep(g).change_field(field) for g in group_elements(rep.group, max_order))
    return _IMAGES[key]


def group_elements(group: Any, max_order: int = MAX_GROUP_ORDER) -> list[Matrix]:
    """`listed_elements`, kept per list of generators."""
    key = (_generators(group), max_order)
    if key not in _ELEMENTS:
        _ELEMENTS[key] = listed_elements(group, max_order)
    return _ELEMENTS[key]


_ELEMENTS: dict[tuple, list[Matrix]] = {}


def _generators(group: Any) -> tuple:
    return (group.name, tuple(group.generator_elements()))


def kernel_field(*reps: Representation) -> Any:
    """The field the kernels between these representations live over (the largest of theirs)."""
    return common_field(*(r.field for r in reps))


def check_one_group(space: Representation, *reps: Representation) -> None:
    """Refuse representations of another group, or of an equal group with other generators (their
    images would not correspond)."""
    for rep in reps:
        if rep.group != space.group or not rep.group.same_generators(space.group):
            raise InputError(f"a field type of {rep.group.name} meets a space of {space.group.name}: field types and "
                             "the space must be representations of one group, given by the same generators in the "
                             "same order (build them all from one group object)")


def invariant_vectors(rep: Any) -> list[Matrix]:
    """A basis of the fixed vectors {v : ρ(g) v = v} (the biases a field of type ρ may carry).

    Example:
        >>> from invariants import dihedral
        >>> len(invariant_vectors(dihedral(4).regular()))
        1
    """
    rep = as_representation(rep)
    one = Matrix.identity(1, rep.field)
    pairs = [(one, b) for b in rep.images] + [(Matrix.zeros(1, 1, rep.field), x) for x in rep.lie_algebra]
    return [x for x in _intertwiners(pairs, 1, rep.dim, rep.field)]


def _intertwiners(pairs: list[tuple[Matrix, Matrix]], d_in: int, d_out: int, field: Any) -> list[Matrix]:
    """A basis of {X (d_out × d_in) : b X = X a for every (a, b)}; X in row-major vec form,
    vec(b X) = (b ⊗ I) vec X and vec(X a) = (I ⊗ aᵀ) vec X."""
    rows = []
    eye_in, eye_out = Matrix.identity(d_in, field), Matrix.identity(d_out, field)
    for a, b in pairs:
        if a.is_identity() and b.is_identity():
            continue
        rows.extend((b.kron(eye_in) - eye_out.kron(a.transpose())).entries())
    size = d_in * d_out
    if not rows:
        basis = Matrix.identity(size, field)
    else:
        basis = Matrix.from_coeffs(rows, field).kernel()
    cols = basis.entries()
    return [Matrix.from_coeffs([[cols[i * d_in + j][c] for j in range(d_in)] for i in range(d_out)], field)
            for c in range(basis.ncols)]


def _generating(subgroup: list[tuple]) -> list[tuple]:
    """A few of the (g, …) tuples whose g generate the listed subgroup (each kept only when it is
    not yet in the closure of those kept): fewer equations for the same intertwiners."""
    kept: list[tuple] = []
    closure: set[Matrix] = set()
    for item in subgroup:
        if item[0] in closure:
            continue
        kept.append(item)
        frontier = [item[0]] + list(closure)
        closure.update(frontier)
        while frontier:
            new = [x @ k[0] for x in frontier for k in kept]
            frontier = [x for x in new if x not in closure]
            closure.update(frontier)
    return kept


def _act(s: Matrix, p: Point) -> Point:
    return tuple(sum(int(a[0].p) * c for a, c in zip(row, p)) for row in s.entries())


def _check_lattice_action(space: Representation, points: Sequence[Point]) -> None:
    for idx, s in enumerate(space.images):
        for row in s.entries():
            for a in row:
                if len(a) != 1 or a[0].q != 1 or not all(x == 0 for x in a[1:]):
                    raise InputError(
                        f"generator {idx} of {space.group.name} acts on the space by {s.to_sympy().tolist()}, not by an "
                        "integer matrix: it does not map the lattice to itself (a rotation by 45 or 120 degrees on the "
                        "square grid); use a steerable convolution, whose kernels are sampled in continuous angle")


def harmonic_kernel_basis(plane: Any, rho_in: Any, rho_out: Any, frequency: int) -> list[Matrix]:
    """Exact angular parts of steerable kernels of one frequency, for G ≤ O(2): finite (C_N, D_N) or
    continuous (SO(2), O(2), whose connected part is imposed through its Lie algebra: rational).

    A kernel on a ring, K(φ) = Σ_j b_j(φ) M_j over the harmonics b = (1) for frequency 0 and
    (cos kφ, sin kφ) for k ≥ 1, is equivariant (K(g x) = ρ_out(g) K(x) ρ_in(g)⁻¹) exactly when
    Φ = [M_1 | M_2 | …] satisfies Φ (T_k(g) ⊗ ρ_in(g)) = ρ_out(g) Φ for the generators g, with
    T_k(g) = g^k on rotations and (g s)^k s on reflections (s = diag(1, −1)), all exact over the
    group's field.  Returns the solutions Φ, each d_out × (dim T_k · d_in).

    Example:
        >>> from invariants import cyclic, dihedral
        >>> C8 = cyclic(8)
        >>> len(harmonic_kernel_basis(C8.natural(), C8.regular(), C8.regular(), 3))  # 2·8: any frequency
        16
        >>> D8 = dihedral(8)
        >>> len(harmonic_kernel_basis(D8.natural(), D8.atom("0"), D8.atom("0"), 8))  # cos 8φ only
        1
        >>> from invariants import SO2
        >>> G = SO2()
        >>> len(harmonic_kernel_basis(G.frequency(1), G.frequency(1), G.frequency(3), 2))  # 3 = 1 + 2 only
        2
    """
    plane, rho_in, rho_out = (as_representation(r) for r in (plane, rho_in, rho_out))
    check_one_group(plane, rho_in, rho_out)
    field = kernel_field(plane, rho_in, rho_out)
    if plane.dim != 2 or frequency < 0:
        raise ShapeError(f"harmonic kernels need a 2-dimensional plane and a frequency >= 0, got {plane.dim}, {frequency}")
    width = (1 if frequency == 0 else 2) * rho_in.dim
    if plane.lie_algebra:
        return _continuous_harmonic_kernels(plane, rho_in, rho_out, frequency, field)
    images = [element_images(r, field) for r in (plane, rho_in, rho_out)]
    moves = [(g, _harmonic_image(s, frequency).kron(a), b)
             for g, s, a, b in zip(group_elements(plane.group), *images)]
    if is_permutation_representation(rho_out):
        return _into_permutation(moves, width, rho_out.dim, field)
    gens = [(a, b) for _, a, b in _generating(moves)]
    return _intertwiners(gens, width, rho_out.dim, field)


def _continuous_harmonic_kernels(plane: Representation, rho_in: Representation, rho_out: Representation, k: int,
                                 field: Any) -> list[Matrix]:
    """Φ (T_k(g) ⊗ ρ_in(g)) = ρ_out(g) Φ for the discrete generators, and for the Lie algebra its
    derivative Φ (k X ⊗ 1 + 1 ⊗ X_in) = X_out Φ (T_k(exp tX) = exp(t k X) on rotations)."""
    t = 1 if k == 0 else 2
    pairs = [(_harmonic_image(s.change_field(field), k).kron(a.change_field(field)), b.change_field(field))
             for s, a, b in zip(plane.images, rho_in.images, rho_out.images)]
    for x, x_in, x_out in zip(plane.lie_algebra, rho_in.lie_algebra, rho_out.lie_algebra):
        turn = Matrix.zeros(1, 1, field) if k == 0 else x.change_field(field).scale(field.from_rational(k))
        pairs.append((turn.kron(Matrix.identity(rho_in.dim, field))
                      + Matrix.identity(t, field).kron(x_in.change_field(field)), x_out.change_field(field)))
    return _intertwiners(pairs, t * rho_in.dim, rho_out.dim, field)


def _into_permutation(moves: list[tuple[Matrix, Matrix, Matrix]], d_in: int, d_out: int, field: Any) -> list[Matrix]:
    """Hom_G(V, W) for W permuting its basis, by Frobenius reciprocity: on each orbit of basis
    vectors (representative e_0, stabiliser H) a map is Φ(v)_{g e_0} = λ(a(g)⁻¹ v) for a functional
    λ fixed by H — no linear system of size d_in·d_out.  ``moves``: (g, a(g), b(g)) for every g."""
    images = []
    for g, a, b in moves:
        cols = b.entries()
        images.append([next(i for i in range(d_out) if not field.is_zero(cols[i][j])) for j in range(d_out)])
    out: list[Matrix] = []
    seen: set[int] = set()
    for start in range(d_out):
        if start in seen:
            continue
        reps: dict[int, Matrix] = {}
        stabiliser = []
        for (g, a, _), image in zip(moves, images):
            reps.setdefault(image[start], a)
            if image[start] == start:
                stabiliser.append((g, a))
        seen.update(reps)
        one = Matrix.identity(1, field)
        # λ with λ a(h) = λ: the kernel of (a(h)ᵀ − 1) over a generating set of the stabiliser
        functionals = _intertwiners([(one, a.transpose()) for _, a in _generating(stabiliser)], 1, d_in, field)
        inverses = {j: a.inverse() for j, a in reps.items()}
        for lam in functionals:
            row = lam.transpose()
            rows = [[field.zero] * d_in for _ in range(d_out)]
            for j, a_inv in inverses.items():
                rows[j] = (row @ a_inv).entries()[0]
            out.append(Matrix.from_coeffs(rows, field))
    return out


def _harmonic_image(g: Matrix, k: int) -> Matrix:
    """T_k(g): how g ∈ O(2) moves (cos kφ, sin kφ) (or the constant, k = 0)."""
    field = g.field
    one = Matrix.identity(2, field)
    if g @ g.transpose() != one:
        raise InputError(f"the plane's generator {g.to_sympy().tolist()} is not orthogonal: steerable kernels need the "
                         "group in an orthonormal basis of the plane (rotations and reflections)")
    if k == 0:
        return Matrix.identity(1, field)
    reflection = g @ g == one and g != one and g != one.scale(field.neg(field.one))
    if not reflection:
        return g ** k
    s = Matrix.from_coeffs([[field.one, field.zero], [field.zero, field.neg(field.one)]], field)
    return ((g @ s) ** k) @ s
