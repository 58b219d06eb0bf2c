"""Inertia: the O(3)-equivariant inertia tensor of 5 point masses (EMLP, Finzi et al. 2021)."""
from __future__ import annotations

import numpy as np
import torch

from .base import TaskData, gaussian

K = 5  # point masses


def inertia_target(x: np.ndarray) -> np.ndarray:
    """Σ_i m_i (|r_i|^2 I - r_i r_iᵀ), flattened row-major, for rows x = (m_1..m_5, r_1..r_5)."""
    m, r = x[:, :K], x[:, K:].reshape(-1, K, 3)
    r2 = (r**2).sum(axis=2)
    tensor = np.einsum("bk,bkij->bij", m, r2[:, :, None, None] * np.eye(3) - r[:, :, :, None] * r[:, :, None, :])
    return tensor.reshape(-1, 9)


def inertia(n: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` samples: z ~ N(0, I_20), masses softplus(z_1..z_5), positions z_6..z_20 as 5 vectors of R^3.

    X holds the masses (not z), so the input type is 5 scalars + 5 vectors; the target is a
    rank-2 tensor of O(3) (`inertia_target`).  EMLP reports this task without normalisation.

    Example:
        >>> d = inertia(2)
        >>> str(d.rep_in), str(d.rep_out), bool((d.X[:, :5] > 0).all())
        ('O(3):5x0+5xv', 'O(3):v*v', True)
    """
    x = gaussian(n, 4 * K, seed)
    x[:, :K] = np.logaddexp(0.0, x[:, :K])  # softplus log(1 + e^z), without overflow
    return TaskData("Inertia", torch.from_numpy(x).to(dtype), torch.from_numpy(inertia_target(x)).to(dtype),
                    f"O(3):{K}x0+{K}xv", "O(3):v*v")
