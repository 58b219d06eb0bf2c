"""Stage 1 of an invariant ring: primary invariants, a proven homogeneous system of parameters.

Degree sequences are tried by increasing ∏ d_i among those that make H(t)∏(1 − t^{d_i}) a
polynomial with non-negative coefficients (`invariants.rings.hsop.CandidateDegrees`); within a
sequence, simple basis invariants first, then random combinations (from a fixed seed).  Each
choice is accepted only with a proof (`HsopProof`): the generic ones of `prove_hsop`, then the
group's own (`Group.hsop_proof`, e.g. the Molien–Weyl quotient for a compact group).
"""
from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass
from math import prod
from typing import Sequence

from flint import fmpq_mpoly

from invariants.errors import InputError, MolienError, TooLargeError
from invariants.polynomials.ideals import (HsopProof, current_proof_limits, groebner_leading_monomials,
                                           jacobian_nonzero, monomial_ideal_dimension)
from invariants.polynomials.ring import degree
from invariants.progress import progress_bar
from invariants.rings import hsop
from invariants.rings.context import GradedInvariants
from invariants.rings.hilbert_ideal import MAX_ENTRIES
from invariants.rings.hsop import SMALL_BEZOUT, CandidateDegrees, prove_hsop, quotient_cost, quotient_proof
from invariants.rings.spaces import refuse_enumeration

DEFAULT_MAX_HSOP_BEZOUT = 1000  # ∏ d_i of the primaries whose Gröbner proof is attempted
MAX_HSOP_CANDIDATES = 120       # candidate systems tried before the search gives up (each bounded by ProofLimits)
# failed basis choices after which a generic choice decides a degree sequence (tens of
# milliseconds) when ∏ d_i <= SMALL_BEZOUT, where a sparse choice's proof takes a millisecond (Q8's
# 9th holds); above it at once, since basis choices are proven by the quotient mod p (seconds each for C7⋊C3)
GENERIC_AFTER_SMALL = 11


@dataclass(frozen=True)
class Primaries:
    """Primary invariants (flint polynomials), their degrees, and the proof that they are an hsop."""

    polys: tuple[fmpq_mpoly, ...]
    degrees: tuple[int, ...]
    proof: HsopProof

    @property
    def polynomial_ring(self) -> bool:
        """True when R = K[primaries] (the series is ∏ 1/(1 − t^d_i) and they are independent)."""
        return self.proof.method == "polynomial ring"


