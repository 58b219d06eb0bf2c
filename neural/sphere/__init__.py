"""Spherical CNNs: SO(3)-equivariant layers on band-limited signals on S² = SO(3)/SO(2) and on SO(3).

* `types`: `SphereType`, multiplicities of the irreducibles V_l ("16x0 + 16x1 + …");
* `grid`: `SphereAnalysis`, values on an exact quadrature grid → coefficients;
* `linear`: `SphericalLinear`, zonal S² convolution, S² → SO(3) lifting and SO(3) convolution in one;
* `nonlinear`: `GatedNonlinearity`, `NormNonlinearity`, `TensorProductNonlinearity` (exact Clebsch–Gordan),
  `GridNonlinearity` (pointwise on the grid, approximately equivariant);
* `readout`: `PowerSpectrum`, `Bispectrum` (invariants);
* `models`: `SphericalCNN`.

Coefficients are in the engine's harmonics, normalised (``bridge.sphere``); rotations act by
``bridge.sphere.rotation_blocks``.
"""
from neural.sphere.grid import SphereAnalysis
from neural.sphere.linear import SphericalLinear
from neural.sphere.models import SphericalCNN
from neural.sphere.nonlinear import GatedNonlinearity, GridNonlinearity, NormNonlinearity, TensorProductNonlinearity
from neural.sphere.readout import Bispectrum, PowerSpectrum
from neural.sphere.types import SphereType

__all__ = ["SphereType", "SphereAnalysis", "SphericalLinear", "GatedNonlinearity", "NormNonlinearity",
           "TensorProductNonlinearity", "GridNonlinearity", "PowerSpectrum", "Bispectrum", "SphericalCNN"]
