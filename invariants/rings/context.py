"""The graded invariants of one representation, shared by the ring's stages, and the choice of
invariants in one degree by ranks on their values at random points.

`GradedInvariants` memoizes what every stage reads — the Hilbert series, a basis of R_d, and
value vectors of invariants at random points — as pure functions of the representation (the
answers never depend on which stage ran first).  `choose` decides, in one degree d, which
candidates are independent modulo a span (the generated part of R_d, or (p)R_d) and whether
everything reaches dim R_d.  Invariants are value vectors (`invariants.polynomials.values`): the
products that span the generated part are pointwise products, never expanded.  Exact elimination
on coefficients (`_select_with_span`) is the fallback and the reference the tests compare with.
"""
from __future__ import annotations

import copy
import functools
from math import comb
from typing import Iterable, Sequence

import numpy as np
from flint import fmpq_mpoly

from invariants.errors import MolienError
from invariants.groups.representation import Representation
from invariants.parallel.executor import current_executor
from invariants.polynomials.echelon import Echelon, independent_modulo_with_rank
from invariants.polynomials.ring import PolynomialRing
from invariants.polynomials.values import PointValues
from invariants.rings.spaces import DEFAULT_MAX_MONOMIALS, invariant_space, spaces_until_failure
from invariants.series.hilbert import HilbertSeries


