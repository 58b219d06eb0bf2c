"""MatrixGroup: construction, bad input, order, membership, classes, representations."""
import pytest

from invariants import (FloatEntryError, InputError, Matrix, MatrixGroup, NotFiniteError,
                        NotHomomorphismError, Representation, ShapeError, SingularMatrixError,
                        TooLargeError, quadratic_field)

C4 = [[0, -1], [1, 0]]
S3_GENS = [[[0, 1, 0], [1, 0, 0], [0, 0, 1]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]]]


def test_bad_input_gets_clear_errors():
    with pytest.raises(SingularMatrixError, match="singular"):
        MatrixGroup([[[1, 0], [0, 0]]])
    with pytest.raises(ShapeError, match="square"):
        MatrixGroup([[[1, 0, 0], [0, 1, 0]]])
    with pytest.raises(ShapeError, match="different sizes"):
        MatrixGroup([C4, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]])
    with pytest.raises(ShapeError, match="unequal length"):
        MatrixGroup([[[1, 0], [0]]])
    with pytest.raises(NotFiniteError, match="infinite order"):
        MatrixGroup([[[1, 1], [0, 1]]])
    with pytest.raises(FloatEntryError, match="tolerance"):
        MatrixGroup([[[0.0, -1.0], [1.0, 0.0]]])
    with pytest.raises(ShapeError):
        MatrixGroup([])


def test_finite_order_generators_generating_an_infinite_group_are_refused():
    # two reflections whose product is a shear: the infinite dihedral group
    with pytest.raises(NotFiniteError, match="product of generators 0 and 1"):
        MatrixGroup([[[-1, 0], [0, 1]], [[-1, 2], [0, 1]]])


def test_tolerance_rounds_floats_to_exact_values():
    G = MatrixGroup([[[0.0, -1.0], [1.0, 0.0]]], tolerance=1e-12)
    assert G.order() == 4


def test_enumeration_guard_names_the_size_and_the_option():
    G = MatrixGroup(S3_GENS)
    with pytest.raises(TooLargeError, match=r"6 elements.*max_elements=6") as info:
        list(G.elements(max_elements=5))
    assert info.value.estimate == 6 and info.value.option == "max_elements"


def test_order_membership_and_elements():
    G = MatrixGroup([C4], name="C4")
    assert G.order() == 4
    assert [[0, 1], [-1, 0]] in G and [[-1, 0], [0, -1]] in G
    assert [[1, 0], [0, -1]] not in G and [[2, 0], [0, 1]] not in G
    elems = list(G.elements())
    assert len(set(elems)) == 4 and all(e in G for e in elems)


def test_class_equation_and_class_data():
    G = MatrixGroup(S3_GENS)
    classes = G.conjugacy_classes()
    assert sorted((c.size, c.order) for c in classes) == [(1, 1), (2, 3), (3, 2)]
    assert sum(c.size for c in classes) == G.order()
    for c in classes:
        assert c.representative in G
        assert (c.representative ** c.order).is_identity()


def test_groups_over_number_fields():
    K = quadratic_field(-1)
    Q8 = MatrixGroup([[["I", 0], [0, "-I"]], [[0, 1], [-1, 0]]], field=K)
    assert Q8.order() == 8
    assert sorted(c.size for c in Q8.conjugacy_classes()) == [1, 1, 2, 2, 2]
    assert [["-I", 0], [0, "I"]] in Q8


def test_random_samples_are_members():
    G = MatrixGroup(S3_GENS)
    assert all(g in G for g in G.sample(10, seed=1))


def test_direct_product_and_subgroup():
    G = MatrixGroup([C4])
    H = MatrixGroup(S3_GENS)
    P = G.direct_product(H)
    assert P.order() == 24 and P.degree == 5
    sub = H.subgroup([S3_GENS[0]])
    assert sub.order() == 2
    with pytest.raises(InputError, match="not in"):
        H.subgroup([[[0, 1, 0], [-1, 0, 0], [0, 0, 1]]])


def test_representation_algebra():
    G = MatrixGroup(S3_GENS)
    V = G.natural()
    assert (V + V).dim == 6 and (V * V).dim == 9
    assert V.sym(2).dim == 6 and V.ext(2).dim == 3 and V.ext(3).dim == 1
    # Λ³ of the permutation representation is the sign character
    sign = V.ext(3)
    assert [m.entries()[0][0][0] for m in sign.images] == [-1, -1]
    # representations are homomorphisms: check on random products
    for rep in (V.sym(3), V.ext(2), V * V.dual()):
        a, b = G.sample(2, seed=3)
        assert rep(a @ b) == rep(a) @ rep(b)


