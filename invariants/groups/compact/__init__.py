"""Compact and reductive groups: representations, Molien–Weyl series, invariants.

Example:
    >>> from invariants.groups.compact import SO3
    >>> from invariants import molien_series
    >>> molien_series(3 * SO3().irrep(1))
    (1 + t^3)/(1 - t^2)^6
"""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "CompactGroup": "group", "ProductGroup": "group",
    "O": "catalogue", "O2": "catalogue", "O3": "catalogue", "SO": "catalogue", "SO2": "catalogue", "SO3": "catalogue", "SU": "catalogue", "SU2": "catalogue", "U": "catalogue", "U1": "catalogue", "Lorentz": "catalogue", "Torus": "catalogue",
    "rational_rotation": "harmonics", "real_solid_harmonics": "harmonics", "rotation_action": "harmonics",
    "MolienWeylCertificate": "molien_weyl", "molien_weyl": "molien_weyl",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
