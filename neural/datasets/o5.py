"""O5Synthetic: an O(5)-invariant regression target of two vectors in R^5 (EMLP, Finzi et al. 2021)."""
from __future__ import annotations

import numpy as np
import torch

from .base import TaskData, gaussian, vector_rms


def o5_target(x: np.ndarray) -> np.ndarray:
    """y = sin(|x1|) - |x2|^3 / 2 + <x1, x2> / (|x1| |x2|) for rows x = (x1, x2) of length 10."""
    x1, x2 = x[:, :5], x[:, 5:]
    n1, n2 = np.linalg.norm(x1, axis=1), np.linalg.norm(x2, axis=1)
    return (np.sin(n1) - 0.5 * n2**3 + (x1 * x2).sum(axis=1) / (n1 * n2))[:, None]


def o5_synthetic(n: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` samples x ~ N(0, I_10) (two vectors of O(5)) with the scalar target `o5_target`.

    Example:
        >>> d = o5_synthetic(3, seed=1)
        >>> d.rep_in.dim, d.rep_out.dim, d.group
        (10, 1, O(5))
    """
    x = gaussian(n, 10, seed)
    return TaskData("O5Synthetic", torch.from_numpy(x).to(dtype), torch.from_numpy(o5_target(x)).to(dtype),
                    "O(5):2xv", "O(5):0", normaliser=vector_rms)
