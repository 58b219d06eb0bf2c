"""Exact fields: parsing, arithmetic, embeddings, refusing floats."""
from fractions import Fraction

import pytest
import sympy
from flint import fmpq, fmpq_mat

from invariants import FieldError, FloatEntryError, QQ, PrimeField, cyclotomic_field, parse_field, quadratic_field
from invariants.fields import good_primes


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
    K = quadratic_field(5)
    v = K.to_acb(K.parse("(1+sqrt(5))/4"), 200)
    assert v.real.contains(sympy.N((1 + sympy.sqrt(5)) / 4, 50).__float__()) or abs(float(v.real) - 0.8090169943749475) < 1e-15


def test_prime_field_rank_and_bad_reduction():
    F = PrimeField(7)
    assert F.rank(fmpq_mat([[1, 2], [3, 6]])) == 1
    assert F.rank(fmpq_mat([[1, 0], [0, 7]])) == 1  # 7 ≡ 0: the rank drops mod p
    with pytest.raises(FieldError, match="denominator"):
        F.reduce_rational_matrix(fmpq_mat([[fmpq(1, 7)]]))
    with pytest.raises(FieldError):
        PrimeField(8)
    p = next(good_primes(2 * 3 * 5))
    assert p % 2 and p % 3 and p % 5
