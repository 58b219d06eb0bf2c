"""The one affine standardisation of `neural`: `Standardizer` maps features to (x − shift) / scale
and back; `Standardized` wraps a network between two of them (EMLP's convention: it sees
normalised inputs and answers in the raw units of the targets).

A scale can be shared by a block of features (``blocks=``): dividing a vector by one number
commutes with every linear group action on it, dividing its coordinates by different numbers
does not.
"""
from __future__ import annotations

import inspect

import itertools
from typing import TYPE_CHECKING, Sequence

import torch
from torch import nn

from invariants.errors import InputError, check_int

if TYPE_CHECKING:
    from .datasets.base import Stats

SPREADS = ("std", "rms")


class Standardizer(nn.Module):
    """``x ↦ (x − shift) / scale`` on the last dimension, and its `inverse`.

    ``shift`` and ``scale`` are buffers of shape ``(size,)``, or ``()`` for one number shared by
    every feature: they follow ``.to(device, dtype)`` and live in the ``state_dict``.  Build one
    with `fit`, `identity` or `cat`.

    Example:
        >>> x = torch.tensor([[1.0, 10.0], [3.0, 30.0], [5.0, 50.0]], dtype=torch.float64)
        >>> s = Standardizer.fit(x)
        >>> s.shift.tolist(), s.scale.tolist()
        ([3.0, 30.0], [2.0, 20.0])
        >>> s(x).tolist()
        [[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]]
        >>> torch.equal(s.inverse(s(x)), x)
        True
    """

    def __init__(self, shift: torch.Tensor, scale: torch.Tensor):
        super().__init__()
        if not (isinstance(shift, torch.Tensor) and isinstance(scale, torch.Tensor)) or shift.shape != scale.shape \
                or shift.dim() > 1:
            raise InputError("a Standardizer needs shift and scale tensors of one shape, (size,) or (), got "
                             f"{tuple(getattr(shift, 'shape', ()))} and {tuple(getattr(scale, 'shape', ()))}")
        if not bool((scale > 0).all()):
            raise InputError("every scale of a Standardizer must be positive")
        self.register_buffer("shift", shift.detach().clone())
        self.register_buffer("scale", scale.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.shift) / self.scale

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        return z * self.scale + self.shift

    @classmethod
    def identity(cls, size: int | None = None, dtype: torch.dtype = torch.float64) -> "Standardizer":
        """Shift 0 and scale 1, of shape ``(size,)`` (``()`` without ``size``: broadcast to any width).

        Example:
            >>> Standardizer.identity(3)(torch.ones(2, 3, dtype=torch.float64)).tolist()
            [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
        """
        shape = () if size is None else (size,)
        return cls(torch.zeros(shape, dtype=dtype), torch.ones(shape, dtype=dtype))

    @classmethod
    @torch.no_grad()
    def fit(cls, x: torch.Tensor, *, blocks: Sequence[int] | None = None, center: bool = True, spread: str = "std",
            correction: int = 1, min_scale: float = 1e-12) -> "Standardizer":
        """Fitted on the rows of ``x`` (n, size), in its dtype and on its device.

        ``center``: the shift is each feature's mean (else 0).  ``spread``: the scale is the
        standard deviation about the mean (``"std"``, dividing by n − ``correction``) or the
        root mean square about 0 (``"rms"``).  ``blocks``: widths summing to ``size`` (default:
        every feature alone); the features of a block share one scale, the square root of the
        mean of their variances (or mean squares), so that with ``center=False`` the map commutes
        with any linear action on the block.  Scales are raised to at least ``min_scale`` (a
        constant feature is shifted to 0, not blown up).

        Example (one vector of R², rotated):
            >>> v = torch.tensor([[3.0, 4.0], [0.0, 0.0]], dtype=torch.float64)
            >>> s = Standardizer.fit(v, blocks=[2], center=False, spread="rms")
            >>> s.scale.tolist()
            [2.5, 2.5]
            >>> r = torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64)
            >>> torch.equal(s(v @ r.T), s(v) @ r.T)
            True
        """
        if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.dim() != 2 or len(x) == 0:
            raise InputError("Standardizer.fit needs a non-empty 2-d float tensor (rows are samples), got "
                             f"{type(x).__name__} {tuple(getattr(x, 'shape', ()))}")
        if spread not in SPREADS:
            raise InputError(f"spread must be one of {SPREADS}, got {spread!r}")
        n, size = x.shape
        if spread == "std" and n <= correction:
            raise InputError(f"a standard deviation with correction {correction} needs more than {correction} "
                             f"rows, got {n}")
        widths = [1] * size if blocks is None else list(blocks)
        for w in widths:
            check_int(w, "a block width", 1)
        if sum(widths) != size:
            raise InputError(f"blocks must be positive widths summing to the number of features {size}, got {blocks!r}")
        shift = x.mean(0) if center else torch.zeros(size, dtype=x.dtype, device=x.device)
        scales, start = [], 0
        for width, run in itertools.groupby(widths):  # equal widths side by side: one reduction for the run
            count = len(list(run))
            stop = start + count * width
            scales.append(_spread(x[:, start:stop].reshape(n, count, width), spread, correction)
                          .repeat_interleave(width))
            start = stop
        return cls(shift, torch.cat(scales).clamp_min(min_scale))

    @classmethod
    def cat(cls, parts: Sequence["Standardizer"]) -> "Standardizer":
        """The standardisers of consecutive groups of features side by side.

        Example:
            >>> s = Standardizer.cat([Standardizer.identity(1), Standardizer(torch.zeros(2), torch.full((2,), 2.0))])
            >>> s(torch.tensor([[1.0, 4.0, 6.0]])).tolist()
            [[1.0, 2.0, 3.0]]
        """
        if not parts or not all(isinstance(p, Standardizer) and p.shift.dim() == 1 for p in parts):
            raise InputError("Standardizer.cat needs a non-empty list of Standardizers of shape (size,)")
        return cls(torch.cat([p.shift for p in parts]), torch.cat([p.scale for p in parts]))

    def extra_repr(self) -> str:
        return f"{self.shift.numel()} features" if self.shift.dim() else "every feature alike"