class GradedInvariants:
    """R = K[V]^G degree by degree, for one representation: series, bases, values at points.

    Example:
        >>> from invariants import symmetric
        >>> R = GradedInvariants(symmetric(3).natural())
        >>> R.dimension(3), len(R.basis(3))
        (3, 3)
    """

    def __init__(self, rep: Representation, *, max_monomials: int = DEFAULT_MAX_MONOMIALS,
                 progress: bool | None = None, seed: int = 0, max_elements: int | None = None,
                 max_terms: int | None = None, max_samples: int | None = None, max_classes: int | None = None):
        self.rep = rep
        # the Molien series' size guards (`Group.hilbert_series`), None for the group's default
        self.series_limits = {"max_elements": max_elements, "max_terms": max_terms, "max_samples": max_samples,
                              "max_classes": max_classes}
        self.n = rep.dim
        self.ring = PolynomialRing(rep.field, rep.dim)
        self.max_monomials = max_monomials
        self.progress = progress
        self.seed = seed
        self._bases: dict[int, tuple[fmpq_mpoly, ...]] = {}
        self._failed: dict[int, MolienError] = {}  # a prefetched degree's error, raised when its basis is asked for
        self._vanishing: tuple[fmpq_mpoly, ...] = ()  # linear forms the evaluation points are zeros of

    @functools.cached_property
    def series(self) -> HilbertSeries:
        return self.rep.molien_series(**self.series_limits)

    def basis(self, d: int) -> tuple[fmpq_mpoly, ...]:
        """An exact basis of the invariants of degree d (`InvariantSpace.flint`: the simplest the method gives)."""
        if d in self._failed:
            raise self._failed[d]
        if d not in self._bases:
            self._bases[d] = tuple(invariant_space(self.rep, d, max_monomials=self.max_monomials).flint)
        return self._bases[d]

    def prefetch(self, degrees: Iterable[int]) -> None:
        """Compute the bases of these degrees now, side by side, when a cluster runs the computation
        (``with cluster(...)``, `invariants.parallel`); serially each is computed when first asked
        for.  Callers name only degrees whose bases they will ask for, so no work is speculative;
        the bases are the same either way, and a degree that fails raises its error when its basis
        is asked for, in the order a serial run meets it."""
        if not current_executor().distributed:
            return
        todo = [d for d in sorted(set(degrees)) if d not in self._bases and d not in self._failed
                and not self.known_zero(d)]
        spaces, failure = spaces_until_failure(self.rep, todo, max_monomials=self.max_monomials)
        self._bases.update((d, tuple(space.flint)) for d, space in spaces.items())
        if failure is not None:
            self._failed[failure[0]] = failure[1]

    def known_zero(self, d: int) -> bool:
        """Whether R_d = 0 is known without a basis (a zero coefficient of the Hilbert series)."""
        return self.dimension(d) == 0

    def dimension(self, d: int) -> int:
        return self.series[d]

    def evaluator(self, which: int) -> PointValues:
        cache = self.__dict__.setdefault("_evaluators", {})
        if which not in cache:
            cache[which] = PointValues(self.ring, which=which, vanishing=self._vanishing)
        return cache[which]

    def restricted_dimension(self, d: int) -> int:
        """The dimension of R_d restricted to the common zeros W of the linear invariants,
        [t^d](1 − t)^k H(t) with k = dim R_1 (`invariants.polynomials.values.on_zeros` says why):
        the rank that values at points of W reach on a set that spans R_d."""
        k = self.dimension(1)
        return sum((-1) ** j * comb(k, j) * self.dimension(d - j) for j in range(min(k, d) + 1))

    def on_linear_zeros(self) -> "GradedInvariants | None":
        """The same invariants (series and bases shared) with values taken at points where the
        linear invariants vanish, or None when there are none.  There every product with a linear
        invariant is 0, so a rank check in degree d needs [t^d](1 − t)^k H(t) columns instead of
        dim R_d (`restricted_dimension`): the cyclic shift of R^8 has 810 invariants of degree 8,
        whose restrictions span 381 dimensions.

        Example:
            >>> from invariants import cyclic
            >>> R = GradedInvariants(cyclic(4, form="permutation").natural())
            >>> [(R.dimension(d), R.restricted_dimension(d)) for d in range(1, 4)]
            [(1, 0), (3, 2), (5, 2)]
        """
        if not self.dimension(1):
            return None
        if "_on_linear_zeros" not in self.__dict__:
            view = copy.copy(self)  # the memoised series and bases are shared, the values are not
            for cache in ("_evaluators", "_basis_value_cache", "_power_value_cache", "_on_linear_zeros"):
                view.__dict__.pop(cache, None)
            view._vanishing = self.basis(1)
            self.__dict__["_on_linear_zeros"] = view
        return self.__dict__["_on_linear_zeros"]

    def basis_values(self, e: int, n_points: int, which: int) -> np.ndarray:
        cache = self.__dict__.setdefault("_basis_value_cache", {})
        have = cache.get((e, which))
        if have is None or have.shape[1] < n_points:
            ev = self.evaluator(which)
            start = 0 if have is None else have.shape[1]
            more = ev.values(self.basis(e), n_points, start=start)
            have = more if have is None else np.hstack([have, more])
            cache[(e, which)] = have
        return have[:, :n_points]

    def generated_values(self, gens: Sequence[fmpq_mpoly], degs: Sequence[int], d: int, n_points: int,
                          which: int) -> np.ndarray:
        """Values of g·b for every given g of degree < d and basis invariant b of degree d − deg g:
        they span the degree-d part of the algebra the g generate, *provided* that algebra is all
        of R in every lower degree (a product of generators of degree d is g times a product of
        degree d − deg g, which lies in R_{d − deg g})."""
        ev = self.evaluator(which)
        # at the zeros of the linear invariants, a product with a generator of degree 1 is 0
        blocks = [ev.value(g, n_points)[None, :] * self.basis_values(d - dg, n_points, which) % ev.prime
                  for g, dg in zip(gens, degs) if dg < d and self.dimension(d - dg)
                  and not (dg == 1 and self._vanishing)]
        return np.vstack(blocks) if blocks else np.zeros((0, n_points), dtype=np.int64)

    def power_values(self, primaries: Sequence[fmpq_mpoly], a: tuple[int, ...], n_points: int,
                              which: int) -> np.ndarray:
        """Values of p^a for the given primaries (memoised: p^a = p^(a − e_i) · p_i for its first
        non-zero i)."""
        cache = self.__dict__.setdefault("_power_value_cache", {})
        key = (tuple(id(p) for p in primaries), a, which)
        got = cache.get(key)
        if got is None or len(got) < n_points:
            ev = self.evaluator(which)
            i = next((k for k, x in enumerate(a) if x), None)
            if i is None:
                got = np.ones(n_points, dtype=np.int64)
            else:
                rest = a[:i] + (a[i] - 1,) + a[i + 1:]
                factor = ev.value(primaries[i], n_points)
                got = self.power_values(primaries, rest, n_points, which) * factor % ev.prime
            cache[key] = got
        return got[:n_points]

    def product_values(self, gens, degs, d: int, n_points: int, which: int) -> np.ndarray:
        """Values of every product of the given invariants of total degree d."""
        ev = self.evaluator(which)
        rows = []
        for expo in weighted_monomials(degs, d):
            row = np.ones(n_points, dtype=np.int64)
            for g, e in zip(gens, expo):
                for _ in range(e):
                    row = row * ev.value(g, n_points) % ev.prime
            rows.append(row)
        return np.vstack(rows) if rows else np.zeros((0, n_points), dtype=np.int64)

    def products(self, gens: Sequence[fmpq_mpoly], degs: Sequence[int], d: int):
        """All products of the given generators of total degree d."""
        for expo in weighted_monomials(degs, d):
            yield self.monomial_value(gens, expo)

    def monomial_value(self, gens, expo) -> fmpq_mpoly:
        out = self.ring.ctx.constant(1)
        for g, e in zip(gens, expo):
            if e:
                out = self.ring.reduce(out * self.ring.power(g, e))
        return out

    def choose(self, total: int, fixed_values, candidates: Sequence[fmpq_mpoly], need: int | None,
                fixed_polys, candidate_values=None, confirm: bool = False,
                n_points: int | None = None) -> tuple[list[int], int]:
        """Indices of candidates independent modulo span(fixed), greedily (at most ``need``), and
        the dimension of the span of fixed ∪ chosen — which must reach ``total`` (the exact
        dimension of the space everything lies in).  On value vectors at random points; with
        ``confirm`` the rank of span(fixed) is re-measured at independent points, so that a rank
        lost to unlucky points cannot add a redundant candidate.  Exact elimination on
        coefficients when the evaluations do not reach ``total``."""
        # the caller's point count for a phase, else what the rank needs (values of lower
        # degrees are extended to new points, not recomputed)
        n_points = n_points or total + 8
        for which in range(3):
            try:
                ev = self.evaluator(which)
                fixed = fixed_values(n_points, which)
                cands = (candidate_values(n_points, which) if candidate_values is not None else
                         np.vstack([ev.value(c, n_points)[None, :] for c in candidates])
                         if candidates else np.zeros((0, n_points), dtype=np.int64))
                cols = min(n_points, total + 8)  # the values were computed for the phase; the rank needs total + 8
                fixed, cands = fixed[:, :cols], cands[:, :cols]
                found = ev.select(fixed, cands, need, total)
                if found is None:
                    continue
                chosen, rank, fixed_rank = found
                if confirm and chosen and len(fixed):
                    other = self.evaluator(which + 1)
                    if other.rank(fixed_values(n_points, which + 1)[:, :cols]) != fixed_rank:
                        continue
                return chosen, rank
            except ZeroDivisionError:  # the prime divides a denominator: the next one
                continue
        picked, rank = _select_with_span(self.ring, list(fixed_polys()), list(candidates), need, total)
        position = {id(c): i for i, c in enumerate(candidates)}
        return [position[id(c)] for c in picked], rank


