"""A gauge-equivariant mesh CNN: `GaugeConv` layers and gauge-equivariant nonlinearities.

Hidden features are ``channels`` copies of one field: over SO(2) a Fourier field (frequencies
0 … ``band_limit``), over C_N the regular representation.  The output is either a field per
vertex (``out_type``: e.g. a tangent vector field) or, with ``classes``, class scores from the
invariant scalars averaged over each mesh (``geometry.batch``): unchanged by any change of gauge
and by rigid motions of the mesh.

Nonlinearities (``nonlinearity``): ``"regular"`` (SO(2): Fourier samples, ReLU, back; C_N:
ReLU on the regular fields, exact), ``"norm"`` (each field scaled by a function of its norm) and
``"covariant"`` (the exact covariant nonlinearity, equivariant for every angle).

Example:
    >>> import torch
    >>> from neural.conv.gspace import steerable_space
    >>> from neural.mesh.datasets import icosphere
    >>> from neural.mesh.geometry import MeshGeometry
    >>> space = steerable_space(None)
    >>> model = GaugeCNN(space.type(space.trivial), space.type(space.group.frequency(1)), channels=4, depth=2)
    >>> mesh = MeshGeometry(*icosphere(1))
    >>> model(torch.randn(42, 1), mesh).shape
    torch.Size([42, 2])
"""
from __future__ import annotations

import torch
from torch import nn

from invariants.errors import InputError
from neural.conv.covariant import CovariantNonlinearity
from neural.conv.fields import FieldType
from neural.conv.nonlinear import NormNonlinearity, PointwiseNonlinearity
from neural.mesh.conv import DEFAULT_MAX_FREQUENCY, GaugeConv
from neural.mesh.fields import check_gauge_type
from neural.mesh.geometry import MeshGeometry
from neural.mesh.nonlinear import RegularNonlinearity, VertexwiseNonlinearity, fourier_field

NONLINEARITIES = ("regular", "norm", "covariant")


class GaugeCNN(nn.Module):
    """``in_type`` → ``depth`` × (GaugeConv, nonlinearity) → ``out_type`` per vertex, or → ``classes``
    scores per mesh (give exactly one of ``out_type`` and ``classes``)."""

    def __init__(self, in_type: FieldType, out_type: FieldType | None = None, *, classes: int | None = None,
                 channels: int = 8, depth: int = 3, band_limit: int = 2, nonlinearity: str = "regular",
                 rings: int = 1, max_frequency: int = DEFAULT_MAX_FREQUENCY):
        super().__init__()
        check_gauge_type(in_type, "GaugeCNN")
        if (out_type is None) == (classes is None):
            raise InputError("GaugeCNN gives a field per vertex (out_type=...) or class scores (classes=...): one of them")
        if nonlinearity not in NONLINEARITIES:
            raise InputError(f"nonlinearity is one of {NONLINEARITIES}, got {nonlinearity!r}")
        space = in_type.space
        field = fourier_field(space, band_limit) if space.continuous else space.regular
        hidden = channels * space.type(field)
        convs = {"max_frequency": max_frequency, "rings": rings}
        self.convs, self.activations = nn.ModuleList(), nn.ModuleList()
        current = in_type
        for _ in range(depth):
            self.convs.append(GaugeConv(current, hidden, **convs))
            self.activations.append(_nonlinearity(nonlinearity, space, hidden, band_limit, channels))
            current = hidden
        self.in_type, self.classes = in_type, classes
        if classes is None:
            self.out_type = out_type
            self.head = GaugeConv(current, out_type, **convs)
        else:
            self.out_type = channels * space.type(space.trivial)
            self.head = GaugeConv(current, self.out_type, **convs)
            self.readout = nn.Sequential(nn.Linear(channels, channels), nn.ReLU(), nn.Linear(channels, classes))

    def forward(self, x: torch.Tensor, geometry: MeshGeometry) -> torch.Tensor:
        for conv, activation in zip(self.convs, self.activations):
            x = activation(conv(x, geometry))
        x = self.head(x, geometry)
        if self.classes is None:
            return x
        batch = torch.from_numpy(geometry.batch).to(x.device)
        meshes = int(geometry.batch.max()) + 1
        pooled = torch.zeros(meshes, x.shape[1], dtype=x.dtype, device=x.device).index_add(0, batch, x)
        pooled = pooled / torch.bincount(batch, minlength=meshes).to(x.dtype)[:, None]
        return self.readout(pooled)


def _nonlinearity(kind: str, space, hidden: FieldType, band_limit: int, channels: int) -> nn.Module:
    if kind == "covariant":
        return VertexwiseNonlinearity(CovariantNonlinearity(hidden, degree=2))
    if kind == "norm":
        return VertexwiseNonlinearity(NormNonlinearity(hidden))
    if space.continuous:
        return RegularNonlinearity(space, band_limit, channels)
    return VertexwiseNonlinearity(PointwiseNonlinearity(hidden))
