"""Exact fields: parsing, arithmetic, embeddings, refusing floats."""
from fractions import Fraction

import pytest
import sympy
from flint import fmpq, fmpq_mat

from invariants import (FieldError, FloatEntryError, Matrix, QQ, PrimeField, TooLargeError, cyclotomic_field, number_field,
                        parse_field, quadratic_field)
from invariants.fields import crt, crt_primes, primes_below, reductions
from invariants.parse import parse_number


def test_rationals_parse_from_every_exact_type():
    assert QQ.parse(3) == (fmpq(3),)
    assert QQ.parse(Fraction(2, 6)) == (fmpq(1, 3),)
    assert QQ.parse("-7/21") == (fmpq(-1, 3),)
    assert QQ.parse(sympy.Rational(5, 4)) == (fmpq(5, 4),)


def test_floats_are_refused_unless_a_tolerance_is_given():
    with pytest.raises(FloatEntryError, match="tolerance"):
        QQ.parse(0.5)
    with pytest.raises(FloatEntryError):
        QQ.parse("0.25")
    assert QQ.parse(0.333333333, tolerance=1e-6) == (fmpq(1, 3),)
    K = quadratic_field(5)
    assert K.parse(0.8090169943749475, tolerance=1e-9) == K.parse("(1+sqrt(5))/4")


def test_quadratic_field_arithmetic_is_exact():
    K = quadratic_field(5)
    phi = K.parse("(1+sqrt(5))/2")
    # φ² = φ + 1
    assert K.mul(phi, phi) == K.add(phi, K.one)
    assert K.mul(phi, K.inv(phi)) == K.one
    assert K.sign(K.parse("2-sqrt(5)")) == -1 and K.sign(phi) == 1
    assert K.to_sympy(phi) == sympy.Rational(1, 2) + sympy.sqrt(5) / 2


def test_cyclotomic_fields_and_names():
    Z5 = cyclotomic_field(5)
    assert Z5.degree == 4 and not Z5.is_real
    z = Z5.parse("exp(2*pi*I/5)")
    # 1 + ζ + ζ² + ζ³ + ζ⁴ = 0
    total = Z5.zero
    p = Z5.one
    for _ in range(5):
        total = Z5.add(total, p)
        p = Z5.mul(p, z)
    assert Z5.is_zero(total)
    # sqrt(5) = ζ - ζ² - ζ³ + ζ⁴ lies in Q(ζ_5)
    assert Z5.to_sympy(Z5.parse("sqrt(5)")).equals(sympy.sqrt(5))
    assert cyclotomic_field(4) == parse_field("QQ(i)")
    assert cyclotomic_field(6) == cyclotomic_field(3)
    assert parse_field("QQ(zeta_7)").degree == 6
    assert parse_field("QQ(sqrt(5))") == quadratic_field(5)


def test_entries_outside_the_field_are_refused():
    with pytest.raises(FieldError, match="not rational"):
        QQ.parse("sqrt(2)")
    with pytest.raises(FieldError, match="does not lie"):
        quadratic_field(5).parse("sqrt(2)")
    with pytest.raises(FieldError):
        parse_field("RR")


def test_embedding_balls_contain_the_true_values():
    from flint import arb

    K = quadratic_field(5)
    v = K.to_acb(K.parse("(1+sqrt(5))/4"), 200)
    exact = arb(str(sympy.N((1 + sympy.sqrt(5)) / 4, 70)))  # 70 digits: far inside a 200-bit ball
    assert v.real.overlaps(exact) and v.imag == 0 and v.real.rad() < 1e-50


@pytest.mark.parametrize("generator, degree, real", [
    ("2**(1/3)", 3, True), ("(-2)**(1/3)", 3, False), ("sqrt(2) + sqrt(3)", 4, True),
    ("exp(2*pi*I/7)", 6, False), ("cos(2*pi/7)", 3, True), ("1 - sqrt(2)", 2, True)])
def test_the_embedding_is_the_root_the_generator_names(generator, degree, real):
    """The generator's value is certified to lie in the one root ball the field keeps (the
    principal branch for radicals, as sympy means them), with no float deciding between roots."""
    from invariants.fields.numberfield import ball

    K = number_field(generator)
    assert K.degree == degree and K.is_real == real
    alpha = K.root(256)
    assert alpha.overlaps(ball(parse_number(generator), 256))
    others = [r for r, _ in K._integral_minpoly().complex_roots() if not r.overlaps(alpha)]
    assert len(others) == degree - 1


