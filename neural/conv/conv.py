"""Group convolution between field types on the grid, with kernels from the engine's exact basis.

One layer covers the three convolutions of group-equivariant deep learning: lifting (trivial →
regular), group-group (regular → regular) and steerable (any types, e.g. the plane's vectors).
Its kernel is Σ_b w_b K_b over the exact basis of Hom_G(P ⊗ ρ_in, ρ_out) on the stencil
(`bridge.kernel_bases`, cached on disk), one block per pair of fields; the bias lies in the fixed
vectors of each output field.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("p4m")
    >>> lift = GroupConv2d(space.type(space.trivial), 4 * space.type(space.regular), 5)
    >>> lift(torch.randn(2, 1, 9, 9)).shape
    torch.Size([2, 32, 9, 9])
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from bridge.kernel_bases import bias_basis_array
from invariants.errors import InputError, ShapeError, TooLargeError, check_int
from neural.conv.fields import FieldType

# the side of a stencil whose kernel basis the engine computes exactly (dense arrays of r_out × r_in × k²)
MAX_KERNEL_SIZE = 65


def check_symmetric_grid(size: int, kernel: int, stride: int, padding: int, where: str) -> None:
    """Refuse a strided window layout whose output grid is not symmetric about the image centre
    (then no pixel-exact group action commutes with it): (size + 2·padding − kernel) % stride = 0."""
    if (size + 2 * padding - kernel) % stride:
        good = [n for n in range(max(size - stride, 1), size + stride + 1) if (n + 2 * padding - kernel) % stride == 0]
        raise ShapeError(f"{where}: a {size}-pixel side with kernel {kernel}, stride {stride} and padding {padding} "
                         f"samples windows that are not symmetric about the centre, which breaks the grid symmetry; "
                         f"use a side in {good} (pad the input) or stride 1")


class GroupConv2d(nn.Module):
    """Equivariant convolution ``in_type → out_type`` with a ``kernel_size`` (odd) stencil.

    ``padding`` defaults to kernel_size // 2 (same size); with ``stride`` > 1 the side must satisfy
    (side + 2·padding − kernel_size) % stride = 0, else a `ShapeError` says which sides work.
    Weights start as He's initialisation spread over the basis (unit-norm basis kernels).
    """

    def __init__(self, in_type: FieldType, out_type: FieldType, kernel_size: int, *, stride: int = 1,
                 padding: int | None = None, bias: bool = True):
        super().__init__()
        if in_type.space != out_type.space:
            raise InputError(f"a convolution maps fields over one grid space: got {in_type} and {out_type}")
        for name, value, least in (("kernel_size", kernel_size, 1), ("stride", stride, 1),
                                   ("padding", 0 if padding is None else padding, 0)):
            check_int(value, f"GroupConv2d: {name}", least)
        if kernel_size % 2 == 0:
            raise ShapeError(f"kernel_size must be odd (a stencil centred on the pixel), got {kernel_size}")
        if kernel_size > MAX_KERNEL_SIZE:
            raise TooLargeError(f"kernel_size {kernel_size} is above MAX_KERNEL_SIZE = {MAX_KERNEL_SIZE}: the kernel basis "
                                f"is computed exactly on the {kernel_size}x{kernel_size} stencil and stored densely; "
                                "raise neural.conv.conv.MAX_KERNEL_SIZE to build it anyway", estimate=kernel_size,
                                option="neural.conv.conv.MAX_KERNEL_SIZE")
        self.in_type, self.out_type = in_type, out_type
        self.kernel_size, self.stride = kernel_size, stride
        self.padding = kernel_size // 2 if padding is None else padding
        space = in_type.space
        self._pairs = []
        sizes = []
        for r_out in out_type.distinct:
            for r_in in in_type.distinct:
                basis = torch.from_numpy(space.kernel_basis(r_in, r_out, kernel_size // 2))  # float64: .double() exact
                out_idx, in_idx = out_type.channels_of(r_out), in_type.channels_of(r_in)
                if len(basis) == 0:
                    continue
                name = f"_basis{len(self._pairs)}"
                self.register_buffer(name, basis, persistent=False)
                self.register_buffer(f"_out{len(self._pairs)}", out_idx.reshape(-1), persistent=False)
                self.register_buffer(f"_in{len(self._pairs)}", in_idx.reshape(-1), persistent=False)
                self._pairs.append((len(out_idx), len(in_idx), len(basis)))
                sizes.append(len(out_idx) * len(in_idx) * len(basis))
        self.weight = nn.Parameter(torch.empty(sum(sizes)))
        self._bias_pairs = []
        if bias:
            bias_sizes = []
            for r in out_type.distinct:
                vectors = torch.from_numpy(bias_basis_array(r))
                if len(vectors):
                    k = len(self._bias_pairs)
                    self.register_buffer(f"_bias_basis{k}", vectors, persistent=False)
                    self.register_buffer(f"_bias_out{k}", out_type.channels_of(r), persistent=False)
                    self._bias_pairs.append((len(out_type.channels_of(r)), len(vectors)))
                    bias_sizes.append(len(out_type.channels_of(r)) * len(vectors))
            self.bias = nn.Parameter(torch.zeros(sum(bias_sizes))) if bias_sizes else None
        else:
            self.bias = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """He initialisation: every output channel receives a kernel of expected squared norm 2
        (unit-norm basis kernels, spread over its ρ_out.dim rows and the input fields)."""
        fields_in = max(len(self.in_type), 1)
        with torch.no_grad():
            start = 0
            for k, (m_out, m_in, size) in enumerate(self._pairs):
                d_out = getattr(self, f"_basis{k}").shape[1]
                std = math.sqrt(2.0 * d_out / (size * fields_in))
                count = m_out * m_in * size
                self.weight[start:start + count].normal_(0.0, std)
                start += count

    def kernel(self) -> torch.Tensor:
        """The full convolution kernel ``(out channels, in channels, k, k)``."""
        k = self.kernel_size
        out = self.weight.new_zeros(self.out_type.size, self.in_type.size, k, k)
        start = 0
        for i, (m_out, m_in, size) in enumerate(self._pairs):
            basis = getattr(self, f"_basis{i}").to(self.weight.dtype)
            w = self.weight[start:start + m_out * m_in * size].view(m_out, m_in, size)
            start += m_out * m_in * size
            block = torch.einsum("oib,bpqxy->opiqxy", w, basis).reshape(m_out * basis.shape[1], m_in * basis.shape[2], k, k)
            out[getattr(self, f"_out{i}")[:, None], getattr(self, f"_in{i}")[None, :]] = block
        return out

    def expanded_bias(self) -> torch.Tensor | None:
        if self.bias is None:
            return None
        out = self.bias.new_zeros(self.out_type.size)
        start = 0
        for i, (m, size) in enumerate(self._bias_pairs):
            vectors = getattr(self, f"_bias_basis{i}").to(self.bias.dtype)
            coeffs = self.bias[start:start + m * size].view(m, size)
            start += m * size
            out[getattr(self, f"_bias_out{i}").reshape(-1)] = (coeffs @ vectors).reshape(-1)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, f"{type(self).__name__}'s input")
        if self.stride > 1:
            for side in x.shape[-2:]:
                check_symmetric_grid(side, self.kernel_size, self.stride, self.padding, type(self).__name__)
        return F.conv2d(x, self.kernel(), self.expanded_bias(), stride=self.stride, padding=self.padding)

    def extra_repr(self) -> str:
        return (f"{self.in_type.describe()} -> {self.out_type.describe()}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, basis={self.weight.numel()} weights")
