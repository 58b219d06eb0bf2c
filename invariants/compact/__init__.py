"""Compact and reductive groups: representations, Molien–Weyl series, invariants.

Example:
    >>> from invariants.compact import SO3
    >>> from invariants import molien_series
    >>> molien_series(3 * SO3().irrep(1))
    (1 + t^3)/(1 - t^2)^6
"""
from .group import CompactGroup, ComponentClass, product_group
from .representation import CompactRepresentation
from .catalogue import O, O2, O3, SO, SO2, SO3, SU, SU2, U, U1, Lorentz, Torus
from .harmonics import rational_rotation, real_solid_harmonics, rotation_action
from .finite import finite_factor
from .molien_weyl import MolienWeylCertificate, hilbert_series, molien_weyl
from .spec import compact_from_dict, compact_from_string

__all__ = ["CompactGroup", "ComponentClass", "product_group", "CompactRepresentation", "Torus", "U1", "SO2", "O2",
           "SO", "O", "SO3", "O3", "SU2", "U", "SU", "Lorentz", "rational_rotation", "real_solid_harmonics",
           "rotation_action", "finite_factor", "hilbert_series", "molien_weyl", "MolienWeylCertificate",
           "compact_from_dict", "compact_from_string"]
