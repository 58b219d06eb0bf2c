"""Wrap a network so that it sees normalised inputs and answers in the raw units of the targets."""
from __future__ import annotations

import torch
from torch import nn

from .datasets.base import Stats


class Standardized(nn.Module):
    """``y = net((x - x_shift) / x_scale) * y_scale + y_shift`` (EMLP's convention).

    The statistics are buffers (they follow ``.to(device, dtype)`` and live in the
    ``state_dict``); losses and errors of the wrapped model are in the raw units of y.

    Example:
        >>> from neural.datasets import Stats
        >>> s = Stats(torch.tensor(0.), torch.tensor(2.), torch.tensor(1.), torch.tensor(10.))
        >>> Standardized(nn.Identity(), s)(torch.tensor([[4.]]))
        tensor([[21.]])
    """

    def __init__(self, net: nn.Module, stats: Stats):
        super().__init__()
        self.net = net
        for name in ("x_shift", "x_scale", "y_shift", "y_scale"):
            self.register_buffer(name, getattr(stats, name).detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net((x - self.x_shift) / self.x_scale) * self.y_scale + self.y_shift
