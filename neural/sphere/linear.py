"""Equivariant linear maps between spectral types: the convolutions of spherical CNNs.

By Schur's lemma an SO(3)-equivariant linear map sends the m_l copies of V_l to the n_l copies by an
n_l × m_l matrix, one per degree — the engine's Hom_SO(3)(V_l, V_l) is the scalars.  In Fourier space
this one layer is all three convolutions of Cohen et al. (ICLR 2018):

* ``SphereType.signal → signal``: S² convolution with a zonal (axially symmetric) kernel;
* ``signal → so3``: the lifting convolution S² → SO(3) with a free kernel ψ on S²
  (the weight's rows are ψ's coefficients ψ_{l, n});
* ``so3 → so3``: group convolution on SO(3).

Example:
    >>> import torch
    >>> from neural.sphere.types import SphereType
    >>> lift = SphericalLinear(SphereType.signal(1, 3), SphereType.so3(4, 3))
    >>> lift(torch.randn(2, 16)).shape        # 4 SO(3) channels: Σ_l 4 (2l+1)² = 4 · 84
    torch.Size([2, 336])
"""
from __future__ import annotations

import math

import torch
from torch import nn

from neural.sphere.types import SphereType


class SphericalLinear(nn.Module):
    """Per degree l a learned (m_l^out × m_l^in) matrix, and a bias on the invariant (l = 0) channels."""

    def __init__(self, in_type: SphereType, out_type: SphereType, bias: bool = True):
        super().__init__()
        self.in_type, self.out_type = in_type, out_type
        self.degrees = [l for l in range(len(out_type.mults)) if out_type.mult(l) and in_type.mult(l)]
        self.weights = nn.ParameterList([
            nn.Parameter(torch.randn(out_type.mult(l), in_type.mult(l)) / math.sqrt(in_type.mult(l)))
            for l in self.degrees])
        self.bias = nn.Parameter(torch.zeros(out_type.mult(0))) if bias and out_type.mult(0) else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        blocks = self.in_type.split(x, "SphericalLinear's input")
        out = [x.new_zeros(*x.shape[:-1], m, 2 * l + 1) for l, m in enumerate(self.out_type.mults)]
        for l, w in zip(self.degrees, self.weights):
            out[l] = torch.einsum("oc,...cm->...om", w.to(x.dtype), blocks[l])
        if self.bias is not None:
            out[0] = out[0] + self.bias.to(x.dtype)[:, None]
        return self.out_type.join(out)
