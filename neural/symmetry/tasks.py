"""The symmetry-learning tasks of the anchors, regenerated from their definitions.

* `two_body`: Keplerian two-body states in the plane (LieGAN, Yang et al. 2023): pairs
  (x_t, x_{t+Δ}) of 8-vectors (q1, p1, q2, p2); the flow commutes with rotating all four vectors.
* `c7_task`: x ~ N(0, I₃), y = x₃ / (1 + mod(atan2(x₂, x₁), 2π/7)) — invariant under C7 about z.
* `rotated_images`: random 7×7 images and copies rotated by π/10 (L-conv, Dehmamy et al. 2021),
  either with i.i.d. U(−½, ½) pixels and bilinear rotation (the anchor's definition) or smooth
  (band-limited: Hermite functions of total degree ≤ 6, rotated exactly).
* `modified_inertia`: the inertia task with target I + 0.3 (I ẑ) ẑᵀ (Residual Pathway Priors,
  Finzi et al. 2021): O(3) broken to O(2) about z.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from invariants.errors import InputError

from ..datasets.base import TaskData
from ..datasets.inertia import K, inertia, inertia_target
from .images import bilinear_warp, grid, pixel_generator


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- two bodies ------------------------------------------------------------------------------------
def _kepler_field(x: np.ndarray) -> np.ndarray:
    """d/dt (q1, p1, q2, p2) for unit masses and potential −1/|q1 − q2|."""
    q1, p1, q2, p2 = x[:, 0:2], x[:, 2:4], x[:, 4:6], x[:, 6:8]
    d = q1 - q2
    force = -d / np.linalg.norm(d, axis=1, keepdims=True) ** 3
    return np.concatenate([p1, force, p2, -force], axis=1)


def _rk4(x: np.ndarray, dt: float, substeps: int) -> np.ndarray:
    h = dt / substeps
    for _ in range(substeps):
        k1 = _kepler_field(x)
        k2 = _kepler_field(x + 0.5 * h * k1)
        k3 = _kepler_field(x + 0.5 * h * k2)
        k4 = _kepler_field(x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def two_body(n: int, seed: int = 0, *, dt: float = 0.1) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` pairs (x_t, x_{t+dt}) on bound Kepler orbits, centre of mass at rest at the origin.

    Example:
        >>> x, y = two_body(4)
        >>> x.shape, y.shape
        (torch.Size([4, 8]), torch.Size([4, 8]))
    """
    rng = _rng(seed)
    r = rng.uniform(0.5, 1.5, n)
    angle = rng.uniform(0, 2 * math.pi, n)
    rel = np.stack([r * np.cos(angle), r * np.sin(angle)], 1)
    speed = np.sqrt(2.0 / r) * rng.uniform(0.7, 1.1, n)  # circular relative speed √(2/r) for reduced mass ½
    tangent = np.stack([-np.sin(angle), np.cos(angle)], 1) * rng.choice([-1.0, 1.0], n)[:, None]
    p = 0.5 * speed[:, None] * tangent
    x = np.concatenate([rel / 2, p, -rel / 2, -p], axis=1)
    x = _rk4(x, float(rng.uniform(0, 5)), 200)  # a random phase of each orbit
    y = _rk4(x, dt, 20)
    return torch.from_numpy(x), torch.from_numpy(y)


def two_body_generator() -> torch.Tensor:
    """The true symmetry: all four planar vectors rotated together (8×8, blocks [[0, 1], [−1, 0]])."""
    block = torch.tensor([[0.0, 1.0], [-1.0, 0.0]], dtype=torch.float64)
    return torch.block_diag(*[block] * 4)[None]


