"""molien.bridge: exact invariant and equivariant polynomials as fast, batched torch modules.

Example:
    >>> import torch
    >>> from invariants.catalogue import symmetric
    >>> from bridge import invariant_layer
    >>> layer = invariant_layer(symmetric(3), normalize=None)
    >>> layer(torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64))
    tensor([[ 6., 14., 36.]], dtype=torch.float64)
"""
from invariants.catalogue.spec import load_spec
from invariants.groups.base import Group
from invariants.groups.representation import Representation

from .actions import act, axial, lorentz, matrices, minkowski, orthogonal, permutations, sample, sampler
from .compiled import PolynomialMap
from .export import export_onnx
from .features import InvariantFeatures, compile_polynomials, equivariant_layer, invariant_layer, load, save

__all__ = ["PolynomialMap", "InvariantFeatures", "compile_polynomials", "invariant_layer", "equivariant_layer",
           "save", "load", "export_onnx", "act", "matrices", "sample", "sampler", "orthogonal", "lorentz",
           "permutations", "axial", "minkowski",
           # the engine's values, as the torch side receives them
           "Representation", "Group", "load_spec"]