def primary_invariants(graded: GradedInvariants, *, max_hsop_bezout: int = DEFAULT_MAX_HSOP_BEZOUT,
                       max_candidates: int = MAX_HSOP_CANDIDATES) -> Primaries:
    """A proven hsop of R = K[V]^G, among at most ``max_candidates`` candidate systems (each
    proof bounded by the `ProofLimits` in force).

    Example:
        >>> from invariants import cyclic
        >>> primary_invariants(GradedInvariants(cyclic(4).natural())).degrees
        (2, 4)
    """
    H = graded.series
    degs = _polynomial_shape(H)
    if degs is not None:
        polys = _independent_by_degree(graded, degs)
        if polys is not None:
            proof = prove_hsop(graded.ring, polys, polynomial_ring=True)
            if proof is not None:
                return _primaries(polys, proof)
    combos, max_degree = degree_candidates(graded)
    if not combos:
        raise MolienError(
            f"no degrees d_1 <= ... <= d_{graded.series.krull_dimension()} <= {max_degree} for primary invariants of "
            f"{graded.rep}: none makes H(t)·∏(1 - t^d_i) a polynomial with non-negative coefficients among the "
            f"sequences searched (at most invariants.rings.hsop.MAX_DEGREE_SEQUENCES = {hsop.MAX_DEGREE_SEQUENCES:,}; "
            "raise it to search further); the minimal generators need no hsop (R.generators)")
    rng = random.Random(graded.seed)
    tried = 0
    # a search that fails candidate after candidate runs for minutes: the bar counts towards the cap
    cap = max_candidates
    update = progress_bar(f"primary invariants (candidates of {cap})", enabled=graded.progress, min_total=0)
    shown = False

    def done(polys: list[fmpq_mpoly], proof: HsopProof) -> Primaries:
        if shown:
            update(cap, cap)
        return _primaries(polys, proof)

    for combo in combos:
        if tried >= cap:
            break
        _refuse_large(graded, combo, max_hsop_bezout)
        generic = None  # (polys, proof) of a generic choice, once basis choices have failed
        generic_after = GENERIC_AFTER_SMALL if prod(combo) <= SMALL_BEZOUT else 0
        for k, polys in enumerate(itertools.islice(_basis_choices(graded, combo), 24)):
            if tried >= cap:
                break
            # with a generic choice proven, a basis choice (sparser, so cheaper secondaries) is
            # only worth a proof of milliseconds: a failing quotient mod p took 2 s for C7⋊C3
            proof = _prove(graded, polys, max_hsop_bezout, cheap=generic is not None)
            tried += 1
            if proof is not None:
                return done(polys, proof)
            if tried >= 3:   # the first failures are common and quick; a bar from then on
                shown = True
                update(min(tried, cap - 1), cap)
            if k == generic_after and len(combo) == graded.n > 2 and tried < cap:
                # hsops of given degrees form a Zariski-open set: if a generic choice is none (the
                # quotient mod p decides it), no choice of these degrees is: skip the sequence
                choice = _random_choice(graded, combo, rng, spread=10**6)
                found, decided = quotient_proof(graded.ring, choice)
                tried += 1
                if found is None and decided:
                    break
                generic = (choice, found) if found is not None else None
        else:
            if generic is not None:
                return done(*generic)
            for polys in (_random_choice(graded, combo, rng) for _ in range(3)):
                if tried >= cap:
                    break
                proof = _prove(graded, polys, max_hsop_bezout)
                tried += 1
                if proof is not None:
                    return done(polys, proof)
                if shown:
                    update(min(tried, cap - 1), cap)
    if shown:
        update(cap, cap)
    limits = current_proof_limits()
    raise MolienError(
        f"no provable system of parameters found among {tried} candidates of degree <= {max_degree} for "
        f"{graded.rep}; certifying one over {graded.ring.field} needs a Groebner basis molien cannot compute within "
        f"max_hsop_candidates={cap} candidates, each attempt stopped at max_proof_terms={limits.max_terms:,} terms "
        f"or max_proof_bits={limits.max_bits:,} coefficient bits; raise them to let it run longer, possibly hours "
        f"(e.g. max_hsop_candidates={2 * cap} or max_proof_terms={2 * limits.max_terms:,}; for fewer invariants than "
        f"variables, a Groebner proof of the fibre dimension is tried up to prod d_i <= max_hsop_bezout={max_hsop_bezout}"
        "); the minimal generators "
        "of a finite group need no hsop (R.generators)")


@dataclass(frozen=True)
class HironakaEstimate:
    """What the Hironaka decomposition will cost, known before it is computed: the degrees of the
    first primary candidates, ∏ d_i (the secondaries number ∏ d_i / |G|), and the size of the
    quotient K[V]/(p) the hsop proof builds (0 for a polynomial-ring-shaped series, whose proof
    is a Jacobian; None when there is no candidate)."""

    degrees: tuple[int, ...] | None
    bezout: int | None
    quotient_entries: int | None

    def cheap(self, limit: int) -> bool:
        return self.quotient_entries is not None and self.quotient_entries <= limit

    def __str__(self) -> str:
        if self.degrees is None:
            return "no candidate degrees for primary invariants"
        if self.quotient_entries is None:
            return (f"primary invariants of degrees {list(self.degrees)}, whose hsop proof (a Groebner basis) "
                    "has no estimate")
        if self.quotient_entries == 0:
            return f"a polynomial ring: primary invariants of degrees {list(self.degrees)}"
        return (f"primary invariants of degrees {list(self.degrees)} (Bezout number {self.bezout}); their hsop "
                f"proof works on a quotient of {self.quotient_entries:,} matrix entries")


def hironaka_estimate(graded: GradedInvariants) -> HironakaEstimate:
    """The cost of the Hironaka decomposition, from the Hilbert series alone.

    Example:
        >>> from invariants import cyclic
        >>> e = hironaka_estimate(GradedInvariants(cyclic(6, form="permutation").natural()))
        >>> e.degrees, e.bezout
        ((1, 2, 2, 2, 3, 6), 144)
    """
    H = graded.series
    n = H.krull_dimension()
    degs = _polynomial_shape(H)
    if degs is not None:
        return HironakaEstimate(tuple(sorted(degs)), prod(degs), 0)
    combo = next(iter(degree_candidates(graded)[0]), None)
    if combo is None:
        return HironakaEstimate(None, None, None)
    return HironakaEstimate(tuple(combo), prod(combo), quotient_cost(graded.n, combo) if n == graded.n else None)


