"""Spherical signals as arrays: an exact quadrature on S², the engine's harmonics on it, its
Clebsch–Gordan maps and rotation matrices, all in one orthonormal basis.

The engine's ``SO3().irrep(l)`` acts on the rational solid harmonics Y_{l,m}, which are orthogonal on
the sphere but not normalised.  The arrays here use the same harmonics scaled to unit mean square,
Ŷ_{l,m} = Y_{l,m} / √g_{l,m} (g from ``sphere_norms``, exact), so coefficients are O(1), the invariant
form is the Euclidean norm, and a rotation acts by the orthogonal matrix √g⁻¹ D(R) √g.  The
Clebsch–Gordan tensors are the engine's exact maps conjugated the same way.

Example:
    >>> points, weights = sphere_grid(4)
    >>> values = harmonic_array(4, points)             # (N, 25): Ŷ_{l,m}(point), l ≤ 4
    >>> bool(abs(values.T @ (weights[:, None] * values) - np.eye(25)).max() < 1e-12)
    True
"""
from __future__ import annotations

import functools

import numpy as np
import torch

from invariants.errors import InputError, TooLargeError, check_int
from invariants.groups.compact.clebsch_gordan import clebsch_gordan, sphere_norms
from invariants.groups.compact.harmonics import harmonic_polynomials

from .actions import _wigner


# float64 entries of one table of harmonics at grid points (N points × (L+1)² harmonics): 2 GB
MAX_HARMONIC_ENTRIES = 250_000_000


def _check_band(bandwidth: int) -> None:
    check_int(bandwidth, "the band limit L", 0)


def _check_table(points: int, bandwidth: int, what: str) -> None:
    """A `TooLargeError` before a table of points × (L+1)² harmonics past MAX_HARMONIC_ENTRIES is built."""
    entries = points * (bandwidth + 1) ** 2
    if entries > MAX_HARMONIC_ENTRIES:
        raise TooLargeError(f"{what}: {points:,} points × {(bandwidth + 1) ** 2:,} harmonics = {entries:,} float64 "
                            f"entries, above MAX_HARMONIC_ENTRIES = {MAX_HARMONIC_ENTRIES:,} (2 GB); lower the "
                            "bandwidth or resolution, or raise bridge.sphere.MAX_HARMONIC_ENTRIES",
                            estimate=entries, option="bridge.sphere.MAX_HARMONIC_ENTRIES")


@functools.lru_cache(maxsize=32)
def sphere_grid(bandwidth: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes in z (``bandwidth + 1``) × equispaced φ (``2 bandwidth + 2``): points (N, 3)
    and weights (N,) summing to 1, integrating every polynomial of degree ≤ 2·bandwidth + 1 on the
    sphere exactly — so analysis of signals band-limited to ``bandwidth`` is exact up to rounding.
    (numpy's Gauss–Legendre: no new dependency, and exact where HEALPix grids are only approximate.)"""
    _check_band(bandwidth)
    _check_table((bandwidth + 1) * (2 * bandwidth + 2), 0, f"the sphere grid of resolution {bandwidth:,}")
    z, w = np.polynomial.legendre.leggauss(bandwidth + 1)
    n_phi = 2 * bandwidth + 2
    phi = 2 * np.pi * np.arange(n_phi) / n_phi
    s = np.sqrt(1 - z**2)
    points = np.stack([np.outer(s, np.cos(phi)), np.outer(s, np.sin(phi)), np.outer(z, np.ones(n_phi))], -1).reshape(-1, 3)
    weights = np.repeat(w / 2 / n_phi, n_phi)
    return points, weights


@functools.lru_cache(maxsize=64)
def _monomials(l: int) -> tuple[np.ndarray, np.ndarray]:
    """(exponents (T, 3), coefficients ((2l+1), T)) of the normalised harmonics of degree l."""
    polys = harmonic_polynomials(l)
    exponents = sorted({tuple(int(e) for e in m) for p in polys for m in p.to_dict()})
    index = {m: i for i, m in enumerate(exponents)}
    coefficients = np.zeros((len(polys), len(exponents)))
    for row, (p, g) in enumerate(zip(polys, sphere_norms(l))):
        for m, c in p.to_dict().items():
            coefficients[row, index[tuple(int(e) for e in m)]] = float(c) / np.sqrt(float(g))
    return np.array(exponents, dtype=int).reshape(-1, 3), coefficients


def harmonic_array(bandwidth: int, points: np.ndarray) -> np.ndarray:
    """Ŷ_{l,m}(p) for l ≤ bandwidth, m = −l … l (l-major), at unit vectors ``points`` (N, 3): (N, (L+1)²)."""
    _check_band(bandwidth)
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 3:
        raise InputError(f"points on the sphere are an array of shape (N, 3), got {points.shape}")
    _check_table(len(points), bandwidth, f"harmonics of degree <= {bandwidth:,}")
    powers = [points[:, i, None] ** np.arange(bandwidth + 1) for i in range(3)]   # (N, L+1) each
    blocks = []
    for l in range(bandwidth + 1):
        exponents, coefficients = _monomials(l)
        values = powers[0][:, exponents[:, 0]] * powers[1][:, exponents[:, 1]] * powers[2][:, exponents[:, 2]]
        blocks.append(values @ coefficients.T)
    return np.concatenate(blocks, axis=1)


@functools.lru_cache(maxsize=None)
def clebsch_gordan_array(l1: int, l2: int, l: int) -> np.ndarray:
    """The engine's exact map V_{l1} ⊗ V_{l2} → V_l in the normalised harmonics, as a float tensor
    (2l+1, 2l1+1, 2l2+1) with unit Frobenius norm: out_m = Σ C[m, m1, m2] x_{m1} y_{m2}."""
    exact = clebsch_gordan(l1, l2, l)
    c = np.array([[float(v) for (v,) in row] for row in exact.entries()]).reshape(2 * l + 1, 2 * l1 + 1, 2 * l2 + 1)
    root = [np.sqrt(np.array([float(g) for g in sphere_norms(k)])) for k in (l, l1, l2)]
    c = c / root[0][:, None, None] * root[1][None, :, None] * root[2][None, None, :]
    return c / np.linalg.norm(c)


def rotation_blocks(bandwidth: int, rotations: torch.Tensor) -> list[torch.Tensor]:
    """For rotations (B, 3, 3): the orthogonal matrices (B, 2l+1, 2l+1), l ≤ bandwidth, by which they act
    on normalised analysis coefficients a_{l,m} = mean(f Ŷ_{l,m}) of f ↦ f ∘ R⁻¹."""
    _check_band(bandwidth)
    out = []
    for l in range(bandwidth + 1):
        root = torch.tensor([float(g) for g in sphere_norms(l)], dtype=rotations.dtype).sqrt()
        out.append(_wigner(l, rotations) * root[None, None, :] / root[None, :, None])
    return out