def _spread(blocks: torch.Tensor, spread: str, correction: int) -> torch.Tensor:
    """One scale per block of (n, count, width)."""
    if spread == "rms":
        return blocks.pow(2).mean(dim=(0, 2)).sqrt()
    if blocks.shape[2] == 1:
        return blocks[..., 0].std(0, correction=correction)
    squares = (blocks - blocks.mean(0)).pow(2).sum(dim=(0, 2))
    return (squares / ((len(blocks) - correction) * blocks.shape[2])).sqrt()


class Standardized(nn.Module):
    """``y = net((x − x_shift) / x_scale) · y_scale + y_shift`` (EMLP's convention), the two maps
    being the `Standardizer`s ``stats.x`` and ``stats.y`` (copied: the wrapper owns its own).

    Losses and errors of the wrapped model are in the raw units of y.

    Example:
        >>> from neural.datasets import Stats
        >>> x, y = Standardizer(torch.tensor(0.), torch.tensor(2.)), Standardizer(torch.tensor(1.), torch.tensor(10.))
        >>> s = Stats(x, y)
        >>> Standardized(nn.Identity(), s)(torch.tensor([[4.]]))
        tensor([[21.]])
    """

    def __init__(self, net: nn.Module, stats: "Stats"):
        super().__init__()
        self.net = net
        self.inputs = Standardizer(stats.x.shift, stats.x.scale)
        self.targets = Standardizer(stats.y.shift, stats.y.scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.targets.inverse(self.net(self.inputs(x)))

    @property
    def prepared(self) -> bool:
        return getattr(self.net, "prepared", True)

    @torch.no_grad()
    def prepare(self, x: torch.Tensor, y: torch.Tensor, *,
                val: tuple[torch.Tensor, torch.Tensor] | None = None) -> "Standardized":
        """The wrapped model's `prepare`, on the standardised data it sees (targets already
        standardised), with the validation data ``val`` standardised alike when it takes them."""
        prepare = getattr(self.net, "prepare", None)
        if prepare is not None:
            held_out = {}
            if val is not None and "val" in inspect.signature(prepare).parameters:
                held_out["val"] = self._standardized(val)
            prepare(self.inputs(x), self.targets(y), scale_targets=False, **held_out)
        return self

    def settle(self, val: tuple[torch.Tensor, torch.Tensor]) -> str:
        """The wrapped model's `settle` (`neural.models.InvariantModel.settle`) on the standardised
        validation data; ``"network"`` when it has none."""
        settle = getattr(self.net, "settle", None)
        return settle(self._standardized(val)) if callable(settle) else "network"

    def _standardized(self, data: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = data[0], data[1]
        return self.inputs(x), self.targets(y.reshape(len(y), -1))


__all__ = ["Standardizer", "Standardized"]