def _polynomial_shape(H) -> list[int] | None:
    """The degrees d_i when H(t) = ∏ 1/(1 − t^{d_i}) with as many factors as the Krull dimension.
    The greedy degrees suffice (no search for a non-negative numerator): for such an H they are
    the d_i, since the largest cyclotomic order left is always the largest degree left."""
    degs = H.greedy_degrees()
    return degs if degs is not None and len(degs) == H.krull_dimension() and H.form(degs)[0] == [1] else None


def degree_candidates(graded: GradedInvariants) -> tuple[CandidateDegrees, int]:
    """Degree sequences for primary invariants, cheapest first (found as they are asked for, and
    kept: the estimate and the search share them), and the largest degree searched."""
    if "_degree_candidates" in graded.__dict__:
        return graded.__dict__["_degree_candidates"]
    H = graded.series
    degs = H.denominator_degrees()
    noether = graded.rep.group.noether_bound()
    # Noether's bound caps the search (every generator, hence a hsop, lies below it); a group
    # without one gets twice the largest degree of its series' denominator
    cap = noether if noether is not None else 2 * max(degs or [6])
    max_degree = max(max(degs or [1]), 1) * 2 if degs else cap
    max_degree = min(max(max_degree, max(degs or [1])), cap)
    graded.__dict__["_degree_candidates"] = CandidateDegrees(H, H.krull_dimension(), graded.dimension,
                                                             max_degree), max_degree
    return graded.__dict__["_degree_candidates"]


def prescribed_primaries(graded: GradedInvariants, polys: Sequence[fmpq_mpoly], *,
                         max_hsop_bezout: int = DEFAULT_MAX_HSOP_BEZOUT) -> Primaries:
    """User-given primary invariants, checked: homogeneous of positive degree, invariant, as many
    as the Krull dimension, and proven an hsop (else an `InputError` saying which check failed).

    Example:
        >>> from invariants import symmetric
        >>> R = GradedInvariants(symmetric(2).natural())
        >>> x0, x1 = R.ring.gens
        >>> prescribed_primaries(R, [x0 + x1, x0**2 + x1**2]).proof.method
        'resultant'
    """
    from invariants.groups.action import all_invariant

    ring, dim = graded.ring, graded.series.krull_dimension()
    for i, p in enumerate(polys):
        parts = ring.homogeneous_parts(p)
        if len(parts) != 1 or 0 in parts:
            raise InputError(f"primary invariant {i} is not homogeneous of positive degree: give homogeneous "
                             "invariants of degree >= 1")
        if not all_invariant(ring, [p], graded.rep):
            raise InputError(f"primary invariant {i} ({ring.to_sympy(p)}) is not invariant under {graded.rep}")
    if len(polys) != dim:
        raise InputError(f"an hsop of this invariant ring has exactly {dim} elements (its Krull dimension); "
                         f"{len(polys)} were given")
    _refuse_large(graded, [degree(p) for p in polys], max_hsop_bezout)
    proof = _prove(graded, list(polys), max_hsop_bezout)
    if proof is None:
        raise InputError(f"the given primary invariants are not a proven hsop: {_why_not_hsop(ring, polys)}; "
                         "leave primary=None to have them chosen")
    return _primaries(polys, proof)


def _why_not_hsop(ring, polys: Sequence[fmpq_mpoly]) -> str:
    if jacobian_nonzero(ring, list(polys)) is None:
        return "they are algebraically dependent"
    leads = groebner_leading_monomials(ring, list(polys), 400) if all(map(ring.is_rational, polys)) else None
    if leads is not None:
        return (f"their common zeros form a cone of dimension {monomial_ideal_dimension(leads, ring.n)} > 0 "
                "(read off a Groebner basis), so they are not a system of parameters")
    return "no method proved that their only common zero is 0 (over the algebraic closure)"


