"""Gauge-equivariant CNNs on triangle meshes (de Haan, Weiler, Cohen & Welling, ICLR 2021).

`MeshGeometry` reads frames, log map and parallel transport off a mesh; fields are
``(vertices, channels)`` of a `FieldType` over SO(2) or C_N (``steerable_space``); `GaugeConv`
convolves them with the engine's steerable kernels; `RegularNonlinearity` and
`VertexwiseNonlinearity` are the nonlinearities; `GaugeCNN` stacks them.

Example:
    >>> import torch
    >>> from neural.conv.gspace import steerable_space
    >>> from neural.mesh import GaugeCNN, MeshGeometry, icosphere
    >>> space = steerable_space(None)
    >>> model = GaugeCNN(space.type(space.trivial), classes=3, channels=4, depth=1)
    >>> model(torch.randn(42, 1), MeshGeometry(*icosphere(1))).shape
    torch.Size([1, 3])
"""
from neural.mesh.conv import GaugeConv
from neural.mesh.datasets import MeshSample, deformed_sphere, gradient_task, icosphere, shape_task
from neural.mesh.fields import change_gauge, gauge_matrices
from neural.mesh.geometry import MeshGeometry
from neural.mesh.models import GaugeCNN
from neural.mesh.nonlinear import RegularNonlinearity, VertexwiseNonlinearity, fourier_field

__all__ = ["GaugeCNN", "GaugeConv", "MeshGeometry", "MeshSample", "RegularNonlinearity", "VertexwiseNonlinearity",
           "change_gauge", "deformed_sphere", "fourier_field", "gauge_matrices", "gradient_task", "icosphere",
           "shape_task"]
