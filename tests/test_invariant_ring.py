"""Invariant rings: Hironaka decompositions, minimal generators and relations against published
answers (the project's known-answer rows 2, 4, 6, 7, 10, 12, 13, 14), certificates that refuse
incomplete data, and exact rewriting."""
import itertools
from math import prod

import pytest
import sympy
from hypothesis import given, settings, strategies as st

from invariants import HilbertSeries, MatrixGroup, cyclotomic_field, load_spec
from invariants.catalogue import alternating, binary_icosahedral, coxeter, cyclic, symmetric
from invariants.polynomials.ideals import groebner_pure_powers, norm_to_rationals
from invariants.rings.hsop import CandidateDegrees, prove_hsop, quotient_proof
from invariants.rings.ring import invariant_ring
from invariants.errors import InputError


def test_row2_cyclic_c4_hironaka():
    # Macaulay2 InvariantRing hironakaDecomposition doc: primaries x^2+y^2, xy^3-x^3y; secondaries 1, x^4+y^4
    R = invariant_ring(cyclic(4))
    assert R.primary_degrees == [2, 4] and R.secondary_degrees == [0, 4]
    assert R.certificate.certified


@pytest.mark.parametrize("n", [3, 5, 6])
def test_row2_cyclic_rotations(n):
    R = invariant_ring(cyclic(n))
    assert sorted(R.primary_degrees) == [2, n] and R.secondary_degrees == [0, n]
    assert R.certificate.certified


def test_row4_z3_diagonal():
    # GAP: primaries x^3, y^3; secondaries 1, x^2y, xy^2
    G = MatrixGroup([[["exp(2*pi*I/3)", 0], [0, "exp(2*pi*I/3)"]]], field=cyclotomic_field(3))
    R = invariant_ring(G)
    x0, x1 = sympy.symbols("x0:2")
    assert R.primary == [x0**3, x1**3]
    assert set(R.secondary) == {1, x0**2 * x1, x0 * x1**2}


def test_row6_sturmfels_z4():
    # Sturmfels, Algorithms in Invariant Theory, Ex. 2.3.7: primaries of degrees 2, 2, 4, secondaries 0, 3, 3, 4
    R = invariant_ring(MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]]))
    assert sorted(R.primary_degrees) == [2, 2, 4]
    assert R.secondary_degrees == [0, 3, 3, 4]
    assert R.certificate.certified


def test_row7_klein_icosahedral():
    # Klein: generators of degrees 12, 20, 30 and one relation, in degree 60
    R = invariant_ring(binary_icosahedral())
    assert R.generator_degrees == [12, 20, 30]
    assert R.relation_degrees == [60]
    assert R.relation_ideal.complete


@pytest.mark.parametrize("name,degrees", [("A3", [2, 3, 4]), ("B3", [2, 4, 6]), ("D4", [2, 4, 4, 6]), ("G2", [2, 6]),
                                          ("H3", [2, 6, 10]), ("F4", [2, 6, 8, 12])])
def test_row10_reflection_groups_are_polynomial(name, degrees):
    # Chevalley-Shephard-Todd; Humphreys Table 3.1
    R = invariant_ring(coxeter(name))
    assert R.generator_degrees == degrees
    assert R.secondary_degrees == [0] and R.relations == []
    assert R.certificate.hsop_proof.method == "polynomial ring" and R.certificate.certified


def test_row12_s3_on_two_copies():
    # Magma handbook: primaries 1,1,2,2,3,3; secondaries 0,2,3,3,4,6; generators 1,1,2,2,2,3,3,3,3
    V = symmetric(3).natural()
    R = invariant_ring(V + V)
    assert R.primary_degrees == [1, 1, 2, 2, 3, 3]
    assert R.secondary_degrees == [0, 2, 3, 3, 4, 6]
    assert R.generator_degrees == [1, 1, 2, 2, 2, 3, 3, 3, 3]


def test_row13_a4_permuting_c4():
    # Macaulay2 InvariantRing invariants doc: generators of degrees 1, 2, 3, 4, 6
    assert invariant_ring(alternating(4)).generator_degrees == [1, 2, 3, 4, 6]


def test_row14_double_transposition():
    # Singular invariant_algebra_perm example: <(1 3)(2 4)> on C^4 has generators of degrees 1,1,2,2,2
    G = MatrixGroup([[[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]])
    assert invariant_ring(G).generator_degrees == [1, 1, 2, 2, 2]


def test_every_computed_invariant_is_exactly_invariant():
    for G in (cyclic(4), MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]]), alternating(4)):
        R = invariant_ring(G)
        for p in R.primaries.polys + R.secondaries.polys + R.generation.polys:
            for g in G.generators:
                assert R.ring.substitute(p, g) == p


