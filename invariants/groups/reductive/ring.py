"""Generators of K[x]^G for a `LinearlyReductiveAction`, with a certificate of completeness.

The route: Derksen's algorithm gives minimal homogeneous generators of the Hilbert ideal H, of
degrees ≤ D.  If f_1..f_r generate H then so do their Reynolds images R(f_i) (G acts trivially
on H/mH, so f − R(f) ∈ mH, and graded Nakayama), which are invariants of the same degrees; and
homogeneous invariants generating H generate K[x]^G (Hilbert's argument with the Reynolds
operator).  So K[x]^G is generated in degrees ≤ D (Derksen 1999; Derksen–Kemper, Computational
Invariant Theory, §4.1).  The invariants of each degree d ≤ D come from exact linear algebra
(`invariants.groups.reductive.degree`); a degree's new generators are those independent of the
products of lower-degree generators with invariants.

The certificate records D and its source, and re-checks the conclusion directly: the generators
found generate H (each generator of H reduces to 0 modulo a Gröbner basis of the generators'
ideal), and every generator is invariant (f(A x) − f(x) reduces to 0 modulo I(G)).  Completeness
also rests on what the input cannot show and the certificate lists: I(G) is the radical ideal of
a linearly reductive group and A is a homomorphism.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy
from flint import fmpq_mat, fmpq_mpoly

from invariants.errors import InputError, TooLargeError
from invariants.groups.reductive.action import LinearlyReductiveAction
from invariants.groups.reductive.degree import MAX_MONOMIALS, DegreeSolver, is_invariant_under
from invariants.groups.reductive.groebner import DEFAULT_LIMITS, GroebnerBasis, Limits
from invariants.groups.reductive.hilbert import MAX_VARIABLES, MAX_WEIGHT, ReductiveHilbertIdeal, reductive_hilbert_ideal
from invariants.linalg import dense

ASSUMPTIONS = ("the ideal is the radical (vanishing) ideal of the group",
               "the group is linearly reductive (over QQ: reductive)",
               "A(z) is a group homomorphism (checked: det A is a unit and A takes the value 1)")
BOUND_SOURCE = ("Derksen 1999 (Derksen–Kemper §4.1): the Reynolds images of homogeneous generators of the "
                "Hilbert ideal generate K[x]^G, so K[x]^G is generated in degrees ≤ the largest degree of a "
                "minimal generator of the Hilbert ideal")


@dataclass(frozen=True)
class ReductiveCertificate:
    """Why the generators are (or are not known to be) complete: ``degree_bound`` and its
    ``bound_source`` (None when no bound was proven), ``searched_through`` (the degrees computed),
    ``generates_hilbert_ideal`` and ``invariant_checked`` (the direct re-checks), ``assumptions``
    the input cannot show, and ``reason`` in words.

    Example:
        >>> from invariants.groups.reductive.examples import torus
        >>> reductive_invariant_ring(torus([[1], [-1]])).certificate.complete
        True
    """

    complete: bool
    degree_bound: int | None
    bound_source: str
    searched_through: int
    hilbert_ideal_degrees: tuple[int, ...] | None
    generates_hilbert_ideal: bool | None
    invariant_checked: bool
    assumptions: tuple[str, ...] = ASSUMPTIONS
    reason: str = ""

    def __str__(self) -> str:
        head = "complete" if self.complete else "NOT proven complete"
        return f"{head}: {self.reason}"


@dataclass(frozen=True)
class ReductiveInvariantRing:
    """Minimal homogeneous generators of K[x]^G, their degrees, the Hilbert ideal and the certificate.

    Example:
        >>> from invariants.groups.reductive.examples import sl2_binary_forms
        >>> R = reductive_invariant_ring(sl2_binary_forms(4))
        >>> R.generator_degrees, R.certificate.complete
        ([2, 3], True)
    """

    action: LinearlyReductiveAction
    generators: tuple[sympy.Expr, ...]
    generator_degrees: list[int]
    hilbert_ideal: ReductiveHilbertIdeal | None
    certificate: ReductiveCertificate
    polys: tuple[fmpq_mpoly, ...] = field(default=(), compare=False, repr=False)


def _coordinates(polys: list[fmpq_mpoly]) -> fmpq_mat:
    monos = sorted({m for p in polys for m in p.monoms()})
    index = {m: i for i, m in enumerate(monos)}
    M = fmpq_mat(max(len(monos), 1), len(polys))
    for j, p in enumerate(polys):
        for m, c in zip(p.monoms(), p.coeffs()):
            M[index[m], j] = c
    return M


def _new_generators(basis: list[fmpq_mpoly], lower: dict[int, list[fmpq_mpoly]], gens: list[fmpq_mpoly],
                    d: int) -> list[fmpq_mpoly]:
    products = [g * b for g in gens for b in lower.get(d - g.total_degree(), []) if g.total_degree() < d]
    if not basis:
        return []
    pivots = dense.pivot_columns(_coordinates(products + basis))
    return [basis[j - len(products)] for j in pivots if j >= len(products)]


def reductive_invariant_ring(action: LinearlyReductiveAction, *, max_degree: int | None = None,
                             max_variables: int = MAX_VARIABLES, max_weight: int = MAX_WEIGHT,
                             max_monomials: int = MAX_MONOMIALS,
                             limits: Limits = DEFAULT_LIMITS) -> ReductiveInvariantRing:
    """Minimal generators of the invariant ring of ``action`` with a `ReductiveCertificate`.
    Searches through Derksen's bound D (or ``max_degree`` when it is smaller, and then says the
    set is not proven complete); when the Hilbert ideal is too large to compute, give
    ``max_degree`` to get the generators through that degree without a completeness proof.

    Example:
        >>> from invariants.groups.reductive.examples import sl2_binary_forms
        >>> reductive_invariant_ring(sl2_binary_forms(2)).generators
        (-4*x0*x2 + x1**2,)
    """
    if max_degree is not None and (not isinstance(max_degree, int) or max_degree < 0):
        raise InputError(f"max_degree must be an integer ≥ 0 or None, not {max_degree!r}")
    try:
        hilbert = reductive_hilbert_ideal(action, max_variables=max_variables, max_weight=max_weight, limits=limits)
    except TooLargeError as exc:
        if max_degree is None:
            raise TooLargeError(f"{exc} — or pass max_degree=D for the generators through degree D (e.g. "
                                "max_degree=6), without a completeness proof", estimate=exc.estimate,
                                option=exc.option) from exc
        hilbert = None
    bound = hilbert.max_degree if hilbert is not None else None
    top = bound if max_degree is None else (max_degree if bound is None else min(bound, max_degree))
    solver = DegreeSolver(action, max_monomials)
    bases: dict[int, list[fmpq_mpoly]] = {}
    gens: list[fmpq_mpoly] = []
    for d in range(1, top + 1):
        bases[d] = solver.basis(d)
        gens += _new_generators(bases[d], bases, gens, d)
    checked = all(is_invariant_under(action, g) for g in gens)
    generates = None
    if hilbert is not None:
        ideal = GroebnerBasis(gens, action.x_ctx, limits=limits, what="the ideal of the generators")
        back = GroebnerBasis(list(hilbert.elimination_polys), action.x_ctx, limits=limits, what="the Hilbert ideal")
        generates = all(ideal.contains(h) for h in hilbert.elimination_polys) and all(back.contains(g) for g in gens)
    complete = hilbert is not None and top == bound and bool(generates) and checked
    if hilbert is None:
        reason = (f"the Hilbert ideal was too large to compute, so no degree bound is proven; searched through "
                  f"degree {top} only")
    elif top < bound:
        reason = f"stopped at max_degree = {top}, below the proven bound {bound}"
    elif not generates or not checked:
        reason = ("the generators found fail the direct checks (they must be invariant and generate the Hilbert "
                  "ideal): the assumptions on the input do not hold")
    else:
        reason = (f"generated in degrees ≤ {bound} ({BOUND_SOURCE}); searched through {top}; the generators "
                  "generate the Hilbert ideal and are invariant (both checked exactly)")
    certificate = ReductiveCertificate(complete, bound, BOUND_SOURCE if bound is not None else "none: no bound proven",
                                       top, hilbert.degrees if hilbert is not None else None, generates, checked,
                                       ASSUMPTIONS, reason)
    gens = [g / g.leading_coefficient() for g in gens]
    return ReductiveInvariantRing(action, tuple(action.to_sympy(g) for g in gens), [int(g.total_degree()) for g in gens],
                                  hilbert, certificate, tuple(gens))
