"""Finite groups over GF(q), q = p^k with k > 1 (#22 item 2): the field, orders and classes,
invariants by degree, Molien series by Brauer lift, invariant rings — against theorems (Dickson:
GL_n(F_q) has polynomial invariants of degrees q^n − q^i, 0 ≤ i < n; SL_n(F_q) of degrees
(q^n − 1)/(q − 1) and q^n − q^i, 1 ≤ i < n — Wilkerson, "A primer on the Dickson invariants",
Contemp. Math. 19 (1983), and Benson, "Polynomial invariants of finite groups", §8.1), against
dimensions by linear algebra, and against Singular's arithmetic in GF(q).
"""
from __future__ import annotations

import sys
from math import prod
from pathlib import Path

import pytest
import sympy

from invariants import MatrixGroup, invariant_ring, invariants_of_degree, is_invariant, molien_series
from invariants.errors import FieldError, FloatEntryError, ModularError, SingularMatrixError
from invariants.fields import FiniteField, PrimeField, parse_field
from invariants.groups.finite.brauer import brauer_exponents, finite_field_order

sys.path.insert(0, str(Path(__file__).parent))
from singular_oracle import _run, singular_available  # noqa: E402

needs_singular = pytest.mark.skipif(not singular_available(), reason="Singular is not installed")

# GL_2(F_q) = <diag(a, 1), transvection, swap> for a a primitive element (the Conway generator is one)
GL2_GENS = [[["a", 0], [0, 1]], [[1, 1], [0, 1]], [[0, 1], [1, 0]]]


def _sl2_gens(q: int) -> list:
    return [[["a", 0], [0, f"a^{q - 2}"]], [[1, 1], [0, 1]], [[0, 1], [-1, 0]]]


def _series(degrees: list[int], terms: int) -> list[int]:
    """Coefficients of ∏ 1/(1 − t^d): the Hilbert series of a polynomial ring."""
    t = sympy.Symbol("t")
    s = sympy.series(1 / prod(1 - t ** d for d in degrees), t, 0, terms).removeO()
    return [int(s.coeff(t, i)) for i in range(terms)]


# -- the field --------------------------------------------------------------------------------------
def test_field_by_name_elements_and_printing():
    K = parse_field("GF(9)")
    assert K == parse_field("GF(3^2)") == parse_field("GF(3**2)") == FiniteField(3, 2)
    assert (K.characteristic, K.degree, K.name) == (3, 2, "GF(9)")
    assert parse_field("GF(7)") == PrimeField(7) and isinstance(PrimeField(7), FiniteField)
    a = K.parse("a")
    # the Conway polynomial of GF(9) is x² + 2x + 2: a² = a + 1, and a generates GF(9)^×
    assert K.mul(a, a) == K.parse("a+1") and K.to_sympy(K.parse("a^2")) == sympy.Symbol("a") + 1
    assert [K.power(a, e) == K.one for e in (1, 2, 4, 8)] == [False, False, False, True]
    for text in ("a", "a+1", "2*a", "2*a + 2", "1/2"):
        x = K.parse(text)
        assert K.parse(str(K.to_sympy(x))) == x and K.mul(x, K.inv(x)) == K.one


@pytest.mark.parametrize("value, error, message", [
    ("b", FieldError, "polynomial in the generator a"),
    ("sqrt(2)", FieldError, "polynomial in the generator a"),
    (1.5, FloatEntryError, "floating-point"),
    ("1/3", FieldError, "denominator divisible by 3"),
])
def test_entries_not_in_the_field_are_refused(value, error, message):
    with pytest.raises(error, match=message):
        MatrixGroup([[[value, 0], [0, 1]]], field="GF(9)")


def test_bad_fields_and_singular_matrices_are_refused():
    with pytest.raises(SingularMatrixError, match="singular"):
        MatrixGroup([[["a", "a"], [1, 1]]], field="GF(4)")
    for name in ("GF(6)", "GF(4^2)", "GF(x)"):
        with pytest.raises(FieldError, match="prime"):
            parse_field(name)


