"""From values on the sphere to spectral coefficients and back.

Example:
    >>> import torch
    >>> from bridge.sphere import sphere_grid
    >>> analysis = SphereAnalysis(3, resolution=8)
    >>> points, _ = sphere_grid(8)
    >>> z = torch.tensor(points[:, 2])
    >>> coefficients = analysis(z[None, None])           # (1, 16): z is Ŷ_{1,0}/√3
    >>> [round(abs(v), 6) for v in coefficients[0, :4].tolist()]
    [0.0, 0.0, 0.57735, 0.0]
"""
from __future__ import annotations

import torch
from torch import nn

from bridge.sphere import harmonic_array, sphere_grid
from invariants.errors import ShapeError
from neural.sphere.types import SphereType


class SphereAnalysis(nn.Module):
    """Values (..., c, N) at the nodes of ``sphere_grid(resolution)`` → coefficients (..., c·(L+1)²) of type
    ``SphereType.signal(c, bandwidth)``; exact for signals of degree ≤ 2·resolution + 1 − bandwidth,
    so a resolution above the band limit keeps the aliasing of rougher inputs small."""

    def __init__(self, bandwidth: int, resolution: int | None = None):
        super().__init__()
        self.bandwidth = bandwidth
        self.resolution = 2 * bandwidth if resolution is None else resolution
        points, weights = sphere_grid(self.resolution)
        self.register_buffer("points", torch.tensor(points), persistent=False)
        values = torch.tensor(harmonic_array(bandwidth, points))                # (N, (L+1)²)
        self.register_buffer("synthesis", values.T.contiguous(), persistent=False)  # coefficients → values
        self.register_buffer("analysis", values * torch.tensor(weights)[:, None], persistent=False)

    def forward(self, values: torch.Tensor) -> torch.Tensor:
        nodes = self.analysis.shape[0]
        if values.ndim < 2 or values.shape[-1] != nodes:
            raise ShapeError(f"values on the sphere have shape (..., channels, {nodes}): the {nodes} nodes of "
                             f"sphere_grid({self.resolution}); got {tuple(values.shape)}")
        coefficients = values @ self.analysis.to(values.dtype)                         # (..., c, (L+1)²)
        blocks = torch.split(coefficients, [2 * l + 1 for l in range(self.bandwidth + 1)], dim=-1)
        return SphereType.signal(values.shape[-2], self.bandwidth).join(list(blocks))
