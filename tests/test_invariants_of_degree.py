"""invariants_of_degree: every basis polynomial is exactly invariant, the basis has the Molien
dimension, and the three methods span the same space."""
import pytest
import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

from invariants import (InputError, MatrixGroup, TooLargeError, cyclotomic_field, invariant_space, is_invariant,
                        invariants_of_degree, molien_series)
from invariants.catalogue import (binary_icosahedral, binary_tetrahedral, coxeter, cyclic, dihedral,
                                  quaternion_group, signed_permutations, symmetric, alternating)


def assert_exactly_invariant(space):
    ring = space.ring
    for p in space.flint:
        assert is_invariant(ring, p, space.representation), f"{ring.to_sympy(p)} is not invariant"
        for g in space.representation.images:  # the same, spelled out for the finite groups here
            assert ring.substitute(p, g) == p


def assert_independent(space):
    from invariants.polynomials.echelon import Echelon

    ech = Echelon(space.ring)
    assert all(ech.add(p) for p in space.flint)


def test_symmetric_group_degree_two():
    x0, x1, x2 = sympy.symbols("x0:3")
    assert invariants_of_degree(symmetric(3), 2) == [x0**2 + x1**2 + x2**2, x0*x1 + x0*x2 + x1*x2]


def test_klein_icosahedral_invariant_of_degree_12():
    space = invariant_space(binary_icosahedral(), 12)
    assert len(space) == 1
    assert_exactly_invariant(space)
    f = sympy.Poly(space.polynomials[0], *space.ring.symbols)
    # Klein's form has 12 distinct linear factors (the 12 vertices of the icosahedron)
    assert f.total_degree() == 12
    assert sympy.degree(sympy.gcd(f.as_expr(), sympy.diff(f.as_expr(), space.ring.symbols[0])), space.ring.symbols[0]) <= 0 \
        or sympy.discriminant(f.as_expr().subs(space.ring.symbols[1], 1), space.ring.symbols[0]) != 0


def test_methods_agree_on_h3():
    """power_sums (H3's default: orbit averages of powers of linear forms) and fixed_space (the
    kernel of g − 1 on S^d V) are different algorithms; the reduced echelon basis of each span is
    unique, so equal ``echelon`` lists are equal spans.  A third span, computed here: the
    Reynolds operator (the average over all 120 elements) applied to every monomial of degree 6."""
    from invariants.polynomials.ring import monomials

    G = coxeter("H3")
    for d, dim in ((2, 1), (4, 1), (6, 2)):  # basic degrees 2, 6, 10 (Humphreys, Table 3.1): q; q²; q³, f6
        power = invariant_space(G, d, method="power_sums")
        fixed = invariant_space(G, d, method="fixed_space")
        assert (power.method, fixed.method) == ("power_sums", "fixed_space")  # neither fell back to the other
        assert len(power) == len(fixed) == dim == molien_series(G)[d]
        assert power.echelon == fixed.echelon
        assert_exactly_invariant(power)
        assert_exactly_invariant(fixed)
    assert invariant_space(G, 6).method == "power_sums"  # the default is one of the two compared
    ring, elements = power.ring, list(G.elements())
    assert len(elements) == 120
    reynolds = []
    for m in monomials(3, 6):
        mono = ring.from_coefficients({m: ring.field.one})
        reynolds.append(ring.reduce(sum((ring.substitute(mono, g) for g in elements), ring.ctx.from_dict({}))))
    from invariants.polynomials.echelon import Echelon

    images = Echelon(ring)
    assert sum(images.add(q) for q in reynolds) == 2  # the Reynolds images span a plane ...
    both = Echelon(ring)
    assert all(both.add(q) for q in power.flint)
    assert not any(both.add(q) for q in reynolds)  # ... which is the plane both methods found


def test_orbit_sums_agree_with_fixed_space_on_a_complex_monomial_group():
    G = MatrixGroup([[["exp(2*pi*I/3)", 0], [0, "exp(4*pi*I/3)"]], [[0, 1], [1, 0]]], field=cyclotomic_field(3))
    for d in range(1, 7):
        a = invariant_space(G, d, method="orbit_sums")
        b = invariant_space(G, d, method="fixed_space")
        assert a.polynomials == b.polynomials
        assert len(a) == molien_series(G)[d]
        assert_exactly_invariant(a)


def test_guard_and_bad_arguments():
    with pytest.raises(TooLargeError, match="max_monomials"):
        invariant_space(coxeter("H3"), 6, method="fixed_space", max_monomials=10)
    with pytest.raises(InputError):
        invariant_space(symmetric(3), -1)
    with pytest.raises(InputError, match="monomial"):
        invariant_space(coxeter("H3"), 2, method="orbit_sums")


CATALOGUE = [
    lambda: cyclic(5), lambda: cyclic(6), lambda: dihedral(5), lambda: symmetric(4), lambda: alternating(4),
    lambda: signed_permutations(3), lambda: coxeter("A3"), lambda: coxeter("B3"), lambda: coxeter("G2"),
    lambda: coxeter("H3"), lambda: quaternion_group(), lambda: binary_tetrahedral(),
    lambda: cyclic(4, form="diagonal"), lambda: symmetric(4, form="standard"),
]
_CACHE = {}