# -- groups ---------------------------------------------------------------------------------------
def test_orders_classes_and_membership_over_gf4():
    SL = MatrixGroup(_sl2_gens(4), field="GF(4)")
    assert SL.order() == 60 and sorted(c.size for c in SL.conjugacy_classes()) == [1, 12, 12, 15, 20]  # A5
    assert sorted(c.order for c in SL.conjugacy_classes()) == [1, 2, 3, 5, 5]
    assert all(finite_field_order(c.representative) == c.order for c in SL.conjugacy_classes())
    GL = MatrixGroup(GL2_GENS, field="GF(4)")
    assert GL.order() == 180 and len(GL.conjugacy_classes()) == 4 ** 2 - 1  # GL_2(q) has q² − 1 classes
    assert [["a", 0], [0, 1]] in GL and [["a", 0], [0, 1]] not in SL and [[1, "a"], [0, 1]] in SL
    assert GL.is_modular and SL.is_modular


# -- non-modular: Brauer lift against linear algebra --------------------------------------------------
NON_MODULAR = [
    ("GF(4)", [[[0, "a"], [1, 1]]], 15),                                  # a Singer cycle of GL_2(F_4)
    ("GF(9)", [[["a", 0], [0, "a^3"]], [[0, 1], [1, 0]]], 16),
    ("GF(4)", [[["a", 0, 0], [0, "a+1", 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]]], 27),
    ("GF(9)", [[["a", 0, 0], [0, "a^3", 0], [0, 0, "a^2"]], [[0, 1, 0], [1, 0, 0], [0, 0, 1]]], 32),
]


@pytest.mark.parametrize("field, gens, order", NON_MODULAR)
def test_molien_series_by_brauer_lift_matches_the_kernel(field, gens, order):
    G = MatrixGroup(gens, field=field)
    assert G.order() == order and not G.is_modular
    dims = [len(invariants_of_degree(G, d)) for d in range(13)]
    assert molien_series(G).coefficients(13) == dims
    R = invariant_ring(G)  # the non-modular pipeline: Hironaka decomposition and minimal generators
    t = sympy.Symbol("t")
    hironaka = sympy.series(sum(t ** s for s in R.secondary_degrees) / prod(1 - t ** d for d in R.primary_degrees),
                            t, 0, 13).removeO()
    assert [int(hironaka.coeff(t, d)) for d in range(13)] == dims
    assert R.certificate.certified and all(is_invariant(R.ring, p, G) for p in R.generation.polys)


def test_three_dimensional_hsop_is_proven_over_the_prime_field():
    """n ≥ 3: the quotient proof needs a prime field; the primaries' forms over GF(p) (or Galois
    norms) are proven an hsop there (`MatrixGroup.hsop_proof`), and Cohen–Macaulayness (non-modular)
    gives ∏ d_i / |G| secondaries."""
    G = MatrixGroup(NON_MODULAR[3][1], field="GF(9)")
    R = invariant_ring(G)
    assert (R.primary_degrees, R.secondary_degrees) == ([4, 4, 8], [0, 4, 6, 6])
    assert len(R.secondary_degrees) == prod(R.primary_degrees) // G.order()
    assert "over GF(3)" in R.certificate.hsop_proof.method and R.certificate.certified


def test_brauer_eigenvalues_are_those_of_the_k_linear_map():
    """A Singer cycle of GL_2(F_4) has 2 eigenvalues λ, λ⁴ in GF(16) (not the 4 of its regular
    representation over GF(2)): exponents {e, 4e} mod 15 with e prime to 15."""
    g = MatrixGroup(NON_MODULAR[0][1], field="GF(4)").generators[0]
    e, f = brauer_exponents(g, 15, 15)
    assert sorted([e, f]) == sorted([e, 4 * e % 15]) and sympy.gcd(e, 15) == 1


