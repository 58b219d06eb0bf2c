"""Large catalogue groups (issue #26): built from their structure, or refused early with the
estimate and the knob.  Outcomes are asserted, never timings."""
from __future__ import annotations

import json
from fractions import Fraction
from math import factorial, prod

import pytest
import sympy
from flint import fmpq_mat, fmpq_poly

from invariants.catalogue import (complex_reflection, cyclic, dihedral, even_signed_permutations, signed_permutations,
                                  symmetric, weyl)
from invariants.catalogue.spec import load_spec
from invariants.cli import main
from invariants.errors import FieldError, InputError, NotFiniteError, TooLargeError
from invariants.groups.finite.eigen import _try_exponents, eigen_exponents, matrix_order
from invariants.groups.finite.group import MatrixGroup
from invariants.groups.finite.permgroup import StabilizerChain
from invariants.groups.representation import molien_series
from invariants.linalg.matrix import Matrix
from invariants.series.hilbert import HilbertSeries


def test_signed_permutations_100_molien_series_is_the_product_over_even_degrees():
    G = load_spec("signed_permutations(100)")
    assert G.order() == 2 ** 100 * factorial(100)
    assert molien_series(G) == HilbertSeries.from_degrees(range(2, 201, 2))  # ∏ 1/(1 − t^{2i})
    cert = G.reflection_certificate
    assert (cert.reflections, cert.coxeter_numbers) == (100 ** 2, (200,))


def test_symmetric_100_molien_series_and_membership():
    G = symmetric(100)
    assert molien_series(G) == HilbertSeries.from_degrees(range(1, 101))
    cycle = Matrix.from_entries([[1 if i == (j + 1) % 100 else 0 for j in range(100)] for i in range(100)])
    assert cycle in G and cycle.scale((-1,)) not in G


def test_even_signed_permutations_and_imprimitive_groups_by_structure():
    assert molien_series(even_signed_permutations(60)) == HilbertSeries.from_degrees(list(range(2, 120, 2)) + [60])
    assert even_signed_permutations(60).order() == 2 ** 59 * factorial(60)
    assert complex_reflection(3, 3, 40).order() == 3 ** 40 * factorial(40) // 3
    # the sign change on the first coordinate: the chain is completed by random sifts up to the known order
    G = complex_reflection(2, 1, 60)
    assert G.order() == 2 ** 60 * factorial(60) and molien_series(G) == HilbertSeries.from_degrees(range(2, 121, 2))


def test_large_groups_are_refused_with_the_estimate_and_the_knob():
    with pytest.raises(TooLargeError) as err:
        load_spec("symmetric(1000)")
    assert err.value.estimate == 999 * 1000 ** 2
    assert err.value.option == "invariants.groups.finite.group.MAX_GENERATOR_ENTRIES"
    assert "MAX_GENERATOR_ENTRIES" in str(err.value) and "999,000,000" in str(err.value)
    with pytest.raises(TooLargeError) as err:
        load_spec("symmetric(40, standard)")
    assert err.value.option == "invariants.catalogue.classical.MAX_STANDARD_WORK"
    assert err.value.estimate == 39 * 39 ** 2 * 40 * 39 + 780 ** 2 * 39 ** 2
    assert symmetric(15, "standard").order() == factorial(15)  # under the limit, with its known order