def test_certificate_refuses_incomplete_generators():
    R = invariant_ring(alternating(4))
    x = sympy.symbols("x0:4")
    power_sums = [sum(v**k for v in x) for k in range(1, 5)]
    check = R.check_generators(power_sums)  # the symmetric invariants miss the degree-6 one
    assert not check.complete and check.first_missing_degree == 6
    assert "degree 6" in str(check)
    assert R.check_generators(R.generators).complete


def test_hsop_proof_refuses_a_non_system_of_parameters():
    R = invariant_ring(MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]]))
    x0, x1, x2 = [R.ring.from_sympy(s) for s in sympy.symbols("x0:3")]
    dependent = [x0**2 + x1**2, (x0**2 + x1**2)**2, x2**2]
    assert prove_hsop(R.ring, dependent) is None
    hsop = [x0**2 + x1**2, x2**2, x0**2 * x1**2]
    # small (Bezout 16): flint's Buchberger decides; the Groebner basis has pure powers of every variable
    proof = prove_hsop(R.ring, hsop)
    assert proof.method == "groebner" and "x0^2, x1^4, x2^2" in proof.detail
    # the quotient mod p agrees: the complete intersection's dimensions 1, 3, 4, 4, 3, 1, then 0 in degree 6
    proof, decided = quotient_proof(R.ring, hsop)
    assert decided and "[1, 3, 4, 4, 3, 1] in degrees 0..5 and 0 in degree 6" in proof.detail
    assert quotient_proof(R.ring, dependent) == (None, True)


def test_express_round_trips():
    R = invariant_ring(MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]]))
    x = sympy.symbols("x0:3")
    f = (x[0]**2 + x[1]**2)**3 + 5 * x[2]**2 * x[0] * x[1] * x[2] - x[0]**2 * x[1]**2 * x[2]**2
    expr = R.express(f)
    ys = R.generator_symbols
    back = expr.subs({y: g for y, g in zip(ys, R.generators)}, simultaneous=True)
    assert sympy.expand(back - f) == 0
    hironaka = R.express_hironaka(f)
    ps = sympy.symbols(f"p0:{len(R.primary)}")
    total = sum(q.subs(dict(zip(ps, R.primary)), simultaneous=True) * s for q, s in hironaka)
    assert sympy.expand(total - f) == 0
    with pytest.raises(InputError, match="the degree-1 part of the polynomial is not invariant"):
        R.express(x[0])


def test_json_contract():
    data = invariant_ring(cyclic(4)).to_json()
    assert data["order"] == 4 and data["certified"] is True
    assert data["primary_degrees"] == [2, 4] and data["generator_degrees"] == [2, 4, 4]
    assert data["relation_degrees"] == [8]
    assert HilbertSeries(data["molien"]["numerator"], data["molien"]["denominator"]).coefficients(5) == [1, 0, 1, 0, 3]
    assert all(isinstance(g, str) for g in data["generators"])
    x0, x1 = sympy.symbols("x0:2")  # C4 = rotation by π/2: q, x0⁴ + x1⁴ and x0³x1 − x0x1³
    assert [sympy.sympify(g) for g in data["generators"]] == [x0**2 + x1**2, x0**4 + x1**4, x0**3*x1 - x0*x1**3]


def test_c8_shift_hironaka_decomposition_through_the_quotient_mod_p():
    # Singular's invariant_ring and Macaulay2's hironakaDecomposition time out here (benchmarks/ring.py)
    R = invariant_ring(cyclic(8, form="permutation"))
    assert R.primary_degrees == [1, 2, 2, 2, 2, 3, 4, 8]
    assert R.primaries.proof.method == "quotient mod p"
    assert len(R.secondary_degrees) == 1536 // 8 and R.hironaka_certified
    counts = [R.secondary_degrees.count(e) for e in range(max(R.secondary_degrees) + 1)]
    assert counts == R.molien.form(R.primary_degrees)[0]


def test_large_hsop_proof_is_refused_with_the_knob_and_generators_need_none():
    from invariants.errors import TooLargeError

    R = invariant_ring(cyclic(9, form="permutation"))
    with pytest.raises(TooLargeError) as info:
        R.primary_degrees
    assert info.value.option == "max_hsop_bezout" and info.value.estimate > R.max_hsop_bezout
    assert "max_hsop_bezout=" in str(info.value)


