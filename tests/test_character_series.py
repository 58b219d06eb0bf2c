"""Molien series from character tables (no matrices), multigraded and equivariant Hilbert series.

The character route is checked against the matrix route on catalogue groups and against GAP's
``MolienSeries`` on library tables (A5, L2(7), M11, M22) and GAP's symmetric powers (J1, Co3, HS);
the multigraded series against
polarised invariant dimensions; the equivariant series against Macaulay2's
``equivariantHilbertSeries`` and the engine's Molien series.
"""
from __future__ import annotations

import itertools
import sys
from math import lcm
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from m2_oracle import m2_available, m2_equivariant_hilbert_series  # noqa: E402
from oracles import gap_available, gap_character_table  # noqa: E402

from invariants import (CharacterTable, EquivariantHilbertSeries, FloatEntryError, InputError, MatrixGroup,  # noqa: E402
                        Torus, binary_icosahedral, complex_reflection, cyclic, cyclotomic, dihedral, load_spec, molien_series,
                        molien_series_from_character, multigraded_molien_series, natural_character, symmetric, weyl)
from invariants.groups.representation import Representation  # noqa: E402
from invariants.series.characters import eigenvalue_exponents  # noqa: E402
from invariants.series.cyclotomic import Cyclotomic  # noqa: E402

requires_m2 = pytest.mark.skipif(not m2_available(), reason="Macaulay2 is not installed (no `M2` on PATH): `apt-get install macaulay2`")
requires_gap = pytest.mark.skipif(not gap_available(), reason="GAP is not installed (no `gap` on PATH): `apt-get install gap`")

S3 = CharacterTable([1, 3, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]})
A5 = CharacterTable([1, 15, 20, 12, 12], [1, 2, 3, 5, 5], {2: [0, 0, 2, 4, 3], 3: [0, 1, 0, 4, 3], 5: [0, 1, 2, 0, 0]})


# -- A: the character route equals the matrix route ----------------------------------------

@pytest.mark.parametrize("make", [lambda: weyl("E6"), lambda: dihedral(7), lambda: symmetric(5), binary_icosahedral,
                                  lambda: complex_reflection(4, 2, 3), lambda: cyclic(7, form="diagonal", weights=(1, 2, 4))],
                         ids=["E6", "D7", "S5", "2I", "G(4,2,3)", "C7(1,2,4)"])
def test_character_route_equals_matrix_route(make):
    G = make()
    table = CharacterTable.from_group(G)
    assert table.order == G.order()
    assert molien_series_from_character(table, natural_character(G)) == molien_series(G)


def test_relative_series_equals_matrix_route():
    G = dihedral(5)
    sign = Representation(G, [[[1]], [[-1]]])
    table = CharacterTable.from_group(G)
    chi = [c.representative.to_sympy().det() for c in G.conjugacy_classes()]  # the sign character
    assert molien_series_from_character(table, natural_character(G), chi) == molien_series(G, sign)


def test_values_in_every_exact_form():
    sq5 = sympy.sqrt(5)
    forms = [["3", "-1", "0", "-E(5)^2-E(5)^3", "-E(5)-E(5)^4"],
             [3, -1, 0, (1 + sq5) / 2, (1 - sq5) / 2],
             [3, -1, 0, -2 * sympy.cos(4 * sympy.pi / 5), "ER(5)/2+1/2-ER(5)"]]
    series = {str(molien_series_from_character(A5, chi)) for chi in forms}
    assert series == {"(1 + t^15)/((1 - t^2)(1 - t^6)(1 - t^10))"}


def test_cyclotomic_values_are_exact():
    for e in [sympy.sqrt(2), sympy.sqrt(-7), sympy.sqrt(sympy.Rational(3, 2)), sympy.exp(2 * sympy.pi * sympy.I / 9),
              sympy.sin(sympy.pi / 12), 1 / sympy.sqrt(5), sympy.Pow(-1, sympy.Rational(2, 7))]:
        assert abs(complex(cyclotomic(e)) - complex(sympy.N(e, 30))) < 1e-12
    x = cyclotomic("E(5)+E(5)^4")
    assert x * x + x == 1 and cyclotomic("E(8)+E(8)^7") == sympy.sqrt(2)
    assert natural_character(symmetric(3)) == [3, 1, 0]


