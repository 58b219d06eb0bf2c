"""Exact ground fields behind one interface: QQ and number fields (power-basis coefficient
vectors with a certified complex embedding), and GF(p) for proven modular shortcuts."""
from .numberfield import (QQ, NumberField, cyclotomic_field, number_field, parse_field,
                          quadratic_field)
from .finite import PrimeField, good_primes

__all__ = ["QQ", "NumberField", "quadratic_field", "cyclotomic_field", "number_field",
           "parse_field", "PrimeField", "good_primes"]
