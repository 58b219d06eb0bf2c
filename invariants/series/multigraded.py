"""Multigraded Molien series of a finite group acting on V = V_1 ⊕ … ⊕ V_k:

    Σ_d dim K[V]^G_{d_1…d_k} t_1^{d_1}…t_k^{d_k} = 1/|G| Σ_g ∏_b 1/det(1 − t_b g|V_b).

Each class contributes ∏_b ∏_j (Σ_{l<m} ζ_m^{e_bj l} t_b^l) / ∏_b (1 − t_b^m)^{n_b}, a numerator in
Z[C_m][t_1…t_k]; as in the one-variable series (`invariants.groups.finite.molien`) the whole sum is
rational and Galois-stable, so ζ_m^r is replaced by its Galois average.  The denominator is a
product of one-variable polynomials D_b(t_b), which makes coefficients cheap to read off.
"""
from __future__ import annotations

from itertools import product
from math import lcm
from typing import Any, Sequence

import numpy as np
import sympy
from flint import fmpz_poly

from invariants.errors import InputError
from invariants.groups.finite.eigen import eigen_exponents
from invariants.groups.finite.permgroup import DEFAULT_MAX_ELEMENTS
from invariants.groups.representation import as_representation
from invariants.series.characters import lcm_of_powers
from invariants.series.galois import ramanujan_average
from invariants.series.hilbert import HilbertSeries


class MultigradedSeries:
    """N(t_1…t_k) / ∏_b D_b(t_b): a power series in k variables with integer coefficients.

    Example:
        >>> from invariants.catalogue import cyclic
        >>> H = multigraded_molien_series(cyclic(2, form="diagonal"), cyclic(2, form="diagonal"))
        >>> H.coefficient((1, 1)), H.diagonal()
        (1, (1 + t^2)/(1 - t^2)^2)
    """

    __slots__ = ("numerator", "denominators")

    def __init__(self, numerator: dict[tuple[int, ...], int], denominators: Sequence[fmpz_poly]):
        self.numerator = {d: c for d, c in numerator.items() if c}
        self.denominators = tuple(denominators)

    @property
    def nvars(self) -> int:
        return len(self.denominators)

    def coefficient(self, degrees: Sequence[int]) -> int:
        """dim K[V]^G in multidegree ``degrees``."""
        degrees = tuple(int(d) for d in degrees)
        if len(degrees) != self.nvars or min(degrees, default=0) < 0:
            raise InputError(f"give {self.nvars} non-negative degrees, one per summand, got {degrees}")
        inverses = [HilbertSeries(fmpz_poly([1]), den).coefficients(d + 1) for den, d in zip(self.denominators, degrees)]
        total = 0
        for mono, c in self.numerator.items():
            if all(a <= d for a, d in zip(mono, degrees)):
                term = c
                for inv, a, d in zip(inverses, mono, degrees):
                    term *= inv[d - a]
                total += term
        return total

    def coefficients(self, bound: int) -> dict[tuple[int, ...], int]:
        """{multidegree: dimension} for every multidegree with all d_b < bound."""
        return {d: self.coefficient(d) for d in product(range(bound), repeat=self.nvars)}

    def diagonal(self) -> HilbertSeries:
        """The series with every t_b = t: the ordinary Molien series of V."""
        num = fmpz_poly([0])
        for mono, c in self.numerator.items():
            num += fmpz_poly([0] * sum(mono) + [c])
        den = fmpz_poly([1])
        for d in self.denominators:
            den *= d
        return HilbertSeries(num, den)

    def symbols(self) -> list[sympy.Symbol]:
        return list(sympy.symbols(f"t1:{self.nvars + 1}"))

    def to_sympy(self, symbols: Sequence[sympy.Symbol] | None = None) -> sympy.Expr:
        """The rational function in t1…tk over a denominator ∏_b ∏ (1 − t_b^d)."""
        ts = list(symbols) if symbols is not None else self.symbols()
        num = sympy.Add(*[c * sympy.Mul(*[t**a for t, a in zip(ts, mono)]) for mono, c in self.numerator.items()])
        den = []
        for t, d in zip(ts, self.denominators):
            extra, degrees = HilbertSeries(fmpz_poly([1]), d).form()  # 1/D_b = extra / ∏(1 − t_b^d)
            num *= sympy.Add(*[c * t**i for i, c in enumerate(extra)])
            den += [1 - t**e for e in degrees]
        return sympy.expand(num) / sympy.Mul(*den)

    def __repr__(self) -> str:
        return str(self.to_sympy())


