"""Linearly reductive groups given by their action (#22 item 4): Derksen's Hilbert ideal, the
invariants of each degree and certified generators, against Macaulay2's ``linearlyReductiveAction``,
the engine's own SU(2) and tori, and an independent sympy check that every invariant is invariant."""
import pytest
import sympy

import invariants
from invariants import SU2, Torus, invariant_ring, invariants_of_degree, molien_series
from invariants.errors import FieldError, FloatEntryError, InputError, MolienError, NotHomomorphismError, ShapeError, TooLargeError
from invariants.groups.reductive import (LinearlyReductiveAction, Limits, is_invariant_under, reductive_hilbert_ideal,
                                         reductive_invariant_ring, reductive_invariants_of_degree)
from invariants.groups.reductive.examples import gl_natural, sl2_binary_forms, torus

from m2_oracle import m2_available, m2_linearly_reductive, m2_torus_generators

needs_m2 = pytest.mark.skipif(not m2_available(), reason="Macaulay2 (M2) is not installed")


def sympy_invariant(V: LinearlyReductiveAction, f: sympy.Expr) -> bool:
    """f(A x) − f(x) ≡ 0 modulo I(G), by sympy alone (its own Gröbner basis and reduction)."""
    G = sympy.groebner(list(V.ideal), *V.group_variables, order="grevlex", domain=sympy.QQ)
    x = sympy.Matrix(V.variables)
    moved = sympy.expand(f.xreplace(dict(zip(V.variables, V.matrix * x))) - f)
    if moved == 0:
        return True
    coeffs = sympy.Poly(moved, *V.variables).coeffs()
    return all(G.reduce(sympy.expand(c))[1] == 0 for c in coeffs)


def span_rank(polys, variables) -> int:
    polys = [sympy.Poly(p, *variables) for p in polys]
    monos = sorted({m for p in polys for m in p.monoms()})
    return sympy.Matrix([[p.coeff_monomial(m) for m in monos] for p in polys]).rank() if polys else 0


def same_span(a, b, variables) -> bool:
    return span_rank(a, variables) == span_rank(b, variables) == span_rank(list(a) + list(b), variables)


def same_ideal(a, b, variables) -> bool:
    ga = sympy.groebner(a, *variables, order="grevlex", domain=sympy.QQ)
    gb = sympy.groebner(b, *variables, order="grevlex", domain=sympy.QQ)
    return all(ga.contains(p) for p in b) and all(gb.contains(p) for p in a)


def proportional(f, g) -> bool:
    ratio = sympy.cancel(f / g)
    return ratio.is_number and ratio != 0


# -- known answers ------------------------------------------------------------------------------------

def test_binary_quadric_is_generated_by_its_discriminant():
    R = reductive_invariant_ring(sl2_binary_forms(2))
    x0, x1, x2 = R.action.variables
    assert R.generator_degrees == [2] and R.certificate.complete
    assert proportional(R.generators[0], x1 ** 2 - 4 * x0 * x2)


def test_binary_cubic_is_generated_by_its_discriminant_of_degree_4():
    R = reductive_invariant_ring(sl2_binary_forms(3))
    u, v = sympy.symbols("u v")
    x = R.action.variables
    form = sum(x[j] * u ** (3 - j) * v ** j for j in range(4))
    assert R.generator_degrees == [4] and R.certificate.complete
    assert proportional(R.generators[0], sympy.discriminant(form.subs(v, 1), u))


def test_binary_quartic_has_invariants_of_degrees_2_and_3():
    R = reductive_invariant_ring(sl2_binary_forms(4))
    x0, x1, x2, x3, x4 = R.action.variables
    assert R.generator_degrees == [2, 3] and R.certificate.complete
    assert proportional(R.generators[0], 12 * x0 * x4 - 3 * x1 * x3 + x2 ** 2)
    assert R.hilbert_ideal.degrees == [2, 3] and R.hilbert_ideal.contains(R.generators[0] * sympy.Symbol('x3'))


