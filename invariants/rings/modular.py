"""Invariant rings in the modular case: a finite group over GF(q), q = p^k, with p dividing |G|.

There is no Molien series and no Reynolds operator, and the ring need not be Cohen–Macaulay, so
the Hironaka pipeline of `invariants.rings.ring` does not apply.  What is computed exactly:

- R_d for every degree d, as the common kernel of (g − 1) on the degree-d polynomials
  (`invariants.rings.spaces`: dimensions come from the bases, not from a series);
- minimal generators degree by degree (`generators.generators_through`: a new generator of
  degree d is an invariant outside the span of products of lower generators).

Why a list of generators is complete (`ModularCertificate.reason`):

- *Kemper's criterion* (G. Kemper, J. Symbolic Comput. 21 (1996); also in Derksen–Kemper,
  *Computational Invariant Theory*): homogeneous invariants f_1 … f_n (n = dim V) with non-zero
  Jacobian determinant and ∏ deg f_i = |G| generate K[V]^G, a polynomial ring.  The Jacobian is
  shown non-zero by its full rank at a point (`invariants.polynomials.ideals.jacobian_nonzero`);
- *Symonds' bound* (P. Symonds, Ann. of Math. 174 (2011)): K[V]^G is generated in degrees
  ≤ n(|G| − 1) for n ≥ 2 (≤ |G| for n = 1), in every characteristic; generators computed through
  that degree are complete.

Otherwise the generators are minimal and complete only through the degree reached, and the
certificate says so.  Primary and secondary invariants, and whether the ring is Cohen–Macaulay,
come from `invariants.rings.modular_hironaka` (``hironaka``, ``primary``, ``secondary``,
``cohen_macaulay``); the generators' certificate asserts Cohen–Macaulayness only for a
polynomial ring.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import sympy

from invariants.errors import InputError, ModularError, TooLargeError
from invariants.groups.representation import Representation, as_representation
from invariants.polynomials.ideals import jacobian_nonzero
from invariants.polynomials.ring import degree
from invariants.rings.context import GradedInvariants
from invariants.rings.generators import generators_through
from invariants.rings.modular_hironaka import (ModularHironaka, ModularPrimaries, dade_primaries,
                                               modular_secondaries, quotient_primaries)
from invariants.rings.spaces import DEFAULT_MAX_MONOMIALS


HIRONAKA_OPTIONS = {"max_hsop_bezout", "max_relation_products", "max_hsop_candidates", "max_proof_terms",
                    "max_proof_bits"}  # of the pipeline that does not run here


class ModularGradedInvariants(GradedInvariants):
    """`GradedInvariants` whose dimensions are those of the computed bases (no Hilbert series)."""

    @functools.cached_property
    def series(self):
        raise ModularError(f"{self.rep} is over {self.rep.field.name} with its characteristic dividing the group "
                           "order: there is no Molien series; use dimension(d) or invariants_of_degree(G, d)")

    def dimension(self, d: int) -> int:
        return len(self.basis(d)) if d else 1

    def known_zero(self, d: int) -> bool:
        return False  # only a basis tells


@dataclass(frozen=True)
class ModularCertificate:
    """What the generators of a modular invariant ring are known to be."""

    group_order: int
    characteristic: int
    degree_reached: int
    complete: bool
    polynomial_ring: bool
    reason: str
    generated_dimensions: tuple[tuple[int, int, int], ...]
    field: str = ""  # GF(q) as printed; the characteristic alone does not name GF(p^k)

    @property
    def certified(self) -> bool:
        return self.complete

    @property
    def cohen_macaulay(self) -> bool | None:
        """True for a polynomial ring; None (not established) otherwise."""
        return True if self.polynomial_ring else None

    def __str__(self) -> str:
        return (f"|G| = {self.group_order} over {self.field or f'GF({self.characteristic})'} (modular case); minimal generators "
                f"computed through degree {self.degree_reached}: "
                + (f"complete ({self.reason})" if self.complete else f"NOT proven complete ({self.reason})")
                + ("; a polynomial ring, hence Cohen–Macaulay" if self.polynomial_ring
                   else "; Cohen–Macaulayness not established"))


class ModularInvariantRing:
    """K[V]^G for a finite group over GF(q) (q = p^k) with p | |G|: exact invariants of each degree and minimal
    generators, certified complete by Kemper's criterion or Symonds' bound when they apply.

    ``max_degree`` caps the degrees searched (default: Symonds' bound; the search stops earlier when
    Kemper's criterion proves a polynomial ring).

    Example:
        >>> from invariants import MatrixGroup
        >>> R = ModularInvariantRing(MatrixGroup([[[1, 1], [0, 1]]], field="GF(3)"))
        >>> R.generator_degrees, R.certificate.polynomial_ring
        ([1, 3], True)
    """

    def __init__(self, group: Any, *, max_degree: int | None = None,
                 max_monomials: int = DEFAULT_MAX_MONOMIALS, progress: bool | None = None, seed: int = 0,
                 relations_degree: int | None = None, **hironaka_options: Any):
        unknown = set(hironaka_options) - HIRONAKA_OPTIONS  # accepted: `invariant_ring` passes them on
        if unknown:
            raise InputError(f"unknown option(s) {sorted(unknown)} of a modular invariant ring; use max_degree, "
                             "max_monomials, progress or seed")
        if relations_degree is not None:
            raise ModularError("relations are not computed in the modular case (p divides |G|); the generators and "
                               "their certificate are (max_degree bounds the search)")
        rep = as_representation(group)
        self.representation = rep
        self.group = rep.group
        self.n = rep.dim
        self.name = str(rep) if rep.label != "v" else self.group.name
        self.order = rep.image_group.order()  # what acts on V: Kemper's and Symonds' |G|
        self.characteristic = rep.field.characteristic
        self.graded = ModularGradedInvariants(rep, max_monomials=max_monomials, progress=progress, seed=seed)
        self.ring = self.graded.ring
        self.max_monomials = max_monomials
        self.symonds_bound = self.order if self.n == 1 else max(1, self.n * (self.order - 1))
        self.max_degree = self.symonds_bound if max_degree is None else max_degree

    @property
    def molien(self):
        """Refused: in the modular case the Molien series is not the Hilbert series."""
        return self.graded.series

    @property
    def hironaka_estimate(self):
        """Refused: the estimate reads the Molien series, which the modular case does not have."""
        raise ModularError(f"{self.name} is modular (p = {self.characteristic} divides |G| = {self.order}): no Molien "
                           "series to estimate a Hironaka decomposition from; it is computed directly by "
                           "invariant_ring(G).hironaka (`molien ring SPEC --hironaka`), the minimal generators by "
                           ".generators with .certificate, and invariants_of_degree(G, d) (`molien invariants SPEC "
                           "-d D`) the invariants of each degree")

    def basis(self, d: int) -> tuple:
        """An exact basis of the invariants of degree d (flint polynomials)."""
        return self.graded.basis(d)

    def dimension(self, d: int) -> int:
        return self.graded.dimension(d)

    @functools.cached_property
    def _search(self) -> tuple[list, list, int, str | None, str | None]:
        """Generators through growing degrees (bases are cached, so a repeat is cheap) until Kemper's
        criterion holds, the degree cap is reached, or a degree's monomials outgrow the guard.  The
        next degree doubles, or — with n − 1 generators found — is the one degree that could complete
        a polynomial ring (∏ deg = |G|).  Returns the generators, the dimension checks, the degree
        reached, why the search stopped early (if it did) and Kemper's proof (if it holds)."""
        last, gens, checks, stopped, kemper = 0, [], [], None, None
        upto = min(self.max_degree, 4)
        while last < self.max_degree:
            try:
                found = generators_through(self.graded, upto)
            except TooLargeError as exc:
                stopped = str(exc)
                break
            (gens, checks), last = found, upto
            kemper = self._kemper(gens)
            if kemper is not None:
                break
            product = math.prod(degree(g) for g in gens)
            missing = self.order // product if len(gens) == self.n - 1 and self.order % product == 0 else 0
            upto = min(self.max_degree, missing if missing > last else 2 * last)
        return gens, checks, last, stopped, kemper

    def _kemper(self, gens: list) -> str | None:
        degs = [degree(g) for g in gens]
        if len(gens) != self.n or math.prod(degs) != self.order:
            return None
        point = jacobian_nonzero(self.ring, gens)
        if point is None:
            return None
        return (f"Kemper's criterion: {self.n} invariants of degrees {degs} with product |G| = {self.order}, "
                f"algebraically independent (Jacobian of full rank at the point {[str(x) for x in point]} of "
                f"GF({self.characteristic}^k)^{self.n})")

    @functools.cached_property
    def certificate(self) -> ModularCertificate:
        gens, checks, last, stopped, kemper = self._search
        if kemper is not None:
            complete, polynomial, reason = True, True, kemper
        elif last >= self.symonds_bound:
            complete, polynomial, reason = True, False, (
                f"Symonds' bound: K[V]^G is generated in degree <= {self.symonds_bound}, and the search reached "
                f"degree {last}")
        else:
            complete, polynomial = False, False
            reason = stopped or (f"searched through degree {last} = max_degree, below Symonds' bound "
                                 f"{self.symonds_bound}; pass max_degree={self.symonds_bound} to prove completeness")
        return ModularCertificate(self.order, self.characteristic, last, complete, polynomial, reason,
                                  tuple(checks), self.representation.field.name)

    @property
    def generators(self) -> list[sympy.Expr]:
        """Minimal generators (complete when `certificate.complete`)."""
        return [self.ring.to_sympy(p) for p in self._search[0]]

    @property
    def generator_degrees(self) -> list[int]:
        return [degree(p) for p in self._search[0]]

    def generators_up_to(self, bound: int) -> list[sympy.Expr]:
        """Minimal generators of degree <= bound (exact; complete only if the bound is large enough)."""
        gens, _ = generators_through(self.graded, bound)
        return [self.ring.to_sympy(g) for g in gens]

    @functools.cached_property
    def hironaka(self) -> ModularHironaka:
        """Primary invariants, secondary invariants (minimal generators over them) and whether R is
        Cohen–Macaulay, with the reasons (`invariants.rings.modular_hironaka`), over GF(p) and GF(p^k)
        alike.  The primaries are proven by the quotient K[x]/(p) over K or by Dade's construction
        (over an extension of K when K is too small); a polynomial ring
        (one secondary, which Kemper's criterion then confirms) keeps its generators as primaries.
        Needs minimal generators only up to the primaries' degrees, not up to Symonds' bound.

        Example (Z/2 on three copies of its regular representation: not Cohen–Macaulay, as
        Ellingsrud–Skjelbred predict for dim V^G = 3 < dim V − 2):
            >>> from invariants import MatrixGroup
            >>> swap = [[int(c == r ^ 1) for c in range(6)] for r in range(6)]
            >>> h = ModularInvariantRing(MatrixGroup([swap], field="GF(2)")).hironaka
            >>> h.primaries.degrees, h.degrees, h.rank, h.cohen_macaulay
            ((1, 1, 1, 2, 2, 2), (0, 2, 2, 2, 3), 4, False)
        """
        if "_search" in self.__dict__ and self.certificate.polynomial_ring:
            return self._polynomial_hironaka()
        try:
            primaries = quotient_primaries(self.graded, self.order, self._generators_through, self.graded.seed)
            found = modular_secondaries(self.graded, primaries or dade_primaries(self.graded), self.order)
        except (ModularError, TooLargeError):
            if self.certificate.polynomial_ring:  # Kemper's generators need neither an hsop search nor Dade
                return self._polynomial_hironaka()
            raise
        if found.degrees != (0,) or not self.certificate.polynomial_ring:
            return found
        return self._polynomial_hironaka()

    def _polynomial_hironaka(self) -> ModularHironaka:
        """Kemper's generators as primaries and 1 as the secondary."""
        gens = tuple(self._search[0])
        degs = tuple(degree(g) for g in gens)
        return ModularHironaka(ModularPrimaries(gens, degs, "polynomial ring", self.certificate.reason),
                               (self.ring.ctx.constant(1),), (0,), 1, sum(d - 1 for d in degs), True,
                               "a polynomial ring (Kemper's criterion), hence Cohen–Macaulay with the one "
                               "secondary invariant 1")

    def _generators_through(self, bound: int) -> list:
        """Minimal generators of degree <= bound (those of the completed search when it ran)."""
        if "_search" in self.__dict__:
            return [g for g in self._search[0] if degree(g) <= bound]
        return generators_through(self.graded, min(bound, self.max_degree))[0]

    @property
    def primary(self) -> list[sympy.Expr]:
        """Primary invariants: a proven hsop (`hironaka.primaries.proof` says how)."""
        return [self.ring.to_sympy(p) for p in self.hironaka.primaries.polys]

    @property
    def primary_degrees(self) -> list[int]:
        return list(self.hironaka.primaries.degrees)

    @property
    def secondary(self) -> list[sympy.Expr]:
        """Minimal generators of R over the primaries: a free basis exactly when `cohen_macaulay`."""
        return [self.ring.to_sympy(p) for p in self.hironaka.polys]

    @property
    def secondary_degrees(self) -> list[int]:
        return list(self.hironaka.degrees)

    @property
    def cohen_macaulay(self) -> bool | None:
        """True or False as `hironaka.reason` proves it; None when the decomposition could not be
        computed (`cohen_macaulay_reason` then says why)."""
        try:
            return self.hironaka.cohen_macaulay
        except (ModularError, TooLargeError):
            return None

    @property
    def cohen_macaulay_reason(self) -> str:
        try:
            return str(self.hironaka)
        except (ModularError, TooLargeError) as exc:
            return f"not decided: {exc}"

    def __repr__(self) -> str:
        return f"ModularInvariantRing({self.name}, {self.representation.field.name})"


def is_modular(rep: Representation) -> bool:
    """True for a finite group's representation over GF(p) with p dividing the order of its image.

    Example:
        >>> from invariants import MatrixGroup
        >>> is_modular(MatrixGroup([[[0, 1], [1, 0]]], field="GF(2)").natural())
        True
    """
    return bool(rep.field.characteristic) and rep.image_group.is_modular  # only finite groups act over GF(p)

