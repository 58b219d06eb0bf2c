"""Symmetries of images that act on their domain: out(p) = in(φ(p)) for a map φ of the plane,
sampled on a pixel grid with bilinear interpolation.

A linear generator fitted to pixel pairs is the generator of the *sampled* transformation, and
on a small grid a sampled rotation by a finite angle is far from the flow of any pixel-space
generator (7×7, π/10: cosine 0.43 to the derivative at 0).  The symmetry itself lives on the
domain: `domain_flow_from_pairs` reads, from the fitted pixel map, where each output pixel
samples the input (for bilinear interpolation the weights' centroid *is* that point), fits an
affine map of the plane to those points and takes its logarithm — a generator of aff(2) (e.g.
so(2) for rotations about the centre) — and lifts it back to pixels as the derivative at 0 of
the interpolated flow (`pixel_generator`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from invariants.errors import InputError


def grid(height: int, width: int) -> np.ndarray:
    """Pixel centres (x to the right, y up, origin at the image centre), row-major: (h·w, 2)."""
    i, j = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return np.stack([(j - (width - 1) / 2).ravel(), ((height - 1) / 2 - i).ravel()], 1).astype(np.float64)


def bilinear_warp(sources: np.ndarray, height: int, width: int) -> torch.Tensor:
    """The (h·w)×(h·w) operator out(p) = in(sources[p]), bilinear, zero outside the grid.

    Example:
        >>> points = grid(3, 3)
        >>> torch.equal(bilinear_warp(points, 3, 3), torch.eye(9, dtype=torch.float64))
        True
    """
    size = height * width
    if sources.shape != (size, 2):
        raise InputError(f"sources must have shape ({size}, 2), got {tuple(sources.shape)}")
    out = torch.zeros(size, size, dtype=torch.float64)
    for p, (sx, sy) in enumerate(sources):
        jj, ii = sx + (width - 1) / 2, (height - 1) / 2 - sy
        j0, i0 = math.floor(jj), math.floor(ii)
        for di in (0, 1):
            for dj in (0, 1):
                w = (1 - abs(ii - (i0 + di))) * (1 - abs(jj - (j0 + dj)))
                if w > 0 and 0 <= i0 + di < height and 0 <= j0 + dj < width:
                    out[p, (i0 + di) * width + j0 + dj] += w
    return out


def pixel_generator(velocity: np.ndarray, height: int, width: int, eps: float = 1e-6) -> torch.Tensor:
    """The pixel-space generator of the flow ṗ = A p + b of the plane (``velocity`` the 3×3
    homogeneous matrix [[A, b], [0, 0]]): d/dt at 0 of out(p) = in(p − t(Ap + b)), by central
    differences of `bilinear_warp` (the bilinear interpolant has a kink at t = 0)."""
    points = grid(height, width)
    field = points @ velocity[:2, :2].T + velocity[:2, 2]
    return (bilinear_warp(points - eps * field, height, width) - bilinear_warp(points + eps * field, height, width)) / (2 * eps)


@dataclass(frozen=True)
class DomainFlow:
    """A one-parameter symmetry of the image domain found from pairs.

    ``velocity``: 3×3 homogeneous generator [[A, b], [0, 0]] of the flow of the plane (scaled by
    1/angle); ``pixels``: its lift to pixel space (1, h·w, h·w); ``residual``: RMS distance (in
    pixels) of the sampled points from the fitted affine map — large when the transformation
    does not act on the domain; ``used``: how many pixels had all interpolation corners inside."""

    velocity: np.ndarray
    pixels: torch.Tensor
    residual: float
    used: int

    def rotation_part(self) -> float:
        """The share of the linear part A that is a rotation, |A_antisym| / |A| (1 for so(2))."""
        a = self.velocity[:2, :2]
        return float(np.linalg.norm((a - a.T) / 2) / max(np.linalg.norm(a), 1e-300))


def domain_flow_from_pairs(x: torch.Tensor, y: torch.Tensor, height: int, width: int,
                           angle: float = 1.0) -> DomainFlow:
    """Pairs of images (n, h·w) related by one domain transformation → its generator.

    Example:
        >>> from neural.symmetry.tasks import rotated_images
        >>> x, y, true = rotated_images(300)
        >>> flow = domain_flow_from_pairs(x, y, 7, 7, angle=math.pi / 10)
        >>> (np.round(flow.velocity, 6) + 0.0).tolist()
        [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    size = height * width
    if x.ndim != 2 or x.shape != y.shape or x.shape[1] != size:
        raise InputError(f"pairs must both have shape (n, {size}), got {tuple(x.shape)} and {tuple(y.shape)}")
    x, y = x.to(torch.float64), y.to(torch.float64)
    if torch.linalg.matrix_rank(x) < size:
        raise InputError(f"the inputs span fewer than {size} dimensions: the pixel map is not determined; "
                         "give more (or more varied) image pairs")
    pixel_map = torch.linalg.lstsq(x, y).solution.T.numpy()  # y = x Mᵀ
    points = grid(height, width)
    total = pixel_map.sum(1)
    inside = (np.abs(total - 1) < 1e-6) & (pixel_map.min(1) > -1e-6)  # a complete interpolation stencil
    if inside.sum() < 3:
        raise InputError("fewer than 3 pixels sample the input inside the grid: not a domain transformation")
    sampled = pixel_map[inside] @ points  # the centroid of the bilinear weights is the sampled point
    design = np.concatenate([points[inside], np.ones((int(inside.sum()), 1))], 1)
    affine, *_ = np.linalg.lstsq(design, sampled, rcond=None)  # sampled ≈ S p + c
    residual = float(np.sqrt(((design @ affine - sampled) ** 2).sum(1).mean()))
    homogeneous = np.eye(3)
    homogeneous[:2, :2], homogeneous[:2, 2] = affine[:2].T, affine[2]
    # out(p) = in(φ(p)) with φ = exp(−angle·V): the flow moves the picture forward
    evals, evecs = np.linalg.eig(homogeneous)
    log = (evecs @ np.diag(np.log(evals.astype(complex))) @ np.linalg.inv(evecs)).real
    velocity = -log / angle
    return DomainFlow(velocity, pixel_generator(velocity, height, width)[None], residual, int(inside.sum()))
