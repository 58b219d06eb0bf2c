"""Groups and representations as values: one type for finite and compact groups, value equality,
specs and reprs that read back, one Lie algebra basis per group, and ring stages whose answers do
not depend on the order they are asked in."""
import pytest
import sympy

import invariants
from invariants import (HilbertSeries, InputError, MatrixGroup, Representation, invariant_ring, invariants_of_degree,
                        load_spec, molien_series)
from invariants.catalogue import coxeter, cyclic, dihedral, symmetric, weyl
from invariants.groups.compact import O3, SO, SO3, SU, SU2, Lorentz, Torus, U, rational_rotation
from invariants.groups.representation import as_representation

NAMESPACE = {name: getattr(invariants, name) for name in invariants.__all__}


def _values():
    S3 = symmetric(3)
    return [
        S3, weyl("B3"), coxeter("H3"), cyclic(5, "diagonal"),
        MatrixGroup([[[0, -1], [1, 0]]]),
        MatrixGroup([[["I", 0], [0, "-I"]], [[0, 1], [-1, 0]]], field="QQ(i)"),
        S3.natural(), S3.natural().ext(3) + S3.natural(), Representation(S3, [[[-1]], [[-1]]]),
        SO3().irrep(2), 2 * SO3().irrep(1) + SO3().irrep(2).sym(2), SO(3).vector() * SO3().irrep(1),
        O3().irrep("1o") + O3().irrep("1e").dual(), SO(4).vectors(2), U(3).fundamental() + U(3).antifundamental(),
        SU(3).adjoint(), SU2().spin("3/2").ext(2), Torus(2).rep([(1, 0), (0, 1), (-1, -1)]), Lorentz().vectors(2),
        SO3().irrep(1).outer(S3.natural()), SO(2).vector().outer(SU2().spin("1/2")),
    ]


@pytest.mark.parametrize("value", _values(), ids=lambda v: str(v.spec)[:40])
def test_specs_and_reprs_read_back_to_equal_values(value):
    assert load_spec(value.spec) == value
    assert eval(repr(value), NAMESPACE) == value
    assert hash(load_spec(value.spec)) == hash(value)


def test_groups_are_equal_when_they_are_the_same_set_of_matrices():
    a, b = [[0, 1, 0], [1, 0, 0], [0, 0, 1]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
    c = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]  # a 3-cycle: with a, the same S3
    assert MatrixGroup([a, b]) == MatrixGroup([a, c]) == symmetric(3)
    assert MatrixGroup([c]) != symmetric(3)  # A3
    assert SO(3) == SO3() and SO(3) is not SO3() and SO(3) != SO(4) and U(3) != SU(3)
    assert len({symmetric(3), MatrixGroup([a, c]), SO3(), SO(3)}) == 2


def test_representations_are_equal_when_the_matrices_are():
    V = SO3().irrep(1)
    assert 2 * V == V + V and V * V == V * V and V.sym(2) != V * V
    assert SO(3).vector() != V  # the same representation up to isomorphism, but other coordinates
    S3 = symmetric(3)
    other = MatrixGroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]], [[0, 1, 0], [1, 0, 0], [0, 0, 1]]])  # S3, other generators
    sign_a = Representation(S3, [[[-1]], [[-1]]])
    sign_b = Representation(other, [[[1]], [[-1]]])
    assert sign_a == sign_b and sign_a == S3.natural().ext(3)
    assert Representation(S3, [[[1]], [[1]]]) != sign_a


@pytest.mark.parametrize("group", [SO(3), SO(4), SO(5), O3(), SU2(), U(2), SU(3), Torus(2), Lorentz()], ids=str)
def test_every_atom_uses_its_groups_lie_basis(group):
    """Representations built separately must list the same Lie algebra elements: the structure
    constants [X_i, X_j] = Σ c_ijk X_k are the same in every one of them."""
    atoms = {"SO(3)": ["v", "1", "2", "0"], "SO(4)": ["v", "0"], "SO(5)": ["v"], "O(3)": ["v", "1o", "2e", "1e"],
             "SU(2)": ["1/2", "1", "3/2"], "U(2)": ["2", "2*", "adj"], "SU(3)": ["3", "3*", "8"],
             "U(1)^2": ["(1,0)", "(2,-1)"], "SO+(1,3)": ["v"]}[group.name]
    reps = [group.atom(a) for a in atoms] + [group.atom(atoms[0]).sym(2), group.atom(atoms[0]).dual()]
    reference = _structure_constants(reps[0])
    for rep in reps[1:]:
        if any(x.q != 0 * x.q for x in rep.lie_algebra):
            assert _structure_constants(rep, reference) is not None, f"{rep} lists another Lie basis"


