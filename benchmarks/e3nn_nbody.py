"""An e3nn tensor-product network for the charged N-body task (benchmark-only; e3nn is in the
``bench`` extra), the e3nn side of ``benchmarks/manybody.py``.

Each layer: messages h_j ⊗ Y(x_i − x_j) (spherical harmonics up to l = 1, as SEGNN's N-body model) through a fully connected
tensor product whose weights an MLP computes from (Gaussian features of |x_i − x_j|, q_i q_j), summed over neighbours
and divided by the degree, a gated nonlinearity, a residual; node features 16x0e + 8x1o, the
inputs (|v|, q) as scalars and v as a vector, the output x + (one 1o vector per node).  This is the
tensor-field-network / NequIP pattern built from e3nn's own layers.
"""
from __future__ import annotations

import torch
from e3nn import nn as enn
from e3nn import o3
from e3nn.math import soft_one_hot_linspace
from torch import nn


BASIS = 16   # Gaussians in |x_i − x_j| over [0, 8], the usual e3nn radial embedding


class E3Layer(nn.Module):
    def __init__(self, irreps_in: o3.Irreps, irreps_hidden: o3.Irreps, sh: o3.Irreps, radial: int = 32):
        super().__init__()
        scalars = o3.Irreps([(m, ir) for m, ir in irreps_hidden if ir.l == 0])
        gated = o3.Irreps([(m, ir) for m, ir in irreps_hidden if ir.l > 0])
        gates = o3.Irreps(f"{gated.num_irreps}x0e")
        self.gate = enn.Gate(scalars, [torch.nn.functional.silu], gates, [torch.sigmoid], gated)
        self.tp = o3.FullyConnectedTensorProduct(irreps_in, sh, self.gate.irreps_in, shared_weights=False)
        # e3nn's normalised MLP (variance-preserving initialisation), as its own networks use
        self.radial = enn.FullyConnectedNet([BASIS + 1, radial, self.tp.weight_numel], torch.nn.functional.silu)
        self.self_interaction = o3.Linear(irreps_in, self.gate.irreps_in)
        self.sh = sh

    def forward(self, h, x, edge_index, pair):
        i, j = edge_index
        r = x[i] - x[j]
        y = o3.spherical_harmonics(self.sh, r, normalize=True, normalization="component")
        basis = soft_one_hot_linspace(r.norm(dim=-1), 0.0, 8.0, BASIS, basis="gaussian", cutoff=False)
        w = self.radial(torch.cat([basis, pair], -1))
        messages = self.tp(h[j], y, w)
        degree = torch.zeros(len(x), dtype=x.dtype).index_add_(0, i, torch.ones_like(i, dtype=x.dtype)).clamp_min(1)
        total = torch.zeros(len(x), messages.shape[1], dtype=x.dtype).index_add_(0, i, messages) / degree[:, None]
        return self.gate(total + self.self_interaction(h))


class E3NBody(nn.Module):
    def __init__(self, layers: int = 4, hidden: str = "16x0e + 8x1o", lmax: int = 1):
        super().__init__()
        irreps_in, irreps_hidden, sh = o3.Irreps("2x0e + 1x1o"), o3.Irreps(hidden), o3.Irreps.spherical_harmonics(lmax)
        self.layers = nn.ModuleList()
        for k in range(layers):
            self.layers.append(E3Layer(irreps_in if k == 0 else irreps_hidden, irreps_hidden, sh))
        self.out = o3.Linear(irreps_hidden, o3.Irreps("1x1o"))
        with torch.no_grad():   # start near x (EGNN's code starts its position updates small too)
            self.out.weight.mul_(1e-2)

    def forward(self, positions, velocities, charges, edge_index):
        h = torch.cat([velocities.norm(dim=-1, keepdim=True), charges[:, None], velocities], -1)
        pair = (charges[edge_index[0]] * charges[edge_index[1]])[:, None]
        for layer in self.layers:
            h = layer(h, positions, edge_index, pair) + (h if h.shape[1] == layer.gate.irreps_out.dim else 0)
        return positions + self.out(h)
