"""Exact Hilbert / Molien series: rational functions with integer power-series coefficients."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import sympy
from flint import fmpq, fmpq_poly, fmpz_poly

from invariants.errors import InputError, TooLargeError

T = sympy.Symbol("t")
MAX_SERIES_TERMS = 1_000_000   # coefficients one call may expand (a Python recurrence on big integers)


def _one_minus_t_pow(d: int) -> fmpz_poly:
    return fmpz_poly([1] + [0] * (d - 1) + [-1]) if d > 0 else fmpz_poly([1])


class HilbertSeries:
    """A power series Σ a_d t^d with a_d ∈ Z, held as a reduced fraction N(t)/D(t), D(0) = 1.

    The reduced form is unique (Fatou: integer coefficients force N, D ∈ Z[t]).  `form()`
    rewrites it over a denominator ∏(1 − t^d) when one exists.

    Example:
        >>> H = HilbertSeries.from_degrees([2, 3])
        >>> H.coefficients(7)
        [1, 0, 1, 1, 1, 1, 2]
        >>> H
        1/((1 - t^2)(1 - t^3))
    """

    __slots__ = ("numerator", "denominator", "_form", "_coeffs")
    _SEARCH_LIMIT = 200_000

    def __init__(self, numerator: fmpq_poly | fmpz_poly | Sequence[int], denominator: fmpq_poly | fmpz_poly | Sequence[int]):
        num = fmpq_poly(list(numerator)) if not isinstance(numerator, (fmpq_poly, fmpz_poly)) else fmpq_poly(numerator)
        den = fmpq_poly(list(denominator)) if not isinstance(denominator, (fmpq_poly, fmpz_poly)) else fmpq_poly(denominator)
        if den == 0 or den[0] == 0:
            raise InputError("a Hilbert series needs a denominator with non-zero constant term")
        g = num.gcd(den)
        if g.degree() > 0:
            num, den = num / g, den / g  # exact division
            num, den = fmpq_poly(num), fmpq_poly(den)
        c = den[0]
        num, den = num / c, den / c
        if num.denom() != 1 or den.denom() != 1:
            raise InputError("the series does not have integer coefficients (Fatou): not a Hilbert series")
        self.numerator = fmpz_poly([int(x) for x in num.coeffs()]) if num != 0 else fmpz_poly([])
        self.denominator = fmpz_poly([int(x) for x in den.coeffs()])
        self._form: tuple[fmpz_poly, list[int]] | None = None
        self._coeffs: list[int] = []

    @classmethod
    def from_degrees(cls, degrees: Iterable[int], numerator: Sequence[int] = (1,)) -> "HilbertSeries":
        """numerator / ∏(1 − t^d)."""
        degrees = sorted(int(d) for d in degrees)
        den = fmpz_poly([1])
        for d in degrees:
            den *= _one_minus_t_pow(d)
        series = cls(fmpz_poly(list(numerator)), den)
        if list(numerator) == [1]:  # ∏(1 − t^d) fixes the d (Möbius inversion of its cyclotomic
            series._form = tuple(degrees)  # exponents): no factoring of a degree-5050 denominator for S_100
        return series

    # -- values -----------------------------------------------------------------
    def coefficients(self, n: int) -> list[int]:
        """The first n coefficients a_0 … a_{n-1}."""
        if n > MAX_SERIES_TERMS:
            raise TooLargeError(f"{n:,} coefficients of a series are above MAX_SERIES_TERMS = {MAX_SERIES_TERMS:,} "
                                "(each a big integer, by a recurrence over the denominator); ask for fewer, or raise "
                                "invariants.series.hilbert.MAX_SERIES_TERMS", estimate=n,
                                option="invariants.series.hilbert.MAX_SERIES_TERMS")
        out = self._coeffs  # the prefix computed so far (the recurrence only extends it)
        if n <= len(out):
            return out[:n]
        num = [int(c) for c in self.numerator.coeffs()] if self.numerator != 0 else []
        den = [int(c) for c in self.denominator.coeffs()]
        for k in range(len(out), n):
            acc = num[k] if k < len(num) else 0
            for j in range(1, min(k, len(den) - 1) + 1):
                acc -= den[j] * out[k - j]
            out.append(acc)  # den[0] == 1
        return out[:n]

    def __getitem__(self, d: int) -> int:
        if d < 0:
            raise InputError(f"series coefficients are indexed by degrees >= 0, got {d}")
        return self.coefficients(d + 1)[d]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HilbertSeries) and self.numerator == other.numerator and self.denominator == other.denominator

    def __hash__(self) -> int:
        return hash((str(self.numerator), str(self.denominator)))

    def __add__(self, other: "HilbertSeries") -> "HilbertSeries":
        return HilbertSeries(fmpq_poly(self.numerator * other.denominator + other.numerator * self.denominator),
                             fmpq_poly(self.denominator * other.denominator))

    def __mul__(self, other: "HilbertSeries") -> "HilbertSeries":
        return HilbertSeries(fmpq_poly(self.numerator * other.numerator), fmpq_poly(self.denominator * other.denominator))

    # -- forms ------------------------------------------------------------------
    def numerator_list(self) -> list[int]:
        return [int(c) for c in self.numerator.coeffs()] if self.numerator != 0 else [0]

    def denominator_list(self) -> list[int]:
        return [int(c) for c in self.denominator.coeffs()]

    def krull_dimension(self) -> int:
        """The order of the pole at t = 1: the Krull dimension of a ring with this series.

        Example:
            >>> HilbertSeries([1, 0, 1], [1, -1, -1, 1]).krull_dimension()
            2
        """
        den, k = self.denominator, 0
        one = fmpz_poly([-1, 1])
        while den.degree() > 0 and den(1) == 0:
            den = den // one
            k += 1
        return k

    def denominator_degrees(self) -> list[int] | None:
        """Degrees d_i with D(t) dividing ∏(1 − t^{d_i}), or None when D has a non-cyclotomic
        factor.  Prefers, in order: a numerator with non-negative coefficients (the Hironaka-like
        form people expect, e.g. Klein's (1 + t^30)/((1 - t^12)(1 - t^20))), as few factors
        as the pole order allows, and small degrees."""
        if self._form is None:
            self._form = self._choose_degrees()
        return None if self._form is None else list(self._form)

    def greedy_degrees(self) -> list[int] | None:
        """Cheap degrees d_i with D(t) dividing ∏(1 − t^{d_i}) (largest cyclotomic order first),
        without the search for a non-negative numerator that `denominator_degrees` does.

        Example:
            >>> HilbertSeries.from_degrees([2, 3]).greedy_degrees()
            [2, 3]
        """
        exps = self._cyclotomic_exponents()
        return None if exps is None else _greedy_degrees(exps)

    def cyclotomic_exponents(self) -> dict[int, int] | None:
        """{m: k} when the denominator is ∏ Φ_m^k (cyclotomic polynomials), else None: ∏ (1 − t^{d_i})
        is a multiple of it iff at least k of the d_i are multiples of m, for every m.

        Example:
            >>> sorted(HilbertSeries.from_degrees([2, 3]).cyclotomic_exponents().items())
            [(1, 2), (2, 1), (3, 1)]
        """
        return self._cyclotomic_exponents()

    def _cyclotomic_exponents(self) -> dict[int, int] | None:
        exps: dict[int, int] = {}
        for factor, mult in self.denominator.factor()[1]:
            m = factor.is_cyclotomic()
            if not m:
                return None
            exps[int(m)] = exps.get(int(m), 0) + int(mult)
        return exps

    def _choose_degrees(self):
        exps = self._cyclotomic_exponents()
        if exps is None:
            return None
        if not exps:
            return ()  # a polynomial: no denominator factors
        greedy = _greedy_degrees(exps)
        numerator = self.form(greedy)[0]
        if numerator == [1]:
            return tuple(greedy)  # the denominator is exactly a product of (1 - t^d)
        best = _search_nonnegative(self, exps, exps.get(1, 0))
        if min(numerator) >= 0 and (best is None or sum(greedy) < sum(best)):
            return tuple(greedy)
        return tuple(best or greedy)

    def form(self, degrees: Sequence[int] | None = None) -> tuple[list[int], list[int]]:
        """(numerator coefficients, degrees) with self = numerator / ∏(1 − t^d).

        With ``degrees`` given (as GAP's MolienSeriesWithGivenDenominator), the numerator
        for that denominator; an error if ∏(1 − t^d) is not a multiple of the denominator.
        """
        if degrees is None:
            degrees = self.denominator_degrees()
            if degrees is None:
                raise InputError("the denominator is not a product of cyclotomic polynomials")
        prod = fmpz_poly([1])
        for d in degrees:
            prod *= _one_minus_t_pow(int(d))
        quo, rem = divmod(prod, self.denominator)
        if rem != 0:
            raise InputError(f"prod(1 - t^d) for d in {list(degrees)} is not a multiple of the denominator {self.denominator}")
        num = self.numerator * quo
        return ([int(c) for c in num.coeffs()] if num != 0 else [0]), list(degrees)

    def to_sympy(self, t: sympy.Symbol = T, factored: bool = True) -> sympy.Expr:
        """A sympy expression, by default as numerator / ∏(1 − t^d)."""
        if factored and self.denominator_degrees() is not None:
            num, degs = self.form()
            numer = sum(c * t**i for i, c in enumerate(num))
            if not degs:
                return sympy.sympify(numer)
            den = sympy.Mul(*[(1 - t**d) for d in degs], evaluate=False)
            return sympy.Mul(numer, sympy.Pow(den, -1, evaluate=False), evaluate=False)
        numer = sum(int(c) * t**i for i, c in enumerate(self.numerator.coeffs()))
        den = sum(int(c) * t**i for i, c in enumerate(self.denominator.coeffs()))
        return numer / den

    def summary(self, terms: int = 8) -> str:
        """The series with a long numerator abbreviated: its degree, its number of non-zero terms and
        its first ``terms`` coefficients (``molien series --summary``).

        Example:
            >>> HilbertSeries.from_degrees([2, 3], [1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]).summary(2)
            'N(t)/((1 - t^2)(1 - t^3)), N(t) = 1 + 2t + ... of degree 12 with 3 non-zero terms'
        """
        degs = self.denominator_degrees()
        num = self.form()[0] if degs is not None else self.numerator_list()
        if len(num) <= terms:
            return repr(self)
        den = ("".join(_factor_str(d, e) for d, e in _runs(degs)) if degs is not None
               else _poly_str(self.denominator_list()))
        head = _poly_str(num[:terms])
        return (f"N(t)/({den}), N(t) = {head} + ... of degree {len(num) - 1} with "
                f"{sum(1 for c in num if c)} non-zero terms")

    def __repr__(self) -> str:
        degs = self.denominator_degrees()
        if degs is None:
            return f"({_poly_str(self.numerator_list())})/({_poly_str(self.denominator_list())})"
        num, degs = self.form()
        if not degs:
            return _poly_str(num)
        den = "".join(_factor_str(d, e) for d, e in _runs(degs))
        numer = _poly_str(num)
        numer = numer if len([c for c in num if c]) == 1 else f"({numer})"
        return f"{numer}/({den})" if len(_runs(degs)) > 1 else f"{numer}/{den}" if degs else numer

    def _repr_latex_(self) -> str:
        return "$" + self.latex() + "$"

    def latex(self) -> str:
        degs = self.denominator_degrees()
        if degs is None:
            return sympy.latex(self.to_sympy(factored=False))
        num, degs = self.form()
        numer = _poly_str(num, latex=True)
        if not degs:
            return numer
        den = "".join(_factor_str(d, e, latex=True) for d, e in _runs(degs))
        return r"\frac{%s}{%s}" % (numer, den or "1")

    def to_json(self, terms: int = 20) -> dict:
        return {"numerator": self.numerator_list(), "denominator": self.denominator_list(),
                "coefficients": self.coefficients(terms)}


def _poly_str(coeffs: Sequence[int], latex: bool = False) -> str:
    parts = []
    for i, c in enumerate(coeffs):
        if c == 0:
            continue
        mono = "" if i == 0 else ("t" if i == 1 else (f"t^{{{i}}}" if latex else f"t^{i}"))
        mag = abs(c)
        body = (str(mag) if (mag != 1 or not mono) else "") + mono
        parts.append(("-" if c < 0 else "+", body))
    if not parts:
        return "0"
    s = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    for sign, body in parts[1:]:
        s += f" {sign} {body}"
    return s


def _runs(degrees: Sequence[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for d in degrees:
        if out and out[-1][0] == d:
            out[-1] = (d, out[-1][1] + 1)
        else:
            out.append((d, 1))
    return out


def _factor_str(d: int, e: int, latex: bool = False) -> str:
    inner = "1 - t" if d == 1 else (f"1 - t^{{{d}}}" if latex else f"1 - t^{d}")
    base = rf"\left({inner}\right)" if latex else f"({inner})"
    return base if e == 1 else (f"{base}^{{{e}}}" if latex else f"{base}^{e}")


def _greedy_degrees(exps: dict[int, int]) -> list[int]:
    greedy = []
    left = dict(exps)
    while any(v > 0 for v in left.values()):
        m = max(k for k, v in left.items() if v > 0)
        greedy.append(m)
        for k in list(left):
            if m % k == 0 and left[k] > 0:
                left[k] -= 1
    return sorted(greedy)


def _first_multisets(n: int, k: int, limit: int) -> np.ndarray:
    """The first ``limit`` non-decreasing k-tuples of range(n) in lexicographic order (those of
    `itertools.combinations_with_replacement`), as rows, built column by column: every prefix has
    a completion, so the first ``limit`` tuples come from the first ``limit`` prefixes.

    Example:
        >>> _first_multisets(3, 2, 4).tolist()
        [[0, 0], [0, 1], [0, 2], [1, 1]]
    """
    if k == 0 or n == 0:
        return np.zeros((1 if k == 0 else 0, k), dtype=np.int64)
    values = [np.arange(min(n, limit), dtype=np.int64)]
    parents: list[np.ndarray] = []
    for _ in range(k - 1):
        last = values[-1]
        counts = n - last  # a prefix ending in j continues with j, …, n − 1
        starts = np.cumsum(counts) - counts
        parent = np.repeat(np.arange(len(last)), counts)[:limit]
        values.append(last[parent] + np.arange(len(parent)) - starts[parent])
        parents.append(parent)
    out = np.empty((len(values[-1]), k), dtype=np.int64)
    row = np.arange(len(values[-1]))
    for col in range(k - 1, -1, -1):  # back along the parents
        out[:, col] = values[col][row]
        if col:
            row = parents[col - 1][row]
    return out


def _search_nonnegative(series: "HilbertSeries", exps: dict[int, int], count: int) -> list[int] | None:
    """Smallest-sum degrees (count of them) covering the cyclotomic factors with a non-negative
    numerator; a bounded search (None when nothing is found within the limit)."""
    import itertools
    from math import lcm

    ms = sorted(m for m, e in exps.items() if e > 0)
    top = 2 * max(ms)
    cands = sorted(set(range(1, top + 1)) | {lcm(*c) for r in (2, 3) for c in itertools.combinations(ms, r)})
    # each step costs about `count` operations: past 32 factors the number of steps shrinks so the
    # work stays that of 32 (C_1000 permuting 1000 points: 1000 factors, 14 s otherwise, for display)
    limit = HilbertSeries._SEARCH_LIMIT * 32 // max(count, 32)
    combos = np.asarray(cands, dtype=np.int64)[_first_multisets(len(cands), count, limit + 1)]
    ok = np.ones(len(combos), dtype=bool)
    for m, e in exps.items():  # at least e degrees divisible by m, for every cyclotomic factor Φ_m^e
        ok &= (combos % m == 0).sum(axis=1) >= e
    feasible = combos[ok]
    # by sum, then lexicographically (the rows are generated in lexicographic order)
    for row in np.argsort(feasible.sum(axis=1), kind="stable"):
        combo = [int(d) for d in feasible[row]]
        if min(series.form(combo)[0]) >= 0:
            return combo
    return None
