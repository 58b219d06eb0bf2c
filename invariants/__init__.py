"""molien.invariants: exact invariant theory of groups acting linearly.

Every name below is loaded on first use, so ``import invariants.errors`` (what bridge and neural
need for their error types) loads nothing else.

Example:
    >>> from invariants import weyl, molien_series
    >>> molien_series(weyl("E8"))
    1/((1 - t^2)(1 - t^8)(1 - t^12)(1 - t^14)(1 - t^18)(1 - t^20)(1 - t^24)(1 - t^30))
"""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "MolienError": "errors", "BackendError": "errors", "InputError": "errors", "FloatEntryError": "errors", "ShapeError": "errors", "SingularMatrixError": "errors", "NotFiniteError": "errors", "TooLargeError": "errors", "FieldError": "errors", "NotHomomorphismError": "errors", "ClusterError": "errors",
    "Field": "fields", "QQ": "fields", "NumberField": "fields", "PrimeField": "fields", "quadratic_field": "fields", "cyclotomic_field": "fields", "number_field": "fields", "parse_field": "fields",
    "Matrix": "linalg.matrix",
    "Group": "groups.base",
    "Representation": "groups.representation", "as_representation": "groups.representation", "molien_series": "groups.representation",
    "MatrixGroup": "groups.finite.group", "ConjugacyClass": "groups.finite.group",
    "ReflectionCertificate": "groups.finite.reflection", "reflection_degrees": "groups.finite.reflection",
    "LinearlyReductiveAction": "groups.reductive", "reductive_hilbert_ideal": "groups.reductive", "reductive_invariants_of_degree": "groups.reductive", "reductive_invariant_ring": "groups.reductive", "ReductiveHilbertIdeal": "groups.reductive", "ReductiveInvariantRing": "groups.reductive", "ReductiveCertificate": "groups.reductive",
    "CompactGroup": "groups.compact", "ProductGroup": "groups.compact", "O": "groups.compact", "O2": "groups.compact", "O3": "groups.compact", "SO": "groups.compact", "SO2": "groups.compact", "SO3": "groups.compact", "SU": "groups.compact", "SU2": "groups.compact", "U": "groups.compact", "U1": "groups.compact", "Lorentz": "groups.compact", "Torus": "groups.compact", "rational_rotation": "groups.compact", "molien_weyl": "groups.compact",
    "HilbertSeries": "series.hilbert",
    "Cyclotomic": "series.cyclotomic", "cyclotomic": "series.cyclotomic",
    "CharacterTable": "series.characters", "molien_series_from_character": "series.characters", "natural_character": "series.characters",
    "MultigradedSeries": "series.multigraded", "multigraded_molien_series": "series.multigraded", "EquivariantHilbertSeries": "series.equivariant",
    "InvariantSpace": "rings.spaces", "invariant_space": "rings.spaces", "invariant_spaces": "rings.spaces", "invariants_of_degree": "rings.spaces",
    "cluster": "parallel.dask_cluster",
    "InvariantRing": "rings.ring", "RingCertificate": "rings.ring", "GenerationCheck": "rings.ring", "invariant_ring": "rings.ring",
    "load_spec": "catalogue.spec",
    "covariant_series": "covariants.covariants", "equivariants_of_degree": "covariants.covariants", "equivariant_linear_maps": "covariants.covariants", "covariant_module": "covariants.covariants", "CovariantModule": "covariants.covariants",
    "IsotypicComponent": "covariants.isotypic", "IsotypicDecomposition": "covariants.isotypic", "isotypic_decomposition": "covariants.isotypic",
    "reynolds": "rings.reynolds", "hilbert_ideal": "rings.nullcone", "nullcone": "rings.nullcone", "HilbertIdeal": "rings.nullcone", "Nullcone": "rings.nullcone",
    "is_equivariant": "groups.action", "is_invariant": "groups.action",
    "tensor_orbits": "groups.finite.tensor_orbits", "TensorOrbits": "groups.finite.tensor_orbits",
    "cyclic": "catalogue", "dihedral": "catalogue", "symmetric": "catalogue", "alternating": "catalogue", "signed_permutations": "catalogue", "even_signed_permutations": "catalogue", "complex_reflection": "catalogue", "weyl": "catalogue", "coxeter": "catalogue", "cartan_matrix": "catalogue", "quaternion_group": "catalogue", "binary_dihedral": "catalogue", "binary_tetrahedral": "catalogue", "binary_octahedral": "catalogue", "binary_icosahedral": "catalogue", "by_name": "catalogue", "CATALOGUE_NAMES": "catalogue",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
