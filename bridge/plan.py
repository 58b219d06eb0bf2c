"""An evaluation plan shared by a list of polynomials: monomials built incrementally, then one
contraction with the coefficient matrix.

Every monomial of degree k ≥ 2 is a monomial of degree k − 1 times one variable (the last one
in its support), so degree k is one gather and one multiply over all its monomials at once;
the missing intermediate monomials are added to the plan.  The polynomials are then the
product of the monomial table with a dense coefficient matrix (one BLAS call).  Exact
coefficients are kept as sympy numbers; the float matrix is derived from them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import sympy

from invariants.errors import InputError
from invariants.parse import as_expression
from invariants.polynomials.ring import check_expansion

Exponent = tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """Monomials level by level and the exact coefficient table.

    ``levels[k]`` lists, for the monomials of degree k + 2, (index of the parent monomial of
    degree k + 1 among that level's monomials, variable index); degree-1 monomials are the
    variables themselves.  ``coefficients[(i, j)]`` is the exact coefficient of monomial i
    (in the concatenated order: constant, degree 1, degree 2, …) in output j.
    """

    n_variables: int
    monomials: tuple[Exponent, ...]
    level_sizes: tuple[int, ...]
    parents: tuple[tuple[int, ...], ...]
    factors: tuple[tuple[int, ...], ...]
    coefficients: dict[tuple[int, int], sympy.Expr]
    n_outputs: int

    @property
    def degree(self) -> int:
        return len(self.level_sizes) - 1


def as_polynomials(polys: Any, variables: Sequence[sympy.Symbol] | None) -> tuple[list, list[sympy.Symbol], tuple[int, ...]]:
    """Flatten invariants (a list) or equivariant maps (a list of lists) to sympy Polys.

    Returns (list of Poly, variables, output shape)."""
    if hasattr(polys, "generators") and not isinstance(polys, (list, tuple)):
        polys = polys.generators
    elif hasattr(polys, "polynomials") and not isinstance(polys, (list, tuple)):
        polys = polys.polynomials
    polys = list(polys)
    if not polys:
        raise InputError("compile_polynomials needs at least one polynomial")
    nested = all(isinstance(p, (list, tuple)) for p in polys)
    if nested:
        widths = {len(p) for p in polys}
        if len(widths) != 1 or 0 in widths:
            raise InputError("equivariant maps must all have the same number (>= 1) of components")
        shape = (len(polys), widths.pop())
        flat = [c for p in polys for c in p]
    elif any(isinstance(p, (list, tuple)) for p in polys):
        raise InputError("mix of polynomials and lists: give a list of polynomials or a list of equivariant maps")
    else:
        shape = (len(polys),)
        flat = polys
    exprs = []
    names = None if variables is None else [str(v) for v in variables]
    for p in flat:
        if isinstance(p, float):
            raise InputError(f"the float {p!r} is not exact: give polynomials with exact coefficients")
        exprs.append(as_expression(p, names))  # strings parsed by molien's grammar, never evaluated
    if variables is None:
        symbols = set().union(*[e.free_symbols for e in exprs])
        variables = sorted(symbols, key=_natural_key)
    variables = list(variables)
    if not variables:
        raise InputError("the polynomials have no variables: pass variables=[...]")
    out = []
    index = {v: i for i, v in enumerate(variables)}
    for e in exprs:
        extra = e.free_symbols - set(variables)
        if extra:
            raise InputError(f"{e} uses {sorted(map(str, extra))}, which are not among the variables {variables}")
        terms = _expanded_terms(e, index)
        if terms is None:
            check_expansion(e)   # before sympy expands (x0 + … + x7)**30 into 10^7 terms
        try:
            poly = sympy.Poly(e, *variables) if terms is None else sympy.Poly.from_dict(terms, *variables)
        except sympy.PolynomialError as exc:
            raise InputError(f"{e} is not a polynomial in {variables}: {exc}") from None
        if any(c.has(sympy.Float) for c in poly.coeffs()):
            raise InputError(f"{e} has a floating-point coefficient: give exact numbers (e.g. 1/3 or sqrt(5))")
        for c in poly.coeffs():
            value = sympy.N(c, 30)
            if value.is_real and not math.isfinite(float(value)):
                raise InputError(f"the coefficient {sympy.sstr(c)[:40]} of {sympy.sstr(e)[:60]} does not fit in a float64 "
                                 "(|c| > 1.8e308): divide the polynomial by a power of 10 and rescale its output")
        out.append(poly)
    return out, variables, shape


def _expanded_terms(e: sympy.Expr, index: dict) -> dict | None:
    """The terms of an expanded polynomial (a sum of number × monomial, as the engine writes
    them), read off its tree; None for any other expression, which `sympy.Poly` then parses.
    Sparse and ~7x faster than sympy.Poly's expansion on the engine's generators."""
    terms: dict[tuple[int, ...], sympy.Expr] = {}
    for term in sympy.Add.make_args(e):
        coeff, rest = term.as_coeff_Mul()
        if not coeff.is_Rational:
            return None
        exponent = [0] * len(index)
        for factor in sympy.Mul.make_args(rest):
            base, power = factor.as_base_exp()
            if base not in index or not (power.is_Integer and power > 0):
                return None
            exponent[index[base]] += int(power)
        key = tuple(exponent)
        terms[key] = terms.get(key, 0) + coeff
    return {k: c for k, c in terms.items() if c != 0} or {(0,) * len(index): sympy.Integer(0)}


def _natural_key(s: sympy.Symbol):
    import re

    parts = re.split(r"(\d+)", s.name)
    return [int(p) if p.isdigit() else p for p in parts]


def _closure(polys: Sequence[sympy.Poly]) -> set[Exponent]:
    """The monomials of ``polys`` and every parent chain down to degree 1."""
    needed: set[Exponent] = set()
    for p in polys:
        needed.update(p.monoms())
    closure = set(needed)
    for e in needed:
        cur = e
        while sum(cur) > 1:
            i = max(j for j, a in enumerate(cur) if a)
            cur = cur[:i] + (cur[i] - 1,) + cur[i + 1:]
            if cur in closure:
                break
            closure.add(cur)
    return closure


def plan_size(polys: Sequence[sympy.Poly], n: int) -> tuple[int, int]:
    """(monomials, degree) of the plan `build_plan` would make, without its coefficient table
    (milliseconds where the plan takes ~0.5 s, e.g. W(E6))."""
    closure = _closure(polys)
    top = max(sum(e) for e in closure)
    return len({e for e in closure if sum(e) > 1}) + 1 + n, top


def build_plan(polys: Sequence[sympy.Poly], n: int) -> Plan:
    """The shared plan of monomial products and the coefficient table."""
    closure = _closure(polys)
    top = max(sum(e) for e in closure)
    by_degree: list[list[Exponent]] = [[] for _ in range(top + 1)]
    for e in closure:
        by_degree[sum(e)].append(e)
    by_degree[0] = [(0,) * n]
    by_degree[1] = [tuple(1 if j == i else 0 for j in range(n)) for i in range(n)]  # all variables, in order
    for k in range(2, top + 1):
        by_degree[k].sort()
    parents, factors = [], []
    for k in range(2, top + 1):
        index = {e: i for i, e in enumerate(by_degree[k - 1])}
        ps, fs = [], []
        for e in by_degree[k]:
            i = max(j for j, a in enumerate(e) if a)
            ps.append(index[e[:i] + (e[i] - 1,) + e[i + 1:]])
            fs.append(i)
        parents.append(tuple(ps))
        factors.append(tuple(fs))
    monomials = tuple(e for level in by_degree for e in level)
    position = {e: i for i, e in enumerate(monomials)}
    coefficients = {}
    for j, p in enumerate(polys):
        for e, c in p.terms():
            coefficients[(position[e], j)] = c
    return Plan(n, monomials, tuple(len(level) for level in by_degree), tuple(parents), tuple(factors),
                coefficients, len(polys))