@pytest.mark.parametrize("bad, error, words", [
    ([2.0, 0, -1], FloatEntryError, "floating-point"),
    (["2", "0", "-0.5"], FloatEntryError, "decimal point"),
    ([2, 1, -1], InputError, "not a character"),        # eigenvalue multiplicities 3/2, 1/2
    ([2, 0, 1], InputError, "not a character"),         # order 3: multiplicities of ζ, ζ² would be 1/3
    ([2, 0, "E(3)"], InputError, "not a character"),    # not a real value on a class closed under inverse
    ([2, 0], InputError, "2 values"),
    ([3, 1, 1], InputError, "not a character"),         # order 3: the eigenvalue 1 would have multiplicity 5/3
    ([2, 0, "x"], InputError, "cyclotomic"),
])
def test_bad_characters_are_refused(bad, error, words):
    with pytest.raises(error, match=words):
        molien_series_from_character(S3, bad)


def test_values_must_follow_the_galois_action_of_the_power_maps():
    golden = (1 + sympy.sqrt(5)) / 2     # on both classes of order 5, though g^2 lies in the other one
    with pytest.raises(InputError, match="not a character"):
        molien_series_from_character(A5, [3, -1, 0, golden, golden])


def test_values_that_break_the_symmetry_of_unlinked_classes_are_refused():
    # D7: the power maps for 2 and 7 never link a rotation with its inverse, so the eigenvalues
    # ζ^a, ζ^2a (not closed under inversion) pass every check on ⟨r⟩; only ⟨χ, 1⟩ sees it
    G = dihedral(7)
    table, chi = CharacterTable.from_group(G), natural_character(G)
    c = next(i for i, o in enumerate(table.orders) if o == 7)
    a = eigenvalue_exponents(table, chi, c)[0]
    for k in (1, 2, 4):
        chi[c] = Cyclotomic.root(7, a * k) + Cyclotomic.root(7, 2 * a * k)
        c = table.power_maps[2][c]
    with pytest.raises(InputError, match="⟨χ, 1⟩"):
        molien_series_from_character(table, chi)


def test_class_functions_that_are_characters_on_every_cyclic_subgroup_are_still_checked():
    klein = CharacterTable([1, 1, 1, 1], [1, 2, 2, 2], {2: [0, 0, 0, 0]})
    with pytest.raises(InputError, match="not a character"):   # half the regular character
        molien_series_from_character(klein, [2, 0, 0, 0])
    assert str(molien_series_from_character(klein, [2, 0, 0, -2])) == "1/(1 - t^2)^2"


@pytest.mark.parametrize("args, words", [
    (([1, 3, 2], [1, 2], {2: [0, 0, 2], 3: [0, 1, 0]}), "3 class sizes but 2"),
    (([1, 3, 2], [1, 2, 3], {2: [0, 0, 2]}), "3-th power map is missing"),
    (([1, 3, 2], [1, 2, 3], {2: [0, 0, 1], 3: [0, 1, 0]}), "power_maps\\[2\\] sends class 2"),
    (([1, 3, 2], [2, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]}), "exactly one class of element order 1"),
    (([1, 4, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]}), "must divide"),
    (([1, 3.0, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]}), "exact integers"),
    (([1, 3, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 7]}), "class indices"),
    (([1, 3, 2, 6], [1, 2, 3, 3], {2: [0, 0, 3, 2], 3: [0, 1, 0, 0]}), "class of another size"),
])
def test_inconsistent_tables_are_refused(args, words):
    with pytest.raises(InputError, match=words):
        CharacterTable(*args)


# -- A against GAP: groups given only by their library character tables -------------------

GAP_TABLES = [("A5", [2, 4], [(2, 4)]), ("L2(7)", [2, 4], [(4, 2)]), ("M11", [2, 5], [(2, 3)]), ("M22", [2], [])]  # |M22| = 443520


@pytest.mark.oracle
@requires_gap
@pytest.mark.parametrize("name, chars, relative", GAP_TABLES, ids=[t[0] for t in GAP_TABLES])
def test_gap_library_tables(name, chars, relative):
    data = gap_character_table(name, chars, relative)
    table = CharacterTable(data["sizes"], data["orders"], data["power_maps"], data["names"])
    for k in chars:
        assert molien_series_from_character(table, data["chars"][k]) == data["molien"][k], (name, k)
    for k, l in relative:
        assert molien_series_from_character(table, data["chars"][k], data["chars"][l]) == data["relative"][(k, l)], (name, k, l)


# -- B1: multigraded Molien series ------------------------------------------------------------

