"""molien.bridge: exact invariant and equivariant polynomials as fast, batched torch modules.

Example:
    >>> import torch
    >>> from invariants.catalogue import symmetric
    >>> from bridge import invariant_layer
    >>> layer = invariant_layer(symmetric(3), normalize=None)
    >>> layer(torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64))
    tensor([[ 6., 14., 36.]], dtype=torch.float64)
"""
from .compiled import PolynomialMap
from .features import InvariantFeatures, compile_polynomials, equivariant_layer, invariant_layer, load, save
from .export import export_onnx

__all__ = ["PolynomialMap", "InvariantFeatures", "compile_polynomials", "invariant_layer", "equivariant_layer",
           "save", "load", "export_onnx"]
