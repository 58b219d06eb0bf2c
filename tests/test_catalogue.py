"""The catalogue of finite groups: orders, generators, fields, bases and text names."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest
from flint import arb, ctx, fmpq

from invariants.catalogue import (CATALOGUE_NAMES, alternating, binary_dihedral, binary_icosahedral,
                                  binary_octahedral, binary_tetrahedral, by_name, cartan_matrix,
                                  complex_reflection, coxeter, cyclic, dihedral, even_signed_permutations,
                                  quaternion_group, signed_permutations, symmetric, weyl)
from invariants.errors import InputError
from invariants.fields import QQ, cyclotomic_field, quadratic_field
from invariants.groups.finite.group import matrix_order
from invariants.linalg.matrix import Matrix

WEYL_ORDERS = {
    **{f"A{n}": math.factorial(n + 1) for n in range(1, 7)},
    **{f"B{n}": 2**n * math.factorial(n) for n in range(2, 6)},
    **{f"C{n}": 2**n * math.factorial(n) for n in range(2, 5)},
    **{f"D{n}": 2 ** (n - 1) * math.factorial(n) for n in range(2, 7)},
    "G2": 12, "F4": 1152, "E6": 51840, "E7": 2903040, "E8": 696729600, "A2xB3": 6 * 48,
}
COXETER_NUMBERS = {"A1": 2, "A4": 5, "B3": 6, "C4": 8, "D4": 6, "D5": 8, "G2": 6, "F4": 12,
                   "E6": 12, "E7": 18, "E8": 30, "H3": 10, "H4": 30, "I2(7)": 7}
ORTHONORMAL = ["B3", "C3", "D4", "F4", "E7", "E8"]


def is_orthogonal(g: Matrix) -> bool:
    return (g @ g.transpose()).is_identity()


def coxeter_element(G) -> Matrix:
    c = G.generators[0]
    for s in G.generators[1:]:
        c = c @ s
    return c


def coxeter_matrix(G) -> list[list[int | None]]:
    r = len(G.generators)
    return [[matrix_order(G.generators[i] @ G.generators[j]) for j in range(r)] for i in range(r)]


def det2(g: Matrix):
    K = g.field
    return K.add(K.mul(g[0, 0], g[1, 1]), K.neg(K.mul(g[0, 1], g[1, 0])))


def is_unitary(g: Matrix) -> bool:
    m = g.to_acb()
    p = m * m.conjugate().transpose()
    return all(p[i, j].contains(1 if i == j else 0) for i in range(g.nrows) for j in range(g.ncols))


def close(a, value: float) -> bool:
    old = ctx.prec
    ctx.prec = 100
    try:
        return bool(abs(a - arb(value)) < arb(1e-12))
    finally:
        ctx.prec = old


# -- Weyl and Coxeter groups ------------------------------------------------------------

@pytest.mark.parametrize("type_", sorted(WEYL_ORDERS))
def test_weyl_order_root_basis_and_reflections(type_):
    G = weyl(type_)
    assert G.order() == WEYL_ORDERS[type_]
    assert G.field == QQ
    assert all(G.is_reflection(i) for i in range(len(G.generators)))
    assert all(all(x[0].q == 1 for row in g.entries() for x in row) for g in G.generators)  # integer


@pytest.mark.parametrize("type_", sorted(t for t in WEYL_ORDERS if t != "E8"))
def test_weyl_orthogonal_basis_same_order(type_):
    G = weyl(type_, "orthogonal")
    assert G.order() == WEYL_ORDERS[type_] == weyl(type_, "root").order()
    assert all(G.is_reflection(i) for i in range(len(G.generators)))


@pytest.mark.parametrize("type_", ["A3", "B4", "D4", "F4", "E6", "E7", "E8", "G2"])
def test_both_bases_present_the_same_coxeter_group(type_):
    # same Coxeter matrix (orders of s_i s_j) in both bases, so the same group; E8 orthogonal
    # has a 2160-point basis orbit, so its order is not recomputed here
    R, O = weyl(type_, "root"), weyl(type_, "orthogonal")
    assert R.degree == O.degree == len(R.generators) == len(O.generators)
    assert coxeter_matrix(R) == coxeter_matrix(O)
    assert all(O.is_reflection(i) for i in range(len(O.generators)))


@pytest.mark.parametrize("type_", ORTHONORMAL)
def test_orthonormal_bases_give_orthogonal_matrices(type_):
    assert all(is_orthogonal(g) for g in weyl(type_, "orthogonal").generators)


def test_e8_orthogonal_standard_coordinates():
    G = weyl("E8", "orthogonal")
    s1 = G.generators[0]  # reflection in α1 = (1, -1, …, -1, 1)/2: I - α1 α1^T
    assert {Fraction(int(x[0].p), int(x[0].q)) for row in s1.entries() for x in row} == \
        {Fraction(1, 4), Fraction(-1, 4), Fraction(3, 4)}
    assert s1[0, 0] == (fmpq(3, 4),) and s1[0, 7] == (fmpq(-1, 4),) and s1[0, 1] == (fmpq(1, 4),)
    # s2 is the reflection in e1 + e2: swaps and negates the first two coordinates
    s2 = G.generators[1]
    assert s2[0, 1] == (-1,) and s2[1, 0] == (-1,) and s2[2, 2] == (1,)


@pytest.mark.parametrize("type_,h", sorted(COXETER_NUMBERS.items()))
def test_coxeter_element_has_coxeter_number_order(type_, h):
    assert matrix_order(coxeter_element(coxeter(type_))) == h


def test_coxeter_numbers_in_orthogonal_basis():
    assert matrix_order(coxeter_element(weyl("E8", "orthogonal"))) == 30
    assert matrix_order(coxeter_element(weyl("E6", "orthogonal"))) == 12


def test_cartan_matrices_bourbaki():
    assert cartan_matrix("B3") == [[2, -1, 0], [-1, 2, -1], [0, -2, 2]]
    assert cartan_matrix("C3") == [[2, -1, 0], [-1, 2, -2], [0, -1, 2]]
    assert cartan_matrix("G2") == [[2, -3], [-1, 2]]
    assert cartan_matrix("F4") == [[2, -1, 0, 0], [-1, 2, -1, 0], [0, -2, 2, -1], [0, 0, -1, 2]]
    e8 = cartan_matrix("E8")
    assert [j for j in range(8) if e8[3][j] == -1] == [1, 2, 4]  # α4 is the branch node
    assert e8[0][2] == -1 and e8[0][1] == 0


def test_root_basis_generators_are_simple_reflections():
    s = weyl("B2").generators  # s_i(α_j) = α_j - <α_j, α_i^∨> α_i, Cartan [[2, -1], [-2, 2]]
    assert s[0].entries() == [[(-1,), (1,)], [(0,), (1,)]]
    assert s[1].entries() == [[(1,), (0,)], [(2,), (-1,)]]


@pytest.mark.parametrize("type_,order,field", [("H3", 120, quadratic_field(5)), ("H4", 14400, quadratic_field(5)),
                                               ("I2(5)", 10, quadratic_field(5)), ("I2(8)", 16, quadratic_field(2)),
                                               ("I2(7)", 14, None), ("I2(2)", 4, QQ), ("I2(6)", 12, QQ),
                                               ("H3xA1", 240, quadratic_field(5))])
def test_coxeter_groups(type_, order, field):
    G = coxeter(type_)
    assert G.order() == order
    if field is not None:
        assert G.field == field
    else:
        assert G.field.degree == 3  # Q(cos 2π/7)
    assert all(G.is_reflection(i) for i in range(len(G.generators)))


def test_h4_coxeter_diagram_is_a_path_with_label_5():
    assert coxeter_matrix(coxeter("H4")) == [[1, 5, 2, 2], [5, 1, 3, 2], [2, 3, 1, 3], [2, 2, 3, 1]]


def test_crystallographic_coxeter_is_weyl_root():
    assert coxeter("F4").generators == weyl("F4", "root").generators


def test_product_is_block_diagonal():
    G = weyl("A2+B3")
    assert G.degree == 5 and len(G.generators) == 5
    assert G.generators[0][3, 3] == (1,) and G.generators[4][0, 0] == (1,)


@pytest.mark.parametrize("bad", ["Z9", "E9", "D1", "B1", "F5", "H3", "I2(5)", "", "A0"])
def test_weyl_refuses_bad_types(bad):
    with pytest.raises(InputError):
        weyl(bad)


def test_weyl_refuses_bad_basis():
    with pytest.raises(InputError, match="root"):
        weyl("A2", "weird")


# -- cyclic and dihedral ----------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 13))
def test_cyclic_rotation(n):
    G = cyclic(n)
    assert G.order() == n and G.name == f"C{n}"
    r = G.generators[0]
    assert is_orthogonal(r)
    assert close(G.field.to_acb(r[0, 0]).real, math.cos(2 * math.pi / n))
    assert close(G.field.to_acb(r[1, 0]).real, math.sin(2 * math.pi / n))


def test_rotation_fields():
    assert cyclic(2).field == cyclic(4).field == QQ
    assert cyclic(3).field == cyclic(6).field == cyclic(12).field == quadratic_field(3)
    assert cyclic(8).field == quadratic_field(2)
    assert cyclic(5).field.degree == 4 and cyclic(7).field.degree == 6


@pytest.mark.parametrize("n", range(1, 13))
def test_dihedral_rotation(n):
    G = dihedral(n)
    assert G.order() == 2 * n and G.name == f"D{n}"
    assert all(is_orthogonal(g) for g in G.generators)
    assert G.is_reflection(1)


@pytest.mark.parametrize("n", [3, 4, 5, 7, 12])
def test_dihedral_permutation(n):
    assert dihedral(n, "permutation").order() == 2 * n


@pytest.mark.parametrize("n", [3, 5, 7, 8, 9, 10, 12])
def test_cyclic_companion(n):
    G = cyclic(n, "companion")
    g = G.generators[0]
    assert G.order() == n
    assert g[0, 0] == G.field.zero and g[0, 1] == G.field.parse(-1)
    assert close(G.field.to_acb(g[1, 1]).real, 2 * math.cos(2 * math.pi / n))
    assert G.field.degree == max(1, cyclic(n, "diagonal").field.degree // 2)


@pytest.mark.parametrize("n,weights,order", [(5, (1,), 5), (5, (1, 2), 5), (6, (2, 4), 3), (7, (1, 3, 5), 7)])
def test_cyclic_diagonal(n, weights, order):
    G = cyclic(n, "diagonal", weights=weights)
    assert G.order() == order and G.degree == len(weights)
    assert G.field == cyclotomic_field(n)
    z = G.field.to_acb(G.generators[0][0, 0])
    angle = 2 * math.pi * weights[0] / n
    assert close(z.real, math.cos(angle)) and close(z.imag, math.sin(angle))


@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_cyclic_permutation(n):
    G = cyclic(n, "permutation")
    assert G.order() == n and G.degree == n and G.field == QQ


def test_cyclic_and_dihedral_errors():
    for call in (lambda: cyclic(0), lambda: cyclic(5, "spiral"), lambda: cyclic(5, weights=(1,)),
                 lambda: dihedral(2, "permutation"), lambda: cyclic(2.5)):
        with pytest.raises(InputError):
            call()


# -- permutation groups ----------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 7))
def test_symmetric_and_alternating(n):
    assert symmetric(n).order() == math.factorial(n)
    assert alternating(n).order() == max(1, math.factorial(n) // 2)
    assert all(symmetric(n).is_reflection(i) for i in range(n - 1))
    if n >= 2:
        S = symmetric(n, "standard")
        assert S.degree == n - 1 and S.order() == math.factorial(n)
        assert alternating(n, "standard").order() == math.factorial(n) // 2


def test_symmetric_standard_is_weyl_a():
    assert symmetric(5, "standard").generators == weyl("A4").generators
    assert symmetric(5).name == "S5" and alternating(4).name == "A4"


@pytest.mark.parametrize("n", range(2, 6))
def test_signed_permutations(n):
    B, D = signed_permutations(n), even_signed_permutations(n)
    assert B.order() == 2**n * math.factorial(n)
    assert D.order() == 2 ** (n - 1) * math.factorial(n)
    assert B.generators == weyl(f"B{n}", "orthogonal").generators
    assert D.generators == weyl(f"D{n}", "orthogonal").generators
    assert all(is_orthogonal(g) for g in B.generators + D.generators)


@pytest.mark.parametrize("m,p,n", [(3, 3, 5), (4, 2, 3), (6, 3, 2), (5, 1, 3), (2, 2, 4), (2, 1, 3),
                                   (1, 1, 4), (6, 2, 1)])
def test_complex_reflection_orders(m, p, n):
    G = complex_reflection(m, p, n)
    assert G.order() == m**n * math.factorial(n) // p
    assert G.field == cyclotomic_field(m) and G.name == f"G({m},{p},{n})"


def test_complex_reflection_generators():
    G = complex_reflection(3, 3, 5)  # generated by involutive reflections when p = m
    assert G.order() == 9720 and all(G.is_reflection(i) for i in range(len(G.generators)))
    assert complex_reflection(2, 2, 4).order() == weyl("D4").order()
    with pytest.raises(InputError, match="divide"):
        complex_reflection(4, 3, 2)


# -- SU(2) -----------------------------------------------------------------------------

@pytest.mark.parametrize("build,order,field", [(quaternion_group, 8, quadratic_field(-1)),
                                               (binary_tetrahedral, 24, quadratic_field(-1)),
                                               (binary_octahedral, 48, cyclotomic_field(8)),
                                               (binary_icosahedral, 120, cyclotomic_field(20))])
def test_binary_polyhedral(build, order, field):
    G = build()
    assert G.order() == order and G.field == field and G.degree == 2
    for g in G.generators:
        assert det2(g) == G.field.one
        assert is_unitary(g)
    assert [[-1, 0], [0, -1]] in G  # the centre {±1}


@pytest.mark.parametrize("n", range(1, 7))
def test_binary_dihedral(n):
    G = binary_dihedral(n)
    assert G.order() == 4 * n
    assert all(det2(g) == G.field.one and is_unitary(g) for g in G.generators)


def test_binary_names():
    assert binary_icosahedral().name == "binary_icosahedral"
    assert quaternion_group().name == "Q8"


# -- names -----------------------------------------------------------------------------

@pytest.mark.parametrize("spec,direct", [
    ("cyclic(6)", lambda: cyclic(6)),
    ("cyclic(5, diagonal)", lambda: cyclic(5, "diagonal")),
    ("cyclic(3,'diagonal')", lambda: cyclic(3, "diagonal")),
    ("cyclic(5, form=diagonal, weights=(1, 2))", lambda: cyclic(5, "diagonal", weights=(1, 2))),
    ("dihedral(6)", lambda: dihedral(6)),
    ("symmetric(5)", lambda: symmetric(5)),
    ("alternating(4)", lambda: alternating(4)),
    ("symmetric(4, standard)", lambda: symmetric(4, "standard")),
    ("B3", lambda: weyl("B3")),
    ("signed_permutations(3)", lambda: signed_permutations(3)),
    ("weyl(E8)", lambda: weyl("E8")),
    ("weyl(E8, orthogonal)", lambda: weyl("E8", "orthogonal")),
    ("weyl(E6, basis='orthogonal')", lambda: weyl("E6", "orthogonal")),
    ("coxeter(H4)", lambda: coxeter("H4")),
    ("coxeter(I2(7))", lambda: coxeter("I2(7)")),
    ("A2xB3", lambda: weyl("A2xB3")),
    ("binary_icosahedral", binary_icosahedral),
    ("binary_tetrahedral", binary_tetrahedral),
    ("binary_octahedral", binary_octahedral),
    ("binary_dihedral(3)", lambda: binary_dihedral(3)),
    ("quaternion", quaternion_group),
    ("G(3,3,5)", lambda: complex_reflection(3, 3, 5)),
    ("complex_reflection(3,3,5)", lambda: complex_reflection(3, 3, 5)),
])
def test_by_name_matches_direct_call(spec, direct):
    G, H = by_name(spec), direct()
    assert G.name == H.name and G.field == H.field and G.generators == H.generators


@pytest.mark.parametrize("build", [lambda: weyl("E6"), lambda: coxeter("H3"), lambda: coxeter("I2(5)"),
                                   lambda: weyl("A2xB3"), binary_icosahedral, quaternion_group,
                                   lambda: binary_dihedral(4), lambda: complex_reflection(4, 2, 3)])
def test_by_name_round_trips_group_names(build):
    G = build()
    H = by_name(G.name)
    assert H.name == G.name and H.generators == G.generators


CATALOGUE_EXAMPLES = {  # each example of CATALOGUE_NAMES, as the direct call it stands for
    "cyclic(5, diagonal)": lambda: cyclic(5, "diagonal"), "dihedral(6)": lambda: dihedral(6),
    "symmetric(4, standard)": lambda: symmetric(4, "standard"), "alternating(4)": lambda: alternating(4),
    "signed_permutations(3)": lambda: signed_permutations(3),
    "even_signed_permutations(4)": lambda: even_signed_permutations(4),
    "weyl(E8, orthogonal)": lambda: weyl("E8", "orthogonal"), "coxeter(H4)": lambda: coxeter("H4"),
    "A2xB3": lambda: weyl("A2xB3"), "W(E6)": lambda: weyl("E6"),
    "complex_reflection(3, 3, 5)": lambda: complex_reflection(3, 3, 5), "G(3,3,5)": lambda: complex_reflection(3, 3, 5),
    "quaternion": quaternion_group, "binary_dihedral(3)": lambda: binary_dihedral(3),
    "binary_tetrahedral": binary_tetrahedral, "binary_octahedral": binary_octahedral,
    "binary_icosahedral": binary_icosahedral,
}


def test_catalogue_names_examples_all_build():
    assert len(CATALOGUE_NAMES) >= 15
    assert [example for _, example in CATALOGUE_NAMES] == list(CATALOGUE_EXAMPLES)
    for pattern, example in CATALOGUE_NAMES:
        G, H = by_name(example), CATALOGUE_EXAMPLES[example]()  # construction only: W(E8) in orthogonal
        assert pattern and G.name == H.name                       # coordinates has a 2160-point orbit
        assert G.field == H.field and G.generators == H.generators


def test_by_name_errors():
    with pytest.raises(InputError, match="valid types"):
        by_name("weyl(Z9)")
    with pytest.raises(InputError, match=r"available names.*cyclic.*binary_icosahedral"):
        by_name("icosahedron_please")
    with pytest.raises(InputError, match="use cyclic"):
        by_name("cyclic(3, 4, 5, 6)")
    with pytest.raises(InputError):
        by_name("")