def test_the_cli_refuses_with_the_knob(capsys):
    assert main(["series", "signed_permutations(300)"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("molien: error:") and "MAX_GENERATOR_ENTRIES" in err and "27,000,000" in err
    assert "signed_permutations(300)" in err


def test_the_knob_builds_past_the_limit(monkeypatch):
    from invariants.groups.finite import group as group_module
    monkeypatch.setattr(group_module, "MAX_GENERATOR_ENTRIES", 10)
    with pytest.raises(TooLargeError):
        symmetric(4)
    monkeypatch.setattr(group_module, "MAX_GENERATOR_ENTRIES", 100)
    assert symmetric(4).order() == 24


def test_monomial_groups_equal_their_dense_twins():
    for G in (signed_permutations(4), even_signed_permutations(4), complex_reflection(4, 2, 3), cyclic(6, "permutation")):
        dense = MatrixGroup(G.generators, G.field)
        assert dense.monomial_columns is None and G.monomial_columns is not None
        assert G.order() == dense.order()
        assert molien_series(G) == molien_series(dense.natural(), method="classes")


def test_monomial_generators_with_other_entries_are_not_trusted_finite():
    # g = [[0, 2], [1/2, 0]] has order 2, but g times the swap is diag(2, 1/2): an infinite group
    g, swap = [(1, Fraction(1, 2)), (0, 2)], [(1, 1), (0, 1)]
    with pytest.raises(NotFiniteError):
        MatrixGroup.monomial([g, swap])
    assert MatrixGroup.monomial([g]).monomial_columns is None and MatrixGroup.monomial([g]).order() == 2


def test_a_known_order_stops_schreier_sims_only_when_reached():
    gens = [tuple(i + 1 if k == i else i if k == i + 1 else k for k in range(8)) for i in range(7)]
    assert StabilizerChain(gens, 8, known_order=factorial(8)).order() == factorial(8)
    assert StabilizerChain(gens, 8, known_order=factorial(8) * 2).order() == factorial(8)  # not reached: verified in full
    chain = StabilizerChain(gens, 8, known_order=factorial(8))
    assert chain.contains(tuple(reversed(range(8))))


@pytest.mark.parametrize("perm, signs", [((1, 2, 0, 4, 3), (1, 1, -1, -1, 1)), ((0, 1, 2), (-1, -1, -1)),
                                         ((3, 0, 1, 2), (1, -1, 1, 1))])
def test_signed_permutation_eigenvalues_match_the_certified_ones(perm, signs):
    n = len(perm)
    g = Matrix.from_entries([[signs[j] if perm[j] == i else 0 for j in range(n)] for i in range(n)])
    m = matrix_order(g)
    assert eigen_exponents(g, 2 * m) == _try_exponents(g, 2 * m, 128)


def test_from_degrees_prints_its_degrees():
    H = HilbertSeries.from_degrees([4, 2, 2])
    assert repr(H) == "1/((1 - t^2)^2(1 - t^4))" == repr(HilbertSeries(H.numerator, H.denominator))


# -- issue #26, item 9 ------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["series", "cyclic(3)", "--terms", "0"], ["series", "cyclic(3)", "--terms", "-5"],
                                  ["ring", "cyclic(3)", "--relations-degree", "-3"],
                                  ["invariants", "cyclic(3)", "--degree", "٣"]])
