"""Pooling that keeps the grid symmetry: over the group (fields → invariants) and over space.

* `GroupPooling`: each permutation field → its maximum (or mean) over channels, an invariant;
  any other field → its invariant norm.  The output is one trivial field per input field.
* `FieldPool2d`: average (any type) or max (permutation types) over spatial windows, refused
  when the windows are not symmetric about the image centre.
* `GlobalInvariantPool`: mean over all pixels, then `GroupPooling`: a G-invariant vector per
  image (read-out for classification).
* `InvariantPooling`: each field → the engine's generators of its invariant ring (up to a degree),
  pixel by pixel: the complete invariant description a max or a norm only samples.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("D4")
    >>> t = 3 * space.type(space.regular)
    >>> GlobalInvariantPool(t)(torch.randn(2, 24, 7, 7)).shape
    torch.Size([2, 3])
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from bridge import invariant_layer
from invariants.errors import InputError
from invariants.groups.finite.permutation_reps import is_permutation_representation
from neural.conv.conv import check_symmetric_grid
from neural.conv.fields import FieldType


class GroupPooling(nn.Module):
    """One invariant per field: max (``mode="max"``) or mean over a permutation field's channels,
    the invariant norm of any other field."""

    def __init__(self, field_type: FieldType, mode: str = "max"):
        super().__init__()
        if mode not in ("max", "mean"):
            raise InputError(f"GroupPooling mode is 'max' or 'mean', got {mode!r}")
        self.in_type = field_type
        self.out_type = FieldType(field_type.space, [field_type.space.trivial] * len(field_type))
        self.mode = mode
        self._permutes = [is_permutation_representation(r) for r in field_type.reps]
        self.register_buffer("metric", field_type.metric.clone(), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "GroupPooling's input")
        outs = []
        for s, permutes in zip(self.in_type.slices, self._permutes):
            block = x[:, s]
            if permutes:
                outs.append(block.amax(1) if self.mode == "max" else block.mean(1))
            else:
                m = self.metric[s, s].to(x.dtype)
                outs.append(torch.sqrt((block * torch.einsum("ij,bj...->bi...", m, block)).sum(1) + 1e-12))
        return torch.stack(outs, 1)


class FieldPool2d(nn.Module):
    """Spatial ``"avg"`` (any field type) or ``"max"`` (permutation types only) pooling with a
    window of ``kernel_size`` and ``stride`` (default = kernel_size)."""

    def __init__(self, field_type: FieldType, kernel_size: int, stride: int | None = None, mode: str = "avg",
                 padding: int = 0):
        super().__init__()
        if mode not in ("avg", "max"):
            raise InputError(f"FieldPool2d mode is 'avg' or 'max', got {mode!r}")
        if mode == "max" and not field_type.is_permutation:
            raise InputError(f"max pooling over space mixes the channels of a field of {field_type} unequally; "
                             "use mode='avg' (linear, so it commutes with every field type)")
        self.in_type = self.out_type = field_type
        self.kernel_size, self.stride, self.mode, self.padding = kernel_size, stride or kernel_size, mode, padding

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "FieldPool2d's input")
        for side in x.shape[-2:]:
            check_symmetric_grid(side, self.kernel_size, self.stride, self.padding, "FieldPool2d")
        if self.mode == "max":
            return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, count_include_pad=False)


class GlobalInvariantPool(nn.Module):
    """Mean over pixels, then `GroupPooling`: ``(batch, fields)`` invariants."""

    def __init__(self, field_type: FieldType, mode: str = "max"):
        super().__init__()
        self.in_type = field_type
        self.group_pool = GroupPooling(field_type, mode)
        self.out_type = self.group_pool.out_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "GlobalInvariantPool's input")
        return self.group_pool(x.mean(dim=(-2, -1), keepdim=True)).flatten(1)


class InvariantPooling(nn.Module):
    """Each field x of type ρ → the minimal generators of K[ρ]^G up to ``degree_bound`` at every
    pixel (root-normalised: each scales like |x|), as trivial fields."""

    def __init__(self, field_type: FieldType, degree_bound: int = 3):
        super().__init__()
        self.in_type = field_type
        self.layers = nn.ModuleList()
        width = 0
        for i, rep in enumerate(field_type.distinct):
            self.register_buffer(f"_channels{i}", field_type.channels_of(rep), persistent=False)
            layer = invariant_layer(rep, degree_bound=degree_bound, normalize="root", dtype=torch.get_default_dtype())
            self.layers.append(layer)
            width += len(field_type.channels_of(rep)) * layer.n_features
        self.out_type = FieldType(field_type.space, [field_type.space.trivial] * width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "InvariantPooling's input")
        batch, spatial, outs = x.shape[0], x.shape[2:], []
        for i, layer in enumerate(self.layers):
            channels = getattr(self, f"_channels{i}")
            m, d = channels.shape
            fields = x[:, channels.reshape(-1)].reshape(batch, m, d, -1).permute(0, 1, 3, 2)  # (B, m, pixels, d)
            outs.append(layer(fields.to(layer.mean.dtype)).permute(0, 1, 3, 2).reshape(batch, -1, *spatial))
        return torch.cat(outs, 1).to(x.dtype)
