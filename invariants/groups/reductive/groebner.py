"""Gröbner bases over QQ with normal forms, as Derksen's algorithm and the invariance test need them.

flint computes the basis (`fmpz_mpoly_vec.buchberger_naive` on integer images, then its
autoreduction); the normal form is ours, by memoised reduction of monomials, because the
invariance test reduces thousands of products whose coefficients must stay exact and unscaled
(flint's own reduction returns primitive parts, which would break linear algebra).

`Limits` are the size guards: the number of basis elements and the terms of one polynomial during
Buchberger; past them the computation stops with `TooLargeError` naming the knob.

Example:
    >>> from flint import fmpq_mpoly_ctx
    >>> ctx = fmpq_mpoly_ctx.get(("a", "b"), "degrevlex")
    >>> a, b = ctx.gens()
    >>> G = GroebnerBasis([a * b - 1], ctx)
    >>> G.reduce(a ** 2 * b ** 2 + a)
    a + 1
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from math import lcm
from typing import Sequence

from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx, fmpz_mpoly_ctx, fmpz_mpoly_vec

from invariants.errors import TooLargeError


@dataclass(frozen=True)
class Limits:
    """Size guards of a Gröbner basis computation: ``max_basis`` elements in the basis being built,
    ``max_terms`` terms in one polynomial, ``max_bits`` bits in one integer coefficient.

    Example:
        >>> Limits(max_basis=10_000).max_basis
        10000
    """

    max_basis: int = 3_000
    max_terms: int = 200_000
    max_bits: int = 100_000


DEFAULT_LIMITS = Limits()


def _to_integer(p: fmpq_mpoly, zctx: fmpz_mpoly_ctx):
    terms = p.to_dict()
    den = 1
    for c in terms.values():
        den = lcm(den, int(c.q))
    return zctx.from_dict({m: int(c * den) for m, c in terms.items()})


def groebner(polys: Sequence[fmpq_mpoly], ctx: fmpq_mpoly_ctx, limits: Limits = DEFAULT_LIMITS,
             what: str = "the Gröbner basis") -> list[fmpq_mpoly]:
    """A reduced Gröbner basis (monic) of the ideal of ``polys`` in the order of ``ctx``.

    Example:
        >>> ctx = fmpq_mpoly_ctx.get(("a", "b"), "degrevlex")
        >>> a, b = ctx.gens()
        >>> groebner([a ** 2 - 1, a * b - a], ctx)
        [a^2 - 1, b - 1]
    """
    polys = [p for p in polys if not p.is_zero()]
    if not polys:
        return []
    zctx = fmpz_mpoly_ctx.get(ctx.names(), ctx.ordering())
    vec = fmpz_mpoly_vec([_to_integer(p, zctx) for p in polys], zctx)
    basis, done = vec.buchberger_naive(limits=(limits.max_basis, limits.max_terms, limits.max_bits))
    if not done:
        raise TooLargeError(f"{what} outgrew the size guards (at most {limits.max_basis:,} basis elements, "
                            f"{limits.max_terms:,} terms, {limits.max_bits:,} coefficient bits); pass "
                            f"limits=Limits(max_basis={2 * limits.max_basis}, max_terms={2 * limits.max_terms}, "
                            f"max_bits={2 * limits.max_bits}) from "
                            "invariants.groups.reductive.groebner to allow more",
                            estimate=len(basis), option="max_basis")
    reduced = basis.autoreduction()
    out = []
    for i in range(len(reduced)):
        q = ctx.from_dict(reduced[i].to_dict())
        if not q.is_zero():
            out.append(q / q.leading_coefficient())
    return sorted(out, key=lambda q: q.monoms()[0][::-1])


class GroebnerBasis:
    """A Gröbner basis with exact normal forms.  When the ideal lives in the first ``k`` variables
    of ``ctx`` (the group's coordinates inside K[z, x]), monomials are reduced through their first
    ``k`` exponents only: the basis stays a Gröbner basis of the extended ideal, and the normal form
    of z^a·x^b is NF(z^a)·x^b.

    Example:
        >>> ctx = fmpq_mpoly_ctx.get(("z", "w", "x"), "degrevlex")
        >>> z, w, x = ctx.gens()
        >>> GroebnerBasis([z * w - 1], ctx, k=2).reduce(z ** 3 * w ** 2 * x)
        z*x
    """

    def __init__(self, polys: Sequence[fmpq_mpoly], ctx: fmpq_mpoly_ctx, k: int | None = None,
                 limits: Limits = DEFAULT_LIMITS, what: str = "the Gröbner basis"):
        self.ctx = ctx
        self.k = ctx.nvars() if k is None else k
        self.basis = groebner(polys, ctx, limits, what)
        self._rules = []
        for g in self.basis:
            monos, coeffs = g.monoms(), g.coeffs()
            lead = tuple(monos[0][:self.k])
            tail = [(tuple(m[:self.k]), -c) for m, c in zip(monos[1:], coeffs[1:])]
            self._rules.append((lead, tail))
        self._memo: dict[tuple[int, ...], dict[tuple[int, ...], fmpq]] = {}
        self._polys: dict[tuple[int, ...], fmpq_mpoly] = {}
        self._standard: dict[tuple[int, ...], bool] = {}

    @property
    def is_unit(self) -> bool:
        """Whether the ideal is the whole ring."""
        return any(g.is_constant() for g in self.basis)

    def _monomial(self, key: tuple[int, ...]) -> dict[tuple[int, ...], fmpq]:
        done = self._memo.get(key)
        if done is not None:
            return done
        for lead, tail in self._rules:
            if all(e >= f for e, f in zip(key, lead)):
                shift = [e - f for e, f in zip(key, lead)]
                out: dict[tuple[int, ...], fmpq] = {}
                for t, c in tail:
                    for m, c2 in self._monomial(tuple(a + s for a, s in zip(t, shift))).items():
                        v = out.get(m, 0) + c * c2
                        if v:
                            out[m] = v
                        else:
                            out.pop(m, None)
                break
        else:
            out = {key: fmpq(1)}
        self._memo[key] = out
        return out

    def _monomial_poly(self, head: tuple[int, ...]) -> fmpq_mpoly:
        done = self._polys.get(head)
        if done is None:
            limit = sys.getrecursionlimit()
            try:  # a chain of reductions is as long as the degree; deep ones need room
                sys.setrecursionlimit(max(limit, 10_000))
                terms = self._monomial(head)
            finally:
                sys.setrecursionlimit(limit)
            pad = (0,) * (self.ctx.nvars() - self.k)
            done = self.ctx.from_dict({m + pad: c for m, c in terms.items()})
            self._polys[head] = done
        return done

    def reduce(self, p: fmpq_mpoly) -> fmpq_mpoly:
        """The normal form of ``p``: the unique representative with no leading monomial of the basis."""
        k = self.k
        standard: dict[tuple[int, ...], fmpq] = {}
        rewrite: dict[tuple[int, ...], dict] = {}
        for mono, c in p.to_dict().items():
            head = mono[:k]
            if self._is_standard(head):
                standard[mono] = c
            else:  # z^a·P(x): NF(z^a)·P, one flint product per distinct z^a
                rewrite.setdefault(head, {})[(0,) * k + mono[k:]] = c
        parts = [self.ctx.from_dict(standard)]
        parts += [self._monomial_poly(head) * self.ctx.from_dict(rest) for head, rest in rewrite.items()]
        while len(parts) > 1:  # balanced sums: each term is added O(log) times
            parts = [parts[i] + parts[i + 1] if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
        return parts[0]

    def _is_standard(self, head: tuple[int, ...]) -> bool:
        done = self._standard.get(head)
        if done is None:
            done = not any(all(e >= f for e, f in zip(head, lead)) for lead, _ in self._rules)
            self._standard[head] = done
        return done

    def reduce_terms(self, p: fmpq_mpoly) -> dict[tuple[int, ...], fmpq]:
        """The normal form of ``p`` as {exponent vector: coefficient}."""
        return self.reduce(p).to_dict()

    def contains(self, p: fmpq_mpoly) -> bool:
        """Ideal membership: the normal form is zero."""
        return not self.reduce_terms(p)