def test_the_cli_refuses_out_of_range_counts(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2 and "expected" in capsys.readouterr().err


@pytest.mark.parametrize("spec, digit", [("cyclic(٣)", "U+0663"), ("symmetric(３)", "U+FF13"), ("W(E٨)", "U+0668"),
                                         ("cyclic(3, diagonal, weights=(١, ٢))", "U+0661"), ("SO(３):1", "U+FF13"),
                                         ("SU(2):١/٢", "U+0661"), ('{"group": "U(1)", "weights": ["١"]}', "U+0661")])
def test_non_ascii_digits_are_refused_everywhere_in_a_spec(spec, digit):
    with pytest.raises(InputError) as err:
        load_spec(spec)
    assert digit in str(err.value) and "0-9" in str(err.value)


def test_non_ascii_digits_in_numbers_and_the_python_api():
    with pytest.raises(FieldError, match="unexpected '١'"):
        load_spec({"generators": [[["0", "-١"], ["1", "0"]]]})
    with pytest.raises(InputError, match="unknown root system type"):
        weyl("E٨")
    with pytest.raises(InputError, match="integer >= 1"):
        cyclic("٣")


def test_a_boolean_is_not_a_count():
    with pytest.raises(InputError, match='"vectors" must be an integer'):
        load_spec({"group": "O(n)", "n": 3, "vectors": True})


def test_control_characters_in_a_name_are_escaped(tmp_path, capsys):
    path = tmp_path / "c4.json"
    path.write_text(json.dumps({"generators": [[["0", "-1"], ["1", "0"]]], "name": "C4\x1b[31m\u202eexe\x07"}))
    assert main(["series", str(path), "--terms", "3"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert out.startswith("C4\\x1b[31m\\u202eexe\\x07")


# -- issue #26: monomial complex reflection groups and permutation groups by structure ----------

def _shephard_todd_degrees(m: int, p: int, n: int) -> list[int]:
    """The degrees of G(m, p, n) (Shephard–Todd): m, 2m, …, (n−1)m and nm/p."""
    return sorted([m * i for i in range(1, n)] + [n * m // p])


@pytest.mark.parametrize("m, p, n", [(3, 3, 10), (4, 2, 12), (6, 3, 7), (5, 1, 6)])
def test_imprimitive_reflection_groups_by_their_certificate(m, p, n):
    G = complex_reflection(m, p, n)
    assert molien_series(G) == HilbertSeries.from_degrees(_shephard_todd_degrees(m, p, n))
    cert = G.reflection_certificate
    assert cert.monomial_types == ((m, p),) and cert.components == (tuple(range(n)),)
    # n(n-1)m/2 reflections swapping two coordinates, n(m/p - 1) diagonal ones (counted by membership)
    assert cert.reflections == n * (n - 1) * m // 2 + n * (m // p - 1)
    assert cert.group_order == m ** n * factorial(n) // p


@pytest.mark.parametrize("m, p, n", [(3, 3, 3), (4, 2, 3), (6, 3, 2), (3, 1, 3), (6, 6, 2), (2, 2, 2)])
def test_the_certificate_agrees_with_the_class_sum(m, p, n):
    # the class sum shares nothing with the certificate but the group (eigenvalues of class representatives)
    G = complex_reflection(m, p, n)
    assert molien_series(G.natural(), method="classes") == molien_series(G) \
        == HilbertSeries.from_degrees(_shephard_todd_degrees(m, p, n))


def _twisted_symmetric_3() -> MatrixGroup:
    """S3 conjugated by a diagonal matrix: generated by the reflections e0 ↔ ζ_3 e1 and e1 ↔ e2, whose
    entries alone would allow G(3, 3, 3) (order 54): the order check must refuse that."""
    from invariants.catalogue.classical import zeta
    K, z = zeta(3)
    return MatrixGroup.monomial([[(1, z(1)), (0, z(-1)), (2, K.one)], [(0, K.one), (2, K.one), (1, K.one)]], K)


def _rotation_subgroup_g333() -> MatrixGroup:
    """G(3, 3, 3) ∩ SL_3, generated by the products of a twisted transposition with (1 2) and (0 1):
    no reflection among its generators (nor in the group)."""
    from invariants.catalogue.classical import zeta
    K, z = zeta(3)
    one = K.one
    return MatrixGroup.monomial([[(2, z(1)), (0, z(-1)), (1, one)], [(1, z(1)), (2, z(-1)), (0, one)]], K)


def test_groups_that_are_not_g_m_p_n_do_not_take_the_certificate():
    S3 = _twisted_symmetric_3()
    assert S3.order() == 6 and S3.reflection_certificate is None
    assert molien_series(S3) == HilbertSeries.from_degrees([1, 2, 3])  # conjugate to S3 permuting 3 points
    rotations = _rotation_subgroup_g333()
    assert rotations.order() == 27 and rotations.reflection_certificate is None
    # R^{G ∩ SL} = R^G ⊕ J·R^G, J the product of the 9 reflecting hyperplanes of G(3,3,3) (Stanley 1979)
    assert molien_series(rotations) == HilbertSeries.from_degrees([3, 3, 6], [1] + [0] * 8 + [1])


def test_invariant_ring_of_an_imprimitive_group_from_its_basic_invariants():
    from invariants import invariant_ring
    ring = invariant_ring(complex_reflection(3, 3, 10))
    assert ring.primary_degrees == ring.generator_degrees == _shephard_todd_degrees(3, 3, 10)
    assert "Shephard–Todd" in ring.classical.theorem
    x0, x1, x2 = sympy.symbols("x0 x1 x2")
    assert invariant_ring(complex_reflection(4, 2, 3)).generators == [x0**4 + x1**4 + x2**4, x0**2 * x1**2 * x2**2,
                                                                      x0**8 + x1**8 + x2**8]


def _naive_sum(terms: list[tuple[int, list[tuple[int, int]]]], order: int) -> HilbertSeries:
    """(1/order) Σ c / ∏ (1 − t^l)^k over the product of all the denominators (no common-denominator tricks)."""
    num, den = fmpq_poly([]), fmpq_poly([1])
    for c, factors in terms:
        d = fmpq_poly([1])
        for length, k in factors:
            d *= fmpq_poly([1] + [0] * (length - 1) + [-1]) ** k
        num, den = num * d + c * den, den * d
    return HilbertSeries(num / order, den)


@pytest.mark.parametrize("n", [12, 15, 60])
def test_necklaces_cyclic_and_dihedral_permutation_groups(n):
    # Pólya: C_n permuting n points has (1/n) Σ_{d|n} φ(d)/(1 − t^d)^(n/d); D_n adds its n reflections
    # (n odd: one fixed point and (n−1)/2 transpositions; n even: n/2 with none, n/2 with two fixed points)
    rotations = [(int(sympy.totient(d)), [(d, n // d)]) for d in sympy.divisors(n)]
    reflections = ([(n, [(1, 1), (2, (n - 1) // 2)])] if n % 2 else
                   [(n // 2, [(2, n // 2)]), (n // 2, [(1, 2), (2, (n - 2) // 2)])])
    assert molien_series(cyclic(n, "permutation")) == _naive_sum(rotations, n)
    assert molien_series(dihedral(n, "permutation")) == _naive_sum(rotations + reflections, 2 * n)


def test_permutation_groups_by_cycle_types_equal_the_dense_class_sum():
    from invariants.catalogue.classical import permutation_group
    G = permutation_group([[1, 2, 0, 4, 3, 5, 6], [0, 1, 2, 3, 5, 6, 4]], "a permutation group")
    counts = G.cycle_type_counts()
    # ((0 1 2)(3 4))^3 = (3 4), so G = C3 x <(3 4), (4 5 6)> = C3 x S4
    assert sum(counts.values()) == G.order() == 3 * 24
    dense = MatrixGroup(G.generators, G.field)  # not monomial: its class representatives are read as permutations
    assert dense.cycle_type_counts() is None and complex_reflection(3, 3, 3).cycle_type_counts() is None
    assert molien_series(G) == molien_series(dense.natural(), method="classes")


@pytest.mark.oracle
def test_monomial_and_permutation_shortcuts_equal_gap():
    import random
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from oracles import gap_available, gap_molien_batch
    if not gap_available():
        pytest.skip("GAP is not installed (no `gap` on PATH)")
    from invariants.catalogue.classical import permutation_group
    rng = random.Random(26)
    shuffled = [rng.sample(range(8), 8) for _ in range(3)]
    groups = {"G333": complex_reflection(3, 3, 3), "G423": complex_reflection(4, 2, 3),
              "G632": complex_reflection(6, 3, 2), "G333_rotations": _rotation_subgroup_g333(),
              "S3_twisted": _twisted_symmetric_3(), "C12": cyclic(12, "permutation"), "D10": dihedral(10, "permutation"),
              "random_a": permutation_group(shuffled[:2], "a"), "random_b": permutation_group(shuffled[2:], "b"),
              "G333_sym2": MatrixGroup(load_spec("G(3,3,3):sym2(v)").images)}
    theirs = gap_molien_batch(groups, timeout=300)
    for label, G in groups.items():
        assert molien_series(G) == theirs[label], label


# -- issue #26: Weyl groups in the root basis, rotation forms, cyclic groups --------------------

def _weyl_degrees(letter: str, n: int) -> list[int]:
    """The degrees of the basic invariants of W(X_n) (Bourbaki, Planches; Humphreys §3.7 table 1)."""
    return {"A": list(range(2, n + 2)), "B": list(range(2, 2 * n + 1, 2)), "C": list(range(2, 2 * n + 1, 2)),
            "D": sorted(list(range(2, 2 * n - 1, 2)) + [n]), "E6": [2, 5, 6, 8, 9, 12],
            "E7": [2, 6, 8, 10, 12, 14, 18], "E8": [2, 8, 12, 14, 18, 20, 24, 30], "F4": [2, 6, 8, 12],
            "G2": [2, 6]}[letter if letter in "ABCD" else f"{letter}{n}"]


@pytest.mark.parametrize("letter, n", [("A", 12), ("B", 12), ("C", 9), ("D", 16), ("E", 6), ("E", 7), ("E", 8),
                                       ("F", 4), ("G", 2)])
def test_weyl_groups_in_the_root_basis_take_the_certificate(letter, n):
    # the simple reflections are a base of the roots, checked by coordinates (no pairs of roots compared)
    G = weyl(f"{letter}{n}")
    degrees = _weyl_degrees(letter, n)
    cert = G.reflection_certificate
    assert list(cert.degrees) == degrees and cert.simple_roots == n
    assert cert.reflections == sum(d - 1 for d in degrees)  # the positive roots, counted by their orbit
    assert G.order() == prod(degrees)
    assert molien_series(G) == molien_series(weyl(f"{letter}{n}", "orthogonal")) == HilbertSeries.from_degrees(degrees)


def test_reflections_that_are_not_simple_still_give_the_degrees():
    from invariants.groups.finite.reflection import _generator_base, _reflection_pairs
    # W(A2) in the root basis from s_1 and s_(α1+α2); W(B2) from s_e1 and s_(e1+e2): α2 = (α1+α2) − α1 and
    # e2 = (e1+e2) − e1 have coordinates of both signs, so the base is found by a generic functional
    for gens, degrees in [([[[-1, 1], [0, 1]], [[0, -1], [-1, 0]]], [2, 3]),
                          ([[[-1, 0], [0, 1]], [[0, -1], [-1, 0]]], [2, 4])]:
        G = MatrixGroup(gens)
        assert _generator_base(G.generators, _reflection_pairs(G.generators)) is None
        assert list(G.reflection_certificate.degrees) == degrees
        assert molien_series(G) == molien_series(G.natural(), method="classes") == HilbertSeries.from_degrees(degrees)


def test_a_rotation_times_a_reflection_makes_dihedral_groups_reflection_groups():
    # dihedral(n) is generated by a rotation and a reflection; rotation·reflection is a reflection
    for n in (5, 6, 12):
        G = dihedral(n)
        assert list(G.reflection_certificate.degrees) == [2, n] and G.reflection_certificate.reflections == n
        assert molien_series(G) == molien_series(G.natural(), method="classes")
    assert cyclic(5).reflection_certificate is None  # a rotation alone has no reflection partner


def test_cyclic_groups_by_their_eigenvalues():
    # C_n rotating the plane: (1/n) Σ_k 1/((1 − ζ^k t)(1 − ζ^-k t)) = (1 + t^n)/((1 − t²)(1 − t^n))
    for n in (1, 2, 6, 300):
        closed = HilbertSeries(fmpq_poly([1] + [0] * (n - 1) + [1]),
                               fmpq_poly([1, 0, -1]) * fmpq_poly([1] + [0] * (n - 1) + [-1]))
        assert molien_series(cyclic(n)) == closed
    for form in ("rotation", "companion", "diagonal"):
        for n in (5, 12):
            G = cyclic(n, form)
            assert molien_series(G) == molien_series(G.natural(), method="classes")
    G = load_spec("cyclic(7, diagonal, weights=(1, 2, 4))")
    assert molien_series(G) == molien_series(G.natural(), method="classes")


def test_rotation_forms_over_large_fields_are_refused_with_the_knob(monkeypatch):
    from invariants.catalogue import classical
    for spec in ("cyclic(1000)", "dihedral(1000)"):
        with pytest.raises(TooLargeError) as err:
            load_spec(spec)
        assert err.value.estimate == 200  # [Q(cos 2π/1000) : Q] = φ(1000)/2
        assert err.value.option == "invariants.catalogue.classical.MAX_ROTATION_FIELD_DEGREE"
        assert "permutation" in str(err.value)
    monkeypatch.setattr(classical, "MAX_ROTATION_FIELD_DEGREE", 2)
    with pytest.raises(TooLargeError):
        cyclic(7)  # Q(cos 2π/28) has degree 6
    assert cyclic(8).order() == 8  # Q(cos 2π/8) = Q(√2), degree 2


def test_a_known_order_is_reached_for_w_d16_on_its_roots(monkeypatch):
    # random subproducts of the simple reflections stalled at half of |W(D16)|, and the full check of the
    # Schreier generators took over; product replacement reaches the order without it
    G = weyl("D16")
    with monkeypatch.context() as patch:
        patch.setattr(StabilizerChain, "_run", lambda self: pytest.fail("the known order was not reached"))
        G.chain
    assert len(G._points) == 480 and G.chain.order() == 2 ** 15 * factorial(16)
    assert Matrix.identity(16).scale((-1,)) in G  # the longest element of W(D_n), n even
    small = weyl("D8")  # and the full check, without the known order, agrees
    assert StabilizerChain(small.perm_generators, len(small._points)).order() == small.order() == 2 ** 7 * factorial(8)


def test_the_action_of_a_n_orthogonal_is_on_the_simplex():
    # the roots make one orbit of n(n+1) points; a basis vector of the Helmert basis has the n+1 vertices
    # of the simplex as its orbit, found before the larger orbits are computed in full
    G = weyl("A10", "orthogonal")
    assert len(G._points) == 11 and G.order() == factorial(11)


def test_multiplication_matrices_of_a_number_field():
    from invariants.fields import cyclotomic_field
    from flint import fmpq
    K = cyclotomic_field(15)  # degree 8; mul is the product of polynomials mod the minimal polynomial
    a = tuple(fmpq(c, 3) for c in (3, 1, 0, -2, 0, 0, 5, 1))
    b = tuple(fmpq(c) for c in (-1, 0, 0, 0, 0, 2, 0, 7))
    image = K.mult_matrix(a) * fmpq_mat(K.degree, 1, list(b))
    assert tuple(image.entries()) == K.mul(a, b) and K.mul(a, b) != K.mul(b, b)


def test_the_molien_weyl_denominator_is_refused_before_its_circuit_search(monkeypatch):
    from math import comb
    from invariants.groups.compact import molien_weyl
    with pytest.raises(TooLargeError) as err:   # (SO(16):v alone is answered by the fundamental theorems)
        molien_series(load_spec("SO(16):v+0"), method="molien_weyl")
    # the weights ±e_1 … ±e_8 of rank 8: every set of 2 … 9 of the 16 is tested for a circuit
    assert err.value.estimate == sum(comb(16, size) for size in range(2, 10))
    assert err.value.option == "invariants.groups.compact.molien_weyl.MAX_CIRCUIT_SUPPORTS"
    assert molien_series(load_spec("SO(4):v"), method="molien_weyl") == HilbertSeries.from_degrees([2])
    monkeypatch.setattr(molien_weyl, "MAX_CIRCUIT_SUPPORTS", 5)
    with pytest.raises(TooLargeError):
        molien_series(load_spec("SO(4):v+0"), method="molien_weyl")
