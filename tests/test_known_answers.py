"""Molien series of finite groups against published answers.

Transcribed from the project's table of known answers (rows 1–13 and 15); each test names
the source of its answer.  Series are compared as reduced fractions, so equal forms with
different denominators (e.g. GAP's) agree.
"""
import pytest

from invariants import HilbertSeries, MatrixGroup, Representation, cyclotomic_field, molien_series
from invariants.catalogue import (alternating, binary_icosahedral, binary_tetrahedral, coxeter, cyclic,
                                  dihedral, symmetric, weyl)
from invariants.groups.finite.reflection import reflection_degrees


def series(numerator, *degrees):
    return HilbertSeries.from_degrees(degrees, numerator)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_row1_symmetric_group_permuting_coordinates(n):
    # classical: H = 1/∏(1 - t^i); Sage's molien_series doc gives the S3 coefficients
    H = molien_series(symmetric(n))
    assert H == series([1], *range(1, n + 1))
    if n == 3:
        assert H.coefficients(7) == [1, 1, 2, 3, 4, 5, 7]


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_row2_cyclic_rotations_of_the_plane(n):
    # classical; Macaulay2 InvariantRing hironakaDecomposition doc (C4)
    assert molien_series(cyclic(n)) == series([1] + [0] * (n - 1) + [1], 2, n)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 8])
def test_row3_dihedral_groups(n):
    # classical; Macaulay2 molienSeries doc (order 6)
    G = dihedral(n)
    assert G.order() == 2 * n
    assert molien_series(G) == series([1], 2, n)


def test_row4_z3_diagonal_on_c2():
    # GAP MolienSeries: (1 + 2t^3)/(1 - t^3)^2
    G = MatrixGroup([[["exp(2*pi*I/3)", 0], [0, "exp(2*pi*I/3)"]]], field=cyclotomic_field(3))
    assert molien_series(G) == series([1, 0, 0, 2], 3, 3)


def test_row5_z3_scalar_on_c3():
    # direct computation: (1 + 7t^3 + t^6)/(1 - t^3)^3
    w = "exp(2*pi*I/3)"
    G = MatrixGroup([[[w, 0, 0], [0, w, 0], [0, 0, w]]], field=cyclotomic_field(3))
    assert molien_series(G) == series([1, 0, 0, 7, 0, 0, 1], 3, 3, 3)


def test_row6_sturmfels_z4_on_c3():
    # Sturmfels, Algorithms in Invariant Theory, Ex. 2.3.7; Singular manual A.5.2
    G = MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]])
    H = molien_series(G)
    assert H == series([1, 0, 0, 2, 1], 2, 2, 4)
    assert H.form([2, 2, 4])[0] == [1, 0, 0, 2, 1]


def test_row7_binary_icosahedral_klein():
    # Klein; (1 + t^30)/((1 - t^12)(1 - t^20))
    G = binary_icosahedral()
    assert G.order() == 120
    assert molien_series(G) == series([1] + [0] * 29 + [1], 12, 20)


def test_row8_binary_tetrahedral():
    # Klein; GAP prints the equal form (1 - t^4 + t^8)/((1 - t^4)(1 - t^6))
    G = binary_tetrahedral()
    H = molien_series(G)
    assert H == series([1] + [0] * 11 + [1], 6, 8)
    assert H == series([1, 0, 0, 0, -1, 0, 0, 0, 1], 4, 6)
    assert H.coefficients(25) == [1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 2, 0, 1, 0, 1, 0, 2, 0, 2, 0, 1, 0, 3]


def test_row9_icosahedral_rotation_group_a5():
    # GAP tst/testinstall/ctblmoli.tst; Magma handbook MolienSeries example
    H3 = coxeter("H3")
    s1, s2, s3 = H3.generators
    A5 = MatrixGroup([s1 @ s2, s2 @ s3], name="A5 on R^3")
    assert A5.order() == 60
    H = molien_series(A5)
    assert H == series([1] + [0] * 14 + [1], 2, 6, 10)
    assert H.coefficients(20) == [1, 0, 1, 0, 1, 0, 2, 0, 2, 0, 3, 0, 4, 0, 4, 1, 5, 1, 6, 1]