# -- C7 --------------------------------------------------------------------------------------------
def c7_task(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """x ~ N(0, I₃), y = x₃ / (1 + mod(atan2(x₂, x₁), 2π/7)).

    Example:
        >>> x, y = c7_task(5)
        >>> x.shape, y.shape
        (torch.Size([5, 3]), torch.Size([5]))
    """
    x = _rng(seed).standard_normal((n, 3))
    return torch.from_numpy(x), c7_function(torch.from_numpy(x))


def c7_function(x: torch.Tensor) -> torch.Tensor:
    """The C7-invariant target of `c7_task`, for any batch of points of R³."""
    sector = torch.remainder(torch.atan2(x[:, 1], x[:, 0]), 2 * math.pi / 7)
    return x[:, 2] / (1 + sector)


# -- rotated images --------------------------------------------------------------------------------
SIZE = 7


def bilinear_rotation(theta: float) -> torch.Tensor:
    """The 49×49 operator out(p) = in(R(−θ) p) with bilinear interpolation, zero outside the grid."""
    c, s = math.cos(theta), math.sin(theta)
    return bilinear_warp(grid(SIZE, SIZE) @ np.array([[c, s], [-s, c]]).T, SIZE, SIZE)


def pixel_rotation_generator() -> torch.Tensor:
    """x∂_y − y∂_x on the grid as the derivative at θ = 0 of `bilinear_rotation` (central differences)."""
    rotation = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    return pixel_generator(rotation, SIZE, SIZE)[None]


def _hermite_basis(degree: int = 6, scale: float = 1.3) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Samples on the grid of the Hermite functions H_a(x/s) H_b(y/s) e^{−(x²+y²)/2s²}, a + b ≤ degree."""
    points = grid(SIZE, SIZE)
    u, v = points[:, 0] / scale, points[:, 1] / scale
    herm = lambda k, t: np.polynomial.hermite_e.hermeval(t, [0] * k + [1])  # noqa: E731
    index = [(a, d - a) for d in range(degree + 1) for a in range(d + 1)]
    cols = [herm(a, u) * herm(b, v) * np.exp(-(u**2 + v**2) / 2) for a, b in index]
    return np.stack(cols, 1), index


def _hermite_rotation_generator(index: list[tuple[int, int]]) -> np.ndarray:
    """u∂_v − v∂_u on the span of φ_ab = He_a(u) He_b(v) e^{−(u²+v²)/2}, exactly.

    ∂_u φ_ab = −φ_{a+1,b} and t He_a = He_{a+1} + a He_{a−1} give
    (u∂_v − v∂_u) φ_ab = −a φ_{a−1,b+1} + b φ_{a+1,b−1}: each total degree is invariant."""
    pos = {ab: k for k, ab in enumerate(index)}
    gen = np.zeros((len(index), len(index)))
    for (a, b), k in pos.items():
        if a > 0:
            gen[pos[(a - 1, b + 1)], k] -= a
        if b > 0:
            gen[pos[(a + 1, b - 1)], k] += b
    return gen


def rotated_images(n: int, seed: int = 0, *, smooth: bool = False, angle: float = math.pi / 10
                   ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``n`` random 7×7 images (flattened to 49), their copies rotated by ``angle``, and the true
    generator (1, 49, 49).

    ``smooth=False``: pixels U(−½, ½), bilinear rotation, generator = its derivative at 0 (the
    anchor's task; a 7×7 grid makes interpolated rotation far from a one-parameter group).
    ``smooth=True``: images in the span of the Hermite functions of total degree ≤ 6 (28 of them,
    well conditioned on the grid),
    rotated exactly; the generator is x∂_y − y∂_x on that span, carried to pixels.

    Example:
        >>> x, y, gen = rotated_images(3, smooth=True)
        >>> x.shape, gen.shape
        (torch.Size([3, 49]), torch.Size([1, 49, 49]))
    """
    rng = _rng(seed)
    if not smooth:
        x = torch.from_numpy(rng.uniform(-0.5, 0.5, (n, SIZE * SIZE)))
        return x, x @ bilinear_rotation(angle).T, pixel_rotation_generator()
    basis, index = _hermite_basis()
    gen = _hermite_rotation_generator(index)
    coeffs = rng.standard_normal((n, len(index))) / np.sqrt(1 + np.array([a + b for a, b in index]))
    rot = torch.linalg.matrix_exp(torch.from_numpy(gen) * angle).numpy()
    pinv = np.linalg.pinv(basis)
    x = coeffs @ basis.T
    y = (coeffs @ rot.T) @ basis.T
    pixel_gen = basis @ gen @ pinv
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(pixel_gen)[None]


# -- ModifiedInertia -------------------------------------------------------------------------------
def modified_inertia_target(x: np.ndarray) -> np.ndarray:
    """I + 0.3 (I ẑ) ẑᵀ, flattened row-major, with I the inertia tensor of `inertia_target`."""
    tensor = inertia_target(x).reshape(-1, 3, 3)
    tensor[:, :, 2] += 0.3 * tensor[:, :, 2]
    return tensor.reshape(-1, 9)


def modified_inertia(n: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> TaskData:
    """The inertia inputs of `neural.datasets.inertia` with the RPP target (breaks O(3) to O(2) about z).

    Example:
        >>> d = modified_inertia(2)
        >>> d.Y.shape, d.name
        (torch.Size([2, 9]), 'ModifiedInertia')
    """
    if n < 1:
        raise InputError(f"n must be positive, got {n}")
    base = inertia(n, seed, dtype)
    y = torch.from_numpy(modified_inertia_target(base.X.numpy().astype(np.float64))).to(dtype)
    return TaskData("ModifiedInertia", base.X, y, f"O(2):{K}x0+{K}x(v+0)", "O(2):(v+0)*(v+0)",
                    normaliser=base.normaliser)


__all__ = ["two_body", "two_body_generator", "c7_task", "c7_function", "rotated_images", "bilinear_rotation",
           "pixel_rotation_generator", "modified_inertia", "modified_inertia_target"]
