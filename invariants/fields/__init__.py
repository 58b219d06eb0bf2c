"""Exact ground fields behind one interface: QQ and number fields (power-basis coefficient
vectors with a certified complex embedding), and GF(p) for proven modular shortcuts."""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "QQ": "numberfield", "NumberField": "numberfield", "quadratic_field": "numberfield", "cyclotomic_field": "numberfield", "number_field": "numberfield", "parse_field": "numberfield",
    "PrimeField": "finite", "good_primes": "finite",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