REFLECTION_DEGREES = {
    # Humphreys, Reflection Groups and Coxeter Groups, Table 3.1
    "A1": [2], "A2": [2, 3], "A3": [2, 3, 4], "A4": [2, 3, 4, 5],
    "B2": [2, 4], "B3": [2, 4, 6], "B4": [2, 4, 6, 8],
    "C3": [2, 4, 6], "D4": [2, 4, 4, 6], "D5": [2, 4, 5, 6, 8],
    "G2": [2, 6], "F4": [2, 6, 8, 12],
    "E6": [2, 5, 6, 8, 9, 12], "E7": [2, 6, 8, 10, 12, 14, 18], "E8": [2, 8, 12, 14, 18, 20, 24, 30],
    "H3": [2, 6, 10], "H4": [2, 12, 20, 30],
}


@pytest.mark.parametrize("name", sorted(REFLECTION_DEGREES))
def test_row10_reflection_groups(name):
    G = coxeter(name)
    degrees = REFLECTION_DEGREES[name]
    cert = reflection_degrees(G)
    assert cert is not None and list(cert.degrees) == degrees
    assert G.order() == cert.group_order
    assert molien_series(G) == series([1], *degrees)


@pytest.mark.parametrize("name", ["A3", "B3", "D4", "G2", "F4", "H3", "H4", "E6"])
def test_row10_class_sum_agrees_with_the_reflection_theorem(name):
    # the two algorithms share nothing but the group: classes vs Coxeter-element exponents
    G = coxeter(name)
    assert molien_series(G, method="classes") == series([1], *REFLECTION_DEGREES[name])


def test_row10_orthogonal_bases_agree():
    for name in ("B3", "F4", "E8"):
        assert molien_series(weyl(name, basis="orthogonal")) == molien_series(weyl(name))


def test_row11_g335_plus_trivial_line():
    # GAP tst/testinstall/ctblmoli.tst: the generators below, order 9720
    y, x = "exp(2*pi*I/3)", "exp(4*pi*I/3)"

    def perm(i, j):
        m = [[1 if r == c else 0 for c in range(6)] for r in range(6)]
        m[i][i] = m[j][j] = 0
        m[i][j] = m[j][i] = 1
        return m

    first = [[0, y, 0, 0, 0, 0], [x, 0, 0, 0, 0, 0]] + [[1 if c == r else 0 for c in range(6)] for r in range(2, 6)]
    G = MatrixGroup([first, perm(0, 1), perm(1, 2), perm(2, 3), perm(3, 4)], field=cyclotomic_field(3))
    assert G.order() == 9720
    assert molien_series(G) == series([1], 1, 3, 5, 6, 9, 12)


def test_row12_s3_on_two_copies():
    # Magma handbook (FundamentalInvariants example); GAP
    V = symmetric(3).natural()
    H = molien_series(V + V)
    assert H == series([1, 0, 1, 2, 1, 0, 1], 1, 1, 2, 2, 3, 3)


def test_row13_a4_permuting_c4():
    # Macaulay2 InvariantRing invariants doc; GAP
    assert molien_series(alternating(4)) == series([1, 0, 0, 0, 0, 0, 1], 1, 2, 3, 4)


def test_row15_relative_series_sl23():
    # GAP tst/testinstall/ctblmoli.tst: MolienSeries(tbl, lin[1] + deg3, lin[2]) for SL(2,3)
    #   = (2z^2 + z^3 - z^4 + z^6)/((1 - z^3)^2 (1 - z^2)^2)
    K = cyclotomic_field(12)
    i = [["I", 0], [0, "-I"]]
    j = [[0, 1], [-1, 0]]
    w = [["(1+I)/2", "(1+I)/2"], ["(-1+I)/2", "(1-I)/2"]]  # (1+i+j+k)/2
    G = MatrixGroup([i, j, w], field=K, name="SL(2,3)")
    assert G.order() == 24
    z3 = "exp(2*pi*I/3)"
    lam = Representation(G, [[[1]], [[1]], [[z3]]])
    lam2 = Representation(G, [[[1]], [[1]], [[f"({z3})**2"]]])
    deg3 = Representation(G, [[[1, 0, 0], [0, -1, 0], [0, 0, -1]], [[-1, 0, 0], [0, 1, 0], [0, 0, -1]],
                              [[0, 0, 1], [1, 0, 0], [0, 1, 0]]])
    psi = lam + deg3
    H = molien_series(psi, chi=lam2)
    expected = HilbertSeries([0, 0, 2, 1, -1, 0, 1], HilbertSeries.from_degrees([3, 3, 2, 2]).denominator)
    assert H == expected
    # with chi trivial the relative series is the ordinary one
    trivial = Representation(G, [[[1]], [[1]], [[1]]])
    assert molien_series(psi, chi=trivial) == molien_series(psi)
