"""Typed stacks of field layers, and a ready group CNN classifier.

`FieldSequential` checks at construction that each layer's output type is the next layer's
input type (an error names both).  `GroupCNN` is the standard G-CNN for images: a lifting
convolution to regular fields, blocks of group convolution → batch norm → ReLU with symmetric
downsampling, and an invariant read-out (pixels averaged, then max over the group) into a
linear classifier, so its logits are exactly invariant under the grid group.  With other
``fields`` (irreducibles, SO(2)'s frequencies — the default on a continuous space) the blocks use the
exact `CovariantNonlinearity` and the read-out the engine's invariants of each field.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> net = GroupCNN(grid_space("p4m"), in_channels=1, num_classes=10, channels=(4, 8))
    >>> net(torch.randn(2, 1, 17, 17)).shape
    torch.Size([2, 10])
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from invariants.errors import InputError
from neural.conv.conv import GroupConv2d
from neural.conv.fields import FieldType
from invariants.groups.representation import Representation
from neural.conv.covariant import CovariantNonlinearity
from neural.conv.gspace import PlaneSpace
from neural.conv.nonlinear import PointwiseNonlinearity
from neural.conv.norm import FieldBatchNorm
from neural.conv.pooling import FieldPool2d, GlobalInvariantPool, InvariantPooling


class FieldSequential(nn.Sequential):
    """`nn.Sequential` of field layers whose types are checked to chain."""

    def __init__(self, *layers: nn.Module):
        for i, (a, b) in enumerate(zip(layers, layers[1:])):
            out_type, in_type = getattr(a, "out_type", None), getattr(b, "in_type", None)
            if not isinstance(out_type, FieldType) or not isinstance(in_type, FieldType):
                raise InputError(f"FieldSequential chains field layers (with in_type and out_type); layer {i} or "
                                 f"{i + 1} ({type(a).__name__}, {type(b).__name__}) has none")
            in_type.check_follows(out_type, f"layer {i + 1} ({type(b).__name__})")
        super().__init__(*layers)
        self.in_type = getattr(layers[0], "in_type", None) if layers else None
        self.out_type = getattr(layers[-1], "out_type", None) if layers else None


class GroupCNN(nn.Module):
    """A G-invariant image classifier on a grid space (see the module docstring).

    ``channels[i]`` copies of ``fields`` in block i (each block: two ``kernel_size`` convolutions, then
    a 3×3 average pool of stride 2 between blocks; input sides must be odd, e.g. 17 or 29, so
    every pooled grid stays symmetric).  ``fields`` defaults to the regular representation, or on
    SO(2)/O(2) to the frequencies 0, 1, 2.
    """

    def __init__(self, space: PlaneSpace, in_channels: int, num_classes: int, channels: Sequence[int] = (8, 16, 32),
                 kernel_size: int = 5, hidden: int = 64, fields: Sequence[Representation] | None = None):
        super().__init__()
        self.space = space
        if fields is None:
            continuous = getattr(space, "continuous", False)
            fields = [space.group.frequency(k) for k in range(3)] if continuous else [space.regular]
        current = FieldType(space, [space.trivial] * in_channels)
        self.in_type = current
        layers: list[nn.Module] = []
        for i, width in enumerate(channels):
            block = FieldType(space, list(fields) * width)
            act = PointwiseNonlinearity if block.is_permutation else CovariantNonlinearity
            for _ in range(2):
                layers += [GroupConv2d(current, block, kernel_size), FieldBatchNorm(block), act(block)]
                current = block
            if i < len(channels) - 1:
                layers.append(FieldPool2d(current, 3, 2, padding=1))
        self.features = FieldSequential(*layers)
        self.pool = GlobalInvariantPool(current) if current.is_permutation else _MeanInvariants(current)
        width = len(current) if current.is_permutation else self.pool.out_type.size
        self.head = nn.Sequential(nn.Linear(width, hidden), nn.ELU(), nn.Linear(hidden, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.features(x)))


class _MeanInvariants(nn.Module):
    """Mean over pixels, then the engine's invariants of each field: ``(batch, invariants)``."""

    def __init__(self, field_type: FieldType):
        super().__init__()
        self.invariants = InvariantPooling(field_type)
        self.out_type = self.invariants.out_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.invariants(x.mean(dim=(-2, -1), keepdim=True)).flatten(1)
