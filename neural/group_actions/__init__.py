"""Learnable nonlinear group actions whose group laws hold exactly, whatever the weights.

* `CouplingFlow` — an invertible network φ of affine coupling layers (optionally volume-preserving);
* `NeuralGroupAction` — N_g = φ⁻¹ ∘ ρ(g) ∘ φ for every element of a finite group the engine lists,
  so N_g ∘ N_h = N_{gh} and N_e = id;
* `Involution` — the Z2 case N = φ⁻¹ ∘ diag(±1) ∘ φ, N ∘ N = id;
* `ParityNetwork` — f(Ax + b) = ±f(x) for an involutory affine map, by symmetrisation.
"""
from .action import NeuralGroupAction
from .coupling import AffineCoupling, CouplingFlow
from .elements import GroupTable, group_table
from .involution import Involution
from .parity import ParityNetwork

__all__ = ["AffineCoupling", "CouplingFlow", "GroupTable", "Involution", "NeuralGroupAction", "ParityNetwork",
           "group_table"]