def _polarised_dimension(group, degrees):
    """dim of the invariants of multidegree ``degrees`` on V^k by linear algebra: the common fixed
    space of the generators on the monomials of that multidegree."""
    n = group.degree
    xs = [sympy.symbols(f"x{b}_0:{n}") for b in range(len(degrees))]
    monos = [sympy.Mul(*parts) for parts in itertools.product(
        *[list(sympy.itermonomials(x, d, d)) if d else [sympy.Integer(1)] for x, d in zip(xs, degrees)])]
    gens = [x for xb in xs for x in xb]
    rows = []
    for g in group.generators:
        m = g.to_sympy()
        subs = {x[i]: sum(m[i, j] * x[j] for j in range(n)) for x in xs for i in range(n)}
        for mono in monos:
            image = sympy.Poly(sympy.expand(mono.subs(subs, simultaneous=True)), *gens)
            rows.append([image.coeff_monomial(u) - (1 if u == mono else 0) for u in monos])
    return len(monos) - sympy.Matrix(rows).rank()


@pytest.mark.parametrize("group, bound", [(symmetric(3), 4), (cyclic(4), 5)], ids=["S3", "C4"])
def test_multigraded_coefficients_are_polarised_invariant_dimensions(group, bound):
    V = group.natural()
    H = multigraded_molien_series(V, V)
    assert H.diagonal() == molien_series(V + V)
    for degrees in itertools.product(range(bound), repeat=2):
        if sum(degrees) <= bound:
            assert H.coefficient(degrees) == _polarised_dimension(group, degrees), degrees


@pytest.mark.parametrize("make, copies", [(lambda: dihedral(5).natural(), 3), (lambda: binary_icosahedral().natural(), 2),
                                          (lambda: cyclic(5, form="diagonal", weights=(1, 2)).natural(), 3)], ids=["D5", "2I", "C5"])
def test_multigraded_diagonal_is_molien(make, copies):
    V = make()
    H = multigraded_molien_series(*[V] * copies)
    assert H.nvars == copies and H.diagonal() == molien_series(copies * V)
    assert multigraded_molien_series(copies * V).numerator == H.numerator   # the blocks of a sum


def test_multigraded_sympy_form():
    H = multigraded_molien_series(cyclic(2, form="diagonal"), cyclic(2, form="diagonal"))
    t1, t2 = H.symbols()
    assert sympy.cancel(H.to_sympy() - (1 + t1 * t2) / ((1 - t1**2) * (1 - t2**2))) == 0


# -- B2: equivariant Hilbert series of diagonal actions -----------------------------------

M2_CASES = [([[1, 0, -1], [0, 1, -1]], [], []),                 # the InvariantRing documentation's torus
            ([], [[1, 2, 2]], [5]),                              # C5
            ([[1, -1, 0]], [[1, 2, 1]], [3]),                    # U(1) × C3
            ([[1, 1, -1, -2]], [[1, 0, 1, 1], [0, 1, 3, 7]], [2, 4])]   # U(1) × C2 × C4, weights reduced mod 4
M2_IDS = ["T2", "C5", "U1xC3", "U1xC2xC4"]


def _diagonal_representation(torus, finite, orders):
    """The engine's representation of a torus × ∏ Z/d_k acting diagonally with these weights."""
    n = len((torus or finite)[0])
    field = f"QQ(zeta_{lcm(*orders)})" if orders and lcm(*orders) > 2 else "QQ"
    gens = [sympy.diag(*[sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(row[i], d)) for i in range(n)])
            for row, d in zip(finite, orders)]
    if not torus:
        return MatrixGroup(gens, field=field).natural()
    T = Torus(len(torus))
    if not finite:
        return T.rep([tuple(w[i] for w in torus) for i in range(n)])
    F = MatrixGroup(gens, field=field)
    parts = [T.rep([tuple(w[i] for w in torus)]).outer(Representation(F, [[[g[i, i]]] for g in gens], field=field))
             for i in range(n)]
    return sum(parts[1:], parts[0])


@pytest.mark.parametrize("make", [lambda: load_spec("U(1)^2:(1,0),(0,1),(-1,-1)"), lambda: load_spec("U(1):1+2+-3+-1"),
                                  lambda: cyclic(5, form="diagonal", weights=(1, 2, 2))]
                         + [lambda case=case: _diagonal_representation(*case) for case in M2_CASES],
                         ids=["spec-T2", "spec-U1", "cyclic-C5"] + M2_IDS)
