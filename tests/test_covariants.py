"""Equivariant maps and intertwiners: known answers, exact equivariance, and intertwiner
dimensions against a numerical null space (EMLP's method) and against the covariant series."""
import numpy as np
import pytest
import sympy

from invariants import InputError
from invariants.catalogue import dihedral, symmetric, weyl
from invariants.compact import O3, SO, SO3, SU2, O
from invariants.covariants import covariant_series, equivariant_linear_maps, equivariants_of_degree
from invariants.representation import as_representation


@pytest.mark.parametrize("n", [3, 4])
def test_sn_equivariant_maps_are_free_over_symmetric_polynomials(n):
    G = symmetric(n)
    H = covariant_series(G, G)
    numerator, _ = H.form(list(range(1, n + 1)))
    assert numerator == [1] * n  # free basis in degrees 0 … n−1
    x = sympy.symbols(f"x0:{n}")
    for k in range(n):
        maps = equivariants_of_degree(G, G, k)
        assert len(maps) == H[k]
        # x -> (x_i^k)_i is among them (up to the span)
        power = [v**k for v in x]
        span = sympy.Matrix([[sympy.Poly(c, *x).coeff_monomial(m) for c in f for m in sympy.itermonomials(x, k, k)]
                             for f in maps])
        target = sympy.Matrix([[sympy.Poly(c, *x).coeff_monomial(m) for c in power for m in sympy.itermonomials(x, k, k)]])
        assert span.rank() == span.col_join(target).rank()


def test_vector_fields_of_so3_and_o3_on_two_vectors():
    assert len(equivariants_of_degree(SO(3).vectors(2), SO(3).vector(), 1)) == 2       # v1, v2
    assert len(equivariants_of_degree(SO(3).vectors(2), SO(3).vector(), 2)) == 1       # v1 × v2
    assert len(equivariants_of_degree(O(3).vectors(2), O(3).vector(), 2)) == 0         # not under reflections
    assert covariant_series(SO3().irrep(1) + SO3().irrep(1), SO3().irrep(1)).coefficients(4) == [0, 2, 1, 6]


@pytest.mark.parametrize("make,d", [
    (lambda: (weyl("B3"), weyl("B3")), 3),
    (lambda: (dihedral(5), dihedral(5)), 2),
    (lambda: (O3().irrep("1o") + O3().irrep("1e"), O3().irrep("1e")), 2),
    (lambda: (SU2().binary_forms(2), SU2().binary_forms(2)), 2),
])
def test_every_map_is_exactly_equivariant(make, d):
    from invariants.action import linear_action, lie_derivative
    from invariants.polynomials import PolynomialRing

    V, W = make()
    a, b = linear_action(V), linear_action(W)
    ring = PolynomialRing(a.field, a.dim)
    maps = equivariants_of_degree(V, W, d)
    assert len(maps) == covariant_series(V, W)[d]
    for f in maps:
        polys = [ring.from_sympy(c) for c in f]
        for gv, gw in zip(a.elements, b.elements):
            moved = [ring.substitute(p, gv) for p in polys]
            rows = gw.entries()
            expected = [sum((p * rows[i][j][0] for j, p in enumerate(polys)), ring.ctx.from_dict({})) for i in range(len(polys))]
            assert moved == expected
        for xv, xw in zip(a.lie_algebra, b.lie_algebra):
            moved = [lie_derivative(ring, p, xv) for p in polys]
            rows = xw.entries()
            expected = [sum((p * rows[i][j][0] for j, p in enumerate(polys)), ring.ctx.from_dict({})) for i in range(len(polys))]
            assert moved == expected


def _numerical_intertwiners(V, W) -> int:
    """EMLP's method: the null space of the stacked constraints A ρ_V(g) − ρ_W(g) A, by SVD."""
    from invariants.action import linear_action

    a, b = linear_action(V), linear_action(W)
    to_np = lambda m: np.array([[float(sympy.N(m.field.to_sympy(c))) for c in row] for row in m.entries()])
    n, w = a.dim, b.dim
    rows = []
    for gv, gw in list(zip(a.elements, b.elements)) + list(zip(a.lie_algebra, b.lie_algebra)):
        rows.append(np.kron(np.eye(w), to_np(gv).T) - np.kron(to_np(gw), np.eye(n)))
    if not rows:
        return n * w
    s = np.linalg.svd(np.vstack(rows), compute_uv=False)
    return int(np.sum(s < 1e-9)) + max(0, n * w - len(s))


