"""Equivariant convolutions on grids, built on the engine's exact kernel bases.

* `gspace`: `GridSpace`, `grid_space("C4" | "D4" | "p4m" | …)`: a finite group moving pixels exactly;
  `SteerableSpace`, `steerable_space(n, flips)`: C_n, D_n with sampled kernels of exact angular parts;
* `fields`: `FieldType`, how the group acts on channels (any representations, summed);
* `conv`: `GroupConv2d` (lifting, group and steerable convolution in one layer);
* `nonlinear`: `PointwiseNonlinearity` (permutation fields), `NormNonlinearity`, `GatedNonlinearity` (any field);
* `covariant`: `CovariantNonlinearity`, the exact one: covariants weighted by functions of invariants;
* `pooling`: `GroupPooling`, `InvariantPooling` (the engine's invariants per field), `FieldPool2d`, `GlobalInvariantPool`;
* `norm`: `FieldBatchNorm`;
* `models`: `FieldSequential` (types checked to chain), `GroupCNN` (an invariant classifier).
"""
from neural.conv.conv import GroupConv2d
from neural.conv.covariant import CovariantMap, CovariantNonlinearity
from neural.conv.fields import FieldType
from neural.conv.gspace import GridSpace, PlaneSpace, SteerableSpace, grid_space, steerable_space
from neural.conv.models import FieldSequential, GroupCNN
from neural.conv.nonlinear import GatedNonlinearity, NormNonlinearity, PointwiseNonlinearity
from neural.conv.norm import FieldBatchNorm
from neural.conv.pooling import FieldPool2d, GlobalInvariantPool, GroupPooling, InvariantPooling

__all__ = ["PlaneSpace", "GridSpace", "grid_space", "SteerableSpace", "steerable_space", "FieldType", "GroupConv2d",
           "PointwiseNonlinearity", "NormNonlinearity", "GatedNonlinearity", "CovariantNonlinearity", "CovariantMap", "GroupPooling",
           "InvariantPooling", "FieldPool2d", "GlobalInvariantPool", "FieldBatchNorm", "FieldSequential", "GroupCNN"]