def test_secondaries_from_the_free_basis_match_exact_elimination():
    # (p)R_e is spanned by p^a s_j over the lower secondaries: the chosen secondaries must be
    # independent modulo the exact span of p_i * R_{e - d_i}, and complete it to R_e
    from invariants.rings.context import _select_with_span

    R = invariant_ring(cyclic(5, form="permutation"))
    prim, secs = list(R.primaries.polys), list(R.secondaries.polys)
    pdeg = R.primary_degrees
    for e in sorted(set(R.secondary_degrees)):
        ideal = [p * b for p, dp in zip(prim, pdeg) if dp <= e for b in R.basis(e - dp)]
        mine = [s for s, ds in zip(secs, R.secondary_degrees) if ds == e]
        picked, rank = _select_with_span(R.ring, ideal, mine, None, R.dimension(e))
        assert len(picked) == len(mine) and rank == R.dimension(e)


def test_hsop_over_a_number_field_in_three_variables_is_proven_by_norms():
    from invariants.polynomials.ring import PolynomialRing

    K = cyclotomic_field(4)  # Q(i)
    ring = PolynomialRing(K, 3)
    x0, x1, x2 = ring.gens
    i = ring.element(K.parse("I"))
    hsop = [x0 + i * x1, x1 + i * x2, x2 + i * x0]  # det = 1 - i != 0
    proof = prove_hsop(ring, hsop)  # the quotient mod a prime of Q(i) of degree 1 vanishes in degree 1
    assert proof is not None and proof.method == "quotient mod p"
    # the norms N(p_i) (rational forms vanishing wherever p_i does) prove it too, over QQ
    norms = [norm_to_rationals(ring, p) for p in hsop]
    assert groebner_pure_powers(ring, norms, 400) is not None
    # x0 + i x1 and x0^2 + x1^2 share the line (-i, 1, 0): not an hsop, although the Jacobian is generic
    assert prove_hsop(ring, [x0 + i * x1, x0**2 + x1**2, x2**2]) is None