def _group(i):
    if i not in _CACHE:
        _CACHE[i] = CATALOGUE[i]()
    return _CACHE[i]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(CATALOGUE) - 1), st.integers(0, 7))
def test_property_every_basis_polynomial_is_exactly_invariant(i, d):
    G = _group(i)
    space = invariant_space(G, d)
    assert len(space) == molien_series(G)[d]
    assert_exactly_invariant(space)
    assert_independent(space)


def test_modular_dimension_equals_molien_coefficients():
    from invariants.groups.finite.invariants import modular_invariant_dimension

    for G in (coxeter("H3"), binary_tetrahedral(), symmetric(4), cyclic(5)):
        H = molien_series(G)
        assert [modular_invariant_dimension(G, d) for d in range(7)] == H.coefficients(7)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(st.permutations(list(range(n))), min_size=1, max_size=3), st.integers(0, 5))))
def test_orbit_sums_on_arrays_equal_the_orbit_walk(data):
    """Permutation groups: the array computation of orbit sums (`_permutation_orbit_sums`) gives
    the same polynomials as the walk along generators, and the orbits partition the monomials."""
    from invariants.fields import QQ
    from invariants.groups.finite.invariants import _permutation_orbit_sums, _signed_orbit_sums
    from invariants.polynomials.ring import PolynomialRing, monomials

    perms, d = data
    n = len(perms[0])
    ring = PolynomialRing(QQ, n)
    fast = _permutation_orbit_sums(ring, perms, d)
    walk = _signed_orbit_sums(ring, [(p, [1] * n) for p in perms], d)
    assert sorted(map(str, fast)) == sorted(map(str, walk))
    terms = [m for p in fast for m in p.to_dict()]
    assert sorted(terms) == sorted(monomials(n, d)) and set(c for p in fast for c in p.to_dict().values()) <= {1}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=6, max_size=6), min_size=1, max_size=6),
       st.lists(st.integers(1, 4), min_size=6, max_size=6))
def test_rational_echelon_basis_is_the_incremental_one(rows, denominators):
    """Over QQ `echelon_basis` is one flint rref; its rows are the incremental `Echelon`'s (a
    reduced echelon form is unique), scaled alike, on dependent and rational inputs too."""
    from flint import fmpq

    from invariants.fields import QQ
    from invariants.polynomials.echelon import Echelon, primitive, echelon_basis
    from invariants.polynomials.ring import PolynomialRing, monomials

    ring = PolynomialRing(QQ, 3)
    monos = monomials(3, 2)
    polys = [ring.ctx.from_dict({m: fmpq(c, q) for m, c, q in zip(monos, row, denominators) if c})
             for row in rows]
    polys = [p for p in polys if p != 0]
    if polys:
        polys.append(polys[0] * 2 + polys[-1])   # a dependent one
    ech = Echelon(ring)
    for p in polys:
        ech.add(p)
    assert echelon_basis(ring, polys) == [primitive(p) for p in ech.basis()]


def test_power_sum_basis_in_another_basis_is_small_and_spans_the_fixed_space():
    """The C5 shift conjugated by a unimodular matrix (no basis invariant is an orbit sum): the
    default basis is the power sums as found, exactly invariant, spanning the space the fixed-space
    method finds (equal canonical forms), with far smaller coefficients than that canonical form."""
    shift = sympy.Matrix(5, 5, lambda i, j: int(j == (i + 1) % 5))
    P = sympy.Matrix([[1, 1, 0, 0, 0], [0, 1, -1, 0, 0], [0, 0, 1, 1, 0], [1, 0, 0, 1, 1], [0, 1, 0, 0, 1]])
    assert P.det() != 0
    G = MatrixGroup([P * shift * P.inv()])
    for d in (2, 3, 4):
        power = invariant_space(G, d)
        fixed = invariant_space(G, d, method="fixed_space")
        assert power.method == "power_sums" and len(power) == molien_series(G)[d]
        assert_exactly_invariant(power)
        assert power.echelon == fixed.echelon
        assert all(c.q == 1 for p in power.flint for c in p.to_dict().values())  # primitive integer polynomials
    digits = lambda polys: max(len(str(c)) for p in polys for c in p.to_dict().values())
    assert digits(power.flint) < digits(power.echelon)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(*[st.integers(0, 3)] * 12), st.tuples(st.integers(-5, 5), st.integers(1, 3)),
                       max_size=6))
def test_rational_polynomial_is_the_evaluated_expression(terms):
    """`rational_polynomial` assembles sympy's canonical form itself; it must be the expression the
    evaluating constructors give (equal, same hash and srepr), with 12 variables (x10 sorts before
    x2 by name), constants, unit and negative coefficients, single terms and zero."""
    from flint import fmpq

    from invariants.polynomials.expressions import rational_polynomial
    from invariants.polynomials.ring import default_symbols

    symbols = default_symbols(12)
    terms = {m: fmpq(c, q) for m, (c, q) in terms.items() if c}
    fast = rational_polynomial(terms, symbols)
    slow = sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * sympy.Mul(*[s ** e for s, e in zip(symbols, m)])
                       for m, c in terms.items()])
    assert fast == slow and hash(fast) == hash(slow) and sympy.srepr(fast) == sympy.srepr(slow)
