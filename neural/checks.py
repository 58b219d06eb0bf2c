"""Measure how far a model is from the symmetry of its task: max |f(g·x) - g·f(x)| over random g."""
from __future__ import annotations

import torch
from torch import nn

from .datasets.base import TaskData
from bridge import act, sample
from .training import placement


@torch.no_grad()
def equivariance_error(model: nn.Module, data: TaskData, *, seed: int = 0, **sampler_options) -> float:
    """Largest absolute entry of ``f(g·x) - g·f(x)`` over the samples of ``data``, one random
    element ``g`` of ``data.group`` per sample (eval mode, in the model's dtype).

    For an invariant task (scalar outputs) this is the invariance error ``|f(g·x) - f(x)|``.
    ``sampler_options`` go to the group's sampler (e.g. ``max_rapidity`` for Lorentz boosts).

    Example:
        >>> from neural.datasets import make
        >>> from neural.baselines import DeepSets
        >>> data = make("SymmetricSet", 16, set_size=8)
        >>> equivariance_error(DeepSets(8).double(), data) < 1e-12
        True
    """
    device, dtype = placement(model, data.X)
    g = sample(data.group, len(data), generator=torch.Generator().manual_seed(seed), dtype=dtype, **sampler_options)
    g, x = g.to(device), data.X.to(device, dtype)
    was_training = model.training
    model.eval()
    try:
        moved_first = model(act(data.rep_in, g, x))
        moved_after = act(data.rep_out, g, model(x))
    finally:
        model.train(was_training)
    return float((moved_first - moved_after).abs().max())