def _primaries(polys: Sequence[fmpq_mpoly], proof: HsopProof) -> Primaries:
    return Primaries(tuple(polys), tuple(degree(p) for p in polys), proof)


def _refuse_large(graded: GradedInvariants, degrees: Sequence[int], limit: int) -> None:
    """A zero-dimensional Gröbner proof works in K[x]/(p), of dimension ∏ d_i (Bézout); past
    ``max_hsop_bezout`` it can run for hours without a way to stop it, so refuse first — unless
    the quotient mod p (`hsop.quotient_proof`, whose size is known in advance) fits."""
    bezout = prod(degrees)
    if len(degrees) == graded.n > 2 and bezout > limit and quotient_cost(graded.n, degrees) > MAX_ENTRIES:
        raise TooLargeError(
            f"the smallest candidate primary invariants of {graded.rep} have degrees {list(degrees)}: "
            f"proving them an hsop needs a Groebner basis of a quotient of dimension {bezout} > "
            f"max_hsop_bezout={limit}, which may take hours; the minimal generators need no hsop "
            f"(R.generators, by Noether's bound); pass max_hsop_bezout={bezout} to try anyway",
            estimate=bezout, option="max_hsop_bezout")


def _prove(graded: GradedInvariants, polys: list[fmpq_mpoly], max_bezout: int,
           cheap: bool = False) -> HsopProof | None:
    proof = prove_hsop(graded.ring, polys, max_bezout=max_bezout, cheap=cheap)
    if proof is None and not cheap and jacobian_nonzero(graded.ring, polys) is not None:
        proof = graded.rep.group.hsop_proof(graded.rep, graded.ring, polys)
    return proof


def _independent_by_degree(graded: GradedInvariants, degrees: Sequence[int]) -> list[fmpq_mpoly] | None:
    """Invariants of the given degrees, each outside the algebra generated by the earlier ones
    (refused at once when the largest degree's basis could not be listed, not after the others)."""
    refuse_enumeration(graded.n, max(degrees, default=0), graded.max_monomials)
    chosen: list[fmpq_mpoly] = []
    chosen_deg: list[int] = []
    for d in sorted(degrees):
        basis = graded.basis(d)
        picked, _ = graded.choose(
            graded.dimension(d), functools.partial(graded.product_values, list(chosen), list(chosen_deg), d),
            basis, 1, functools.partial(graded.products, list(chosen), list(chosen_deg), d),
            candidate_values=functools.partial(graded.basis_values, d))
        if not picked:
            return None
        chosen.append(basis[picked[0]])
        chosen_deg.append(d)
    return chosen


def _basis_choices(graded: GradedInvariants, degrees: Sequence[int]):
    """Distinct basis invariants of the given degrees, simple polynomials first: by increasing sum
    of their places in the bases, so that every degree's choice varies early (a product order
    varies the last degree only, and a bad choice in a low degree then fails 24 times)."""
    groups = sorted(set(degrees))
    graded.prefetch(groups)
    per_degree = [list(itertools.islice(itertools.combinations(graded.basis(d), degrees.count(d)), 64))
                  for d in groups]
    sizes = [len(options) for options in per_degree]
    for total in range(sum(sizes) - len(sizes) + 1):
        for places in _compositions(total, sizes):
            yield [p for options, i in zip(per_degree, places) for p in options[i]]


def _compositions(total: int, sizes: Sequence[int]):
    """Tuples (i_1 … i_k), 0 ≤ i_j < sizes[j], with Σ i_j = total, in lexicographic order."""
    if not sizes:
        if total == 0:
            yield ()
        return
    rest = sum(sizes[1:]) - len(sizes[1:])
    for i in range(max(0, total - rest), min(sizes[0] - 1, total) + 1):
        for tail in _compositions(total - i, sizes[1:]):
            yield (i,) + tail


def _random_choice(graded: GradedInvariants, degrees: Sequence[int], rng: random.Random,
                   spread: int = 3) -> list[fmpq_mpoly]:
    """Random integer combinations (entries up to ``spread``) of the basis in each degree (generic choices)."""
    out = []
    for d in degrees:
        p = graded.ring.ctx.from_dict({})
        for b in graded.basis(d):
            p += b * rng.randint(-spread, spread)
        out.append(p if p != 0 else graded.basis(d)[0])
    return out
