"""Leave-one-out error of Gaussian kernel ridge regression: a closed-form stand-in for "how well
would a smooth network do on these features", used to choose features before any gradient step.

A network is expensive to train once per candidate; kernel ridge regression on the same features
is a smooth interpolant whose exact leave-one-out residuals cost one eigendecomposition per
bandwidth (every ridge then reuses it).  Its leave-one-out errors rank feature sets before
training; the fitted `KernelRidge` of the best is blended with the trained network afterwards
(`neural.models.InvariantModel.settle`).
"""
from __future__ import annotations

import torch
from torch import nn

from .standardize import Standardizer

BANDWIDTHS = (0.5, 1.0, 2.0)                 # × the median distance between samples
RIDGES = (1e-8, 1e-6, 1e-4, 1e-2, 1e-1, 1.0)
MAX_SAMPLES = 1000                           # the cost is cubic: larger sets use their first MAX_SAMPLES rows
CHUNK = 4096                                 # rows predicted at once


class KernelRidge(nn.Module):
    """Gaussian kernel ridge regression fitted in closed form, its bandwidth and ridge chosen by
    exact leave-one-out error (``loo_mse``).  Features ``(samples, F)`` get the Gaussian kernel
    exp(−|f − f'|²/s); ``(samples, parts, F)`` the additive kernel Σ_p exp(−|f_p − f'_p|²/s), whose
    functions are sums of one function per part (pairs of points: `neural.pair_sum.PairSum`'s
    closed-form twin).  Features are standardised first (over samples, and parts); s is a
    multiple of the median squared distance.  It keeps its (at most ``max_samples``) training rows:
    predicting costs one kernel row per training sample.

    Example:
        >>> import torch
        >>> f = torch.linspace(-2, 2, 60, dtype=torch.float64)[:, None]
        >>> model = KernelRidge.fit(f, torch.sin(2 * f))
        >>> model.loo_mse < 1e-3, float((model(f) - torch.sin(2 * f)).abs().max()) < 1e-2
        (True, True)
    """

    def __init__(self, train: torch.Tensor, alpha: torch.Tensor, mean: torch.Tensor, scale: torch.Tensor,
                 standardize: Standardizer, loo_mse: float):
        super().__init__()
        self.standardize = standardize
        self.register_buffer("samples", train)   # (samples, parts, F), standardised
        self.register_buffer("alpha", alpha)
        self.register_buffer("mean", mean)
        self.register_buffer("scale", scale)
        self.loo_mse = loo_mse

    @classmethod
    @torch.no_grad()
    def fit(cls, f: torch.Tensor, y: torch.Tensor, *, max_samples: int = MAX_SAMPLES) -> "KernelRidge":
        """Fit on the first ``max_samples`` rows of (``f``, ``y``) (the cost is cubic in them)."""
        f, y = f[:max_samples].double(), y[:max_samples].double().reshape(len(f[:max_samples]), -1)
        parts = f if f.dim() == 3 else f[:, None]
        standardize = Standardizer.fit(parts.reshape(-1, parts.shape[-1]), correction=0)
        parts = standardize(parts)
        d2 = [torch.cdist(parts[:, p], parts[:, p]).pow(2) for p in range(parts.shape[1])]
        # the bandwidth's unit: the median squared distance, over the first parts (enough, and cheap)
        medians = [d[d > 0].median() for d in d2[:8] if bool((d > 0).any())]
        median = torch.stack(medians).mean() if medians else torch.ones((), dtype=f.dtype)
        loo, mean, scale, alpha = _loo(lambda s: sum(torch.exp(-d / s) for d in d2), median, y)
        return cls(parts, alpha, mean, scale, standardize, loo)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        parts = self.standardize(f.to(self.samples.dtype) if f.dim() == 3 else f.to(self.samples.dtype)[:, None])
        rows = []
        for chunk in parts.split(CHUNK):   # a chunk's kernel rows, not the whole batch's, in memory
            kernel = sum(torch.exp(-torch.cdist(chunk[:, p], self.samples[:, p]).pow(2) / self.scale)
                         for p in range(self.samples.shape[1]))
            rows.append(kernel @ self.alpha + self.mean)
        return torch.cat(rows)


@torch.no_grad()
def kernel_loo_mse(f: torch.Tensor, y: torch.Tensor, *, max_samples: int = MAX_SAMPLES) -> float:
    """The lowest leave-one-out MSE of Gaussian kernel ridge regression of ``y`` on features ``f``
    (`KernelRidge`: standardised first) over a grid of bandwidths and ridges.

    Example:
        >>> import torch
        >>> f = torch.linspace(-2, 2, 60, dtype=torch.float64)[:, None]
        >>> smooth, noise = torch.sin(2 * f), torch.randn(60, 1, generator=torch.Generator().manual_seed(0))
        >>> kernel_loo_mse(f, smooth) < 1e-3 < kernel_loo_mse(f, noise)
        True
    """
    return KernelRidge.fit(f, y, max_samples=max_samples).loo_mse


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
    predicted = KernelRidge.fit(f, y, max_samples=max_samples)(f_out)
    return float((predicted - y_out.double().reshape(len(y_out), -1)).pow(2).mean())


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
    return KernelRidge.fit(u, y, max_samples=max_samples).loo_mse


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