def test_heisenberg_group_over_q_zeta3_is_certified():
    # the Heisenberg group of order 27 on C^3 (cyclic shift and diag(1, w, w^2), w = exp(2 pi i/3));
    # Molien series (1 + t^9)/((1 - t^3)^2 (1 - t^6))
    w = "exp(2*pi*I/3)"
    G = MatrixGroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, w, 0], [0, 0, f"{w}**2"]]],
                    field="QQ(zeta_3)")
    assert G.order() == 27
    R = invariant_ring(G)
    assert R.molien == HilbertSeries.from_degrees([3, 3, 6], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert R.hironaka_certified and R.certificate.certified
    assert R.generator_degrees == [3, 3, 6, 9]


@pytest.mark.parametrize("spec", ["O(3):2xv", "SO(3):3xv", "SO(3):v+1+0", "O(3):1o+2x0", "SO(2):2xv", "SO(2):1+1+0",
                                  "O(2):1+v", "symmetric(4)"])
def test_theorem_generators_agree_with_the_computed_ring(spec):
    """The first fundamental theorem and the power sums, checked against the general algorithm:
    the same degrees, and the computed bound's dimension checks pass for the theorem's polynomials."""
    from invariants.rings.context import GradedInvariants
    from invariants.rings.generators import check_generators, generator_bound, minimal_generators
    from invariants.rings.primaries import primary_invariants

    R = invariant_ring(load_spec(spec))
    assert R.classical is not None and R.generator_bound.kind == "theorem"
    graded = GradedInvariants(R.representation)
    bound = generator_bound(graded, lambda: primary_invariants(graded))
    computed = minimal_generators(graded, bound, primary_invariants(graded) if bound.kind == "polynomial ring" else None)
    assert sorted(computed.degrees) == sorted(R.generator_degrees)
    assert check_generators(graded, list(R.generation.polys), bound).complete


def test_theorems_do_not_claim_what_they_do_not_cover():
    for spec in ("O(3):1e+1o", "SO(3):2", "SO(3):sym2(v)", "O(4):dual(v)", "cyclic(4)", "SO(2):1+2", "O(2):2+1"):
        assert invariant_ring(load_spec(spec)).classical is None, spec


def test_slice_proof_of_a_fibre_dimension():
    """dim V(p) = n − m proven on a random slice mod p; where V(p) is a union of coordinate
    subspaces (torus invariants x0·x2, x1·x3) a slice with a zero entry would meet it outside 0."""
    from invariants.fields import QQ
    from invariants.polynomials.ring import PolynomialRing
    from invariants.rings.hsop import _slice_proof, prove_hsop
    ring = PolynomialRing(QQ, 4)
    x0, x1, x2, x3 = ring.gens
    proof, decided = _slice_proof(ring, [x0 * x2, x1 * x3])
    assert decided and proof.method == "fibre dimension by a slice mod p"
    assert prove_hsop(ring, [x0 * x2, x1 * x3]) is not None
    # V(x0·x1, x0·x2) ⊇ {x0 = 0}, of dimension 3 > 4 − 2: no slice proves it, nothing claims it
    assert _slice_proof(ring, [x0 * x1, x0 * x2]) == (None, False)
    assert prove_hsop(ring, [x0 * x1, x0 * x2]) is None


def test_hironaka_in_a_non_permutation_basis_proves_dense_primaries_by_the_quotient():
    """An order-36 group permuting R^6, conjugated by a {-1, 0, 1} matrix (the random group of
    seed 11 in benchmarks/ring_random.py): its primaries are dense, where flint's Buchberger over
    QQ ran past a minute, so the hsop is proven by the quotient mod p (seconds).  ∏ d_i / |G| =
    288 / 36 = 8 secondaries, as in the permutation basis."""
    from invariants.rings.hsop import _sparse

    perm = [[[0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 0], [0, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1],
             [0, 0, 1, 0, 0, 0]],
            [[1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 1, 0],
             [0, 1, 0, 0, 0, 0]]]
    other = [[["1/3", "1/6", "-1/2", "1/3", "-1/3", "1/3"], [0, -1, 0, 0, 0, 0], ["2/3", "7/3", 2, "8/3", "10/3", "-4/3"],
              ["-2/3", "-1/3", -1, "-2/3", "-4/3", "1/3"], ["-1/3", "-1/6", "-1/2", "-4/3", "-2/3", "2/3"],
              [0, "1/2", "-1/2", -1, 1, 0]],
             [["4/3", "2/3", 0, "-2/3", "5/3", "-2/3"], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0],
              ["1/3", "2/3", 0, "1/3", "5/3", "-2/3"], [-1, -2, -1, -1, -2, 1], ["-2/3", "-4/3", -1, "-5/3", "-4/3", "4/3"]]]
    rings = [invariant_ring(MatrixGroup(gens)) for gens in (perm, other)]
    for R in rings:
        assert R.group.order() == 36
        assert R.primary_degrees == [1, 2, 2, 3, 4, 6] and len(R.secondary_degrees) == 8
        assert R.hironaka_certified
    assert _sparse(6, rings[0].primaries.polys) and not _sparse(6, rings[1].primaries.polys)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.integers(1, 3), st.integers(0, 3))
@settings(max_examples=40, deadline=None)
def test_candidate_degrees_walked_cheapest_first_are_all_the_admissible_ones(degrees, extra, short):
    """The heap walk finds exactly the sequences a full sort of every sequence finds, in its order."""
    H = HilbertSeries.from_degrees(degrees, numerator=[1] + [0] * (extra - 1) + [1])   # (1 + t^extra)/∏(1 − t^d)
    n, top = H.krull_dimension(), 2 * max(degrees + [extra])
    available = lambda d: H[d] - (1 if d == short else 0)   # noqa: E731 (a degree with one invariant fewer)
    everything = []
    for combo in itertools.combinations_with_replacement([d for d in range(1, top + 1) if available(d) > 0], n):
        if all(combo.count(d) <= available(d) for d in combo):
            try:
                numerator, _ = H.form(list(combo))
            except InputError:
                continue
            if min(numerator) >= 0:
                everything.append(combo)
    everything.sort(key=lambda c: (prod(c), sum(c), c))
    walked = CandidateDegrees(H, n, available, top)
    assert list(walked) == everything and list(walked) == everything   # a second pass reads what was found
    assert bool(CandidateDegrees(H, n, available, top)) == bool(everything)
    assert list(CandidateDegrees(HilbertSeries.from_degrees([]), 0, lambda d: 0, 4)) == [()]   # Krull dimension 0


@given(st.lists(st.integers(1, 5), min_size=0, max_size=4))
@settings(max_examples=40, deadline=None)
def test_basis_choices_visit_every_pick_once_by_increasing_place_sum(sizes):
    from invariants.rings.primaries import _compositions
    walked = [c for total in range(sum(sizes) - len(sizes) + 1) for c in _compositions(total, sizes)]
    assert sorted(walked) == sorted(itertools.product(*[range(s) for s in sizes]))
    assert [sum(c) for c in walked] == sorted(sum(c) for c in walked)
