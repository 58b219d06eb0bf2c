"""Equivariant maps and intertwiners: known answers, exact equivariance, and intertwiner
dimensions against a numerical null space (EMLP's method) and against the covariant series."""
import numpy as np
import pytest
import sympy

from invariants import InputError
from invariants.catalogue import dihedral, symmetric, weyl
from invariants.groups.compact import O3, SO, SO3, SU2, O
from invariants.covariants.covariants import covariant_series, equivariant_linear_maps, equivariants_of_degree
from invariants.groups.representation import as_representation


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
    x = sympy.symbols("x0:6")
    v1, v2 = sympy.Matrix(x[:3]), sympy.Matrix(x[3:])
    assert equivariants_of_degree(SO(3).vectors(2), SO(3).vector(), 1) == [list(v1), list(v2)]  # v1, v2
    (cross,) = equivariants_of_degree(SO(3).vectors(2), SO(3).vector(), 2)                      # v1 × v2
    assert [sympy.expand(c) for c in cross] in ([sympy.expand(c) for c in v1.cross(v2)],
                                                [sympy.expand(-c) for c in v1.cross(v2)])
    assert equivariants_of_degree(O(3).vectors(2), O(3).vector(), 2) == []  # v1 × v2 is not O(3)-equivariant
    assert covariant_series(SO3().irrep(1) + SO3().irrep(1), SO3().irrep(1)).coefficients(4) == [0, 2, 1, 6]


@pytest.mark.parametrize("make,d", [
    (lambda: (weyl("B3"), weyl("B3")), 3),
    (lambda: (dihedral(5), dihedral(5)), 2),
    (lambda: (O3().irrep("1o") + O3().irrep("1e"), O3().irrep("1e")), 2),
    (lambda: (SU2().binary_forms(2), SU2().binary_forms(2)), 2),
])
def test_every_map_is_exactly_equivariant(make, d):
    V, W = make()
    _assert_exact_basis(V, W, d)


def _assert_exact_basis(V, W, d):
    """The basis has the size the series predicts and each map is exactly equivariant."""
    from invariants.groups.action import is_equivariant
    from invariants.groups.base import common_field
    from invariants.polynomials.ring import PolynomialRing

    a, b = as_representation(V), as_representation(W)
    ring = PolynomialRing(common_field(a.field, b.field), a.dim)
    maps = equivariants_of_degree(V, W, d)
    assert len(maps) == covariant_series(V, W)[d]
    for f in maps:
        assert is_equivariant(ring, [ring.from_sympy(c) for c in f], a, b)


def _numerical_intertwiners(V, W) -> int:
    """EMLP's method: the null space of the stacked constraints A ρ_V(g) − ρ_W(g) A, by SVD."""
    a, b = as_representation(V), as_representation(W)
    to_np = lambda m: np.array([[float(sympy.N(m.field.to_sympy(c))) for c in row] for row in m.entries()])
    n, w = a.dim, b.dim
    rows = []
    for gv, gw in list(zip(a.images, b.images)) + list(zip(a.lie_algebra, b.lie_algebra)):
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
from invariants.covariants.covariants import covariant_module  # noqa: E402


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


def test_compact_modules_are_free_over_the_primaries_and_certified():
    M = covariant_module(SO(3).vectors(2), SO(3).vector())
    assert M.generator_degrees == [1, 1, 2] and M.certified  # v1, v2 and v1 × v2
    assert M.free_basis_degrees == [1, 1, 2]
    M = covariant_module(O(3).vectors(3), O(3).vector())
    assert M.free_basis_degrees == [1, 1, 1] and M.certified  # the vectors themselves, freely


def test_empty_module_binary_quartic_has_no_covariants_of_order_two():
    """The covariants of the binary quartic are f, H, T, i, j (orders 4, 4, 6, 0, 0): none of order 2."""
    M = covariant_module(SU2().binary_forms(4), SU2().binary_forms(2))
    assert M.generators == [] and M.certified and covariant_series(SU2().binary_forms(4), SU2().binary_forms(2)).coefficients(12) == [0] * 12


# -- known answers: GAP's relative series, the inertia tensor ---------------------------------------
def _sl23_lin_plus_deg3_and_lin():
    """SL(2,3) as the 24 unit Hurwitz quaternions (left multiplication on Q^4, generated by i and
    ω = (−1+i+j+k)/2); V = lin ⊕ deg3 and W = the other order-3 linear character, over Q(ζ3).
    deg3 is the conjugation action on the pure quaternions."""
    from invariants import Matrix, cyclotomic_field
    from invariants.groups.finite.group import MatrixGroup
    from invariants.groups.representation import Representation

    def left(q):
        a, b, c, d = q
        return [[a, -b, -c, -d], [b, a, -d, c], [c, d, a, -b], [d, -c, b, a]]

    h = sympy.Rational(1, 2)
    G = MatrixGroup([left((0, 1, 0, 0)), left((-h, h, h, h))])
    K = cyclotomic_field(3)
    z = sympy.exp(2 * sympy.pi * sympy.I / 3)
    i_image = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, -1, 0], [0, 0, 0, -1]]
    w_image = [[z, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0]]
    V = Representation(G, [Matrix.from_entries(m, K) for m in (i_image, w_image)])
    W = Representation(G, [Matrix.from_entries(m, K) for m in ([[1]], [[z**2]])])
    return G, V, W


