"""SymmetricSet: a permutation-invariant function of a set of n reals (molien's own task, for DeepSets);
CyclicSet: a function of n reals on a cycle, invariant under the rotations C_n only.

x ~ N(0, I_n) is read as the multiset {x_1, ..., x_n}; the target mixes a polynomial invariant
and a smooth non-polynomial pair interaction:

    y = (1/n) Σ_{i<j} [ x_i x_j + exp(-(x_i - x_j)² / 2) ]

The first half is e_2(x)/n, a degree-2 generator of the invariant ring of S(n) (an exact
invariant basis represents it with one feature); the second is a Gaussian pair kernel, which a
DeepSets sum over single elements can only approximate through many moments.  The group S(n)
acts on R^n by permutation matrices, so the input is one vector of S(n).

CyclicSet reads x as values on the vertices of an n-gon and sums an asymmetric interaction of
neighbours,

    y = (1/n) Σ_i [ x_i x_{i+1}² + exp(-(x_i - 2 x_{i+1})² / 2) ]     (indices mod n),

invariant under the rotations of the n-gon but neither under its reflections nor under other
permutations: a model invariant under all of S(n) (DeepSets) is wrong by construction.
"""
from __future__ import annotations

import numpy as np
import torch

from invariants.errors import InputError
from .base import TaskData, check_size, gaussian, vector_rms


def set_target(x: np.ndarray) -> np.ndarray:
    """(1/n) Σ_{i<j} [x_i x_j + exp(-(x_i - x_j)²/2)] for rows x of length n."""
    n = x.shape[1]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    pair = x[:, :, None] * x[:, None, :] + np.exp(-0.5 * (x[:, :, None] - x[:, None, :]) ** 2)
    return (pair[:, upper].sum(axis=1) / n)[:, None]


def symmetric_set(n: int, seed: int = 0, *, set_size: int = 8, dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` sets of ``set_size`` standard normal reals with the S(set_size)-invariant target `set_target`.

    Normalisation (option, EMLP style): one RMS scale for the whole vector, target standardised.

    Example:
        >>> d = symmetric_set(4, set_size=5)
        >>> d.X.shape, d.group
        (torch.Size([4, 5]), symmetric(5))
    """
    size = check_size(set_size, "set_size")
    if size < 2:
        raise InputError(f"set_size must be at least 2 (a pair interaction needs two elements), got {size}")
    x = gaussian(n, size, seed)
    return TaskData("SymmetricSet", torch.from_numpy(x).to(dtype), torch.from_numpy(set_target(x)).to(dtype),
                    f"symmetric({size}):v", f"symmetric({size}):0", normaliser=vector_rms)


def cyclic_target(x: np.ndarray) -> np.ndarray:
    """(1/n) Σ_i [x_i x_{i+1}² + exp(-(x_i - 2 x_{i+1})²/2)] for rows x of length n (indices mod n)."""
    nxt = np.roll(x, -1, axis=1)
    return ((x * nxt ** 2 + np.exp(-0.5 * (x - 2 * nxt) ** 2)).sum(axis=1) / x.shape[1])[:, None]


def cyclic_set(n: int, seed: int = 0, *, set_size: int = 8, dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` rows of ``set_size`` standard normal reals on a cycle with the C(set_size)-invariant
    target `cyclic_target`.

    Example:
        >>> d = cyclic_set(4, set_size=5)
        >>> d.X.shape, d.rep_in
        (torch.Size([4, 5]), load_spec("cyclic(5, form='permutation'):v"))
    """
    size = check_size(set_size, "set_size")
    if size < 3:
        raise InputError(f"set_size must be at least 3 (a cycle needs three vertices), got {size}")
    x = gaussian(n, size, seed)
    return TaskData("CyclicSet", torch.from_numpy(x).to(dtype), torch.from_numpy(cyclic_target(x)).to(dtype),
                    f"cyclic({size}, form='permutation'):v", f"cyclic({size}, form='permutation'):0",
                    normaliser=vector_rms)
