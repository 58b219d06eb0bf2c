"""Baselines for the gauge-equivariant mesh CNN: a gauge-fixed CNN and a graph network without frames.

`AngularGraphConv` has `GaugeConv`'s message form,

    out_p = W_self x_p + (1/|N(p)|) Σ_{q ∈ N(p)} K(θ_pq, r_pq) x_q + bias,

with the same angular harmonics (frequencies 0 … ``max_frequency``) and Gaussian radial rings,
but with an *unconstrained* kernel K(θ, r) = Σ_ring Σ_harmonic radial(r) · angular(θ) · W
(each W a free ``c_out × c_in`` matrix) and *no* parallel transport: channels are plain numbers
read in whatever frame each vertex has.  It is a CNN with one arbitrary frame fixed per vertex
(the frame the geometry carries), and nothing ties its output to another choice of frames.
With ``use_angles=False`` the kernel depends on the radius only: an isotropic graph network
that never sees a frame (and therefore cannot output a tangent vector in one).

`MeshBaseline` stacks them with ReLU, like `GaugeCNN` (same ``forward(x, geometry)``, mean-pooled
class scores with ``classes``).

Example:
    >>> import numpy as np, torch
    >>> from neural.mesh.datasets import icosphere
    >>> from neural.mesh.geometry import MeshGeometry
    >>> mesh = MeshGeometry(*icosphere(1))
    >>> net = MeshBaseline(1, c_out=2, channels=8, depth=2).double()
    >>> x = torch.randn(42, 1, dtype=torch.float64)
    >>> net(x, mesh).shape
    torch.Size([42, 2])
    >>> turned = mesh.rotate_frames(np.full(42, 0.5))   # another gauge: the output does not follow it
    >>> bool(torch.allclose(net(x, turned), net(x, mesh)))
    False
    >>> gnn = MeshBaseline(1, classes=3, channels=8, depth=2, use_angles=False).double()
    >>> bool(torch.allclose(gnn(x, turned), gnn(x, mesh)))   # no frames: nothing to turn
    True
"""
from __future__ import annotations

import math

import torch
from torch import nn

from invariants.errors import InputError
from neural.mesh.conv import DEFAULT_MAX_FREQUENCY, check_mesh_input, edge_tensors, neighbour_mean
from neural.mesh.geometry import MeshGeometry



class AngularGraphConv(nn.Module):
    """``c_in`` → ``c_out`` channels over the ``rings``-ring of every vertex, with a free kernel
    on the angular harmonics up to ``max_frequency`` (``use_angles=True``: gauge-fixed) or on the
    radius alone (``use_angles=False``: isotropic, frameless)."""

    def __init__(self, c_in: int, c_out: int, max_frequency: int = DEFAULT_MAX_FREQUENCY, rings: int = 1,
                 use_angles: bool = True):
        super().__init__()
        if c_in < 1 or c_out < 1 or max_frequency < 0 or rings < 1:
            raise InputError(f"c_in, c_out, rings >= 1 and max_frequency >= 0, got {c_in}, {c_out}, {rings}, "
                             f"{max_frequency}")
        self.c_in, self.c_out, self.rings, self.use_angles = c_in, c_out, rings, use_angles
        self.max_frequency = max_frequency if use_angles else 0
        width = 2 * self.max_frequency + 1
        self.weight = nn.Parameter(torch.empty(rings, width, c_in, c_out))
        self.self_weight = nn.Parameter(torch.empty(c_in, c_out))
        self.bias = nn.Parameter(torch.zeros(c_out))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """He initialisation shared between the neighbours' term and the self term, as `GaugeConv`'s."""
        with torch.no_grad():
            fan = self.c_in * self.rings * self.weight.shape[1]
            self.weight.normal_(0.0, math.sqrt(1.0 / fan))
            self.self_weight.normal_(0.0, math.sqrt(1.0 / self.c_in))

    def extra_repr(self) -> str:
        return (f"{self.c_in} → {self.c_out}, rings={self.rings}, "
                + (f"max_frequency={self.max_frequency}" if self.use_angles else "isotropic"))

    def forward(self, x: torch.Tensor, geometry: MeshGeometry) -> torch.Tensor:
        check_mesh_input("AngularGraphConv", x, self.c_in, geometry, self.rings)
        edges = edge_tensors(geometry, self.rings, self.max_frequency, x.device, x.dtype)
        out = neighbour_mean(x[edges.src], edges, self.weight.to(x.dtype), geometry.num_vertices)
        return out + x @ self.self_weight.to(x.dtype) + self.bias.to(x.dtype)


class MeshBaseline(nn.Module):
    """``c_in`` → ``depth`` × (AngularGraphConv, ReLU) → ``c_out`` channels per vertex, or →
    ``classes`` scores per mesh (mean over each mesh's vertices, then a two-layer head, as
    `GaugeCNN`); give exactly one of ``c_out`` and ``classes``."""

    def __init__(self, c_in: int, c_out: int | None = None, *, classes: int | None = None, channels: int = 32,
                 depth: int = 3, use_angles: bool = True, rings: int = 1, max_frequency: int = DEFAULT_MAX_FREQUENCY):
        super().__init__()
        if (c_out is None) == (classes is None):
            raise InputError("MeshBaseline gives channels per vertex (c_out=...) or class scores (classes=...): one "
                             "of them")
        conv = {"max_frequency": max_frequency, "rings": rings, "use_angles": use_angles}
        widths = [c_in] + [channels] * depth
        self.convs = nn.ModuleList(AngularGraphConv(a, b, **conv) for a, b in zip(widths[:-1], widths[1:]))
        self.classes = classes
        self.head = AngularGraphConv(widths[-1], channels if classes else c_out, **conv)
        if classes:
            self.readout = nn.Sequential(nn.Linear(channels, channels), nn.ReLU(), nn.Linear(channels, classes))

    def forward(self, x: torch.Tensor, geometry: MeshGeometry) -> torch.Tensor:
        for conv in self.convs:
            x = torch.relu(conv(x, geometry))
        x = self.head(x, geometry)
        if self.classes is None:
            return x
        member = nn.functional.one_hot(torch.from_numpy(geometry.batch).to(x.device)).to(x.dtype)  # (V, meshes)
        return self.readout((member / member.sum(0)).T @ x)
