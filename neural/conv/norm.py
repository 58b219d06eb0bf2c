"""Batch normalisation of fields that commutes with the group.

Per field: the batch mean is projected onto the field's fixed vectors (only an invariant part
may be subtracted: the regular field's constant direction, nothing for the plane's vectors), the
scale is the mean invariant squared norm over batch and pixels (one number per field), and the
learned affine map is a positive scale per field plus a bias in the fixed vectors.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("C4")
    >>> bn = FieldBatchNorm(4 * space.type(space.regular))
    >>> bn(torch.randn(8, 16, 5, 5)).shape
    torch.Size([8, 16, 5, 5])
"""
from __future__ import annotations

import torch
from torch import nn

from neural.conv.fields import FieldType


class FieldBatchNorm(nn.Module):
    """Equivariant batch norm (see the module docstring); running statistics as torch's."""

    def __init__(self, field_type: FieldType, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.in_type = self.out_type = field_type
        self.eps, self.momentum = eps, momentum
        self.register_buffer("projector", field_type.projector.clone(), persistent=False)
        self.register_buffer("metric", field_type.metric.clone(), persistent=False)
        index = torch.zeros(field_type.size, dtype=torch.long)
        dims = torch.zeros(len(field_type))
        for f, (s, rep) in enumerate(zip(field_type.slices, field_type.reps)):
            index[s] = f
            dims[f] = rep.dim
        self.register_buffer("field_of_channel", index, persistent=False)
        self.register_buffer("field_dims", dims, persistent=False)
        self.register_buffer("running_mean", torch.zeros(field_type.size))
        self.register_buffer("running_var", torch.ones(len(field_type)))
        self.weight = nn.Parameter(torch.ones(len(field_type)))
        self.bias = nn.Parameter(torch.zeros(field_type.size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "FieldBatchNorm's input")
        dims = [0] + list(range(2, x.dim()))
        projector, metric = self.projector.to(x.dtype), self.metric.to(x.dtype)
        if self.training:
            mean = projector @ x.mean(dim=dims)
            centred = x - mean.view(1, -1, *([1] * (x.dim() - 2)))
            sq = (centred * torch.einsum("ij,bj...->bi...", metric, centred)).mean(dim=dims)
            var = torch.zeros(len(self.in_type), dtype=x.dtype, device=x.device).index_add(
                0, self.field_of_channel, sq) / self.field_dims.to(x.dtype)
            with torch.no_grad():
                self.running_mean.lerp_(mean.detach().to(self.running_mean.dtype), self.momentum)
                self.running_var.lerp_(var.detach().to(self.running_var.dtype), self.momentum)
        else:
            mean, var = self.running_mean.to(x.dtype), self.running_var.to(x.dtype)
            centred = x - mean.view(1, -1, *([1] * (x.dim() - 2)))
        scale = (self.weight.to(x.dtype) / torch.sqrt(var + self.eps)).index_select(0, self.field_of_channel)
        bias = projector @ self.bias.to(x.dtype)
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return centred * scale.view(shape) + bias.view(shape)