PAIRS = [
    ("S4 natural", lambda: (symmetric(4), symmetric(4))),
    ("S4 natural -> Sym2", lambda: (symmetric(4), as_representation(symmetric(4)).sym(2))),
    ("D5", lambda: (dihedral(5), dihedral(5))),
    ("W(B3) -> Λ2", lambda: (weyl("B3"), as_representation(weyl("B3")).ext(2))),
    ("W(F4)", lambda: (weyl("F4"), weyl("F4"))),
    ("SO(3) 1 -> 1", lambda: (SO3().irrep(1), SO3().irrep(1))),
    ("SO(3) 1+1 -> 1", lambda: (SO3().irrep(1) + SO3().irrep(1), SO3().irrep(1))),
    ("SO(3) 1x1 -> 2", lambda: (SO3().irrep(1) * SO3().irrep(1), SO3().irrep(2))),
    ("O(3) 1o -> 1e", lambda: (O3().irrep("1o"), O3().irrep("1e"))),
    ("O(3) 1o x 1o -> 1e", lambda: (O3().irrep("1o") * O3().irrep("1o"), O3().irrep("1e"))),
    ("SU(2) spin 1 x spin 1 -> spin 1", lambda: (SU2().binary_forms(2) * SU2().binary_forms(2), SU2().binary_forms(2))),
]


@pytest.mark.parametrize("name,make", PAIRS, ids=[p[0] for p in PAIRS])
def test_intertwiners_match_numerical_null_space_and_characters(name, make):
    V, W = make()
    maps = equivariant_linear_maps(V, W)
    assert len(maps) == _numerical_intertwiners(V, W)
    assert len(maps) == covariant_series(V, W)[1]  # ⟨χ_V, χ_W⟩ from the (relative) Molien series


def test_mismatched_groups_are_refused():
    with pytest.raises(InputError):
        equivariants_of_degree(SO3().irrep(1), symmetric(3), 1)
    with pytest.raises(InputError):
        equivariants_of_degree(SO(3).vector(), SO(4).vector(), 1)


# -- the covariant module -------------------------------------------------------------------------
from invariants.covariants import covariant_module  # noqa: E402


@pytest.mark.parametrize("n", [3, 4])
def test_sn_module_is_free_in_degrees_zero_to_n_minus_one(n):
    M = covariant_module(symmetric(n), symmetric(n))
    assert M.free_basis_degrees == list(range(n)) and M.generator_degrees == list(range(n))
    assert M.certified
    x = sympy.symbols(f"x0:{n}")
    for k in range(n + 2):  # x ↦ (x_i^k) lies in the module, with invariant coefficients
        f = [v**k for v in x]
        q = M.express(f)
        rebuilt = [sympy.expand(sum(qj * g[i] for qj, g in zip(q, M.generators))) for i in range(n)]
        assert rebuilt == [sympy.expand(c) for c in f]
        assert all(sympy.expand(qj.xreplace(dict(zip(x, x[::-1]))) - qj) == 0 for qj in q)  # invariant coefficients


@pytest.mark.parametrize("name,degrees", [("B3", [1, 3, 5]), ("A3", [1, 2, 3])])
def test_reflection_group_vector_fields_are_gradients_of_basic_invariants(name, degrees):
    """Solomon: for a reflection group the equivariant vector fields are free, with the gradients
    of the basic invariants as a basis, of degrees d_i − 1."""
    G = weyl(name, "orthogonal") if name != "A3" else symmetric(4, "standard")
    M = covariant_module(G, G)
    assert M.free_basis_degrees == degrees and M.certified


def test_express_refuses_a_non_equivariant_map():
    M = covariant_module(symmetric(3), symmetric(3))
    x = sympy.symbols("x0:3")
    with pytest.raises(InputError):
        M.express([x[0], x[0], x[0]])


def test_compact_module_is_computed_but_not_claimed_certified():
    M = covariant_module(SO(3).vectors(2), SO(3).vector())
    assert M.generator_degrees == [1, 1, 2] and not M.certified  # v1, v2 and v1 × v2