def test_two_copies_of_c2_give_the_determinant():
    V = sl2_binary_forms(1).product(sl2_binary_forms(1, names="e f g h"))  # two different SL2s: nothing
    assert reductive_invariant_ring(V).generators == ()
    same = LinearlyReductiveAction("a*d - b*c - 1", [["a", "b", 0, 0], ["c", "d", 0, 0], [0, 0, "a", "b"], [0, 0, "c", "d"]],
                                   "a b c d", variables="x1 x2 y1 y2")
    R = reductive_invariant_ring(same)
    x1, x2, y1, y2 = same.variables
    assert R.generator_degrees == [2] and proportional(R.generators[0], x1 * y2 - x2 * y1)


@pytest.mark.parametrize("weights, degrees", [([[1], [-1]], [2]), ([[1], [1], [-2]], [3, 3, 3]), ([[1], [1]], []),
                                              ([[1, 0], [0, 1], [-1, -1], [1, 1]], [2, 3])])
def test_tori_agree_with_the_engines_torus(weights, degrees):
    R = reductive_invariant_ring(torus(weights))
    assert R.generator_degrees == degrees and R.certificate.complete
    ours = {tuple(int(e) for e in p.monoms()[0]) for p in R.polys}
    engine = invariant_ring(Torus(len(weights[0])).rep(weights))
    assert ours == {tuple(int(e) for e in g.monoms()[0]) for g in engine.generation.polys}
    rep = Torus(len(weights[0])).rep(weights)
    for d in range(1, 6):
        assert len(reductive_invariants_of_degree(torus(weights), d)) == len(invariants_of_degree(rep, d))


def test_gl2_on_a_vector_and_a_covector_gives_the_pairing():
    V = gl_natural(2, dual=True)
    R = reductive_invariant_ring(V)
    x0, x1, x2, x3 = V.variables
    assert R.generator_degrees == [2] and proportional(R.generators[0], x0 * x2 + x1 * x3)
    assert reductive_invariant_ring(gl_natural(2)).generators == ()  # GL2 on C^2 alone: only constants


def test_sl2_times_sl2_on_the_tensor_product_gives_the_determinant():
    V = sl2_binary_forms(1).product(sl2_binary_forms(1, names="e f g h"), tensor=True)
    R = reductive_invariant_ring(V)
    x0, x1, x2, x3 = V.variables
    assert R.generator_degrees == [2] and proportional(R.generators[0], x0 * x3 - x1 * x2)


def test_finite_and_disconnected_groups_given_by_equations():
    Z3 = reductive_invariant_ring(LinearlyReductiveAction("z**3 - 1", [["z", 0], [0, "z**2"]], "z"))
    x0, x1 = Z3.action.variables
    assert set(Z3.generators) == {x0 * x1, x0 ** 3, x1 ** 3} and Z3.certificate.complete
    O2 = LinearlyReductiveAction(["a**2 + c**2 - 1", "b**2 + d**2 - 1", "a*b + c*d"], [["a", "b"], ["c", "d"]], "a b c d")
    assert reductive_invariant_ring(O2).generators == (x0 ** 2 + x1 ** 2,)


def test_symbols_with_assumptions_are_matched_by_name():
    z = sympy.Symbol("z", positive=True)
    V = LinearlyReductiveAction(z * sympy.Symbol("w") - 1, [[z, 0], [0, sympy.Symbol("w")]], "z w")
    assert reductive_invariant_ring(V).generator_degrees == [2]


# -- cross-checks against the engine's compact groups ------------------------------------------------------

@pytest.mark.parametrize("k, top", [(1, 6), (2, 6), (3, 6), (4, 5)])
def test_dimensions_by_degree_agree_with_su2(k, top):
    series = molien_series(SU2().binary_forms(k)).coefficients(top + 1)
    V = sl2_binary_forms(k)
    assert [len(reductive_invariants_of_degree(V, d)) for d in range(top + 1)] == series


