"""ParticleInteraction: the Lorentz-invariant electron-muon scattering amplitude (EMLP, Finzi et al. 2021)."""
from __future__ import annotations

import numpy as np
import torch

from .base import TaskData, gaussian, vector_rms

ETA = np.diag([1.0, -1.0, -1.0, -1.0])


def particle_target(x: np.ndarray) -> np.ndarray:
    """y = 4 Σ_ij (Le)_ij (Lμ)_ij for rows x = (p1, p2, p3, p4) of four 4-momenta.

    Le = p1 p3ᵀ - (p1·p3 - p1·p1) η and Lμ = (η p2)(η p4)ᵀ - (p2·p4 - p2·p2) η, with
    a·b = aᵀ η b.
    """
    p1, p2, p3, p4 = (x[:, 4 * i:4 * i + 4] for i in range(4))

    def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.einsum("bi,ij,bj->b", a, ETA, b)

    le = p1[:, :, None] * p3[:, None, :] - (dot(p1, p3) - dot(p1, p1))[:, None, None] * ETA
    e2, e4 = p2 @ ETA, p4 @ ETA
    lmu = e2[:, :, None] * e4[:, None, :] - (dot(p2, p4) - dot(p2, p2))[:, None, None] * ETA
    return 4 * (le * lmu).sum(axis=(1, 2))[:, None]


def particle_interaction(n: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` samples x ~ N(0, I_16)/4 (four 4-vectors of O(1,3)) with the scalar target `particle_target`.

    Example:
        >>> d = particle_interaction(2)
        >>> str(d.rep_in), d.group
        ('O(1,3):4xv', O(1,3))
    """
    x = gaussian(n, 16, seed) / 4
    return TaskData("ParticleInteraction", torch.from_numpy(x).to(dtype),
                    torch.from_numpy(particle_target(x)).to(dtype), "O(1,3):4xv", "O(1,3):0", normaliser=vector_rms)