def test_relative_series_of_sl23_matches_gap():
    """known_answers row 15: GAP ``MolienSeries(tbl, lin[1] + deg3, lin[2])`` for SL(2,3) is
    (2z²+z³−z⁴+z⁶)/((1−z³)²(1−z²)²) (GAP's tst/testinstall/ctblmoli.tst)."""
    G, V, W = _sl23_lin_plus_deg3_and_lin()
    assert G.order() == 24
    H = covariant_series(V, W)
    t = sympy.symbols("t")
    gap = (2 * t**2 + t**3 - t**4 + t**6) / ((1 - t**3) ** 2 * (1 - t**2) ** 2)
    expected = sympy.Poly(sympy.series(gap, t, 0, 13).removeO(), t).all_coeffs()[::-1]
    assert H.coefficients(13) == expected
    for d in range(4):  # the bases over Q(ζ3) are exact and of the right size
        _assert_exact_basis(V, W, d)


def test_inertia_tensor_is_a_combination_of_the_computed_generators():
    """emlp_tasks.md: I = Σ m_i (|r_i|² I₃ − r_i r_iᵀ), an O(3)-equivariant map (masses, vectors) →
    3×3 tensors; `express` writes it exactly over the module generators, with invariant coefficients."""
    from invariants import load_spec

    k = 2
    V = load_spec({"group": "O(3)", "irreps": ["0e"] * k + ["1o"] * k})
    W = O3().irrep("1o") * O3().irrep("1o")
    x = sympy.symbols(f"x0:{4 * k}")
    masses, r = x[:k], [sympy.Matrix(x[k + 3 * i:k + 3 * i + 3]) for i in range(k)]
    inertia = sum((masses[i] * ((r[i].T * r[i])[0] * sympy.eye(3) - r[i] * r[i].T) for i in range(k)), sympy.zeros(3))
    target = [sympy.expand(inertia[a, b]) for a in range(3) for b in range(3)]
    M = covariant_module(V, W, degree_bound=3)
    q = M.express(target)
    assert [sympy.expand(sum(qj * g[c] for qj, g in zip(q, M.generators))) for c in range(9)] == target
    assert sorted(q, key=str) == sorted([0] * (len(q) - k) + list(masses), key=str)  # I = Σ m_i · e_i
    assert not M.certified  # degree-bounded: not claimed complete


# -- property-based: random catalogue groups and representations ------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_FINITE = [lambda: as_representation(symmetric(3)), lambda: as_representation(weyl("B2")),
           lambda: as_representation(dihedral(4)), lambda: as_representation(weyl("A3"))]
_COMPACT = [lambda: SO3().irrep(1), lambda: SO3().irrep(2), lambda: O3().irrep("1o"), lambda: O3().irrep("1e"),
            lambda: SO(2).vector(), lambda: SU2().binary_forms(2)]


def _pick(draw, makers):
    base = draw(st.sampled_from(makers))()
    rep = base
    for _ in range(draw(st.integers(0, 1))):
        rep = rep + base
    return base, rep


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_random_equivariant_bases_are_exact(data):
    compact = data.draw(st.booleans())
    base, V = _pick(data.draw, _COMPACT if compact else _FINITE)
    W = data.draw(st.sampled_from([base, base * base if base.dim <= 3 else base]))
    d = data.draw(st.integers(0, 2))
    _assert_exact_basis(V, W, d)
    from invariants.groups.action import is_equivariant
    from invariants.groups.base import common_field
    from invariants.polynomials.ring import PolynomialRing

    a, b = as_representation(V), as_representation(W)
    ring = PolynomialRing(common_field(a.field, b.field), a.dim)
    for g in covariant_module(V, W, degree_bound=d).generators:  # the module generators too
        assert is_equivariant(ring, [ring.from_sympy(c) for c in g], a, b)


@pytest.mark.parametrize("V, W, degrees", [
    ("SO(3):3xv", "SO(3):v", [1, 1, 1, 2, 2, 2]),
    ("SO(3):2x1+1x0", "SO(3):1", [1, 1, 2]),
    ("O(3):3x1o", "O(3):1o", [1, 1, 1]),
    ("SO(4):3xv", "SO(4):v", [1, 1, 1, 3]),
    ("SO(2):2xv", "SO(2):v", [1, 1, 1, 1]),
])
def test_classical_vector_covariants_generate_every_map_up_to_degree_three(V, W, degrees):
    """The first fundamental theorem's generators (vectors, generalised cross products) are
    equivariant, have the degrees the computation finds without the theorem, and every
    equivariant map of degree <= 3 is an invariant combination of them."""
    from invariants.catalogue.spec import load_spec
    from invariants.groups.action import is_equivariant
    from invariants.polynomials.ring import PolynomialRing

    Vr, Wr = load_spec(V), load_spec(W)
    assert Vr.group.classical_covariants(Vr, Wr, PolynomialRing(Vr.field, Vr.dim)) is not None
    module = covariant_module(Vr, Wr, degree_bound=max(degrees))
    assert module.generator_degrees == degrees
    R = PolynomialRing(Vr.field, Vr.dim)
    assert all(is_equivariant(R, [R.from_sympy(c) for c in f], Vr, Wr) for f in module.generators)
    for d in range(4):
        for f in equivariants_of_degree(Vr, Wr, d):
            q = module.express(f)
            rebuilt = [sum((qj * g[i] for qj, g in zip(q, module.generators)), sympy.Integer(0)) for i in range(Wr.dim)]
            assert all(sympy.expand(a - b) == 0 for a, b in zip(rebuilt, f))
