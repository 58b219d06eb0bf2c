"""Hilbert ideals, nullcones and user-given primary invariants (issue #22 item 5), on answers known
by hand: the nullcone of binary forms of degree d under SL2 is the forms with a root of multiplicity
> d/2, of dimension d − ⌊d/2⌋ + 1; for SO(3) on k ≤ 3 vectors it is the tuples spanning an isotropic
line (dimension k + 1; the isotropic cone itself for k = 1); a torus with weights ±1 cuts out the
union of coordinate planes; a finite group's nullcone is {0}."""
from __future__ import annotations

import pytest
import sympy

from invariants import InputError, cyclic, invariant_ring, load_spec, symmetric
from invariants.rings.nullcone import HilbertIdeal, hilbert_ideal, nullcone

from m2_oracle import m2_available, m2_linearly_reductive


@pytest.mark.parametrize("spec, degrees, dimension", [
    ("SU(2):1", [2], 2), ("SU(2):3/2", [4], 3), ("SU(2):2", [2, 3], 3),  # binary forms of degree 2, 3, 4
    ("SO(3):1", [2], 2), ("SO(3):1,1", [2, 2, 2], 3), ("SO(3):1,1,1", [2] * 6 + [3], 4),
    ("O(3):1o,1o,1o", [2] * 6, 4), ("SO(4):v", [2], 3),
    ("U(1):1,-1", [2], 1), ("U(1):1,1,-1,-1", [2] * 4, 2), ("U(1):1,1", [], 2), ("SO(3):2", [2, 3], 3),
])
def test_nullcone_dimensions(spec, degrees, dimension):
    N = nullcone(load_spec(spec))
    assert sorted(N.ideal.degrees) == degrees and N.dimension == dimension and N.ideal.complete


def test_membership_of_points_and_polynomials():
    N = nullcone(load_spec("SU(2):2"))  # the quartic x0 (a form with a quadruple root) is unstable
    assert N.contains([1, 0, 0, 0, 0]) and not N.contains([1, 0, 0, 0, 1])
    T = nullcone(load_spec("U(1):1,-1"))
    assert T.contains([1, 0]) and T.contains([0, 5]) and not T.contains([1, 1])
    I = hilbert_ideal(symmetric(3))
    assert I.degrees == [1, 2, 3]
    assert I.contains("x0**3") and I.contains("x0*x1*x2 + x1**2") is False
    assert not I.contains("x0") and I.contains("x0 + x1 + x2")


def test_finite_groups_have_zero_nullcones_and_minimal_hilbert_ideals():
    """C4 on R^2: the ring's three generators are all needed in the ideal too; every generator of
    S3 on two copies lies in the minimal ideal basis's span, and x0 x3 does not."""
    N = nullcone(cyclic(4))
    assert N.dimension == 0 and N.ideal.degrees == [2, 4, 4]
    assert sympy.expand(N.ideal.generators[0] - (sympy.Symbol("x0")**2 + sympy.Symbol("x1")**2)) == 0
    R = invariant_ring(symmetric(3).natural() + symmetric(3).natural())
    I = hilbert_ideal(R)
    assert all(I.contains(g) for g in R.generators) and not I.contains("x0*x3")


@pytest.mark.skipif(not m2_available(), reason="Macaulay2 not installed")
def test_hilbert_ideal_of_a_torus_against_macaulay2():
    """Macaulay2's hilbertIdeal of the diagonal action with weights (1, 1, -1, -1) equals ours."""
    z, w = sympy.symbols("z w")
    theirs = m2_linearly_reductive([z * w - 1], sympy.diag(z, z, w, w), [z, w])["hilbert"]
    ours = hilbert_ideal(load_spec("U(1):1,1,-1,-1"))
    assert len(theirs) == len(ours.polys) == 4 and all(ours.contains(p) for p in theirs)
    assert all(HilbertIdeal(ours.ring, tuple(map(ours.ring.from_sympy, theirs)), True).contains(p)
               for p in ours.generators)


def test_prescribed_primaries():
    R = invariant_ring(symmetric(3), primary=["x0+x1+x2", "x0**2+x1**2+x2**2", "x0**6+x1**6+x2**6"])
    assert R.primary_degrees == [1, 2, 6] and R.secondary_degrees == [0, 3] and R.certificate.certified
    assert R.generator_degrees == [1, 2, 3]
    R = invariant_ring(cyclic(4), primary=["x0**2+x1**2", "x0**2*x1**2"])
    assert R.primary_degrees == [2, 4] and R.secondary_degrees == [0, 4] and R.certificate.certified
    with pytest.raises(InputError, match="cone of dimension 1"):  # e3 is free: (1, ω, ω²)·t
        invariant_ring(symmetric(3), primary=["x0+x1+x2", "x0**2+x1**2+x2**2", "x0**4+x1**4+x2**4"]).primaries
    with pytest.raises(InputError, match="exactly 2 elements"):
        invariant_ring(cyclic(4), primary=["x0**2+x1**2"]).primaries
    with pytest.raises(InputError, match="not invariant"):
        invariant_ring(cyclic(4), primary=["x0**2+x1**2", "x0**3"]).primaries
    with pytest.raises(InputError, match="algebraically dependent"):
        invariant_ring(cyclic(4), primary=["x0**2+x1**2", "(x0**2+x1**2)**2"]).primaries
    with pytest.raises(InputError, match="homogeneous"):
        invariant_ring(cyclic(4), primary=["x0**2+x1**2+1", "x0**4"]).primaries
    # a compact group: SO(3) on two vectors with the Gram entries given
    R = invariant_ring(load_spec("SO(3):1,1"), primary=["x0**2+x1**2+x2**2", "x3**2+x4**2+x5**2",
                                                        "x0*x3+x1*x4+x2*x5"])
    assert R.certificate.certified and R.secondary_degrees == [0]


def test_one_hilbert_ideal_type_for_derksen_and_the_engine():
    """Derksen's ideal of SL2 on binary quartics is a `HilbertIdeal` too: same membership, and
    the same nullcone as the engine's SU(2) on spin 2 (binary quartics in another basis)."""
    from invariants.groups.reductive import reductive_hilbert_ideal
    from invariants.groups.reductive.examples import sl2_binary_forms

    H = reductive_hilbert_ideal(sl2_binary_forms(4))
    assert isinstance(H, HilbertIdeal) and H.degrees == [2, 3] and H.complete
    assert all(H.contains(g) for g in H.generators) and not H.contains("x0*x4")
    assert nullcone(H).dimension == nullcone(load_spec("SU(2):2")).dimension == 3
    assert nullcone(reductive_hilbert_ideal(sl2_binary_forms(3))).dimension == 3