def test_invariant_part_is_molien(make):
    V = make()
    H = EquivariantHilbertSeries.from_representation(V)
    assert H.invariant_coefficients(16) == molien_series(V).coefficients(16)
    if not H.rank:
        assert H.invariant_series() == molien_series(V)


@pytest.mark.parametrize("torus, finite, orders", M2_CASES, ids=M2_IDS)
def test_weights_read_back_from_representations(torus, finite, orders):
    H = EquivariantHilbertSeries.from_representation(_diagonal_representation(torus, finite, orders))
    G = EquivariantHilbertSeries(torus, finite, orders)
    assert (H.torus_weights, H.finite_weights, H.orders) == (G.torus_weights, G.finite_weights, G.orders)


def test_equivariant_refusals():
    with pytest.raises(InputError, match="diagonal"):
        EquivariantHilbertSeries.from_representation(symmetric(3))
    with pytest.raises(InputError, match="not a torus"):
        EquivariantHilbertSeries.from_representation(load_spec("SU(2):2"))
    with pytest.raises(FloatEntryError):
        EquivariantHilbertSeries([[1.0, -1]])
    with pytest.raises(InputError, match="one positive order per row"):
        EquivariantHilbertSeries((), [[1, 2]], [])
    with pytest.raises(InputError, match="Molien–Weyl"):
        EquivariantHilbertSeries([[1, -1]]).invariant_series()


@pytest.mark.oracle
@requires_m2
@pytest.mark.parametrize("torus, finite, orders", M2_CASES, ids=M2_IDS)
def test_equivariant_series_matches_macaulay2(torus, finite, orders):
    H = EquivariantHilbertSeries(torus, finite, orders)
    rational, expansion = m2_equivariant_hilbert_series(torus, finite, orders, order=6)
    assert sympy.cancel(H.to_sympy() - rational) == 0
    ours = {(d,) + chi: c for d, chars in enumerate(H.graded_characters(6)) for chi, c in chars.items()}
    assert ours == expansion


def test_groups_over_gf_p_go_through_their_brauer_characters():
    G = MatrixGroup([[[0, 1], [1, 0]], [[2, 0], [0, 1]]], field="GF(5)")   # order 32, prime to 5
    V = G.natural()
    assert molien_series_from_character(CharacterTable.from_group(G), natural_character(G)) == molien_series(G)
    assert multigraded_molien_series(V, V).diagonal() == molien_series(V + V)


# groups far beyond matrices, where GAP's own MolienSeries takes minutes: the first coefficients
# against GAP's symmetric powers of the character (J1: 56-dimensional, |J1| = 175560; Co3: 23, |Co3| ≈ 5·10^11)
SYMMETRIC_POWER_CASES = [("J1", 2), ("Co3", 2), ("HS", 3)]


@pytest.mark.oracle
@requires_gap
@pytest.mark.parametrize("name, k", SYMMETRIC_POWER_CASES, ids=[c[0] for c in SYMMETRIC_POWER_CASES])
def test_gap_library_tables_by_symmetric_powers(name, k):
    data = gap_character_table(name, dimensions=[k], degree=8)
    table = CharacterTable(data["sizes"], data["orders"], data["power_maps"], data["names"])
    assert molien_series_from_character(table, data["chars"][k]).coefficients(9) == data["dimensions"][k]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 8), st.integers(0, 7), st.integers(1, 400))
def test_first_multisets_are_those_of_itertools_in_order(n, k, limit):
    """The search for a non-negative numerator enumerates degree multisets as arrays: the same
    tuples, in the same (lexicographic) order, as `itertools.combinations_with_replacement`."""
    from invariants.series.hilbert import _first_multisets

    expected = [list(c) for c in itertools.islice(itertools.combinations_with_replacement(range(n), k), limit)]
    assert _first_multisets(n, k, limit).tolist() == expected


@pytest.mark.parametrize("n, degrees", [(6, [1, 2, 2, 2, 3, 6]), (7, [1, 2, 2, 2, 3, 3, 7]), (8, [1, 2, 2, 2, 2, 3, 4, 8])])
def test_hironaka_like_denominators_of_the_cyclic_shifts(n, degrees):
    """The smallest-sum denominator with a non-negative numerator (the degrees Singular's and
    Macaulay2's primaries have for these groups; benchmarks/results/ring.md)."""
    from invariants.catalogue import cyclic

    H = cyclic(n, form="permutation").natural().molien_series()
    assert H.denominator_degrees() == degrees
    assert min(H.form(degrees)[0]) >= 0