def test_invariants_over_gf4_print_with_a_and_evaluate():
    G = MatrixGroup(NON_MODULAR[0][1], field="GF(4)")
    (f,) = invariants_of_degree(G, 6)
    a, x0, x1 = sympy.symbols("a x0 x1")
    assert f.coeff(x0, 4).coeff(x1, 2) == a + 1  # a coefficient outside GF(2), printed with a
    R = invariant_ring(G).ring
    p = R.from_sympy(f)
    assert R.evaluate(p, ["a", 1]) == R.evaluate(p, ["a", "a+1"])  # f(g·v) = f(v): g·(a, 1) = (a, a + 1)
    # a Singer cycle is transitive on the 15 non-zero vectors: f is 1 there (f(1, 0) = 1), 0 at 0
    assert R.evaluate(p, [1, "a"]) == R.evaluate(p, [1, 0]) == R.field.one and R.evaluate(p, [0, 0]) == R.field.zero


def test_modular_molien_series_is_refused():
    with pytest.raises(ModularError, match="invariants_of_degree"):
        molien_series(MatrixGroup(GL2_GENS, field="GF(4)"))


# -- modular: Dickson ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, q, degrees", [
    ("GL", 4, [12, 15]),   # q² − q, q² − 1
    ("SL", 4, [5, 12]),    # (q² − 1)/(q − 1), q² − q
    ("SL", 9, [10, 72]),
    ("GL", 9, [72, 80]),   # about 15 s: degree-80 invariants over GF(9)
])
def test_dickson_invariants(kind, q, degrees):
    G = MatrixGroup(GL2_GENS if kind == "GL" else _sl2_gens(q), field=f"GF({q})")
    assert G.order() == prod(degrees)  # |GL_2(q)| = (q² − 1)(q² − q), |SL_2(q)| = q(q² − 1)
    top = min(max(degrees) + 1, 21)
    assert [len(invariants_of_degree(G, d)) for d in range(top)] == _series(degrees, top)
    R = invariant_ring(G)
    assert R.generator_degrees == degrees and R.certificate.polynomial_ring
    assert all(is_invariant(R.ring, R.ring.from_sympy(g), G) for g in R.generators)


# -- Singular: the same field and the same invariants -------------------------------------------------
def _singular_lines(G) -> tuple[list[str], list[str]]:
    n = G.degree
    lines = [f"ring R = ({G.field.size},a), (x0, x1), dp;" if n == 2 else
             f"ring R = ({G.field.size},a), ({', '.join(f'x{i}' for i in range(n))}), dp;"]
    maps = []
    for i, g in enumerate(G.generators):
        images = [" + ".join(f"({str(c).replace('**', '^')})*x{j}" for j, c in enumerate(row)) for row in g.to_sympy().tolist()]
        lines.append(f"map g{i} = R, {', '.join(images)};")
        maps.append(f"g{i}")
    return lines, maps


@needs_singular
@pytest.mark.parametrize("field, gens", [("GF(4)", GL2_GENS), ("GF(9)", NON_MODULAR[1][1])])
def test_invariants_against_singular_arithmetic(field, gens):
    """Singular's GF(q) (Conway polynomials too) agrees on a's minimal polynomial, and finds our
    invariants of each degree invariant (finvar's own routines refuse GF(q) with a parameter:
    'coeff sum not yet implemented')."""
    G = MatrixGroup(gens, field=field)
    lines, maps = _singular_lines(G)
    lines.append('print("MINPOLY " + string(minpoly));')
    polys = [p for d in range(1, 13) for p in invariants_of_degree(G, d)]
    assert polys
    for i, p in enumerate(polys):
        text = str(sympy.expand(p)).replace("**", "^")
        lines.append(f"poly f{i} = {text};")
        lines += [f'if ({m}(f{i}) != f{i}) {{ print("MOVED {i}"); }}' for m in maps]
    lines.append('print("DONE");')
    out = _run(lines, 120)
    assert "DONE" in out and "MOVED" not in out, out[-2000:]
    minpoly = next(line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("MINPOLY "))
    K = G.field
    ours = sum(int(c) * sympy.Symbol("a") ** i for i, c in enumerate(K.minpoly.coeffs()))
    assert sympy.expand(sympy.sympify(minpoly.replace("^", "**")) - ours) == 0
