"""Linear layers between tensors (R^n)^{⊗k} that commute with a permutation group G ≤ S_n.

The weight is one C_in × C_out matrix per orbit of G on [n]^{l+k} (the engine's exact basis of
Hom_G, `bridge.tensor_orbits.orbit_basis`), each orbit's entries of an output row averaged so that
the scale of the output does not grow with n.  The layer gathers the n^l × n^k weight matrix from
the orbit weights (cost n^{k+l}·C_in·C_out per sample, whatever G).  For G = S_n and k = l = 1 this
is DeepSets' layer (identity and mean); for S_n on pairs (k = l = 2) Maron et al.'s 15 maps; for
any other G, its own.

Example:
    >>> import torch
    >>> layer = PermutationLinear("cyclic(5, form='permutation'):v", 1, 2, 1, 4).double()
    >>> x = torch.randn(3, 1, 5, dtype=torch.float64)
    >>> y = layer(x); y.shape
    torch.Size([3, 4, 5, 5])
    >>> shift = torch.roll(torch.arange(5), 1)              # a generator of C_5
    >>> torch.allclose(layer(x[..., shift]), y[..., shift, :][..., shift])
    True
"""
from __future__ import annotations

import math

import torch
from torch import nn

from bridge.tensor_orbits import MAX_TUPLES, as_permutation_rep, orbit_basis
from invariants.errors import InputError, ShapeError, check_int


class PermutationLinear(nn.Module):
    """G-equivariant linear map from ``(batch, channels_in, n, …, n)`` (``order_in`` axes of size n) to
    ``(batch, channels_out, n, …, n)`` (``order_out`` axes), with an equivariant bias."""

    def __init__(self, rep, order_in: int, order_out: int, channels_in: int, channels_out: int, *, bias: bool = True,
                 max_tuples: int = MAX_TUPLES):
        super().__init__()
        for name, value, least in (("order_in", order_in, 0), ("order_out", order_out, 0),
                                   ("channels_in", channels_in, 1), ("channels_out", channels_out, 1)):
            check_int(value, f"PermutationLinear: {name}", least)
        rep = as_permutation_rep(rep)
        self.n, self.order_in, self.order_out = rep.dim, order_in, order_out
        self.channels_in, self.channels_out = channels_in, channels_out
        labels, count, rows = orbit_basis(rep, order_in, order_out, max_tuples=max_tuples)
        # averaging over an orbit's entries of a row: the 1/size weights, gathered per entry
        self.register_buffer("labels", labels, persistent=False)
        self.register_buffer("scale", 1.0 / rows.gather(1, labels).double(), persistent=False)
        per_row = (rows > 0).sum(1).double().mean().item()
        self.weight = nn.Parameter(torch.randn(count, channels_in, channels_out) / math.sqrt(channels_in * per_row))
        if bias:
            bias_labels, bias_count, _ = orbit_basis(rep, 0, order_out, max_tuples=max_tuples)
            self.register_buffer("bias_labels", bias_labels[:, 0], persistent=False)
            self.bias = nn.Parameter(torch.zeros(bias_count, channels_out))
        else:
            self.bias = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = (self.channels_in,) + (self.n,) * self.order_in
        if x.shape[1:] != shape:
            raise ShapeError(f"PermutationLinear takes (batch, {', '.join(map(str, shape))}), got {tuple(x.shape)}")
        weight = self.weight[self.labels] * self.scale.to(self.weight.dtype)[..., None, None]   # (n^l, n^k, Ci, Co)
        y = torch.einsum("bci,jicd->bdj", x.reshape(len(x), self.channels_in, -1), weight)
        if self.bias is not None:
            y = y + self.bias[self.bias_labels].T
        return y.reshape((len(x), self.channels_out) + (self.n,) * self.order_out)

    def extra_repr(self) -> str:
        return (f"n={self.n}, orders {self.order_in} → {self.order_out}, channels {self.channels_in} → "
                f"{self.channels_out}, {self.weight.shape[0]} basis maps")
