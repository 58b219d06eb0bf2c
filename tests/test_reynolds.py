"""The Reynolds operator (issue #22 item 1): three exact routes that must agree, the projection's
defining properties (invariant image, idempotent, linear over the invariants), Haar averages known
in closed form, and Macaulay2's ``reynoldsOperator`` on groups in a non-orthogonal basis."""
from __future__ import annotations

import random

import pytest
import sympy

from invariants import (MatrixGroup, SO, SO3, InputError, MolienError, binary_icosahedral, complex_reflection, cyclic,
                        dihedral, invariants_of_degree, is_invariant, load_spec, molien_series, signed_permutations, symmetric,
                        weyl)
from invariants.polynomials.ring import PolynomialRing
from invariants.rings.reynolds import reynolds

from m2_oracle import m2_available, m2_reynolds


def _random_polynomial(n: int, degrees, rng: random.Random, terms: int = 4) -> sympy.Expr:
    x = sympy.symbols(f"x0:{n}")
    return sum(rng.randint(-5, 5) * sympy.Mul(*[x[rng.randrange(n)] for _ in range(rng.choice(degrees))])
               for _ in range(terms)) + rng.randint(-2, 2)


def _conjugated(G: MatrixGroup, rng: random.Random) -> MatrixGroup:
    """The same group in a random rational basis (no longer orthogonal nor monomial)."""
    n = G.degree
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        if P.det() != 0:
            break
    return MatrixGroup([(P * g.to_sympy() * P.inv()).tolist() for g in G.generators])


FINITE = {
    "S4 permutation": lambda: symmetric(4),
    "B3 signed permutations": lambda: signed_permutations(3),
    "C5 diagonal (Q(zeta5))": lambda: cyclic(5, "diagonal"),
    "G(3,1,2)": lambda: complex_reflection(3, 1, 2),
    "binary icosahedral (Q(sqrt5))": lambda: binary_icosahedral(),
    "W(A3) root basis": lambda: weyl("A3"),
    "D6 rotation": lambda: dihedral(6),
}


@pytest.mark.parametrize("name", FINITE)
def test_the_three_routes_agree_and_project(name):
    G = FINITE[name]()
    rng = random.Random(hash(name) % 1000)
    n = G.degree
    f = _random_polynomial(n, [2, 3, 4], rng)
    routes = {m: reynolds(G, f, method=m) for m in ("average", "projection")}
    if name in ("S4 permutation", "B3 signed permutations", "C5 diagonal (Q(zeta5))", "G(3,1,2)"):
        routes["orbits"] = reynolds(G, f, method="orbits")
    values = list(routes.values())
    assert all(sympy.expand(v - values[0]) == 0 for v in values[1:]), routes
    Rf = values[0]
    ring = PolynomialRing(G.field, n)
    assert is_invariant(ring, ring.from_sympy(Rf), G)
    assert sympy.expand(reynolds(G, Rf) - Rf) == 0  # idempotent
    # linear over the invariants: R(p f) = p R(f) for an invariant p
    lowest = next(d for d, c in enumerate(molien_series(G).coefficients(13)) if d and c)
    p = invariants_of_degree(G, lowest)[0]
    assert sympy.expand(reynolds(G, sympy.expand(p * f)) - sympy.expand(p * Rf)) == 0


@pytest.mark.parametrize("seed", range(4))
def test_random_groups_in_random_bases(seed):
    """A catalogue group conjugated by a random rational matrix: average and projection agree,
    the image is invariant, and every invariant is fixed."""
    rng = random.Random(seed)
    G = _conjugated([symmetric(3), dihedral(4), signed_permutations(2), weyl("G2")][seed], rng)
    f = _random_polynomial(G.degree, [1, 2, 3, 4], rng)
    a, b = reynolds(G, f, method="average"), reynolds(G, f, method="projection")
    assert sympy.expand(a - b) == 0
    for q in invariants_of_degree(G, 4):
        assert sympy.expand(reynolds(G, q) - q) == 0


def test_haar_averages_in_closed_form():
    """E[x^2] = |x|^2/n and E[x^4] = 3|x|^4/(n(n+2)) on the sphere; U(1) with weights ±1 keeps
    only the monomials of weight 0."""
    x = sympy.symbols("x0:3")
    r2 = x[0]**2 + x[1]**2 + x[2]**2
    V = SO(3).vector()
    assert sympy.expand(reynolds(V, x[0]**2) - r2 / 3) == 0
    assert sympy.expand(reynolds(V, x[0]**4) - r2**2 / 5) == 0
    assert sympy.expand(reynolds(V, x[0]*x[1])) == 0
    assert sympy.expand(reynolds(SO(2).vector(), "x0**4") - 3 * (x[0]**2 + x[1]**2)**2 / 8) == 0
    assert reynolds(load_spec("U(1):1,-1"), "x0*x1 + x0**2 + 5*x0**2*x1**2 + 7") == 5*x[0]**2*x[1]**2 + x[0]*x[1] + 7
    # O(3) kills the pseudoscalar det(v1, v2, v3), SO(3) keeps it
    det = sympy.Matrix(3, 3, sympy.symbols("x0:9")).det()
    assert sympy.expand(reynolds(load_spec("SO(3):1,1,1"), det) - det) == 0
    assert reynolds(load_spec("O(3):1o,1o,1o"), det) == 0


def test_compact_projection_is_invariant_and_idempotent():
    rng = random.Random(7)
    for spec in ["SO(3):2", "SU(2):2", "O(2):1+2", "U(1)^2:(1,0),(0,1),(-1,-1)"]:
        V = load_spec(spec)
        f = _random_polynomial(V.dim, [2, 3], rng, terms=6)
        Rf = reynolds(V, f)
        ring = PolynomialRing(V.field, V.dim)
        assert is_invariant(ring, ring.from_sympy(Rf), V)
        assert sympy.expand(reynolds(V, Rf) - Rf) == 0
    # the degree-3 invariant of SO(3) on traceless symmetric matrices is reached
    V = SO3().irrep(2)
    assert reynolds(V, invariants_of_degree(V, 3)[0]) == invariants_of_degree(V, 3)[0]


def test_bad_input():
    with pytest.raises(InputError, match="finite group"):
        reynolds(SO(2).vector(), "x0", method="average")
    with pytest.raises(InputError, match="monomial matrices"):
        reynolds(weyl("A2"), "x0", method="orbits")
    with pytest.raises(InputError, match="unknown method"):
        reynolds(symmetric(3), "x0", method="fast")
    with pytest.raises(InputError, match="not a polynomial"):
        reynolds(symmetric(3), "x0 + 1/x1")
    with pytest.raises(MolienError, match="unknown name"):
        reynolds(symmetric(3), "x0 + y")
    with pytest.raises(MolienError):
        reynolds(symmetric(3), "__import__('os').system('true')")


@pytest.mark.skipif(not m2_available(), reason="Macaulay2 not installed")
def test_against_macaulay2_reynolds_operator():
    rng = random.Random(3)
    for G in (_conjugated(symmetric(3), rng), _conjugated(dihedral(4), rng), signed_permutations(3)):
        f = _random_polynomial(G.degree, [2, 3, 4], rng)
        assert sympy.expand(reynolds(G, f) - m2_reynolds(G, f)) == 0
