"""Leave-one-out error of Gaussian kernel ridge regression: a closed-form stand-in for "how well
would a smooth network do on these features", used to choose features before any gradient step.

A network is expensive to train once per candidate; kernel ridge regression on the same features
is a smooth interpolant whose exact leave-one-out residuals cost one eigendecomposition per
bandwidth (every ridge then reuses it).  Only the ranking of candidates is used, never the fit.
"""
from __future__ import annotations

import torch

from .standardize import Standardizer

BANDWIDTHS = (0.5, 1.0, 2.0)                 # × the median distance between samples
RIDGES = (1e-8, 1e-6, 1e-4, 1e-2, 1e-1, 1.0)
MAX_SAMPLES = 1000                           # the cost is cubic: larger sets use their first MAX_SAMPLES rows


@torch.no_grad()
def kernel_loo_mse(f: torch.Tensor, y: torch.Tensor, *, max_samples: int = MAX_SAMPLES) -> float:
    """The lowest leave-one-out MSE of Gaussian kernel ridge regression of ``y`` on features ``f``
    (standardised first) over a grid of bandwidths and ridges.

    Example:
        >>> import torch
        >>> f = torch.linspace(-2, 2, 60, dtype=torch.float64)[:, None]
        >>> smooth, noise = torch.sin(2 * f), torch.randn(60, 1, generator=torch.Generator().manual_seed(0))
        >>> kernel_loo_mse(f, smooth) < 1e-3 < kernel_loo_mse(f, noise)
        True
    """
    return _select(f[:max_samples], y[:max_samples])[0]


@torch.no_grad()
def kernel_extrapolation_mse(f: torch.Tensor, y: torch.Tensor, f_out: torch.Tensor, y_out: torch.Tensor, *,
                             max_samples: int = MAX_SAMPLES) -> float:
    """The MSE on (``f_out``, ``y_out``) of kernel ridge regression fitted on (``f``, ``y``), its
    bandwidth and ridge chosen by leave-one-out: how the smooth interpolant extrapolates (towards
    the mean) where it saw no data.

    Example:
        >>> import torch
        >>> f = torch.linspace(-2, 2, 60, dtype=torch.float64)[:, None]
        >>> far = torch.linspace(3, 4, 10, dtype=torch.float64)[:, None]
        >>> kernel_extrapolation_mse(f, f**3, far, far**3) > 100      # a cubic is not extrapolated
        True
    """
    _, standardize, mean, scale, alpha = _select(f[:max_samples], y[:max_samples])
    inner = standardize(f[:max_samples].double())
    kernel = torch.exp(-torch.cdist(standardize(f_out.double()), inner).pow(2) / scale)
    return float((kernel @ alpha + mean - y_out.double().reshape(len(y_out), -1)).pow(2).mean())


@torch.no_grad()
def pair_kernel_loo_mse(u: torch.Tensor, y: torch.Tensor, *, max_samples: int = MAX_SAMPLES) -> float:
    """The lowest leave-one-out MSE of kernel ridge regression with the additive kernel
    Σ_p exp(−|u_p − u'_p|² / s) over the pairs p of ``u`` (samples, pairs, features): the
    closed-form stand-in for a `PairSum` (a smooth function per pair, summed), as `kernel_loo_mse`
    is for an MLP.

    Example:
        >>> import torch
        >>> u = torch.randn(80, 6, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
        >>> y = torch.sin(u).sum((1, 2))[:, None]
        >>> pair_kernel_loo_mse(u, y) < 0.1 * kernel_loo_mse(u.flatten(1), y)
        True
    """
    u, y = u[:max_samples].double(), y[:max_samples].double().reshape(len(u[:max_samples]), -1)
    u = Standardizer.fit(u.reshape(-1, u.shape[-1]), correction=0)(u.reshape(-1, u.shape[-1])).reshape(u.shape)
    d2 = [torch.cdist(u[:, p], u[:, p]).pow(2) for p in range(u.shape[1])]
    median = torch.stack([d[d > 0].median() for d in d2[:8]]).mean() if bool((d2[0] > 0).any()) else torch.ones(())
    return _loo(lambda scale: sum(torch.exp(-d / scale) for d in d2), median, y)[0]


def _select(f: torch.Tensor, y: torch.Tensor):
    """(LOO MSE, standardiser, target mean, 2·width²·median, dual coefficients) of the best
    (bandwidth, ridge)."""
    f, y = f.double(), y.double().reshape(len(y), -1)
    standardize = Standardizer.fit(f, correction=0)
    f = standardize(f)
    d2 = torch.cdist(f, f).pow(2)
    median = d2[d2 > 0].median() if bool((d2 > 0).any()) else torch.ones((), dtype=f.dtype)
    loo, mean, scale, alpha = _loo(lambda scale: torch.exp(-d2 / scale), median, y)
    return loo, standardize, mean, scale, alpha


def _loo(kernel, median: torch.Tensor, y: torch.Tensor):
    """(LOO MSE, target mean, scale, dual coefficients) of the best bandwidth and ridge for the
    kernel matrices ``kernel(scale)``."""
    mean = y.mean(0)
    y = y - mean
    best = (float("inf"), mean, None, None)
    for width in BANDWIDTHS:
        scale = 2 * width**2 * median
        values, vectors = torch.linalg.eigh(kernel(scale))
        projected = vectors.T @ y
        for ridge in RIDGES:
            inverse = 1 / (values.clamp_min(0) + ridge)
            # (K + λI)⁻¹ y and the diagonal of (K + λI)⁻¹: the residuals α_i / (K + λI)⁻¹_ii
            alpha = vectors @ (inverse[:, None] * projected)
            diagonal = (vectors**2) @ inverse
            loo = float(((alpha / diagonal[:, None]) ** 2).mean())
            if loo < best[0]:
                best = (loo, mean, scale, alpha)
    return best
