"""Live cross-checks of compact-group invariant rings against Macaulay2 (InvariantRing):
tori by `diagonalAction`, SL2 by `linearlyReductiveAction` (Derksen's algorithm)."""
import pytest

from invariants import invariant_ring
from invariants.groups.compact import SU2, Torus

from m2_oracle import binary_form_action, block_diagonal, m2_available, m2_sl2_generator_degrees, m2_torus_generators

pytestmark = [pytest.mark.oracle, pytest.mark.skipif(not m2_available(), reason="Macaulay2 (M2) not installed")]

TORI = [
    [[-2], [-3], [7]],
    [[1], [1], [-1], [-1]],
    [[1], [2], [-3]],
    [[1, 0], [0, 1], [-1, -1]],
    [[1, 0], [0, 1], [-1, -1], [2, -1]],
    [[3], [-2], [-1], [1]],
]


@pytest.mark.parametrize("weights", TORI, ids=[str(w) for w in TORI])
def test_torus_generators_agree_with_macaulay2(weights):
    ring = invariant_ring(Torus(len(weights[0])).rep(weights))
    ours = {tuple(int(e) for e in g.monoms()[0]) for g in ring.generation.polys}
    assert ring.certificate.certified
    assert ours == m2_torus_generators(weights)


SL2 = [  # (our representation, Macaulay2's action matrix)
    ("binary quadric", lambda: SU2().binary_forms(2), lambda: binary_form_action(2)),
    ("binary cubic", lambda: SU2().binary_forms(3), lambda: binary_form_action(3)),
    ("binary quartic", lambda: SU2().binary_forms(4), lambda: binary_form_action(4)),
    ("4 copies of C^2", lambda: 4 * SU2().fundamental(), lambda: block_diagonal([binary_form_action(1)] * 4)),
    ("quadric + linear", lambda: SU2().binary_forms(2) + SU2().binary_forms(1),
     lambda: block_diagonal([binary_form_action(2), binary_form_action(1)])),
]


@pytest.mark.parametrize("name,ours,theirs", SL2, ids=[s[0] for s in SL2])
def test_sl2_generator_degrees_agree_with_macaulay2(name, ours, theirs):
    ring = invariant_ring(ours())
    assert ring.certificate.certified
    assert ring.generator_degrees == m2_sl2_generator_degrees(theirs())
