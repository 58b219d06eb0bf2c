"""Isotypic decomposition: exact block form, multiplicities against characters, certified irreducibility."""
import pytest
import sympy

from invariants import MatrixGroup
from invariants.catalogue import coxeter, dihedral, quaternion_group, symmetric, weyl
from invariants.groups.compact import O3, SO, SO3, SU2
from invariants.covariants.covariants import equivariant_linear_maps
from invariants.covariants.isotypic import isotypic_decomposition
from invariants.groups.representation import as_representation


def _assert_block_form(V, d):
    """P⁻¹ V(g) P is block diagonal with every copy of an irreducible carrying the same block."""
    a = as_representation(V)
    for g in a.images + a.lie_algebra:
        b = d.blocks(g)
        expected = sympy.zeros(*b.shape)
        off = 0
        for comp in d.components:
            first = b[off:off + comp.irreducible_dim, off:off + comp.irreducible_dim]
            for _ in comp.copies:
                s = comp.irreducible_dim
                assert b[off:off + s, off:off + s] == first
                expected[off:off + s, off:off + s] = first
                off += s
        assert b == expected
    assert d.change_of_basis.shape == (a.dim, a.dim) and d.change_of_basis.det() != 0


def _multiplicities_from_characters(G, V):
    """⟨χ_V, χ_irr⟩ by summing over all group elements — independent of the decomposition."""
    rep = as_representation(V)
    elements = list(G.elements())
    return [sympy.Rational(sum(int(sympy.nsimplify(rep(g).to_sympy().trace())) * chi(g) for g in elements), len(elements))
            for chi in _s3_characters()]


def _s3_characters():
    # trivial, sign, standard — as functions of the permutation matrix of S3
    def perm_sign(g):
        return int(g.to_sympy().det())

    def fixed(g):
        return int(g.to_sympy().trace())
    return [lambda g: 1, perm_sign, lambda g: fixed(g) - 1]


def test_s3_on_the_third_tensor_power_of_its_permutation_representation():
    G = symmetric(3)
    r = as_representation(G)
    d = isotypic_decomposition(r * r * r)
    _assert_block_form(r * r * r, d)
    assert d.certified
    trivial, sign, standard = _multiplicities_from_characters(G, r * r * r)
    assert (trivial, sign, standard) == (5, 4, 9)
    # components are told apart by their characters on the generators
    chars = {c.character: c.multiplicity for c in d.components}
    assert chars[(1,) * len(G.generators)] == trivial
    assert chars[tuple(int(g.to_sympy().det()) for g in G.generators)] == sign
    assert [c.multiplicity for c in d.components if c.irreducible_dim == 2] == [standard]
    assert sum(c.dim for c in d.components) == 27


@pytest.mark.parametrize("name,make,expected", [
    ("SO(3) 1x1x1", lambda: SO3().irrep(1) * SO3().irrep(1) * SO3().irrep(1), {1: 1, 3: 3, 5: 2, 7: 1}),
    ("O(3) 1o x 1o", lambda: O3().irrep("1o") * O3().irrep("1o"), {1: 1, 3: 1, 5: 1}),
    ("SO(3) 3 vectors", lambda: SO(3).vectors(3), {3: 3}),
    ("SU(2) forms 2 x forms 2", lambda: SU2().binary_forms(2) * SU2().binary_forms(2), {1: 1, 3: 1, 5: 1}),
    ("W(B3) Sym2", lambda: as_representation(weyl("B3")).sym(2), {1: 1, 2: 1, 3: 1}),
    ("S4 on R4 ⊕ Λ2", lambda: as_representation(symmetric(4)) + as_representation(symmetric(4)).ext(2),
     {1: 1, 3: 3}),
])
def test_known_decompositions(name, make, expected):
    V = make()
    d = isotypic_decomposition(V)
    _assert_block_form(V, d)
    assert d.certified
    got: dict[int, int] = {}
    for c in d.components:
        got[c.irreducible_dim] = got.get(c.irreducible_dim, 0) + c.multiplicity
    assert got == expected


@pytest.mark.parametrize("make", [
    lambda: as_representation(symmetric(3)) * as_representation(symmetric(3)),
    lambda: SO3().irrep(1) * SO3().irrep(2),
    lambda: SO(2).vectors(3),
    lambda: quaternion_group_on_r4(),
    lambda: as_representation(weyl("A3")).sym(2),
])
def test_commutant_dimension_is_sum_of_squared_multiplicities_times_division_algebra(make):
    """dim End_G(V) = Σ m_i² · dim End_G(ρ_i): the decomposition against the intertwiner count."""
    V = make()
    d = isotypic_decomposition(V)
    assert d.certified
    assert sum(c.multiplicity ** 2 * c.endomorphism_dim for c in d.components) == len(equivariant_linear_maps(V, V))


def quaternion_group_on_r4():
    i = [[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]]
    j = [[0, 0, -1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, -1, 0, 0]]
    return MatrixGroup([i, j])


def test_quaternionic_and_complex_types_are_certified_irreducible():
    d = isotypic_decomposition(quaternion_group_on_r4())
    assert repr(d) == "1x4" and d.components[0].endomorphism_dim == 4 and d.certified
    d = isotypic_decomposition(SO(2).vector())
    assert repr(d) == "1x2" and d.components[0].endomorphism_dim == 2 and d.certified


@pytest.mark.parametrize("name,make,expected", [
    ("D5 Sym2", lambda: as_representation(dihedral(5)).sym(2), {1: 1, 2: 1}),
    ("H3 Sym2", lambda: as_representation(coxeter("H3")).sym(2), {1: 1, 5: 1}),
    ("H3 + H3", lambda: as_representation(coxeter("H3")) + as_representation(coxeter("H3")), {3: 2}),
    ("Q8 over QQ(i)", lambda: quaternion_group(), {2: 1}),
])
def test_representations_over_number_fields(name, make, expected):
    V = make()
    d = isotypic_decomposition(V)
    assert d.field.degree > 1 and d.certified
    _assert_block_form(V, d)
    assert {c.irreducible_dim: c.multiplicity for c in d.components} == expected
    assert all(c.endomorphism_dim == 1 for c in d.components)  # absolutely irreducible over K


def test_d5_characters_are_exact_algebraic_numbers():
    """Sym² of the rotation representation of D5 is 1 ⊕ (rotation by 4π/5): character 2cos(4π/5) on the rotation."""
    d = isotypic_decomposition(as_representation(dihedral(5)).sym(2))
    two = [c for c in d.components if c.irreducible_dim == 2][0]
    assert sympy.simplify(two.character[0] - 2 * sympy.cos(4 * sympy.pi / 5)) == 0


def test_decomposition_is_deterministic():
    V = SO3().irrep(1) * SO3().irrep(1)
    assert isotypic_decomposition(V).change_of_basis == isotypic_decomposition(V).change_of_basis


def test_copies_are_aligned_so_intertwiners_are_identities():
    """Between two copies of one irreducible, the identity of coordinates is equivariant."""
    V = SO(3).vectors(2)
    d = isotypic_decomposition(V)
    (comp,) = d.components
    a = as_representation(V)
    for g in a.images + a.lie_algebra:
        gs = g.to_sympy()
        c0, c1 = comp.copies
        # g acts on both copies by the same matrix in their bases
        assert c0.pinv() * gs * c0 == c1.pinv() * gs * c1