def multigraded_molien_series(*summands: Any, max_elements: int = DEFAULT_MAX_ELEMENTS) -> MultigradedSeries:
    """The multigraded Molien series of a finite group on V_1 ⊕ … ⊕ V_k, one variable t_b per
    summand.  Give the summands (representations of one finite group, or groups acting by their
    natural representation), or a single sum (its top-level summands become the V_b).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> V = symmetric(3).natural()
        >>> H = multigraded_molien_series(V, V)       # polarised invariants of two points of R^3
        >>> [H.coefficient((a, 3 - a)) for a in range(4)]
        [3, 4, 4, 3]
    """
    reps = [as_representation(s) for s in summands]
    if not reps:
        raise InputError("give at least one representation")
    if len(reps) == 1:
        blocks = [(a, b) for a, b, _ in reps[0].summands()]
        total = reps[0]
    else:
        total = reps[0]
        for r in reps[1:]:
            total = total + r
        starts = np.cumsum([0] + [r.dim for r in reps])
        blocks = list(zip(starts[:-1].tolist(), starts[1:].tolist()))
    image = total.image_group
    sizes = [b - a for a, b in blocks]
    by_order: dict[int, tuple[int, np.ndarray]] = {}
    classes = image.conjugacy_classes(max_elements=max_elements)
    exponent = lcm(*[c.order for c in classes])  # one Brauer lift for the whole group over GF(p)
    for cls in classes:
        g, m = cls.representative, cls.order
        exps = [eigen_exponents(g.diagonal_block(a, b - a), m, exponent) for a, b in blocks]
        scale, term = _averaged_numerator(exps, m)
        previous = by_order.get(m, (scale, 0))[1]
        by_order[m] = (scale, previous + term * cls.size)
    dens = [lcm_of_powers(list(by_order), n) for n in sizes]
    common = lcm(*[scale for scale, _ in by_order.values()]) * image.order()
    total_num: dict[tuple[int, ...], int] = {}
    for m, (scale, term) in by_order.items():
        cofactors = [fmpz_poly(den) // fmpz_poly([1] + [0] * (m - 1) + [-1]) ** n for den, n in zip(dens, sizes)]
        for mono, c in _times_polys(term, cofactors).items():
            total_num[mono] = total_num.get(mono, 0) + c * (common // (scale * image.order()))
    numerator = {}
    for mono, c in total_num.items():
        if c % common:  # pragma: no cover - the class sum of a group is integral
            raise InputError("the class sum has a non-integral coefficient: the summands are not of one finite group")
        numerator[mono] = c // common
    return MultigradedSeries(numerator, dens)


def _averaged_numerator(exps: Sequence[Sequence[int]], m: int) -> tuple[int, np.ndarray]:
    """(L, L × ∏_b ∏_j Σ_{l<m} ζ_m^{e l} t_b^l) with ζ_m^r Galois-averaged: an integer array
    indexed by t-degrees, and the integer L that clears the averages' denominators.

    Each block is expanded on its own in Z[C_m][t_b]; the blocks are then joined by cyclic
    convolution in C_m, which costs far less than expanding in all variables at once."""
    dtype = np.int64 if m ** (sum(len(b) for b in exps) + 2) < 2**62 else object
    acc = None
    for block in exps:
        poly = np.zeros((len(block) * (m - 1) + 1, m), dtype=dtype)
        poly[0, 0] = 1
        for e in block:
            # shifting along t_b never wraps: the array already has room for the full degree
            poly = sum(np.roll(np.roll(poly, l, axis=0), (e * l) % m, axis=1) for l in range(m))
        if acc is None:
            acc = poly
            continue
        shifted = np.stack([np.roll(poly, s, axis=1) for s in range(m)])  # [s, j, r] = poly[j, r - s]
        acc = np.tensordot(acc, shifted, axes=([-1], [0]))
    averages = [ramanujan_average(r, m) for r in range(m)]
    scale = lcm(*[a.denominator for a in averages])
    weights = np.array([int(a * scale) for a in averages], dtype=dtype)
    return scale, np.tensordot(acc, weights, axes=([-1], [0])).astype(object)


def _times_polys(arr: np.ndarray, polys: Sequence[fmpz_poly]) -> dict[tuple[int, ...], int]:
    """arr (coefficients of a polynomial in t_1…t_k) times ∏_b polys[b](t_b), as {monomial: coefficient};
    each axis is multiplied fibre by fibre in flint."""
    for axis, p in enumerate(polys):
        moved = np.moveaxis(arr, axis, -1)
        out = np.zeros(moved.shape[:-1] + (moved.shape[-1] + p.degree(),), dtype=object)
        out[...] = 0
        for idx in np.ndindex(*moved.shape[:-1]):
            coeffs = (fmpz_poly([int(x) for x in moved[idx]]) * p).coeffs()
            out[idx][:len(coeffs)] = [int(c) for c in coeffs]
        arr = np.moveaxis(out, -1, axis)
    return {tuple(int(i) for i in idx): int(arr[idx]) for idx in zip(*np.nonzero(arr != 0))}
