"""Baselines of the EMLP comparison: a plain MLP, an MLP trained with group augmentation, DeepSets."""
from __future__ import annotations

import functools

from typing import Callable

import torch
from torch import nn

from invariants.errors import InputError
from bridge import Representation, act, load_spec, sample


def _layers(sizes: list[int]) -> list[nn.Module]:
    """Linear + SiLU between consecutive sizes, ending with a bare Linear."""
    out: list[nn.Module] = []
    for a, b in zip(sizes[:-2], sizes[1:-1]):
        out += [nn.Linear(a, b), nn.SiLU()]
    return out + [nn.Linear(sizes[-2], sizes[-1])]


class MLP(nn.Sequential):
    """EMLP's baseline: ``layers`` hidden layers of ``channels`` units with Swish (SiLU), then a linear read-out.

    Example:
        >>> net = MLP(10, 1)
        >>> net(torch.zeros(2, 10)).shape, sum(p.numel() for p in net.parameters())
        (torch.Size([2, 1]), 300289)
    """

    def __init__(self, in_size: int, out_size: int, *, channels: int = 384, layers: int = 3):
        if min(in_size, out_size, channels, layers) < 1:
            raise InputError(f"MLP sizes must be positive, got in={in_size}, out={out_size}, "
                             f"channels={channels}, layers={layers}")
        super().__init__(*_layers([in_size] + [channels] * layers + [out_size]))


class Augmented(nn.Module):
    """Group augmentation as a wrapper: in training mode each sample gets its own random ``g`` and
    the model answers ``g⁻¹·net(g·x)``, which trains ``net`` on the pair ``(g·x, g·y)``;
    in eval mode it is ``net`` itself.

    ``rep_in`` and ``rep_out`` are representations of one group (or specs such as ``"SO(3):v"``);
    its elements come from `bridge.sample` unless a ``sampler(batch, dtype=...)`` is given, and
    ``sampler_options`` go to it (e.g. ``max_rapidity`` for the Lorentz groups).

    Example:
        >>> aug = Augmented(nn.Identity(), "SO(3):v", "SO(3):v")
        >>> x = torch.randn(4, 3, dtype=torch.float64)
        >>> torch.allclose(aug(x), x)   # g⁻¹ g x = x
        True
    """

    def __init__(self, net: nn.Module, rep_in: Representation | str, rep_out: Representation | str, *,
                 sampler: Callable[..., torch.Tensor] | None = None, **sampler_options):
        super().__init__()
        self.net = net
        self.rep_in, self.rep_out = (r if isinstance(r, Representation) else load_spec(r) for r in (rep_in, rep_out))
        self.sample = sampler or functools.partial(sample, self.rep_in.group)
        self.sampler_options = sampler_options

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return self.net(x)
        g = self.sample(x.shape[0], dtype=x.dtype, **self.sampler_options).to(x.device)
        return act(self.rep_out, torch.linalg.inv(g), self.net(act(self.rep_in, g, x)))


class DeepSets(nn.Module):
    """Zaheer et al. (2017): ``ρ(Σ_i φ(x_i))`` over the ``set_size`` items of length ``item_size`` in each row.

    Rows of the input are the items concatenated, ``(batch, set_size * item_size)``; the sum makes
    the output invariant to permutations of the items.  φ (``layers`` + 1 SiLU layers) and ρ (``layers``
    SiLU layers and a linear read-out) have ``channels`` units.

    Example:
        >>> net = DeepSets(8, 1, out_size=1).double()
        >>> x = torch.randn(3, 8, dtype=torch.float64)
        >>> torch.allclose(net(x), net(x.flip(1)))
        True
    """

    def __init__(self, set_size: int, item_size: int = 1, *, out_size: int = 1, channels: int = 256, layers: int = 2):
        super().__init__()
        if min(set_size, item_size, out_size, channels, layers) < 1:
            raise InputError(f"DeepSets sizes must be positive, got set_size={set_size}, item_size={item_size}, "
                             f"out_size={out_size}, channels={channels}, layers={layers}")
        self.set_size, self.item_size = set_size, item_size
        # φ ends in a nonlinearity: a linear φ followed by ρ's first linear layer would waste a layer
        self.phi = nn.Sequential(*_layers([item_size] + [channels] * (layers + 1)), nn.SiLU())
        self.rho = nn.Sequential(*_layers([channels] * (layers + 1) + [out_size]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.set_size * self.item_size:
            raise InputError(f"DeepSets expects inputs of shape (batch, {self.set_size * self.item_size}), "
                             f"got {tuple(x.shape)}")
        items = x.reshape(x.shape[0], self.set_size, self.item_size)
        return self.rho(self.phi(items).sum(dim=1))
