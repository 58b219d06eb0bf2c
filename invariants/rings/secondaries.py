"""Stage 2 of an invariant ring: secondary invariants, the Hironaka decomposition R = ⊕ s_j K[p].

R is Cohen–Macaulay (characteristic 0: Hochster–Eagon for finite groups, Hochster–Roberts for
reductive ones), hence free over K[p] for the proven hsop p, with Σ t^{deg s_j} =
H(t)∏(1 − t^{d_i}).  In each degree e the s_j are chosen independent modulo (p)R_e (products of
earlier secondaries first).  (p)R_e has the basis p^a·s_j (a ≠ 0) over the secondaries already
found, because R = ⊕ s_j K[p] holds in every lower degree: no spanning family needs a rank.
Independence modulo (p)R in every degree, the hsop and the count give the decomposition
(graded Nakayama and the Hilbert series).

When the hsop was proven through K[V]/(p) over GF(p) (`invariants.rings.hilbert_ideal`), the
choice is made there instead (King's and Kemper's way): R ∩ (p)K[V] = (p)R (apply the Reynolds
operator to f = Σ h_i p_i), so invariants are independent modulo (p)R iff their images in
K[V]/(p) are.  The images mod p prove it: that quotient vanished in degree Σ (d_i − 1) + 1, so
the reduction of p is an hsop over GF(p) too, its quotient has the complete-intersection
dimension in every degree — that of the quotient over K — and a rank mod p on it is a rank
over K.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from flint import fmpq_mpoly

from invariants.errors import MolienError
from invariants.progress import progress_bar
from invariants.rings.context import GradedInvariants, weighted_monomials
from invariants.rings.hsop import quotient_proof
from invariants.rings.primaries import Primaries
from invariants.series.hilbert import HilbertSeries


@dataclass(frozen=True)
class Secondaries:
    """Secondary invariants over the given primaries, and whether Σ t^{deg s_j}/∏(1 − t^{d_i})
    equals the Hilbert series (which, with the hsop proof, certifies R = ⊕ s_j K[p])."""

    primaries: Primaries
    polys: tuple[fmpq_mpoly, ...]
    degrees: tuple[int, ...]
    series_identity: bool

    @property
    def certified(self) -> bool:
        return self.series_identity


def secondary_invariants(graded: GradedInvariants, primaries: Primaries) -> Secondaries:
    """The secondary invariants of R over ``primaries``.

    Example:
        >>> from invariants import cyclic
        >>> from invariants.rings.primaries import primary_invariants
        >>> R = GradedInvariants(cyclic(4).natural())
        >>> secondary_invariants(R, primary_invariants(R)).degrees
        (0, 4)
    """
    prim, pdeg = list(primaries.polys), list(primaries.degrees)
    counts, _ = graded.series.form(pdeg)
    quotient = primaries.proof.quotient
    if quotient is None and len(prim) == graded.n and not primaries.polynomial_ring:
        proof, _ = quotient_proof(graded.ring, prim)  # another proof already holds; this one gives the quotient
        quotient = proof.quotient if proof is not None else None
    if quotient is not None:
        return _by_quotient(graded, primaries, counts, quotient)
    found: list[fmpq_mpoly] = []
    found_deg: list[int] = []
    update = progress_bar("secondary invariants", enabled=graded.progress, min_total=50)
    total = sum(counts)
    graded.prefetch(e for e, need in enumerate(counts) if need)  # each such degree reads its basis
    for e, need in enumerate(counts):
        if need == 0:
            continue
        pairs = [(i, j) for i, j in itertools.combinations_with_replacement(range(len(found)), 2)
                 if found_deg[i] + found_deg[j] == e and found_deg[i] > 0 and found_deg[j] > 0]
        basis = graded.basis(e)
        candidates = _Lazy(len(pairs) + len(basis), lambda k, pairs=pairs, basis=basis, found=found: (
            found[pairs[k][0]] * found[pairs[k][1]] if k < len(pairs) else basis[k - len(pairs)]))

        def ideal_values(n_points, which, e=e, found=list(found), found_deg=list(found_deg)):
            ev = graded.evaluator(which)
            rows = [graded.power_values(prim, a, n_points, which) * ev.value(s, n_points) % ev.prime
                    for s, ds in zip(found, found_deg) for a in weighted_monomials(pdeg, e - ds) if any(a)]
            return np.vstack(rows) if rows else np.zeros((0, n_points), dtype=np.int64)

        def candidate_values(n_points, which, pairs=pairs, e=e, found=found):
            ev = graded.evaluator(which)
            prods = [ev.value(found[i], n_points) * ev.value(found[j], n_points) % ev.prime for i, j in pairs]
            return np.vstack(prods + [graded.basis_values(e, n_points, which)])

        ideal_polys = functools.partial(
            lambda e: [p * b for p, dp in zip(prim, pdeg) if dp <= e for b in graded.basis(e - dp)], e)
        idx, _ = graded.choose(graded.dimension(e), ideal_values, candidates, need, ideal_polys,
                               candidate_values=candidate_values)
        _append(found, found_deg, [candidates[k] for k in idx], need, e)
        update(len(found), total)
    hironaka = HilbertSeries.from_degrees(pdeg, _counts(found_deg))
    return Secondaries(primaries, tuple(found), tuple(found_deg), hironaka == graded.series)


def _by_quotient(graded: GradedInvariants, primaries: Primaries, counts: list[int], quotient) -> Secondaries:
    """Secondaries chosen by their images in K[V]/(p) over GF(p): products of two irreducible
    secondaries (those taken from a basis) first, then the basis of R_e."""
    found: list[fmpq_mpoly] = []
    found_deg: list[int] = []
    irreducible: list[int] = []  # indices into found
    update = progress_bar("secondary invariants", enabled=graded.progress, min_total=50)
    total = sum(counts)
    for e, need in enumerate(counts):
        if need == 0:
            continue
        if e == 0:
            found.append(graded.ring.ctx.from_dict({(0,) * graded.ring.ctx.nvars(): 1}))
            found_deg.append(0)
            continue
        products = _Lazy(len(pairs := [(i, j) for i, j in itertools.combinations_with_replacement(irreducible, 2)
                                       if found_deg[i] + found_deg[j] == e]),
                         lambda k, pairs=pairs: found[pairs[k][0]] * found[pairs[k][1]])
        chosen = [products[k] for k in quotient.choose(products, e, need)]
        if len(chosen) < need:
            basis = graded.basis(e)
            picked = quotient.choose(basis, e, need - len(chosen), fixed=chosen)
            irreducible += range(len(found) + len(chosen), len(found) + len(chosen) + len(picked))
            chosen += [basis[k] for k in picked]
        _append(found, found_deg, chosen, need, e)
        update(len(found), total)
    hironaka = HilbertSeries.from_degrees(list(primaries.degrees), _counts(found_deg))
    return Secondaries(primaries, tuple(found), tuple(found_deg), hironaka == graded.series)


def _append(found: list, found_deg: list, chosen: list, need: int, e: int) -> None:
    if len(chosen) != need:
        raise MolienError(  # pragma: no cover - impossible for a proven hsop (R is Cohen-Macaulay)
            f"only {len(chosen)} of {need} secondary invariants found in degree {e}")
    found += chosen
    found_deg += [e] * len(chosen)


def _counts(degrees: Sequence[int]) -> list[int]:
    out = [0] * (max(degrees) + 1 if degrees else 1)
    for d in degrees:
        out[d] += 1
    return out


class _Lazy(Sequence):
    """A sequence whose items are made on first access (candidate products never chosen are
    never expanded)."""

    def __init__(self, length: int, make):
        self._length, self._make, self._items = length, make, {}

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._length))]
        if not 0 <= k < self._length:
            raise IndexError(k)
        if k not in self._items:
            self._items[k] = self._make(k)
        return self._items[k]