# -- every invariant is invariant, checked independently ---------------------------------------------------

ACTIONS = {
    "quadric": lambda: sl2_binary_forms(2), "cubic": lambda: sl2_binary_forms(3), "quartic": lambda: sl2_binary_forms(4),
    "torus(1,1,-2)": lambda: torus([[1], [1], [-2]]), "GL2 on V+V*": lambda: gl_natural(2, dual=True),
    "SL2xSL2 on C2(x)C2": lambda: sl2_binary_forms(1).product(sl2_binary_forms(1, names="e f g h"), tensor=True),
    "SL2 quadric x torus(1,-1)": lambda: sl2_binary_forms(2).product(torus([[1], [-1]])),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_generator_is_invariant_exactly(name):
    V = ACTIONS[name]()
    R = reductive_invariant_ring(V)
    assert R.certificate.invariant_checked and R.certificate.generates_hilbert_ideal
    assert all(sympy_invariant(V, f) for f in R.generators)
    for d in range(1, 4):
        assert all(sympy_invariant(V, f) for f in reductive_invariants_of_degree(V, d))
    assert not is_invariant_under(V, sum(V.variables)) and not sympy_invariant(V, sum(V.variables))


def test_the_certificate_names_its_bound_and_assumptions():
    c = reductive_invariant_ring(sl2_binary_forms(4)).certificate
    assert c.complete and c.degree_bound == 3 and c.searched_through == 3 and "Derksen" in c.bound_source
    assert any("radical" in a for a in c.assumptions) and "complete" in str(c)
    partial = reductive_invariant_ring(sl2_binary_forms(4), max_degree=2)
    assert partial.generator_degrees == [2] and not partial.certificate.complete
    assert "max_degree" in partial.certificate.reason


# -- Macaulay2 --------------------------------------------------------------------------------------------

M2_CASES = {**ACTIONS, "2 copies of C2": lambda: LinearlyReductiveAction(
    "a*d - b*c - 1", [["a", "b", 0, 0], ["c", "d", 0, 0], [0, 0, "a", "b"], [0, 0, "c", "d"]], "a b c d"),
    "torus(1,-1)": lambda: torus([[1], [-1]]),
    "O(2)": lambda: LinearlyReductiveAction(["a**2 + c**2 - 1", "b**2 + d**2 - 1", "a*b + c*d"], [["a", "b"], ["c", "d"]], "a b c d"),
    "Z/3 with weights (1, 2)": lambda: LinearlyReductiveAction("z**3 - 1", [["z", 0], [0, "z**2"]], "z")}


@needs_m2
@pytest.mark.parametrize("name", list(M2_CASES))
def test_hilbert_ideal_and_invariants_agree_with_macaulay2(name):
    V = M2_CASES[name]()
    R = reductive_invariant_ring(V)
    top = max(R.generator_degrees, default=1)
    theirs = m2_linearly_reductive(V.ideal, V.matrix, V.group_variables, degrees=range(1, top + 1))
    x = V.variables
    rename = dict(zip(sympy.symbols(f"x0:{V.n}"), x))
    m2 = {k: [p.xreplace(rename) for p in v] for k, v in theirs.items()}
    assert same_ideal(list(R.hilbert_ideal.generators), m2["hilbert"], x)
    assert sorted(sympy.Poly(f, *x).total_degree() for f in m2["invariants"]) == R.generator_degrees
    for d in range(1, top + 1):
        assert same_span(reductive_invariants_of_degree(V, d), m2[d], x)
    assert all(is_invariant_under(V, f) for f in m2["invariants"])


@needs_m2
def test_a_two_dimensional_torus_agrees_with_diagonal_action():
    weights = [[1, 0], [0, 1], [-1, -1], [1, 1], [-2, 1]]
    R = reductive_invariant_ring(torus(weights))
    assert {tuple(int(e) for e in p.monoms()[0]) for p in R.polys} == m2_torus_generators(weights)


# -- input and guards -------------------------------------------------------------------------------------

def test_the_public_names_are_exported():
    assert invariants.LinearlyReductiveAction is LinearlyReductiveAction
    assert invariants.reductive_invariant_ring is reductive_invariant_ring


@pytest.mark.parametrize("ideal, matrix, names, error", [
    ("a*d - b*c - 1", [["a", "b"], ["c", "d"], ["a", "b"]], "a b c d", ShapeError),
    ("a*d - b*c - 1", [["a", "b"], ["c"]], "a b c d", ShapeError),
    ("z*w - 1", [[0.5]], "z w", FloatEntryError),
    ("z*w - 1", [["0.5*z"]], "z w", FloatEntryError),
    ("z*w - 1", [["1/z"]], "z w", InputError),
    ("z*w - 1", [["t"]], "z w", FieldError),                   # the parser knows only the group variables
    ("z*w - 1", [[sympy.Symbol("t")]], "z w", InputError),
    ("z*w - 1", [["__import__('os').system('true')"]], "z w", FieldError),
    ("z*w - 1", [[sympy.sqrt(2) * sympy.Symbol("z")]], "z w", FieldError),
    ("a*d - b*c", [["a", "b"], ["c", "d"]], "a b c d", InputError),   # det A = 0 on the "group"
    ("z - 2", [["z"]], "z", NotHomomorphismError),                     # never the identity
    ("1", [["1"]], "z", InputError),                                    # empty group
    ("z*w - 1", [["z"]], "z z", InputError),
    ("z*w - 1", [["z"]], "z w sqrt", InputError),
])
def test_bad_input_is_refused_with_a_molien_error(ideal, matrix, names, error):
    with pytest.raises(error) as info:
        LinearlyReductiveAction(ideal, matrix, names)
    assert isinstance(info.value, MolienError)


def test_variables_must_not_clash_with_group_variables():
    with pytest.raises(InputError, match="variables"):
        LinearlyReductiveAction("z*w - 1", [["z", 0], [0, "w"]], "z w", variables="z x")


def test_values_compare_by_their_data():
    assert torus([[1], [-1]]) == torus([[1], [-1]]) and hash(torus([[1], [-1]])) == hash(torus([[1], [-1]]))
    assert torus([[1], [-1]]) != torus([[1], [-2]])
    assert "LinearlyReductiveAction" in repr(torus([[1]]))


@pytest.mark.parametrize("kwargs, option", [({}, "max_weight"), ({"max_weight": 100, "max_variables": 10}, "max_variables")])
def test_the_elimination_is_refused_before_it_blows_up(kwargs, option):
    with pytest.raises(TooLargeError) as info:
        reductive_hilbert_ideal(sl2_binary_forms(5), **kwargs)
    assert info.value.option == option and option in str(info.value)


def test_buchberger_stops_at_its_limits():
    with pytest.raises(TooLargeError) as info:
        reductive_hilbert_ideal(sl2_binary_forms(4), limits=Limits(max_basis=10))
    assert info.value.option == "max_basis"


def test_too_many_monomials_are_refused():
    with pytest.raises(TooLargeError) as info:
        reductive_invariants_of_degree(sl2_binary_forms(4), 6, max_monomials=100)
    assert info.value.option == "max_monomials"


def test_without_a_bound_the_certificate_says_so():
    R = reductive_invariant_ring(sl2_binary_forms(5), max_degree=4)
    assert R.generator_degrees == [4]
    c = R.certificate
    assert not c.complete and c.degree_bound is None and "no bound" in c.bound_source and c.searched_through == 4
    with pytest.raises(TooLargeError, match="max_degree"):
        reductive_invariant_ring(sl2_binary_forms(5))
