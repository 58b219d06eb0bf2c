"""Networks on sets and on functions on a finite set permuted by a group G ≤ S_n: equivariant linear
layers between tensors (R^n)^{⊗k} whose bases the engine computes for any G, and universal invariant
networks built from them."""
from .linear import PermutationLinear
from .universal import UniversalInvariantNetwork, set_model, universal_order

__all__ = ["PermutationLinear", "UniversalInvariantNetwork", "set_model", "universal_order"]
