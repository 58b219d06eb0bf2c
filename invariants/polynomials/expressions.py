"""Rational polynomials as sympy expressions, built in sympy's canonical form directly.

sympy's evaluating constructors (`Mul`, `Add`) re-derive each new term's assumptions and re-sort
its factors: about 0.15 ms a term (the 2,554 terms of the minimal generators of a C6 in a
non-permutation basis took 0.57 s to convert, as long as computing them; now 0.05 s).
A polynomial with distinct monomials and rational coefficients needs none of that work: no two
terms combine and no factor absorbs another.  Its canonical form is known, so it is assembled
with `_from_args` in the order the evaluating constructors would sort into (`_args_sortkey`),
giving the same expression (equal, same hash, same `srepr`) about ten times faster.
"""
from __future__ import annotations

from typing import Sequence

import sympy
from flint import fmpq
from sympy.core.basic import _args_sortkey


def rational_polynomial(terms: dict[tuple[int, ...], fmpq], symbols: Sequence[sympy.Symbol]) -> sympy.Expr:
    """Σ c_m x^m for monomials m (exponent tuples) with non-zero rational coefficients c_m.

    Example:
        >>> from flint import fmpq
        >>> x, y = sympy.symbols("x y")
        >>> rational_polynomial({(2, 0): fmpq(1, 2), (1, 1): fmpq(-3)}, [x, y]) == x**2 / 2 - 3 * x * y
        True
    """
    if not terms or (0,) * len(symbols) in terms or not all(isinstance(s, sympy.Symbol) for s in symbols):
        # a constant goes first, as Add puts it; other generators than symbols may combine: the slow path
        return sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * sympy.Mul(*[s ** e for s, e in zip(symbols, m)])
                           for m, c in terms.items()])
    powers: dict[tuple[int, int], sympy.Expr] = {}
    out = []
    for mono, c in terms.items():
        factors = []
        for i, e in enumerate(mono):
            if e:
                if (i, e) not in powers:
                    powers[i, e] = symbols[i] if e == 1 else symbols[i] ** e
                factors.append(powers[i, e])
        factors.sort(key=_args_sortkey)
        if c != 1:
            factors.insert(0, sympy.Rational(int(c.p), int(c.q)))
        out.append(factors[0] if len(factors) == 1 else sympy.Mul._from_args(factors, True))
    out.sort(key=_args_sortkey)
    return out[0] if len(out) == 1 else sympy.Add._from_args(out, True)