def weighted_monomials(weights: Sequence[int], d: int):
    """Exponent vectors e with Σ e_i w_i = d (products of generators of those degrees of total degree d)."""
    m = len(weights)

    def rec(i: int, left: int):
        if i == m:
            if left == 0:
                yield ()
            return
        w = weights[i]
        for e in range(left // w + 1):
            for rest in rec(i + 1, left - e * w):
                yield (e,) + rest

    if d < 0:
        return
    yield from rec(0, d)


def select_independent(ring: PolynomialRing, fixed: list, candidates: list, need: int | None, total: int) -> list:
    """Candidates independent modulo span(fixed), greedily (see `_select_with_span`)."""
    return _select_with_span(ring, fixed, candidates, need, total)[0]


def _select_with_span(ring: PolynomialRing, fixed: list, candidates: list, need: int | None,
                      total: int) -> tuple[list, int]:
    """Candidates independent modulo span(fixed), greedily, and the dimension of the span of
    fixed ∪ chosen, whose expected value ``total`` (a Molien coefficient) a modular rank
    proves; exact elimination when no prime reaches it."""
    found = independent_modulo_with_rank(ring, fixed, candidates, need=need, expected_rank=total)
    if found is not None:
        idx, rank = found
        return [candidates[i] for i in idx], rank
    ech = Echelon(ring)
    for q in fixed:
        ech.add(q)
    out = []
    for c in candidates:
        if len(ech) == total or (need is not None and len(out) == need):
            break
        if ech.add(c):
            out.append(c)
    return out, len(ech)
