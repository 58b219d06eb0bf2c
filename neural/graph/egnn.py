"""EGNN (Satorras, Hoogeboom, Welling, ICML 2021), written from the paper as the N-body baseline:
m_ij = φ_e(h_i, h_j, |x_i − x_j|², a_ij); v_i ← φ_v(h_i) v_i⁰ + mean_j (x_i − x_j) φ_x(m_ij);
x_i ← x_i + v_i; h_i ← h_i + φ_h(h_i, Σ_j m_ij) (the velocity form, their eq. 7), h⁰ = |v_i|,
a_ij = q_i q_j for charged particles.

Example:
    >>> import torch
    >>> from neural.graph.graph import fully_connected
    >>> net = EGNN().double()
    >>> x, v, q = torch.randn(5, 3).double(), torch.randn(5, 3).double(), torch.ones(5).double()
    >>> net(x, v, q, fully_connected(5)).shape
    torch.Size([5, 3])
"""
from __future__ import annotations

import torch
from torch import nn

from neural.graph.message import mlp


class EGNNLayer(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.edge = mlp([2 * hidden + 2, hidden, hidden], last_activation=True)
        self.coord = mlp([hidden, hidden, 1])
        self.velocity = mlp([hidden, hidden, 1])
        self.node = mlp([2 * hidden, hidden, hidden])
        with torch.no_grad():   # the paper's code starts the position updates small
            self.coord[-1].weight.mul_(1e-3)

    def forward(self, h, x, v0, edge_index, edge_attr):
        i, j = edge_index
        r = x[i] - x[j]
        m = self.edge(torch.cat([h[i], h[j], (r * r).sum(-1, keepdim=True), edge_attr], -1))
        degree = torch.zeros(len(x), dtype=x.dtype, device=x.device).index_add_(0, i, torch.ones_like(i, dtype=x.dtype))
        pull = torch.zeros_like(x).index_add_(0, i, r * self.coord(m)) / degree.clamp_min(1)[:, None]
        x = x + self.velocity(h) * v0 + pull
        messages = torch.zeros(len(x), m.shape[1], dtype=x.dtype, device=x.device).index_add_(0, i, m)
        return h + self.node(torch.cat([h, messages], -1)), x


class EGNN(nn.Module):
    def __init__(self, hidden: int = 64, layers: int = 4):
        super().__init__()
        self.embed = nn.Linear(1, hidden)
        self.layers = nn.ModuleList(EGNNLayer(hidden) for _ in range(layers))

    def forward(self, positions: torch.Tensor, velocities: torch.Tensor, charges: torch.Tensor,
                edge_index: torch.Tensor) -> torch.Tensor:
        h = self.embed(velocities.norm(dim=-1, keepdim=True))
        attr = (charges[edge_index[0]] * charges[edge_index[1]])[:, None]
        x = positions
        for layer in self.layers:
            h, x = layer(h, x, velocities, edge_index, attr)
        return x
