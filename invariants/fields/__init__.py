"""Exact ground fields behind one interface (`Field`): QQ and number fields (power-basis
coordinates with a certified complex embedding), GF(p) and GF(p^k); modular images (`Reduction`) and the
choice of primes (`primes`)."""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "Field": "base", "Reduction": "base",
    "QQ": "numberfield", "NumberField": "numberfield", "quadratic_field": "numberfield",
    "cyclotomic_field": "numberfield", "real_cyclotomic_field": "numberfield", "number_field": "numberfield", "parse_field": "numberfield",
    "PrimeField": "finite", "FiniteField": "finite", "finite_field": "finite",
    "primes_below": "primes", "reductions": "primes", "crt_primes": "primes", "crt": "primes",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