def test_representation_must_be_a_homomorphism():
    G = MatrixGroup(S3_GENS)
    with pytest.raises(NotHomomorphismError, match="order"):
        Representation(G, [[[-1]], [[1]]])  # the two transpositions must have the same sign
    with pytest.raises(ShapeError, match="one image per generator"):
        Representation(G, [[[1]]])


def test_restriction_evaluates_on_subgroup_elements():
    G = MatrixGroup(S3_GENS)
    sign = G.natural().ext(3)
    H = G.subgroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]]])  # the 3-cycles
    res = sign.restrict(H)
    assert res.images[0] == Matrix.from_entries([[1]])
    assert H.order() == 3


def test_review_regressions(tmp_path):
    """Defects found in review: each must now give the right answer or a MolienError."""
    import itertools

    import numpy as np
    import sympy

    from invariants import (FieldError, HilbertSeries, InputError, invariants_of_degree, load_spec, molien_series,
                            parse_field, symmetric)

    assert str(molien_series(MatrixGroup([[[1, 0], [0, 1]]]))) == "1/(1 - t)^2"  # the trivial group
    S = symmetric(3)
    sign = Representation(S, [[[-1]], [[-1]]])
    # a relative series through a long chain of the representation algebra: Λ²(perm) = std + sign,
    # so chi = (std + sign)·sign·sign = std + sign; on the line V = sign, S^d V = sign^d holds one
    # copy of chi's sign part for odd d and none of std: t/(1 - t²)
    relative = molien_series(sign, chi=S.natural().ext(2).dual().dual() * sign * sign)
    assert relative == HilbertSeries([0, 1], [1, 0, -1])
    # the same, independently: (1/|G|) Σ_g conj(χ(g)) / det(1 - t ρ(g)) over the six permutation
    # matrices, with ρ(g) = det g (the sign) and χ(g) = (tr(g)² - tr(g²))/2 · det(g)²
    t = sympy.Symbol("t")
    total = 0
    for p in itertools.permutations(range(3)):
        g = sympy.Matrix(3, 3, lambda i, j: int(p[j] == i))
        chi = sympy.Rational(g.trace() ** 2 - (g * g).trace(), 2) * g.det() ** 2
        total += sympy.conjugate(chi) / (1 - t * g.det())
    assert sympy.simplify(total / 6 - t / (1 - t**2)) == 0
    assert relative.coefficients(8) == sympy.Poly(sympy.series(total / 6, t, 0, 8).removeO(), t).all_coeffs()[::-1]
    assert MatrixGroup([[[np.int64(0), -1], [1, 0]]]).order() == 4
    assert -Matrix.identity(2) in MatrixGroup([[["0", "-1"], ["1", "0"]]], field=quadratic_field(5))
    x0, x1, x2 = sympy.symbols("x0:3")  # a representation is accepted where a group is: the same invariants
    assert invariants_of_degree(S.natural(), 2) == [x0**2 + x1**2 + x2**2, x0*x1 + x0*x2 + x1*x2]
    with pytest.raises(InputError, match="symbols"):
        invariants_of_degree(S, 2, symbols=sympy.symbols("a b"))
    with pytest.raises(FieldError, match="unknown name '__import__'"):
        load_spec({"generators": [[["__import__('os').getcwd() or 0", "-1"], ["1", "0"]]]})
    marker = tmp_path / "injected"  # code in an entry is never run: no side effect
    with pytest.raises(FieldError, match="unknown name '__import__'"):
        load_spec({"generators": [[[f"__import__('pathlib').Path({str(marker)!r}).touch() or 0", "-1"], ["1", "0"]]]})
    assert not marker.exists()
    with pytest.raises(FieldError, match="None is not a number"):
        load_spec({"generators": [[[None, 1], [1, 0]]]})
    for bad, message in (("QQ(sqrt(x))", "unknown name 'x'"), ("QQ(zeta_x)", "unknown field 'QQ\\(zeta_x\\)'"),
                         ("QQ(sqrt(0.5))", "floating-point number"), ("QQ(pi)", "pi is not an algebraic number")):
        with pytest.raises(FieldError, match=message):
            parse_field(bad)
    with pytest.raises(InputError, match="indexed by degrees >= 0, got -1"):
        molien_series(S)[-1]
