"""A smooth surrogate of data, to differentiate when only samples (x, y) are given.

Symmetry discovery needs ∇f (or J_f); from data we fit an unconstrained SiLU MLP — smooth, so its
derivatives exist everywhere, and with no symmetry built in, so what it obeys comes from the data.
"""
from __future__ import annotations

import torch
from torch import nn

from invariants.errors import InputError

from ..standardize import Standardizer
from ..training import fit


class Surrogate(nn.Module):
    """y ≈ MLP(x) · scale + mean, the `Standardizer` ``out`` inverted (plus x itself with ``residual=True``,
    for flows x ↦ x_{t+Δ})."""

    def __init__(self, n_in: int, n_out: int, *, width: int = 256, residual: bool = False):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, width), nn.SiLU(), nn.Linear(width, width), nn.SiLU(),
                                 nn.Linear(width, n_out))
        self.residual = residual
        self.out = Standardizer.identity(n_out, torch.get_default_dtype())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.out.inverse(self.net(x.to(self.out.scale.dtype)))
        return out + x.to(out.dtype) if self.residual else out


def fit_surrogate(x: torch.Tensor, y: torch.Tensor, *, residual: bool = False, width: int = 256, steps: int = 4000,
                  lr: float = 2e-3, seed: int = 0, dtype: torch.dtype = torch.float32,
                  progress: bool = False) -> Surrogate:
    """Fit a `Surrogate` to all samples by full-batch Adam (`neural.training.fit`, ``steps`` epochs of one
    batch) on the standardised squared error, with a cosine learning-rate schedule; ``progress``
    draws `fit`'s bar (about a minute per 10⁴ samples at the default 4000 steps on 2 CPU cores).

    Example:
        >>> x = torch.randn(64, 2, dtype=torch.float64)
        >>> model = fit_surrogate(x, (x**2).sum(1, keepdim=True), steps=200, width=32)
        >>> float(((model(x).detach() - (x**2).sum(1, keepdim=True))**2).mean()) < 0.1
        True
    """
    if x.dim() != 2 or len(x) != len(y):
        raise InputError("fit_surrogate wants x of shape (N, n) and y with N rows")
    y = y.reshape(len(y), -1)
    torch.manual_seed(seed)
    model = Surrogate(x.shape[1], y.shape[1], width=width, residual=residual).to(dtype)
    xt, yt = x.to(dtype), y.to(dtype)
    target = yt - xt if residual else yt
    model.out = Standardizer.fit(target)
    fit(model, (xt, yt), loss=lambda prediction, target: ((prediction - target) / model.out.scale).pow(2).mean(),
        epochs=steps, lr=lr, batch_size=len(xt), shuffle=False, seed=seed, progress=progress,
        schedule=lambda optimizer: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps))
    return model.eval()


__all__ = ["Surrogate", "fit_surrogate"]
