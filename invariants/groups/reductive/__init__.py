"""Linearly reductive groups given by their action (Macaulay2's ``linearlyReductiveAction``).

A group is an affine variety — its ideal in coordinates z — and a representation matrix A(z);
`LinearlyReductiveAction` holds and checks them, `reductive_hilbert_ideal` runs Derksen's
algorithm, `reductive_invariants_of_degree` solves for the invariants of one degree and
`reductive_invariant_ring` returns minimal generators with a `ReductiveCertificate`.
Modules: `action` (the value), `groebner` (bases and normal forms), `hilbert` (Derksen),
`degree` (one degree), `ring` (generators), `examples` (SL2 on binary forms, GL_n, tori).

Example:
    >>> from invariants.groups.reductive import LinearlyReductiveAction, reductive_invariant_ring
    >>> V = LinearlyReductiveAction("a*d - b*c - 1", [["a", "b", 0, 0], ["c", "d", 0, 0],
    ...                                               [0, 0, "a", "b"], [0, 0, "c", "d"]], "a b c d")
    >>> reductive_invariant_ring(V).generators
    (-x0*x3 + x1*x2,)
"""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "LinearlyReductiveAction": "action", "Limits": "groebner",
    "ReductiveHilbertIdeal": "hilbert", "reductive_hilbert_ideal": "hilbert",
    "is_invariant_under": "degree", "reductive_invariants_of_degree": "degree",
    "ReductiveCertificate": "ring", "ReductiveInvariantRing": "ring", "reductive_invariant_ring": "ring",
    "gl_natural": "examples", "sl2_binary_forms": "examples", "torus": "examples",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
