"""Exact kernel bases and group actions on a lattice, as float arrays for convolution layers.

The engine solves Hom_G(P ⊗ ρ_in, ρ_out) exactly (`invariants.covariants.kernels`); this module
turns a solution into an array ``(basis, d_out, d_in, 2r+1, …)`` laid out as torch's convolution
weights (lattice coordinates = array axes, offsets from the stencil's centre), and keeps the exact
entries on disk beside the compiled generator sets, keyed by the group, both field types and the
stencil, so a network's second construction reads them back.

Example:
    >>> from invariants import dihedral
    >>> G = dihedral(4)
    >>> kernel_basis_array(G.natural(), G.atom("0"), G.regular(), 1).shape
    (9, 8, 1, 3, 3)
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from bridge.cache import RATIONAL, cached_value
from invariants.covariants import kernels as exact
from invariants.covariants.kernels import (check_one_group, element_images, harmonic_kernel_basis, invariant_vectors,
                                           kernel_basis, kernel_field, stencil)
from invariants.errors import InputError
from invariants.groups.representation import Representation

FORMAT = "molien.kernel-basis/2"  # entries as rational coordinates in the field's power basis


def kernel_basis_array(space: Representation, rho_in: Representation, rho_out: Representation,
                       radius: int) -> np.ndarray:
    """Basis kernels on the (2·radius+1)^n stencil, each divided by its Frobenius norm (a positive
    scalar: the span and its equivariance are exact), as float64."""
    dims = space.dim
    side = 2 * radius + 1
    key = ["kernel", space.spec_or_none, rho_in.spec_or_none, rho_out.spec_or_none, radius]

    def compute() -> list:
        basis = kernel_basis(space, rho_in, rho_out, stencil(radius, dims))
        return [[(i, r, c, coords) for i, k in enumerate(kernel) for r, c, coords in k.nonzero_coordinates()]
                for kernel in basis.elements]

    field = kernel_field(space, rho_in, rho_out)

    def valid(i: Any, r: Any, c: Any, coords: Any) -> bool:
        return (all(isinstance(v, int) for v in (i, r, c)) and 0 <= i < side ** dims and 0 <= r < rho_out.dim
                and 0 <= c < rho_in.dim and _coordinates_ok(coords, field))

    entries = _cached(key, compute, lambda value: all(valid(*e) for kernel in value for e in kernel))
    powers = power_basis(field)
    out = np.zeros((len(entries), rho_out.dim, rho_in.dim, side ** dims))
    for b, kernel in enumerate(entries):
        for i, r, c, coords in kernel:
            out[b, r, c, i] = _value(coords, powers)
    norms = np.sqrt((out ** 2).sum(axis=(1, 2, 3)))
    out /= norms[:, None, None, None]
    return out.reshape((len(entries), rho_out.dim, rho_in.dim) + (side,) * dims)


RING_WIDTH = 0.6  # Gaussian rings one pixel apart, as in steerable CNN practice (Weiler & Cesa 2019)
OUTER_RING_WIDTH = 0.4  # the square stencil cuts the outer ring's tail: narrower, it stays round (2.3x less off-group error)


def ring_frequencies(radius: int, max_frequency: int | None = None) -> list[int]:
    """The band limit of each ring 0 … radius: ⌊π r / 2⌋ (a ring of radius r has about 2πr pixels,
    so higher frequencies alias), capped at ``max_frequency``."""
    return [min(int(math.pi * r / 2), max_frequency if max_frequency is not None else 10 ** 9)
            for r in range(radius + 1)]


def steerable_basis_array(plane: Representation, rho_in: Representation, rho_out: Representation, radius: int,
                          max_frequency: int | None = None) -> np.ndarray:
    """Steerable kernels on the (2·radius+1)² pixels: Gaussian rings × angular harmonics whose
    coefficients are the engine's exact solutions (`harmonic_kernel_basis`), sampled in float64 at
    the pixel offsets (u1, u2) = (row, column) from the centre, each of unit norm.  Exactly
    equivariant under the elements that permute pixels; under the others up to sampling."""
    side = 2 * radius + 1
    u1, u2 = np.meshgrid(np.arange(-radius, radius + 1), np.arange(-radius, radius + 1), indexing="ij")
    r, phi = np.hypot(u1, u2), np.arctan2(u2, u1)
    kernels = []
    for ring, band in enumerate(ring_frequencies(radius, max_frequency)):
        width = OUTER_RING_WIDTH if ring == radius and radius > 0 else RING_WIDTH
        profile = np.exp(-((r - ring) ** 2) / (2 * width ** 2))
        for k in range(band + 1):
            harmonics = [np.ones_like(r)] if k == 0 else [np.cos(k * phi), np.sin(k * phi)]
            if k:
                harmonics = [h * (r > 0) for h in harmonics]  # no angle at the centre: a rotation fixes it
            for phi_coeffs in _harmonic_solutions(plane, rho_in, rho_out, k):
                kernel = sum(np.einsum("oi,xy->oixy", phi_coeffs[:, j * rho_in.dim:(j + 1) * rho_in.dim], h)
                             for j, h in enumerate(harmonics)) * profile
                norm = np.sqrt((kernel ** 2).sum())
                if norm > 1e-6:
                    kernels.append(kernel / norm)
    if not kernels:
        return np.zeros((0, rho_out.dim, rho_in.dim, side, side))
    return np.stack(kernels)


def harmonic_kernel_arrays(plane: Representation, rho_in: Representation, rho_out: Representation,
                           max_frequency: int) -> list[tuple[int, np.ndarray]]:
    """The engine's exact angular kernels K(φ) = Σ_j b_j(φ) M_j up to ``max_frequency``, as
    ``(k, Φ)`` pairs with Φ = [M_1 | M_2] float64 ``(d_out, d_in)`` for k = 0 and ``(d_out, 2·d_in)``
    (cos kφ, sin kφ) above: K(gx) = ρ_out(g) K(x) ρ_in(g)⁻¹ for every g of the plane's group.

    Example:
        >>> from invariants import SO2
        >>> G = SO2()
        >>> [(k, m.shape) for k, m in harmonic_kernel_arrays(G.atom("1"), G.frequency(0), G.frequency(1), 2)]
        [(1, (2, 2)), (1, (2, 2))]

    (a scalar's gradient and the gradient turned by a quarter: both commute with rotations)
    """
    return [(k, m) for k in range(max_frequency + 1) for m in _harmonic_solutions(plane, rho_in, rho_out, k)]


def _harmonic_solutions(plane: Representation, rho_in: Representation, rho_out: Representation,
                        k: int) -> list[np.ndarray]:
    width = (1 if k == 0 else 2) * rho_in.dim
    key = ["harmonic", plane.spec_or_none, rho_in.spec_or_none, rho_out.spec_or_none, k]

    def compute() -> list:
        return [[list(e) for e in m.nonzero_coordinates()] for m in harmonic_kernel_basis(plane, rho_in, rho_out, k)]

    field = kernel_field(plane, rho_in, rho_out)

    def valid(value: list) -> bool:
        return all(isinstance(i, int) and isinstance(j, int) and 0 <= i < rho_out.dim and 0 <= j < width
                   and _coordinates_ok(coords, field) for m in value for i, j, coords in m)

    powers = power_basis(field)
    out = []
    for entries in _cached(key, compute, valid):
        m = np.zeros((rho_out.dim, width))
        for i, j, coords in entries:
            m[i, j] = _value(coords, powers)
        out.append(m)
    return out


def power_basis(field: Any) -> list[float]:
    """1, α, α², … as floats for a real field's generator α (QQ: [1.0])."""
    if field.degree == 1:
        return [1.0]
    root = field.root(64)
    if abs(float(root.imag.mid())) > 1e-12:
        raise InputError(f"{field.name} is not embedded in the reals: kernels need real entries")
    alpha = float(root.real.mid())
    return [alpha ** u for u in range(field.degree)]


def _coordinates_ok(coords: Any, field: Any) -> bool:
    return (isinstance(coords, list) and len(coords) == field.degree
            and all(isinstance(c, str) and RATIONAL.fullmatch(c) for c in coords))


def _value(coords: list[str], powers: list[float]) -> float:
    return sum(_number(c) * p for c, p in zip(coords, powers))


def bias_basis_array(rho: Representation) -> np.ndarray:
    """The fixed vectors of ρ (what a bias of a field of type ρ may be), unit length, rows."""
    def compute() -> list:
        return [[[i, coords] for i, _, coords in v.nonzero_coordinates()] for v in invariant_vectors(rho)]

    vectors = _cached(["bias", rho.spec_or_none], compute,
                      lambda value: all(isinstance(i, int) and 0 <= i < rho.dim and _coordinates_ok(c, rho.field)
                                        for v in value for i, c in v))
    powers = power_basis(rho.field)
    out = np.zeros((len(vectors), rho.dim))
    for b, v in enumerate(vectors):
        for i, coords in v:
            out[b, i] = _value(coords, powers)
    return out / np.linalg.norm(out, axis=1, keepdims=True) if len(out) else out


def group_elements(space: Representation) -> list[Any]:
    """The group's elements in a fixed order (the order of `action_arrays` and `lattice_arrays`)."""
    return exact.group_elements(space.group)


def lattice_arrays(space: Representation) -> np.ndarray:
    """The lattice action of every element, ``(|G|, n, n)`` integers (refused when not integral)."""
    mats = element_images(space)
    out = np.zeros((len(mats), space.dim, space.dim), dtype=np.int64)
    for e, m in enumerate(mats):
        for i, row in enumerate(m.entries()):
            for j, a in enumerate(row):
                if a[0].q != 1 or any(x != 0 for x in a[1:]):
                    raise InputError(f"{space.group.name} does not act on the lattice by integer matrices: "
                                     "use a steerable convolution")
                out[e, i, j] = int(a[0].p)
    return out


def action_arrays(space: Representation, rho: Representation) -> np.ndarray:
    """ρ(g) for every element g (in `group_elements` order of the space's group), ``(|G|, d, d)`` float64."""
    check_one_group(space, rho)
    return np.stack([m.to_numpy(float) for m in element_images(rho)])


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> float:
    return float(Fraction(text))


def _cached(key: list, compute: Callable[[], list], valid: Callable[[list], bool]) -> list:
    if any(part is None for part in key):
        return compute()  # a representation without a spec has no stable key: computed each time

    def decode(data: dict) -> list:
        value = data["value"]
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value) or not valid(value):
            raise TypeError("a damaged kernel basis file")
        return value

    return cached_value("kernels", FORMAT, key, compute, lambda value: {"value": value}, decode)
