"""molien.invariants: exact invariant theory of groups acting linearly.

Example:
    >>> from invariants import weyl, molien_series
    >>> molien_series(weyl("E8"))
    1/((1 - t^2)(1 - t^8)(1 - t^12)(1 - t^14)(1 - t^18)(1 - t^20)(1 - t^24)(1 - t^30))
"""
from .errors import (BackendError, FieldError, FloatEntryError, InputError, MolienError, NotFiniteError,
                     NotHomomorphismError, ShapeError, SingularMatrixError, TooLargeError)
from .fields import QQ, NumberField, PrimeField, cyclotomic_field, number_field, parse_field, quadratic_field
from .matrix import Matrix
from .group import ConjugacyClass, MatrixGroup
from .representation import Representation
from .series import HilbertSeries
from .molien import molien_series
from .reflection import ReflectionCertificate, reflection_degrees
from .homogeneous import InvariantSpace, invariant_space, invariants_of_degree
from .ring import GenerationCheck, InvariantRing, RingCertificate, invariant_ring
from .spec import load_spec
from .catalogue import *  # noqa: F401,F403  (the group catalogue: weyl, coxeter, symmetric, ...)
from . import catalogue
from .compact import hilbert_series
from .covariants import CovariantModule, covariant_module, covariant_series, equivariant_linear_maps, equivariants_of_degree
from .isotypic import IsotypicComponent, IsotypicDecomposition, isotypic_decomposition
from .action import is_equivariant, is_invariant

__all__ = [
    "MolienError", "BackendError", "InputError", "FloatEntryError", "ShapeError", "SingularMatrixError", "NotFiniteError",
    "TooLargeError", "FieldError", "NotHomomorphismError",
    "QQ", "NumberField", "PrimeField", "quadratic_field", "cyclotomic_field", "number_field", "parse_field",
    "Matrix", "MatrixGroup", "ConjugacyClass", "Representation", "HilbertSeries", "molien_series",
    "ReflectionCertificate", "reflection_degrees", "InvariantSpace", "invariant_space", "invariants_of_degree",
    "load_spec", "catalogue", "hilbert_series", "covariant_series", "equivariants_of_degree",
    "equivariant_linear_maps", "covariant_module", "CovariantModule", "InvariantRing", "RingCertificate", "GenerationCheck", "invariant_ring",
    "IsotypicComponent", "IsotypicDecomposition", "isotypic_decomposition", "is_equivariant", "is_invariant",
] + list(getattr(catalogue, "__all__", []))