def test_large_fields_are_refused_with_the_knob():
    with pytest.raises(TooLargeError, match="max_degree"):
        cyclotomic_field(1000003)
    with pytest.raises(TooLargeError, match="max_degree"):
        number_field("2**(1/1000)")
    assert cyclotomic_field(1000003 // 1000003 * 11).degree == 10


def test_prime_fields_share_the_field_interface():
    F = PrimeField(7)
    a, b = F.parse("3/2"), F.parse(4)
    assert F.mul(a, F.parse(2)) == F.parse(3) and F.mul(a, F.inv(a)) == F.one
    assert F.add(b, F.parse(3)) == F.zero and F.characteristic == 7
    assert F.reduce_rational_matrix(fmpq_mat([[1, 2], [3, 6]])).rank() == 1
    assert F.reduce_rational_matrix(fmpq_mat([[1, 0], [0, 7]])).rank() == 1  # 7 ≡ 0: the rank drops mod p
    with pytest.raises(FieldError, match="denominator"):
        F.reduce_rational_matrix(fmpq_mat([[fmpq(1, 7)]]))
    with pytest.raises(FieldError, match="denominator"):
        F.parse("1/14")
    with pytest.raises(FieldError):
        PrimeField(8)
    m = Matrix.from_entries([[1, 2], [3, 4]], field=F)
    assert (m @ m.inverse()).is_identity() and m.rank() == 2 and Matrix.from_entries([[1, 2], [2, 4]], field=F).rank() == 1


def test_primes_and_reductions_are_chosen_in_one_place():
    p = next(primes_below(2**31, avoid=2 * 3 * 5))
    assert p == 2**31 - 1
    K = quadratic_field(-1)
    red = next(reductions(K, below=100))
    assert red.p % 4 == 1 and (red.root ** 2 + 1) % red.p == 0
    assert red.element(K.parse("I")) == red.root
    with pytest.raises(ZeroDivisionError, match=f"{red.p} divides a denominator"):
        red.element(K.parse(f"1/{red.p}"))
    assert crt([2, 3], [5, 7]) == 17 and len(crt_primes(2**130)) == 3


def test_kernels_over_a_number_field_are_bases_over_the_field():
    K = quadratic_field(5)
    m = Matrix.from_entries([["1", "sqrt(5)", "0"], ["sqrt(5)", "5", "0"]], field=K)  # rank 1 over K
    ker = m.kernel()
    assert m.rank() == 1 and ker.shape == (3, 2) and ker.rank() == 2
    assert all(x == 0 for x in (m @ ker).q.entries())


@pytest.mark.parametrize("m", [5, 7, 9, 15, 16, 24, 60, 120, 600])
def test_real_cyclotomic_field_is_q_of_cos_2pi_over_m(m):
    """Q(cos 2π/m) has degree φ(m)/2 and its generator is a root of its minimal polynomial (checked
    in ball arithmetic); sympy's radicals for cos(π/60) once bounded it by 262,144 and refused
    dihedral(120)."""
    from flint import arb, ctx
    from invariants.fields import real_cyclotomic_field
    F = real_cyclotomic_field(m)
    assert F.degree == int(sympy.totient(m)) // 2
    old, ctx.prec = ctx.prec, 1000
    try:
        c = (2 * arb.pi() / m).cos()
        value = sum((c ** i * arb(q.p) / q.q for i, q in enumerate(F.minpoly.coeffs())), arb(0))
        assert value.contains(0) and value.rad() < 1e-100
    finally:
        ctx.prec = old
    if m in (7, 9, 15, 16, 24):   # sympy keeps these cosines unevaluated: the old route agrees
        assert number_field(sympy.cos(2 * sympy.pi / m)).minpoly == F.minpoly


def test_power_sums_over_a_number_field_match_powering_polynomials():
    import random
    from invariants.fields import real_cyclotomic_field
    from invariants.polynomials.ring import PolynomialRing
    rng = random.Random(3)
    for F in (quadratic_field(5), real_cyclotomic_field(7), real_cyclotomic_field(60)):
        for n, d in ((1, 3), (2, 7), (3, 5), (4, 4)):
            R = PolynomialRing(F, n)
            forms = [[tuple(fmpq(rng.randint(-3, 3), rng.randint(1, 3)) if rng.random() < 0.8 else fmpq(0)
                            for _ in range(F.degree)) for _ in range(n)] for _ in range(4)]
            slow = R.reduce(sum((R.power(R.linear_form(c), d) for c in forms), R.ctx.from_dict({})))
            assert R.power_sum(forms, d) == slow


def test_cosines_sympy_writes_in_nested_radicals_stay_exact_generators():
    """cos(pi/60) from text stays cos(pi/60) (sympy's nested radicals once bounded its degree by
    2^18 and refused it); the field is Q(cos 2pi/120), and a user-built dihedral group of order 120
    in it has the Molien series of the catalogue's."""
    from invariants import MatrixGroup, molien_series
    from invariants.fields import real_cyclotomic_field
    from invariants.parse import parse_number
    assert parse_number("cos(pi/60)") == sympy.cos(sympy.pi / 60, evaluate=False)
    assert parse_number("cos(pi/5)") == (1 + sympy.sqrt(5)) / 4        # plain radicals are kept
    F = number_field("cos(pi/60)")
    assert F.degree == 16 and F.minpoly == real_cyclotomic_field(120).minpoly
    assert number_field("sin(pi/60)").minpoly == F.minpoly            # sin(pi/60) = cos(29 pi/60)
    assert F.parse("cos(pi/30)") == (fmpq(-1), fmpq(0), fmpq(2)) + (fmpq(0),) * 13
    G = MatrixGroup([[["cos(pi/30)", "-sin(pi/30)"], ["sin(pi/30)", "cos(pi/30)"]], [[1, 0], [0, -1]]],
                    field="QQ(cos(pi/60))")
    from invariants.series.hilbert import HilbertSeries
    assert G.order() == 120
    assert molien_series(G) == HilbertSeries.from_degrees([2, 60])
