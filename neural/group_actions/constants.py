"""Float64 constants of a module that stay float64 when the module is moved to another dtype.

A group's matrices (cos 2π/5, …) or an involution's affine map are known to float64 accuracy.
`Module.to(float32)` would round them, and a later `.double()` would keep the float32 rounding:
the group law would then hold only to ~1e-7.  `Float64Constants` keeps such buffers at float64
whatever the module's dtype (a device move still moves them); a forward pass casts them to the
input's dtype.

Example:
    >>> import torch
    >>> m = Float64Constants()
    >>> m.register_constant("c", torch.tensor([0.1], dtype=torch.float64))
    >>> m = m.float().double()
    >>> m.c.dtype, m.c.item() == 0.1
    (torch.float64, True)
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn


class Float64Constants(nn.Module):
    """An `nn.Module` whose constants registered by `register_constant` ignore dtype changes."""

    def register_constant(self, name: str, value: torch.Tensor) -> None:
        """Keep ``value`` as a float64 buffer (saved in the ``state_dict``) that ``.to(dtype)`` leaves
        at float64."""
        self.register_buffer(name, value.detach().to(torch.float64).clone())
        if "_float64_names" not in self.__dict__:
            self._float64_names: list[str] = []
        self._float64_names.append(name)

    def _apply(self, fn: Any, *args: Any, **kwargs: Any) -> "Float64Constants":
        kept = {name: self._buffers[name] for name in self.__dict__.get("_float64_names", [])}
        super()._apply(fn, *args, **kwargs)
        for name, old in kept.items():
            # take the device the move chose, not its dtype: cast from float64 only at use
            self._buffers[name] = old.to(device=self._buffers[name].device)
        return self