def _structure_constants(rep, expected=None):
    basis = [sympy.Matrix(x.to_sympy()) for x in rep.lie_algebra]
    flat = sympy.Matrix.hstack(*[b.reshape(len(b), 1) for b in basis])
    out = {}
    for i in range(len(basis)):
        for j in range(i + 1, len(basis)):
            bracket = basis[i] * basis[j] - basis[j] * basis[i]
            if expected is None:
                sol, params = flat.gauss_jordan_solve(bracket.reshape(len(bracket), 1))
                out[i, j] = sol.subs({p: 0 for p in params})
            else:
                combo = sum((expected[i, j][k] * basis[k] for k in range(len(basis))), sympy.zeros(*basis[0].shape))
                if combo != bracket:
                    return None
    return out if expected is None else True


def test_a_vector_and_an_irrep_of_so3_combine():
    """The defect the shared Lie basis removes: SO(3)'s vector (x, y, z) plus irrep 1 (y, z, x)
    has three quadratic invariants, including the cross term x·P⁻¹y."""
    V = SO(3).vector() + SO3().irrep(1)
    assert molien_series(V) == molien_series(SO(3).vectors(2))
    x = sympy.symbols("x0:6")
    assert invariants_of_degree(V, 2) == [x[0]**2 + x[1]**2 + x[2]**2, x[0]*x[5] + x[1]*x[3] + x[2]*x[4],
                                          x[3]**2 + x[4]**2 + x[5]**2]


@pytest.mark.parametrize("spec", ["SU(2):1/2", "SU(3):3", "U(1):1,1", "U(1)^2:(1,0),(0,1)"])
def test_representations_without_invariants_have_series_one(spec):
    V = load_spec(spec)
    assert molien_series(V).coefficients(8) == [1] + [0] * 7
    assert invariants_of_degree(V, 3) == []


def test_group_elements_evaluate_through_the_algebra():
    V = SO3().irrep(2).sym(2) + SO(3).vector().dual() * SO3().irrep(1)
    g, h = rational_rotation(1, 2, 0, 1), rational_rotation(3, 0, 1, 1)
    assert V(g @ h) == V(g) @ V(h)
    G = dihedral(5)
    W = G.natural().sym(2) + Representation(G, [[[1]], [[-1]]])
    a, b = G.sample(2, seed=0)
    assert W(a @ b) == W(a) @ W(b)
    with pytest.raises(InputError, match="not an element"):
        W([[2, 0], [0, 1]])


def test_the_molien_series_is_computed_once_per_value():
    V = as_representation(weyl("A3"))
    assert V.molien_series() is V.molien_series()
    # and the cached value is right: W(A3) has basic degrees 2, 3, 4 (Humphreys, Table 3.1)
    assert V.molien_series() == HilbertSeries.from_degrees([2, 3, 4])


def test_specs_refuse_with_the_grammar():
    with pytest.raises(InputError, match="missing a parenthesis"):
        load_spec("SO(3):sym2(1")
    with pytest.raises(InputError, match="empty item"):
        load_spec("SO(3):1,,2")
    with pytest.raises(InputError, match="atoms are"):
        load_spec("SO(3):1q")
    with pytest.raises(InputError, match="same group"):
        SO3().irrep(1) + O3().irrep("1o")
    with pytest.raises(InputError, match="no default representation"):
        molien_series(SO3())


def test_ring_stages_answer_the_same_in_any_order():
    first = invariant_ring(cyclic(6, form="permutation"))
    generators_first = (first.generator_degrees, first.generators_certificate.bound, first.secondary_degrees)
    second = invariant_ring(cyclic(6, form="permutation"))
    secondaries_first = second.secondary_degrees
    assert (second.generator_degrees, second.generators_certificate.bound, secondaries_first) == generators_first
    assert first.generators == second.generators
