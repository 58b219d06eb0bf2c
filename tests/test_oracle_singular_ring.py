"""Live cross-checks of invariant rings against Singular's finvar.lib.

For each group: our minimal generator degrees equal Singular's (invariant_algebra_reynolds),
and the Hironaka series built from Singular's primary and secondary degrees
(invariant_ring) equals our Molien series — so the two systems agree on the ring's shape even
where they choose different primaries.
"""
import pytest

from invariants import HilbertSeries, MatrixGroup
from invariants.catalogue import alternating, coxeter, cyclic, dihedral, signed_permutations, symmetric
from invariants.rings.ring import invariant_ring

from singular_oracle import singular_available, singular_ring_degrees

pytestmark = [pytest.mark.oracle,
              pytest.mark.skipif(not singular_available(), reason="Singular is not installed (apt-get install singular)")]


def _s3_two_copies():
    V = symmetric(3).natural()
    return (V + V).image_group


def _quaternion_on_r4():
    # left multiplication by i and j on a + bi + cj + dk
    i = [[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]]
    j = [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]]
    return MatrixGroup([i, j], name="Q8 on R^4")


GROUPS = {
    "C4 rotation": lambda: cyclic(4),
    "D4": lambda: dihedral(4),
    "S3": lambda: symmetric(3),
    "S4": lambda: symmetric(4),
    "A4": lambda: alternating(4),
    "Z4 Sturmfels": lambda: MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]]),
    "(13)(24) on Q^4": lambda: MatrixGroup([[[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]]),
    "C4 permutations": lambda: cyclic(4, form="permutation"),
    "C5 permutations": lambda: cyclic(5, form="permutation"),
    "B2": lambda: signed_permutations(2),
    "W(A2)": lambda: coxeter("A2"),
    "W(B3)": lambda: coxeter("B3"),
    "Q8 on R^4": _quaternion_on_r4,
    "S3 on Q^3+Q^3": _s3_two_copies,
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_ring_shape_agrees_with_singular(name):
    G = GROUPS[name]()
    ours = invariant_ring(G)
    theirs = singular_ring_degrees(G)
    assert ours.generator_degrees == theirs["GEN"]
    counts = [0] * (max(theirs["SEC"]) + 1)
    for d in theirs["SEC"]:
        counts[d] += 1
    assert HilbertSeries.from_degrees(theirs["PRIM"], counts) == ours.molien
    assert ours.certificate.certified
